"""Inline keyboards for Telegram, and the short callback data behind each button.

Callback data is at most 64 bytes and comes back from the chat client, so it
never carries a payload itself: it holds a short random id ("b:<id>" for a
Rasa button, "f:1:<id>" / "f:0:<id>" for a 👍 / 👎 vote, "r:<id>" for
"⏰ Remind me" and "c:<id>" to cancel a reminder) and the bridge looks the
payload up server-side for the same conversation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.rasa_client import Reply, merge_replies
from bot.channels.telegram_payloads import future_deadline
from bot.channels.telegram_format import render_html, split_message, valid_sources, with_sources
from bot.channels.telegram_texts import TelegramTexts
from bot.store.buttons import KIND_CANCEL, KIND_FEEDBACK, KIND_RASA, KIND_REMIND

BUTTON_PREFIX = "b:"
FEEDBACK_PREFIX = "f:"
# Buttons whose callback is just a prefix and a stored id.
SIMPLE_PREFIXES = {BUTTON_PREFIX: KIND_RASA, "r:": KIND_REMIND, "c:": KIND_CANCEL}
PREFIX_OF = {kind: prefix for prefix, kind in SIMPLE_PREFIXES.items()}
DEFAULT_LABELS = {"helpful": "👍", "not_helpful": "👎", "remind_me": "⏰ Remind me"}
MAX_CALLBACK_BYTES = 64

# Stores (kind, payload) and returns the short id to put in the callback data.
Store = Callable[[str, str], str]


@dataclass(frozen=True)
class Tap:
    """A parsed callback: which button id, and for a vote whether it was 👍."""

    kind: str
    button_id: str
    helpful: Optional[bool] = None


def parse_callback(data: Optional[str]) -> Optional[Tap]:
    """Return what a callback's data asks for, or None if it is not ours."""
    if not data:
        return None
    for prefix, kind in SIMPLE_PREFIXES.items():
        if data.startswith(prefix) and len(data) > len(prefix):
            return Tap(kind, data[len(prefix):])
    parts = data.split(":")
    if len(parts) == 3 and parts[0] + ":" == FEEDBACK_PREFIX and parts[1] in ("0", "1") and parts[2]:
        return Tap(KIND_FEEDBACK, parts[2], helpful=parts[1] == "1")
    return None


def _checked(data: str) -> str:
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError("callback data over Telegram's 64-byte limit")
    return data


def stored_button(title: str, kind: str, payload: str, store: Store) -> InlineKeyboardButton:
    """Return a button whose payload is kept server-side under a short id."""
    return InlineKeyboardButton(title, callback_data=_checked(PREFIX_OF[kind] + store(kind, payload)))


def build_keyboard(
    buttons: Sequence[Dict[str, Any]], store: Store, feedback_kb_id: Optional[str] = None,
    labels: Optional[Dict[str, str]] = None, remind: Optional[str] = None,
) -> Optional[InlineKeyboardMarkup]:
    """Return one row per Rasa button, a ⏰ row for a deadline and a 👍 / 👎 row for an answer; None if none."""
    labels = labels or DEFAULT_LABELS
    rows: List[List[InlineKeyboardButton]] = []
    for button in buttons:
        title, payload = button.get("title"), button.get("payload")
        if not isinstance(title, str) or not isinstance(payload, str) or not title or not payload:
            continue
        rows.append([stored_button(title, KIND_RASA, payload, store)])
    if remind:
        rows.append([stored_button(labels["remind_me"], KIND_REMIND, remind, store)])
    if feedback_kb_id:
        vote_id = store(KIND_FEEDBACK, feedback_kb_id)
        rows.append([
            InlineKeyboardButton(labels["helpful"], callback_data=_checked(f"{FEEDBACK_PREFIX}1:{vote_id}")),
            InlineKeyboardButton(labels["not_helpful"], callback_data=_checked(f"{FEEDBACK_PREFIX}0:{vote_id}")),
        ])
    return InlineKeyboardMarkup(rows) if rows else None


def without_feedback(markup: Optional[InlineKeyboardMarkup]) -> InlineKeyboardMarkup:
    """Return the keyboard with its 👍 / 👎 buttons removed and every other button kept."""
    rows = []
    for row in (markup.inline_keyboard if markup else ()):
        kept = [b for b in row if not str(b.callback_data or "").startswith(FEEDBACK_PREFIX)]
        if kept:
            rows.append(kept)
    return InlineKeyboardMarkup(rows)


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message ready to send: HTML text and an optional keyboard."""

    html: str
    markup: Optional[InlineKeyboardMarkup] = None


def cancel_keyboard(choices: Sequence[Tuple[str, int]], store: Store) -> InlineKeyboardMarkup:
    """Return one cancel button per (title, reminder id)."""
    return InlineKeyboardMarkup([[stored_button(title, KIND_CANCEL, str(rid), store)] for title, rid in choices])


def outgoing_messages(
    replies: List[Reply], store: Store, texts: TelegramTexts, today: Optional[dt.date] = None,
) -> List[Outgoing]:
    """Turn Rasa's replies into Telegram messages: sources linked, long text split, buttons on the last part.

    A reply about a deadline still to come gets a ⏰ Remind me button when `today` is given.
    """
    messages: List[Outgoing] = []
    for reply in merge_replies(replies):
        custom = reply.get("custom") if isinstance(reply.get("custom"), dict) else None
        is_answer = bool(custom and custom.get("type") == "answer")
        sources = valid_sources(custom) if is_answer else []
        text = str(reply.get("text") or "")
        if is_answer:
            text = with_sources(text, sources, texts.text("sources_heading"))
        kb_id = custom.get("kb_id") if is_answer and custom and isinstance(custom.get("kb_id"), str) else None
        buttons = reply["buttons"] if isinstance(reply.get("buttons"), list) else []
        deadline = future_deadline(custom, today) if today is not None else None
        markup = build_keyboard(buttons, store, kb_id, texts.labels, deadline.encode() if deadline else None)
        parts = split_message(text)
        if not parts:
            if markup is None:
                continue
            parts = [texts.text("choose")]
        messages.extend(Outgoing(render_html(part, sources)) for part in parts[:-1])
        messages.append(Outgoing(render_html(parts[-1], sources), markup))
    return messages
