"""The notifier end to end: a real SMTP server (STARTTLS and a login) and the fake Bot API for the group."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Callable, Optional

import pytest

from bot.notify.mail import Mailer
from bot.notify.rota import Preference
from bot.notify.telegram_group import TelegramGroup
from bot.notify.worker import Notifier
from bot.store.escalations import EscalationRepository
from bot.store.models import utcnow
from bot.store.notices import GROUP, NoticeRepository
from bot.store.volunteers import VolunteerRepository
from tests.helpers.fake_telegram import TOKEN, FakeTelegram
from tests.helpers.smtp import SmtpServer, free_port
from tests.notify.conftest import ALWAYS, PARENT_WORDS, add_volunteer, ask

pytestmark = pytest.mark.anyio
GROUP_ID = -1001234567890
REVIEW = "https://send.example.org/review"


def notifier(notices: NoticeRepository, volunteers: VolunteerRepository, smtp: Optional[SmtpServer],
             telegram: Optional[FakeTelegram], clock: Callable[[], dt.datetime] = utcnow, smtp_url: str = "",
             timeout: float = 5.0) -> Notifier:
    mailer = Mailer(smtp_url or smtp.url(), "volunteers@example.org", timeout, tls=smtp.client_tls()) if smtp else None
    group = TelegramGroup(TOKEN, GROUP_ID, telegram.base_url) if telegram else None
    return Notifier(notices=notices, volunteers=volunteers, topic_title=lambda t: f"Topic {t}", review_url=REVIEW,
                    mailer=mailer, group=group, clock=clock)


def group_texts(telegram: FakeTelegram) -> list:
    return [call.params["text"] for call in telegram.calls_to("sendMessage") if call.params.get("chat_id") == GROUP_ID]


async def test_a_question_gives_one_email_and_one_group_notice_without_its_text(
        notices: NoticeRepository, volunteers: VolunteerRepository, escalations: EscalationRepository,
        smtp: SmtpServer, telegram: FakeTelegram) -> None:
    add_volunteer(volunteers, notices, "Val")
    escalation = ask(escalations, "conv-secret-id", topic="mediation")
    worker = notifier(notices, volunteers, smtp, telegram)
    await worker.tick()
    [mail] = smtp.messages
    [group] = group_texts(telegram)
    assert mail["To"] == "val@example.org" and mail["Subject"] == f"SEND Navigator: question Q{escalation} is waiting"
    body = mail.get_content()
    for text in (body, group):
        assert f"Q{escalation}" in text and "Topic mediation" in text and "waiting" in text
        assert f"{REVIEW}/q/{escalation}" in text
        assert PARENT_WORDS not in text and "Oliver" not in text and "conv-secret-id" not in text
    assert mail["Message-ID"].startswith("<volunteer-notice-")
    await worker.tick()  # nothing new: nothing more
    assert len(smtp.messages) == 1 and len(group_texts(telegram)) == 1
    worker.close()


async def test_a_restart_after_a_crash_sends_no_second_notice(
        notices: NoticeRepository, volunteers: VolunteerRepository, escalations: EscalationRepository,
        smtp: SmtpServer, telegram: FakeTelegram) -> None:
    add_volunteer(volunteers, notices, "Val")
    ask(escalations, "c1")
    first = notifier(notices, volunteers, smtp, telegram)
    first.plan(utcnow())  # planned, then the process died before sending
    first.close()
    second = notifier(notices, volunteers, smtp, telegram)  # the restarted process
    await second.tick()
    await second.tick()
    third = notifier(notices, volunteers, smtp, telegram)  # and once more after it had sent
    await third.tick()
    assert len(smtp.messages) == 1 and len(group_texts(telegram)) == 1
    second.close()
    third.close()


async def test_off_duty_and_unopted_volunteers_hear_nothing(
        notices: NoticeRepository, volunteers: VolunteerRepository, escalations: EscalationRepository,
        smtp: SmtpServer, telegram: FakeTelegram) -> None:
    add_volunteer(volunteers, notices, "Nobody", Preference())  # never chose a channel
    add_volunteer(volunteers, notices, "Weekend", Preference(channel="both", days=frozenset({"sat"})))
    ask(escalations, "c1")
    monday_noon = lambda: dt.datetime(2026, 11, 30, 12, 0)  # noqa: E731
    worker = notifier(notices, volunteers, smtp, telegram, clock=monday_noon)
    await worker.tick()
    assert smtp.messages == [] and group_texts(telegram) == []
    worker.close()


async def test_a_failing_smtp_server_delays_nothing_else(
        notices: NoticeRepository, volunteers: VolunteerRepository, escalations: EscalationRepository,
        telegram: FakeTelegram, smtp: SmtpServer) -> None:
    add_volunteer(volunteers, notices, "Val")
    ask(escalations, "c1")
    # A port that accepts connections and never answers: the worst kind of broken server.
    import socket
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    url = f"smtp://u:p@127.0.0.1:{silent.getsockname()[1]}"
    worker = notifier(notices, volunteers, smtp, telegram, smtp_url=url, timeout=1.0)
    started = time.monotonic()
    tick = asyncio.ensure_future(worker.tick())
    await telegram.wait_for(lambda: group_texts(telegram), timeout=5)
    group_after = time.monotonic() - started
    await tick
    assert group_after < 1.0  # the group notice did not wait for the SMTP timeout
    [email_notice] = notices.sent_to("volunteer:1")
    assert email_notice.sent_at is None and email_notice.error in ("SMTPServerDisconnected", "timeout", "TimeoutError")
    assert email_notice.next_try_at > utcnow()  # retried later, with a back-off
    silent.close()
    worker.close()


async def test_a_wrong_password_is_an_error_not_a_leak(
        notices: NoticeRepository, volunteers: VolunteerRepository, escalations: EscalationRepository,
        smtp: SmtpServer, caplog: pytest.LogCaptureFixture) -> None:
    add_volunteer(volunteers, notices, "Val")
    ask(escalations, "c1")
    worker = notifier(notices, volunteers, smtp, None, smtp_url=smtp.url(password="wrong-password-xyz"))
    await worker.tick()
    assert smtp.messages == []
    assert "wrong-password-xyz" not in caplog.text and "SMTPAuthenticationError" in caplog.text
    worker.close()


async def test_a_burst_of_500_gives_one_notice_per_recipient_per_interval(
        notices: NoticeRepository, volunteers: VolunteerRepository, escalations: EscalationRepository,
        smtp: SmtpServer, telegram: FakeTelegram) -> None:
    for name in ("Val", "Sam", "Cora"):
        add_volunteer(volunteers, notices, name)
    now = [dt.datetime(2026, 11, 30, 12, 0)]
    worker = notifier(notices, volunteers, smtp, telegram, clock=lambda: now[0])
    ask(escalations, "burst-0")
    await worker.tick()
    for i in range(1, 500):  # the rest arrive during the same minute, with ticks in between
        ask(escalations, f"burst-{i}")
        if i % 100 == 0:
            await worker.tick()
    now[0] += dt.timedelta(minutes=5)
    await worker.tick()
    assert len(smtp.messages) == 3 and len(group_texts(telegram)) == 1  # one each, not 500
    now[0] += dt.timedelta(minutes=15)  # the interval has passed: one digest each for the other 499
    await worker.tick()
    assert len(smtp.messages) == 6 and len(group_texts(telegram)) == 2
    digest = smtp.messages[-1]
    assert digest["Subject"] == "SEND Navigator: 499 questions are waiting" and "and 489 more" in digest.get_content()
    told = sorted(i for n in notices.sent_to(GROUP) for i in n.escalation_ids)
    assert len(told) == len(set(told)) == 500
    worker.close()
