"""Which reminder notice is due when, what a ⏰ payload may hold, and deadline labels cover every rule."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from bot.channels.telegram_payloads import DeadlineRef, future_deadline, handoff_ids, letters
from bot.deadlines.labels import known_deadlines, load_deadline_labels
from bot.settings import PROJECT_ROOT
from bot.store.reminders import DAY_BEFORE, ON_THE_DAY, WEEK_BEFORE, notice_level

DUE = dt.date(2026, 5, 25)


@pytest.mark.parametrize("days_before, council, level", [
    (10, True, 0), (8, True, 0), (7, True, WEEK_BEFORE), (3, False, WEEK_BEFORE), (1, True, DAY_BEFORE),
    (1, False, DAY_BEFORE), (0, True, ON_THE_DAY), (0, False, DAY_BEFORE),
])
def test_notice_level(days_before: int, council: bool, level: int) -> None:
    assert notice_level(DUE, council, DUE - dt.timedelta(days=days_before)) == level


def test_every_deadline_has_a_label_and_council_deadlines_a_check() -> None:
    labels = load_deadline_labels(PROJECT_ROOT / "knowledge")
    for rule, deadline in known_deadlines().items():
        name = labels.get(rule)
        assert name is not None and (name.check is not None) == (deadline.who == "council"), rule


@pytest.mark.parametrize("raw, expected", [
    ({"rule": "assessment-final-plan", "due": "2026-05-25"}, DeadlineRef("assessment-final-plan", DUE)),
    ({"rule": "assessment-final-plan", "due": "2026-04-01"}, None),  # already passed
    ({"rule": "made-up", "due": "2026-05-25"}, None),
    ({"rule": "assessment-final-plan", "due": "25 May 2026"}, None),
    ("assessment-final-plan", None),
])
def test_future_deadline(raw, expected) -> None:
    assert future_deadline({"deadline": raw}, dt.date(2026, 5, 1)) == expected


def test_deadline_ref_round_trips() -> None:
    ref = DeadlineRef("appeal-deadline", DUE)
    assert DeadlineRef.decode(ref.encode()) == ref
    assert DeadlineRef.decode("appeal-deadline|not-a-date") is None


def test_handoffs_and_letters_are_checked() -> None:
    replies = [
        {"custom": {"type": "handoff", "escalation_id": 3}}, {"custom": {"type": "handoff", "escalation_id": True}},
        {"custom": {"type": "handoff"}}, {"custom": {"type": "handoff", "escalation_id": "4"}},
        {"custom": {"type": "letter", "template": "ok-1", "docx_base64": base64.b64encode(b"doc").decode()}},
        {"custom": {"type": "letter", "template": "../evil", "docx_base64": base64.b64encode(b"doc").decode()}},
        {"custom": {"type": "letter", "template": "bad-b64", "docx_base64": "***"}},
    ]
    assert handoff_ids(replies) == [3]
    assert [(letter.filename, letter.data) for letter in letters(replies)] == [("ok-1.docx", b"doc")]
