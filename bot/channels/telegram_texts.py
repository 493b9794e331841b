"""The Telegram bridge's own wording (knowledge/telegram.yml)."""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

COMMANDS = ("start", "help", "reminders", "privacy", "forget")
MESSAGES = (
    "start", "help", "privacy", "forget_done", "non_text", "button_expired", "feedback_thanks", "sources_heading",
    "choose", "reminder_set", "reminder_past", "reminders_none", "reminders_list", "reminder_line",
    "reminder_cancel", "reminder_cancelled", "reminder_week", "reminder_day", "reminder_today", "reminder_due_today",
)
LABELS = ("helpful", "not_helpful", "remind_me")
# Messages with values filled in at run time; every other text has none.
PLACEHOLDERS: Dict[str, Tuple[str, ...]] = {
    "privacy": ("retention_days",),
    "reminder_set": ("due", "label"),
    "reminders_list": ("lines",),
    "reminder_line": ("due", "label"),
    "reminder_cancel": ("due",),
    "reminder_week": ("days", "due", "label"),
    "reminder_day": ("due", "label"),
    "reminder_today": ("check", "label"),
    "reminder_due_today": ("label",),
}


@dataclass(frozen=True)
class TelegramTexts:
    """Command descriptions, messages and button labels for Telegram."""

    commands: Dict[str, str]
    messages: Dict[str, str]
    labels: Dict[str, str]

    def text(self, key: str, **values: Any) -> str:
        """Return one message with its values filled in."""
        return self.messages[key].format(**values) if key in PLACEHOLDERS else self.messages[key]

    def command_menu(self) -> List[Tuple[str, str]]:
        """Return (command, description) pairs for Telegram's command menu."""
        return [(name, self.commands[name]) for name in COMMANDS]


def _section(data: Dict, name: str, keys: Tuple[str, ...]) -> Dict[str, str]:
    section = data.get(name)
    if not isinstance(section, dict) or set(section) != set(keys):
        raise ValueError(f"telegram.yml: '{name}' must define exactly: {', '.join(keys)}")
    if not all(isinstance(v, str) and v.strip() for v in section.values()):
        raise ValueError(f"telegram.yml: every entry in '{name}' must be non-empty text")
    return {str(k): str(v).strip() for k, v in section.items()}


def _fields(template: str) -> Tuple[str, ...]:
    return tuple(sorted({f for _, f, _, _ in string.Formatter().parse(template) if f}))


def load_telegram_texts(knowledge_dir: Path) -> TelegramTexts:
    """Load and check knowledge/telegram.yml; raise ValueError on any fault."""
    data = yaml.safe_load((knowledge_dir / "telegram.yml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("telegram.yml must be a mapping")
    messages = _section(data, "messages", MESSAGES)
    for key, template in messages.items():
        expected = tuple(sorted(PLACEHOLDERS.get(key, ())))
        if key in PLACEHOLDERS and _fields(template) != expected:
            raise ValueError(f"telegram.yml: '{key}' must use exactly {{{'}, {'.join(expected)}}}")
    return TelegramTexts(
        commands=_section(data, "commands", COMMANDS),
        messages=messages,
        labels=_section(data, "labels", LABELS),
    )
