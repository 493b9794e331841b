"""Turn a conversation decision (bot.conversation.decide) into messages: answers, follow-ups, close calls.

Each function sends what one kind of decision says and returns the slot
events that keep the conversation's thread: the live topic (`last_kb_id`) and
whether a close call is waiting for the parent's pick (`clarify_pending`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.deadline_questions import start_form
from actions.deadline_replies import deadline_reply, form_buttons, today
from actions.payloads import answer_payload, answer_values, bullet_list, entry_button, related_buttons
from actions.services import Services
from bot.conversation.decide import Decision
from bot.deadlines.chat import Worked, from_message, unclear_event, work_out
from bot.deadlines.cues import cued_event
from bot.deadlines.registry import DATE, RULES
from bot.deadlines.questions import DateQuestion
from bot.knowledge.entries import Entry
from bot.letters.fill import TEMPLATES
from bot.store.evidence import ASKED, DEADLINE_PASSED
from bot.text import long_date

TOPIC_SLOT = "last_kb_id"
Cells = List[Tuple[str, Optional[str]]]  # evidence counts for a turn: (measure, topic or stage)
CLARIFY_SLOT = "clarify_pending"
# {"topic", "rule", "answers"}: the dates last worked out, for "and the final plan?"; or {"topic", "event"}: the
# event a turn named ("judicial review") before any date was given.
SHOWN_SLOT = "deadline_shown"
SOMETHING_ELSE = "/something_else"
FORM_NAMES = {"letter_form": "letter", "deadline_form": "deadline", "timeline_form": "timeline check"}


def send_answer(dispatcher: CollectingDispatcher, services: Services, entry: Entry, text: str,
                decision: Optional[Decision] = None, cells: Optional[Cells] = None,
                remembered: Optional[Mapping[str, Any]] = None) -> List[EventType]:
    """Send an entry's answer, working out the parent's own deadline from a date in the message.

    `remembered` is the `deadline_shown` slot: the event and dates earlier turns gave under a topic (used only
    under that topic). The evidence report's counts (topic asked, a council deadline already passed) go into
    `cells`.
    """
    cells = cells if cells is not None else []
    messages = services.messages
    buttons = related_buttons(services.kb, entry, messages.buttons["tell_me_more"])
    body, payload = messages.text("answer", **answer_values(entry)), answer_payload(entry)
    topic = decision.topic if decision and decision.topic else entry.id
    clocks_of = decision.dates_topic if decision and decision.dates_topic else entry.id
    worked = from_message(clocks_of, text, today(), remembered)
    cells.append((ASKED, entry.id))
    if isinstance(worked, DateQuestion):
        # A date that cannot be right as read: ask about it (the deadline form sends the question).
        return [SlotSet(TOPIC_SLOT, topic)] + start_form(worked)
    own = deadline_reply(messages, worked, today()) if isinstance(worked, Worked) else None
    if own is not None and own.passed:
        cells.append((DEADLINE_PASSED, own.passed))
    shown: List[EventType] = []
    if own is not None:
        body, buttons = f"{own.text}\n\n{body}", own.buttons + buttons
        payload.update(own.payload)
        assert isinstance(worked, Worked)
        shown = [SlotSet(SHOWN_SLOT, shown_value(worked, clocks_of))]
    elif (unclear := unclear_event(clocks_of, text, today())) is not None:
        # "the order was 13 November, when does the council have to do it?": ask which order, keep the date.
        when, events = unclear
        body = messages.text("deadline_which_of_these", date=long_date(when)) + "\n\n" + body
        buttons = [{"title": RULES[e].label, "payload": RULES[e].label} for e in events] + buttons
        payload["which_event"] = {"date": when.isoformat(), "events": list(events)}
        shown = [SlotSet(SHOWN_SLOT, {"topic": clocks_of, "date": when.isoformat()})]
    else:
        buttons = buttons + form_buttons(messages, clocks_of)
        named = cued_event(clocks_of, text)
        if named is not None:  # "someone said judicial review?": a date in the next turn starts that clock
            shown = [SlotSet(SHOWN_SLOT, {"topic": clocks_of, "event": named})]
    dispatcher.utter_message(text=body, buttons=buttons, json_message=payload)
    return [SlotSet(TOPIC_SLOT, topic)] + shown + (own.events if own else [])


def shown_value(worked: Worked, topic: str) -> Dict[str, Any]:
    """Return the slot value that remembers under which topic, event and dates a deadline was worked out."""
    answers = {name: value.isoformat() if isinstance(value, dt.date) else value
               for name, value in worked.answers.items()}
    return {"topic": topic, "rule": worked.rule.id, "answers": answers}


def send_redate(dispatcher: CollectingDispatcher, services: Services, decision: Decision,
                shown: Mapping[str, Any], cells: Optional[Cells] = None) -> List[EventType]:
    """Work out another clock from the dates the parent already gave ("and when is the final plan due?")."""
    rule = RULES.get(str(shown.get("rule")))
    if rule is None or decision.clock is None:
        return send_no_specific(dispatcher, services, decision)
    try:
        answers = {item.name: dt.date.fromisoformat(str(v)) if item.kind == DATE else int(v)
                   for item in rule.inputs for v in [(shown.get("answers") or {}).get(item.name)] if v is not None}
        worked = work_out(rule.id, answers, (decision.clock,))
    except (TypeError, ValueError):  # a remembered value that cannot be used: never guess a date
        return send_no_specific(dispatcher, services, decision)
    own = deadline_reply(services.messages, worked, today())
    if cells is not None and own.passed:
        cells.append((DEADLINE_PASSED, own.passed))
    entry = services.kb.get(worked.main.kb_id)
    payload = {**(answer_payload(entry) if entry else {"type": "deadline"}), **own.payload}
    dispatcher.utter_message(text=own.text, buttons=own.buttons, json_message=payload)
    return [SlotSet(TOPIC_SLOT, decision.topic)] + own.events


def send_section(dispatcher: CollectingDispatcher, services: Services, decision: Decision,
                 text: str, cells: Optional[Cells] = None,
                 remembered: Optional[Mapping[str, Any]] = None) -> List[EventType]:
    """Send one section of an entry (a follow-up's specific answer), with the topic's date tools."""
    assert decision.section is not None
    kb_id, section_id = decision.section
    entry, section = services.kb.get(kb_id), services.kb.section(kb_id, section_id)
    if entry is None or section is None:  # checked when follow-ups.yml loads; never expected
        return send_no_specific(dispatcher, services, decision)
    clocks_of = decision.dates_topic
    if clocks_of and from_message(clocks_of, text, today(), remembered) is not None:
        return send_answer(dispatcher, services, services.kb.get(decision.topic or kb_id) or entry, text, decision,
                           cells, remembered)
    messages = services.messages
    body = messages.text("section", title=section.title, text=section.text,
                         sources=bullet_list(f"{s.title}: {s.url}" for s in entry.sources),
                         reviewed=long_date(entry.reviewed))
    buttons = (form_buttons(messages, clocks_of) if clocks_of and decision.kind == "when" else []) + \
        related_buttons(services.kb, entry, None)
    payload = {**answer_payload(entry), "section": section_id, "follow_up": decision.kind}
    dispatcher.utter_message(text=body, buttons=buttons, json_message=payload)
    if cells is not None:
        cells.append((ASKED, entry.id))
    return [SlotSet(TOPIC_SLOT, decision.topic)]


def send_no_specific(dispatcher: CollectingDispatcher, services: Services, decision: Decision) -> List[EventType]:
    """Say in one line there is no specific answer on the live topic, and offer the nearest entries."""
    kb, messages = services.kb, services.messages
    topic = kb.get(decision.topic or "")
    title = topic.title if topic else ""
    buttons = [entry_button(e) for e in (kb.get(k) for k in decision.options) if e is not None]
    if topic is not None:
        buttons.insert(0, entry_button(topic))
    buttons.append({"title": messages.buttons["talk_to_person"], "payload": "/request_human"})
    payload = {"type": "no_specific_answer", "kb_id": decision.topic, "follow_up": decision.kind}
    dispatcher.utter_message(text=messages.text("no_specific_answer", topic=title), buttons=buttons,
                             json_message=payload)
    return [SlotSet(TOPIC_SLOT, decision.topic)]


def send_clarify(dispatcher: CollectingDispatcher, services: Services, decision: Decision) -> List[EventType]:
    """Ask which topic the parent means: one or two buttons and "Something else"."""
    kb, messages = services.kb, services.messages
    options = [e for e in (kb.get(k) for k in decision.options) if e is not None]
    text = messages.text("clarify_one", title=options[0].title) if len(options) == 1 else messages.text("clarify_two")
    buttons = [entry_button(e) for e in options] + [{"title": messages.buttons["something_else"],
                                                     "payload": SOMETHING_ELSE}]
    dispatcher.utter_message(text=text, buttons=buttons,
                             json_message={"type": "clarify", "options": [e.id for e in options]})
    return [SlotSet(CLARIFY_SLOT, [e.id for e in options])]


def send_also(dispatcher: CollectingDispatcher, services: Services, topics: Sequence[str]) -> None:
    """Offer the other topics a long message asked about."""
    entries = [e for e in (services.kb.get(k) for k in topics) if e is not None]
    if entries:
        dispatcher.utter_message(text=services.messages.text("also_asked"),
                                 buttons=[entry_button(e) for e in entries],
                                 json_message={"type": "also_asked", "topics": [e.id for e in entries]})


def start_named_form(dispatcher: CollectingDispatcher, services: Services, form: str) -> None:
    """Say what the form makes, how many questions, that nothing is stored and that "stop" ends it."""
    questions = {"letter": _letter_questions(), "deadline": "2 or 3", "timeline": "4"}[form]
    dispatcher.utter_message(text=services.messages.text(f"form_intro_{form}", questions=questions),
                             json_message={"type": "form", "form": form})


def _letter_questions() -> str:
    counts = sorted(len(t.fields) for t in TEMPLATES.values())
    return f"{counts[0]} to {counts[-1]}" if counts[0] != counts[-1] else str(counts[0])


def previous_user_text(tracker: Tracker) -> str:
    """Return the text of the parent's message before the latest one (what a close call asked about)."""
    seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen += 1
            if seen == 2:
                return str(event.get("text") or "")
    return ""


def form_resume(dispatcher: CollectingDispatcher, services: Services, form: str) -> None:
    """After answering a question asked inside a form, offer to carry on."""
    dispatcher.utter_message(text=services.messages.text("form_resume", form=FORM_NAMES.get(form, "form")),
                             json_message={"type": "form_resume", "form": form})

