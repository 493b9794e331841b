"""The notices outbox: planning per recipient and interval, no duplicates, leases, back-off, pruning."""

from __future__ import annotations

import datetime as dt

from bot.store.escalations import EscalationRepository
from bot.store.models import utcnow
from bot.store.notices import GROUP, Notice, NoticeRepository, Recipient
from tests.notify.conftest import ask

T0 = dt.datetime(2026, 11, 30, 10, 0)
MINUTES_15 = dt.timedelta(minutes=15)
VAL, GROUP_RECIPIENT = Recipient("volunteer:1", "email", 1), Recipient(GROUP, "telegram")


def test_first_question_is_told_at_once_then_a_digest_after_the_interval(
        notices: NoticeRepository, escalations: EscalationRepository) -> None:
    first = ask(escalations, "c1")
    assert len(notices.plan([VAL, GROUP_RECIPIENT], MINUTES_15, T0)) == 2
    later = [ask(escalations, f"c{i}") for i in range(2, 6)]
    assert notices.plan([VAL, GROUP_RECIPIENT], MINUTES_15, T0 + dt.timedelta(minutes=14)) == []  # within the interval
    assert len(notices.plan([VAL, GROUP_RECIPIENT], MINUTES_15, T0 + MINUTES_15)) == 2
    sent = notices.sent_to(VAL.name)
    assert [n.escalation_ids for n in sent] == [[first], later]  # every question told once, none twice


def test_nothing_new_plans_nothing(notices: NoticeRepository, escalations: EscalationRepository) -> None:
    ask(escalations, "c1")
    notices.plan([VAL], MINUTES_15, T0)
    assert notices.plan([VAL], MINUTES_15, T0 + dt.timedelta(hours=1)) == []


def test_claimed_questions_are_not_announced(notices: NoticeRepository, escalations: EscalationRepository,
                                             volunteers) -> None:
    volunteer = volunteers.add("v@example.org", "V", "volunteer", "h")
    escalations.claim(ask(escalations, "c1"), volunteer)
    assert notices.plan([VAL], MINUTES_15, T0) == []


def test_planning_twice_at_the_same_moment_makes_one_notice(
        notices: NoticeRepository, escalations: EscalationRepository) -> None:
    ask(escalations, "c1")
    # Two notifiers (or a re-run after a crash) racing: the unique key keeps one row.
    other = NoticeRepository(notices.sessions)
    assert len(notices.plan([VAL], dt.timedelta(0), T0)) == 1
    assert other.plan([VAL], dt.timedelta(0), T0) == []
    assert len(notices.sent_to(VAL.name)) == 1


def test_a_lease_is_taken_once_and_a_sent_notice_never_comes_back(
        notices: NoticeRepository, escalations: EscalationRepository) -> None:
    ask(escalations, "c1")
    [notice_id] = notices.plan([VAL], MINUTES_15, T0)
    assert [n.id for n in notices.due(T0)] == [notice_id]
    assert notices.lease(notice_id, T0)
    assert not notices.lease(notice_id, T0)  # a second notifier cannot take it
    assert notices.due(T0) == []
    assert notices.mark_sent(notice_id) and not notices.mark_sent(notice_id)
    assert not notices.lease(notice_id, T0 + dt.timedelta(hours=1))
    assert notices.due(T0 + dt.timedelta(hours=1)) == []


def test_an_abandoned_lease_is_taken_again_after_it_expires(
        notices: NoticeRepository, escalations: EscalationRepository) -> None:
    ask(escalations, "c1")
    [notice_id] = notices.plan([VAL], MINUTES_15, T0)
    assert notices.lease(notice_id, T0)  # then the notifier died before sending
    assert notices.due(T0 + dt.timedelta(minutes=1)) == []
    assert [n.id for n in notices.due(T0 + dt.timedelta(minutes=3))] == [notice_id]


def test_a_failed_send_backs_off_and_keeps_only_the_error_type(
        notices: NoticeRepository, escalations: EscalationRepository) -> None:
    ask(escalations, "c1")
    [notice_id] = notices.plan([VAL], MINUTES_15, T0)
    waits = []
    now = T0
    for _ in range(4):
        assert notices.lease(notice_id, now)
        notices.fail(notice_id, "SMTPAuthenticationError", now)
        [row] = notices.sent_to(VAL.name)
        waits.append(row.next_try_at - now)
        assert row.error == "SMTPAuthenticationError" and row.lease_until is None
        now = row.next_try_at
    assert waits == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]


def test_prune_keeps_each_recipients_place(notices: NoticeRepository, escalations: EscalationRepository) -> None:
    for i in range(3):
        ask(escalations, f"c{i}")
        [notice_id] = notices.plan([VAL], dt.timedelta(0), T0 + dt.timedelta(minutes=i))
        notices.mark_sent(notice_id)
    assert notices.prune(utcnow() + dt.timedelta(days=8)) == 2
    [kept] = notices.sent_to(VAL.name)
    assert isinstance(kept, Notice) and len(kept.escalation_ids) == 1
    assert notices.plan([VAL], dt.timedelta(0), T0 + dt.timedelta(days=9)) == []  # nothing told twice after a prune
