"""The assistant's own wording around answers (knowledge/messages.yml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Container, Dict, List, Optional, Tuple

from bot.knowledge.entries import GROUPS
from bot.knowledge.forum import Forum, fill_forum
from bot.knowledge.reading import validate_file
from bot.knowledge.schema import DictOf, Enum, Items, Map, Ref, Report, Str, by_key

# Each message and the values it must be given.
PLACEHOLDERS: Dict[str, Tuple[str, ...]] = {
    "greeting": (),
    "anything_else": (),
    "answer": ("short", "next_steps", "sources", "reviewed"),
    "detail": ("title", "detail"),
    "no_more_detail": ("title",),
    "tell_more_what": (),
    "topics": (),
    "unanswered": (),
    "empty_message": (),
    "restarted": (),
    "escalation_offer": ("reply_time",),
    "escalation_offer_risk": (),
    "escalation_need_question": (),
    "escalation_sent": ("reference",),
    "escalation_not_sent": (),
    "escalation_failed": (),
    "volunteer_answer": ("answer", "reference"),
    "promise_claimed": ("reference",),
    "promise_overdue": ("reference",),
    "escalation_cancelled": ("reference",),
    "escalation_none": (),
    "escalation_status_waiting": ("age", "reference"),
    "escalation_status_claimed": ("reference",),
    "escalation_status_answered": ("reference",),
    "escalation_status_closed": ("reference",),
    "escalation_status_cancelled": ("reference",),
    "human_routes": (),
    "unavailable": (),
    "deadline_upcoming": ("sentence", "due", "left"),
    "deadline_passed": ("sentence", "due", "ago"),
    "deadline_which_event": (),
    "deadline_which_of_these": ("date",),
    "deadline_what_now": ("steps",),
    "deadline_others": ("lines",),
    "deadline_offer_form": (),
    "deadline_result_intro": ("label",),
    "deadline_event_unclear": (),
    "deadline_date_unclear": (),
    "deadline_year_unclear": (),
    "form_stopped": (),
    "nothing_to_stop": (),
    "remind_me": (),
    "timeline_intro": (),
    "timeline_ask_request": (),
    "timeline_ask_decision": (),
    "timeline_ask_draft": (),
    "timeline_ask_final": (),
    "timeline_done": ("label", "date"),
    "timeline_next": ("label", "date", "left"),
    "timeline_waiting": ("label", "date"),
    "timeline_overdue": ("label", "date", "days"),
    "timeline_unknown": ("label",),
    "timeline_no_request": (),
    "timeline_date_unclear": (),
    "timeline_overdue_letter": (),
    "letter_choose": (),
    "letter_template_unclear": (),
    "letter_skip_hint": ("question",),
    "letter_ready": ("letter",),
    "deadline_you_said": ("said",),
    "deadline_moved_christmas": ("counted", "ends", "due"),
    "deadline_moved_august": ("counted", "ends", "due"),
    "deadline_moved_not_working_day": ("counted", "ends", "due"),
    "deadline_moved_mediation": ("ends",),
    "deadline_weekday_clash": ("date", "actual", "said"),
    "deadline_weekday_clash_ahead": ("date", "actual", "said"),
    "deadline_future_date": ("said", "suggestion"),
    "section": ("title", "text", "sources", "reviewed"),
    "no_specific_answer": ("topic",),
    "clarify_two": (),
    "clarify_one": ("title",),
    "also_asked": (),
    "form_intro_letter": ("questions",),
    "form_intro_deadline": ("questions",),
    "form_intro_timeline": ("questions",),
    "form_resume": ("form",),
}
# Messages that name the partner forum: `{forum}` is filled in at load time from the area file.
FORUM_PLACEHOLDERS: Dict[str, Tuple[str, ...]] = {
    "escalation_offer": ("forum",),
    "escalation_need_question": ("forum",),
    "volunteer_answer": ("forum",),
}


@dataclass(frozen=True)
class MenuGroup:
    """One topic group in the menu."""

    group: str
    title: str
    intro: str


@dataclass(frozen=True)
class Messages:
    """Message templates, menu groups and button labels."""

    templates: Dict[str, str]
    menu: Tuple[MenuGroup, ...]
    buttons: Dict[str, str]
    human_route_entries: Tuple[str, ...]

    def text(self, key: str, **values: Any) -> str:
        """Return a message with its values filled in."""
        return self.templates[key].format(**values)

    def progress(self, kind: str, reference: str) -> str:
        """Return a progress message about a question ("claimed", "overdue", "overdue-risk": crisis contacts first)."""
        if kind == "overdue-risk":
            return self.text("escalation_offer_risk") + "\n\n" + self.text("promise_overdue", reference=reference)
        return self.text(f"promise_{kind}", reference=reference)

    def menu_buttons(self, with_person: bool = True) -> List[Dict[str, str]]:
        """Return a button per topic group, plus 'Talk to a person'."""
        buttons = [
            {"title": g.title, "payload": f'/show_topics{{"group":"{g.group}"}}'} for g in self.menu
        ]
        if with_person:
            buttons.append({"title": self.buttons["talk_to_person"], "payload": "/request_human"})
        return buttons

    def group(self, name: str) -> MenuGroup:
        """Return a menu group by name (KeyError if unknown)."""
        for group in self.menu:
            if group.group == name:
                return group
        raise KeyError(name)


MESSAGES_FILE = "messages.yml"
SPEC = Map(
    required={
        "menu": Items(Map({"group": Enum(GROUPS), "title": Str(), "intro": Str()}, build=MenuGroup), min_len=1,
                      unique=by_key("group")),
        "buttons": DictOf(keys=Str(pattern=re.compile(r"[a-z][a-z0-9_]*"), means="a lower_case name"), values=Str()),
        "messages": Map({key: Str(fields=fields + FORUM_PLACEHOLDERS.get(key, ())) for key, fields in PLACEHOLDERS.items()}),
        "human_route_entries": Items(Ref("entry"), min_len=1),
    },
)


def load_messages(knowledge_dir: Path, entry_ids: Optional[Container[str]] = None, forum: Optional[Forum] = None) -> Messages:
    """Load and check knowledge/messages.yml (and, given the knowledge base's ids, the entries it names).

    `forum` (the area file's partner, `KnowledgeBase.forum` or `load_forum`) fills `{forum}`; without it, the
    neutral default.

    Raise KnowledgeBaseError (a ValueError) listing every fault.
    """
    report = Report()
    clean = validate_file(knowledge_dir / MESSAGES_FILE, SPEC, report)
    if entry_ids is not None:
        report.resolve("entry", entry_ids)
    report.raise_if_any()
    return Messages(
        templates={key: fill_forum(text, forum or Forum()) for key, text in clean["messages"].items()},
        menu=clean["menu"],
        buttons=dict(clean["buttons"]),
        human_route_entries=clean["human_route_entries"],
    )
