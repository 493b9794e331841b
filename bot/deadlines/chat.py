"""Work out a deadline from what a parent said: which rule applies, the dates it needs, and any question back.

A knowledge answer can come with the parent's own date ("I asked for an
assessment on 5 January 2026, when must they decide?"). `bot.deadlines.cues`
says which event and which clock the words point to; the dates come from
`bot.deadlines.reading`. A date that cannot be right as read (a weekday that
disagrees, a letter dated in the future) gives a `DateQuestion` instead of a
deadline. When a rule cannot be run (no date, or the event is unclear),
nothing is guessed: the caller offers the form.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from bot.deadlines.cues import ASKED_ABOUT, CUE_ONLY, KB_RULES, choose_clock, choose_event, cued_event, events_of
from bot.deadlines.questions import DateQuestion, question_about
from bot.deadlines.reading import FoundDate, find_dates, parse_year
from bot.deadlines.registry import DATE, RULES, Input, Rule
from bot.deadlines.statutory import Deadline

_CERTIFICATE = re.compile(r"\bcert(?:ificate)?s?\b", re.IGNORECASE)
_LETTER = re.compile(r"(?<!certificate )(?<!cert )\bletter\b|\bdecision\b", re.IGNORECASE)


@dataclass(frozen=True)
class Worked:
    """The deadlines that follow from one rule and the parent's answers, with the one that matters most."""

    rule: Rule
    deadlines: Tuple[Deadline, ...]
    focus: Tuple[str, ...] = ()
    answers: Mapping[str, Any] = field(default_factory=dict)

    @property
    def main(self) -> Deadline:
        """Return the deadline the parent most likely asked about (named in the message, else the first clock)."""
        return next((d for d in self.deadlines if d.rule in self.focus), self.deadlines[0])


def deadline_json(deadline: Deadline) -> Dict[str, str]:
    """Return the machine-readable `deadline` object for a payload."""
    return {"rule": deadline.rule, "from": deadline.starts.isoformat(), "due": deadline.due.isoformat()}


def work_out(rule_id: str, answers: Mapping[str, Any], focus: Sequence[str] = ()) -> Worked:
    """Run one rule on the answers (ValueError if any is missing or wrong)."""
    rule = RULES[rule_id]
    return Worked(rule, rule.run(answers), tuple(focus), dict(answers))


def _kept_under(kb_id: str, remembered: Optional[Mapping[str, Any]]) -> Mapping[str, Any]:
    """Return what an earlier turn kept if it was kept under this topic, else nothing: never another's clock."""
    return remembered if remembered and remembered.get("topic") == kb_id else {}


def _iso_date(value: Any) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def remembered_event(kb_id: str, remembered: Optional[Mapping[str, Any]]) -> Optional[str]:
    """Return the event an earlier turn named under this topic before any date was given, if it is the topic's.

    A rule already worked out from dates is not carried: a new date is more
    likely a new event ("we told the council we want mediation" then "if I
    tell the adviser today we don't want it").
    """
    rule_id = _kept_under(kb_id, remembered).get("event")
    return str(rule_id) if rule_id in events_of(kb_id) and rule_id in RULES else None


def remembered_date(kb_id: str, remembered: Optional[Mapping[str, Any]], name: str) -> Optional[dt.date]:
    """Return a date an earlier turn gave under this topic for this input, or None if there is none or it is bad."""
    return _iso_date((_kept_under(kb_id, remembered).get("answers") or {}).get(name))


def pending_date(kb_id: str, remembered: Optional[Mapping[str, Any]]) -> Optional[dt.date]:
    """Return the date kept while the parent was asked which event it was (under this topic only), or None."""
    return _iso_date(_kept_under(kb_id, remembered).get("date"))


def picked_event(kb_id: str, text: str) -> Optional[str]:
    """Return the event a button label, or the answer's own words, picks among this topic's, or None."""
    rule_id = rule_for_choice(text)
    return rule_id if rule_id in events_of(kb_id) else cued_event(kb_id, ASKED_ABOUT.get(kb_id, "") + text)


def unclear_event(kb_id: str, text: str, today: dt.date) -> Optional[Tuple[dt.date, Tuple[str, ...]]]:
    """Return (the date, the events to choose from) when a dated message does not say which event it was.

    Only topics whose events must be named (CUE_ONLY: a tribunal order to
    assess, to make a plan, to amend it, or to name a school) can be unclear;
    the parent is asked which, and the date is kept for their answer.
    """
    if kb_id not in CUE_ONLY or picked_event(kb_id, text) is not None:
        return None
    events = tuple(e for e in KB_RULES[kb_id] if RULES[e].inputs[0].kind == DATE)
    found = find_dates(text, today)
    return (found[0].date, events) if found and len(events) > 1 else None


def from_message(kb_id: str, text: str, today: dt.date,
                 remembered: Optional[Mapping[str, Any]] = None) -> Union[Worked, DateQuestion, None]:
    """Return the deadlines a message's own dates give under a topic, a question back, or None.

    `remembered` is what the conversation kept from earlier turns, used only
    under the topic it was kept under: {"topic", "rule", "answers"} (a
    deadline worked out, and its dates), {"topic", "event"} (an event named
    before any date) or {"topic", "date"} (a date kept while the parent was
    asked which event it was; their answer, a button's label or their own
    words, then picks the event).
    The message's own words choose the event first; else an event of this
    topic an earlier turn named without a date ("how long have we got to
    start one" after asking about judicial review); else the topic's default. A certificate
    date given after the letter's ("I got the certificate on 18 November")
    is worked out with the letter's date the parent gave before.
    """
    kept = pending_date(kb_id, remembered)
    rule_id = (picked_event(kb_id, text) if kept else cued_event(kb_id, text)) or \
        remembered_event(kb_id, remembered) or choose_event(kb_id, text)
    if rule_id is None:
        return None
    rule = RULES[rule_id]
    if rule.inputs[0].kind != DATE:
        year = parse_year(text, today)
        return work_out(rule_id, {rule.inputs[0].name: year}) if year is not None else None
    found = find_dates(text, today)
    if not found and kept is not None:
        found = (FoundDate("", kept, -1),)  # "it's to amend sections B and F": the order's date was given before
    if len(found) == 1 and len(rule.inputs) == 2:
        letter = remembered_date(kb_id, remembered, rule.inputs[0].name)
        if _belongs_to(found[0], text) != "letter":
            if letter is None:
                return None  # the one date is the certificate's: the letter's is still needed
            return _worked_or_question(rule, {rule.inputs[0].name: FoundDate("", letter, -1),
                                              rule.inputs[1].name: found[0]}, text, today)
        rule = RULES["decision-letter"]
    picked = dates_for(rule, found, text, today)
    if picked is None:
        return None
    return _worked_or_question(rule, picked, text, today)


def _worked_or_question(rule: Rule, picked: Mapping[str, FoundDate], text: str,
                        today: dt.date) -> Union[Worked, DateQuestion]:
    clock = choose_clock(text, rule.clocks())
    focus = (clock,) if clock else ()
    question = question_about(rule, picked, today, focus)
    if question is not None:
        return question
    return work_out(rule.id, {name: f.date for name, f in picked.items()}, focus)


def dates_for(rule: Rule, found: Sequence[FoundDate], text: str,
              today: dt.date) -> Optional[Dict[str, FoundDate]]:
    """Return which found date answers each of the rule's inputs, or None if they do not all have one."""
    if len(rule.inputs) == 1:
        chosen = _one(rule.inputs[0], found, today)
        return {rule.inputs[0].name: chosen} if chosen else None
    if len(found) < 2 or not _CERTIFICATE.search(text):
        return None
    labels = [_belongs_to(f, text) for f in found]
    certificate = next((f for f, label in zip(found, labels) if label == "certificate"), None)
    letter = next((f for f, label in zip(found, labels) if label == "letter" and f is not certificate), None)
    certificate = certificate or next(f for f in found if f is not letter)
    letter = letter or next(f for f in found if f is not certificate)
    return {rule.inputs[0].name: letter, rule.inputs[1].name: certificate}


def read_input(rule_id: str, index: int, text: str, today: dt.date) -> Union[dt.date, DateQuestion, None]:
    """Return the date a form answer gives for one of a rule's inputs, a question back, or None if unreadable."""
    rule = RULES[rule_id]
    item = rule.inputs[index]
    chosen = _one(item, find_dates(text, today), today)
    if chosen is None:
        return None
    return question_about(rule, {item.name: chosen}, today) or chosen.date


def _belongs_to(date: FoundDate, text: str) -> Optional[str]:
    """Return "letter" or "certificate": the word just before the date ("certificate issued 3 March"), else after."""
    words = [(m.start(), m.end(), kind) for kind, pattern in (("letter", _LETTER), ("certificate", _CERTIFICATE))
             for m in pattern.finditer(text)]
    before = [(start, kind) for start, end, kind in words if end <= date.start]
    if before:
        return max(before)[1]
    after = [(start, kind) for start, _, kind in words if start >= date.start + len(date.text)]
    return min(after)[1] if after else None


def _one(item: Input, found: Sequence[FoundDate], today: dt.date) -> Optional[FoundDate]:
    """Return the date for one input: the first, or for a past event the first not after today."""
    if not found:
        return None
    if item.future_ok:
        return found[0]
    return next((f for f in found if f.date <= today), found[0])


def rule_for_choice(text: str) -> Optional[str]:
    """Return the rule id a parent picked, by id or label ("Draft plan received"), or None."""
    wanted = " ".join(text.lower().replace("-", " ").split())
    for rule in RULES.values():
        if wanted in (rule.id.replace("-", " "), rule.label.lower()):
            return rule.id
    return None


def is_date_input(rule_id: str) -> bool:
    """Return True if the rule's first fact is a date (otherwise it is a year)."""
    return RULES[rule_id].inputs[0].kind == DATE


def second_input(rule_id: str) -> Optional[str]:
    """Return the name of a rule's second fact, if it needs one (the mediation certificate date)."""
    inputs = RULES[rule_id].inputs
    return inputs[1].name if len(inputs) > 1 else None


def answers_for(rule_id: str, first: Any, second: Any = None) -> Dict[str, Any]:
    """Return the answers mapping for a rule from the form's one or two values."""
    inputs = RULES[rule_id].inputs
    values: List[Any] = [first, second]
    return {item.name: values[i] for i, item in enumerate(inputs)}
