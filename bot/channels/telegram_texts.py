"""The Telegram bridge's own wording (knowledge/telegram.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from bot.knowledge.forum import Forum, fill_forum
from bot.knowledge.reading import validate_file
from bot.knowledge.schema import Map, Report, Str

COMMANDS = ("start", "help", "reminders", "privacy", "forget")
MESSAGES = (
    "start", "help", "privacy", "forget_done", "non_text", "button_expired", "feedback_thanks", "sources_heading",
    "choose", "reminder_set", "reminder_past", "reminders_none", "reminders_list", "reminder_line",
    "reminder_cancel", "reminder_cancelled", "reminder_week", "reminder_day", "reminder_today", "reminder_due_today",
)
LABELS = ("helpful", "not_helpful", "remind_me")
# Messages with values filled in at run time; every other text must have none.
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
FORUM_PLACEHOLDERS: Dict[str, Tuple[str, ...]] = {"privacy": ("forum",)}  # filled at load from the area file


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


SPEC = Map({
    "commands": Map({name: Str() for name in COMMANDS}),
    "messages": Map({key: Str(fields=PLACEHOLDERS.get(key, ()) + FORUM_PLACEHOLDERS.get(key, ())) for key in MESSAGES}),
    "labels": Map({name: Str() for name in LABELS}),
})


def load_telegram_texts(knowledge_dir: Path, forum: Optional[Forum] = None) -> TelegramTexts:
    """Load and check knowledge/telegram.yml, naming `forum` (default: neutral); raise KnowledgeBaseError."""
    report = Report()
    clean = validate_file(knowledge_dir / "telegram.yml", SPEC, report)
    report.raise_if_any()
    messages = {key: fill_forum(text, forum or Forum()) for key, text in clean["messages"].items()}
    return TelegramTexts(commands=clean["commands"], messages=messages, labels=clean["labels"])
