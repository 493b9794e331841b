"""Keeping the promise: the parent hears a volunteer is looking, and kindly when it takes too long; coordinators are reminded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.knowledge.messages import load_messages
from bot.notify.mail import Mailer
from bot.notify.promise import Promise
from bot.notify.rota import Preference
from bot.notify.telegram_group import TelegramGroup
from bot.notify.worker import Notifier
from bot.settings import PROJECT_ROOT
from bot.store.escalations import EscalationRepository
from bot.store.notices import GROUP, NoticeRepository
from bot.store.parent_notices import ParentNoticeRepository
from bot.store.volunteers import VolunteerRepository
from tests.helpers.fake_telegram import TOKEN, FakeTelegram
from tests.helpers.smtp import SmtpServer
from tests.notify.conftest import ALWAYS, PARENT_WORDS, add_volunteer, ask

pytestmark = pytest.mark.anyio
ASKED = dt.datetime(2026, 11, 30, 10, 0)  # Monday 10:00 GMT: 16 working hours -> due Wednesday 10:00
DUE = dt.datetime(2026, 12, 2, 10, 0)
GROUP_ID = -100777


def reminders(smtp: SmtpServer) -> list:
    """Return the coordinator reminders among the emails (the new-question notice is there too)."""
    return [m for m in smtp.messages if "past the" in str(m["Subject"])]


def make(notices: NoticeRepository, parents: ParentNoticeRepository, volunteers: VolunteerRepository,
         smtp: SmtpServer, telegram: FakeTelegram, now: list) -> Notifier:
    promise = Promise(notices=notices, parents=parents, hours=16, topic_title=lambda t: f"Topic {t}",
                      review_url="https://x.example/review", interval=dt.timedelta(minutes=15), email=True, group=True)
    return Notifier(notices=notices, volunteers=volunteers, topic_title=lambda t: f"Topic {t}",
                    review_url="https://x.example/review", mailer=Mailer(smtp.url(), "v@example.org", 5, smtp.client_tls()),
                    group=TelegramGroup(TOKEN, GROUP_ID, telegram.base_url), promise=promise, clock=lambda: now[0])


@pytest.fixture
def parents(notices: NoticeRepository) -> ParentNoticeRepository:
    return ParentNoticeRepository(notices.sessions)


def test_the_first_claim_tells_the_parent_once(escalations: EscalationRepository, parents: ParentNoticeRepository,
                                               volunteers: VolunteerRepository) -> None:
    val = volunteers.add("val@example.org", "Val", "volunteer", "h")
    question = ask(escalations, "c1", channel="telegram")
    escalations.claim(question, val)
    escalations.give_back(question, val, "not my area")
    escalations.claim(question, val)
    assert parents.kinds_for(question) == ["claimed"]
    [notice] = parents.pending("telegram")
    assert notice.conversation_id == "c1"
    assert escalations.erase_conversation("c1") and parents.pending("telegram") == []


async def test_past_the_promise_the_parent_is_told_and_coordinators_reminded(
        notices: NoticeRepository, parents: ParentNoticeRepository, volunteers: VolunteerRepository,
        escalations: EscalationRepository, smtp: SmtpServer, telegram: FakeTelegram) -> None:
    add_volunteer(volunteers, notices, "Cora", Preference(channel="email", quiet_from=22 * 60, quiet_until=7 * 60),
                  role="coordinator")
    add_volunteer(volunteers, notices, "Val", Preference(channel="none"))
    question = ask(escalations, "c1", when=ASKED)
    escalations._move(question, ("open",), created_at=ASKED)  # asked on Monday morning
    now = [DUE - dt.timedelta(minutes=1)]
    worker = make(notices, parents, volunteers, smtp, telegram, now)
    await worker.tick()
    assert parents.kinds_for(question) == [] and reminders(smtp) == []  # not yet due
    now[0] = DUE
    await worker.tick()
    await worker.tick()
    assert parents.kinds_for(question) == ["overdue"]  # once, however many ticks
    [reminder] = reminders(smtp)
    assert reminder["To"] == "cora@example.org" and "Reminder: 1 question past the 2 working days promise" in reminder["Subject"]
    assert f"Q{question}" in reminder.get_content() and PARENT_WORDS not in reminder.get_content()
    assert escalations.get(question).state == "open"  # the question stays in the queue
    now[0] = dt.datetime(2026, 12, 2, 22, 30)  # level 2 is due at Thursday 10:00; quiet hours now anyway
    await worker.tick()
    assert len(reminders(smtp)) == 1
    now[0] = dt.datetime(2026, 12, 3, 10, 0)
    await worker.tick()
    now[0] = dt.datetime(2026, 12, 4, 10, 0)
    await worker.tick()
    subjects = [m["Subject"] for m in reminders(smtp)]
    assert [s.split(":")[0] for s in subjects] == ["SEND Navigator – Reminder", "SEND Navigator – Second reminder",
                                                   "SEND Navigator – Urgent"]
    now[0] = dt.datetime(2026, 12, 9, 10, 0)
    await worker.tick()
    assert len(reminders(smtp)) == 3  # three levels, then no more
    worker.close()


async def test_with_no_coordinator_signed_up_the_group_is_reminded(
        notices: NoticeRepository, parents: ParentNoticeRepository, volunteers: VolunteerRepository,
        escalations: EscalationRepository, smtp: SmtpServer, telegram: FakeTelegram) -> None:
    question = ask(escalations, "c1", when=ASKED)
    escalations._move(question, ("open",), created_at=ASKED, risk=True)
    now = [DUE]
    worker = make(notices, parents, volunteers, smtp, telegram, now)
    await worker.tick()
    texts = [c.params["text"] for c in telegram.calls_to("sendMessage") if c.params.get("chat_id") == GROUP_ID]
    assert len(texts) == 1 and f"Q{question}" in texts[0] and PARENT_WORDS not in texts[0]
    assert parents.kinds_for(question) == ["overdue-risk"]
    assert notices.sent_to(GROUP)[0].kind == "overdue-1"
    worker.close()


async def test_an_answered_question_gets_no_reminder(
        notices: NoticeRepository, parents: ParentNoticeRepository, volunteers: VolunteerRepository,
        escalations: EscalationRepository, smtp: SmtpServer, telegram: FakeTelegram) -> None:
    add_volunteer(volunteers, notices, "Cora", ALWAYS, role="coordinator")
    val = volunteers.add("val@example.org", "Val", "volunteer", "h")
    question = ask(escalations, "c1", when=ASKED)
    escalations._move(question, ("open",), created_at=ASKED)
    escalations.claim(question, val)
    escalations.answer(question, val, "Here is what to do.")
    now = [DUE + dt.timedelta(days=3)]
    worker = make(notices, parents, volunteers, smtp, telegram, now)
    await worker.tick()
    assert parents.kinds_for(question) == ["claimed"]
    assert notices.sent_to("volunteer:1") == [] or all(n.kind == "new" for n in notices.sent_to("volunteer:1"))
    assert not any("past the" in str(m["Subject"]) for m in smtp.messages)
    worker.close()


@pytest.mark.parametrize("kind, first, has", [
    ("claimed", "A volunteer is looking at your question (reference Q5)", ()),
    ("overdue", "I'm sorry: your question (reference Q5) has not been answered", ("IASK", "IPSEA")),
    ("overdue-risk", "If anyone is in danger now, please call 999", ("IASK", "IPSEA", "116 123")),
])
def test_the_parents_words_come_from_the_knowledge_base(kind: str, first: str, has: tuple) -> None:
    text = load_messages(PROJECT_ROOT / "knowledge").progress(kind, "Q5")
    assert text.startswith(first)
    assert all(name in text for name in has)
