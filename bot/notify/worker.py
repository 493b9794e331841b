"""The notifier: one process (`python -m bot.notify`) that tells volunteers about waiting questions.

Every few seconds it
1. plans notices (bot/store/notices.py): for each volunteer on duty and out
   of quiet hours who chose email, and for the volunteers' Telegram group if
   any such volunteer chose Telegram, one notice covering the questions that
   arrived since their last one, at most once per interval;
2. runs the promise check (bot/notify/promise.py, when given one);
3. sends every due notice concurrently. Email goes through its own small
   thread pool with a timeout, so a slow or failing SMTP server holds up
   only email notices, and only until their timeout; a failed notice is
   retried later with a back-off.

It runs apart from the parents' channels: a question is stored by the action
server and the parent's reply never waits for any of this.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Protocol, Tuple
from zoneinfo import ZoneInfo

from bot.notify import compose
from bot.notify.mail import Mailer, MailError
from bot.notify.rota import on_duty
from bot.notify.telegram_group import GroupError, TelegramGroup
from bot.store.models import utcnow
from bot.store.notices import GROUP, NEW, Notice, NoticeRepository, Recipient, volunteer_recipient
from bot.store.volunteers import VolunteerRepository

log = logging.getLogger(__name__)

UK = ZoneInfo("Europe/London")
POLL_SECONDS = 10.0
PRUNE_EVERY = dt.timedelta(hours=1)
MAIL_THREADS = 4


class PromiseCheck(Protocol):
    """Part of a tick that keeps the reply-time promise (bot/notify/promise.py)."""

    def check(self, now: dt.datetime) -> None:
        """Queue what the promise calls for at this time."""

    def overdue_text(self, notice: Notice, now: dt.datetime) -> Optional[compose.NoticeText]:
        """Return a coordinator reminder's text, or None if none of its questions is still waiting."""


def local_time(now: dt.datetime) -> dt.datetime:
    """Return a naive UTC time as UK local time."""
    return now.replace(tzinfo=dt.timezone.utc).astimezone(UK)


@dataclass
class Notifier:
    """Plan and send volunteer notices; `tick` does one round."""

    notices: NoticeRepository
    volunteers: VolunteerRepository
    topic_title: Callable[[Optional[str]], str]
    review_url: str
    interval: dt.timedelta = dt.timedelta(minutes=15)
    mailer: Optional[Mailer] = None
    group: Optional[TelegramGroup] = None
    promise: Optional[PromiseCheck] = None
    clock: Callable[[], dt.datetime] = utcnow
    pruned_at: Optional[dt.datetime] = None
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(MAIL_THREADS, "smtp"))

    def recipients(self, now: dt.datetime) -> List[Recipient]:
        """Return who should hear about new questions now: on duty, out of quiet hours, on a channel we have."""
        local = local_time(now)
        on = {vid: pref for vid, (_email, pref) in self.notices.active_preferences().items() if on_duty(pref, local)}
        found = [Recipient(volunteer_recipient(vid), "email", vid)
                 for vid, pref in sorted(on.items()) if pref.wants("email") and self.mailer]
        if self.group is not None and any(pref.wants("telegram") for pref in on.values()):
            found.append(Recipient(GROUP, "telegram"))
        return found

    def plan(self, now: dt.datetime) -> List[int]:
        """Write the notices due now (blocking: run in a thread)."""
        return self.notices.plan(self.recipients(now), self.interval, now)

    async def tick(self) -> None:
        """Plan, check the promise, and send what is due; a failure in one step never stops the next."""
        now = self.clock()
        steps: List[Tuple[str, Callable[[], object]]] = [("plan", lambda: self.plan(now))]
        if self.promise is not None:
            promise = self.promise
            steps.append(("promise", lambda: promise.check(now)))
        if self.pruned_at is None or now - self.pruned_at >= PRUNE_EVERY:
            self.pruned_at = now
            steps.append(("prune", lambda: self.notices.prune(now)))
        for name, step in steps:
            try:
                await asyncio.to_thread(step)
            except Exception as exc:  # noqa: BLE001 - the next tick tries again
                log.error("notifier %s failed: %s", name, type(exc).__name__)
        await self.send_due(now)

    async def send_due(self, now: dt.datetime) -> None:
        """Send every due notice at once, each on its own."""
        try:
            due = await asyncio.to_thread(self.notices.due, now)
        except Exception as exc:  # noqa: BLE001 - database down: the next tick tries again
            log.error("notifier could not read its outbox: %s", type(exc).__name__)
            return
        await asyncio.gather(*(self.send_one(notice) for notice in due))

    def text_for(self, notice: Notice, now: dt.datetime) -> Optional[compose.NoticeText]:
        """Return a notice's words, or None if every question in it has been claimed or withdrawn meanwhile."""
        if notice.kind != NEW:
            return self.promise.overdue_text(notice, now) if self.promise is not None else None
        rows = self.notices.waiting_details(notice.escalation_ids)
        if not rows:
            return None
        items = compose.waiting_items(rows, self.topic_title, now)
        dashboard = f"{self.review_url}/q/{rows[0][0]}" if len(rows) == 1 else f"{self.review_url}/"
        return compose.new_questions(items, dashboard, f"{self.review_url}/notifications")

    def email_for(self, notice: Notice) -> Optional[str]:
        """Return the address of an email notice's volunteer, or None if the account is gone or inactive."""
        volunteer_id = int(notice.recipient.partition(":")[2] or 0)
        volunteer = self.volunteers.get(volunteer_id)
        return str(volunteer.email) if volunteer is not None and volunteer.active else None

    async def send_one(self, notice: Notice) -> None:
        """Lease, build, send and mark one notice; on failure release it for a later try."""
        try:
            if not await asyncio.to_thread(self.notices.lease, notice.id, self.clock()):
                return  # another notifier has it, or it went meanwhile
            text = await asyncio.to_thread(self.text_for, notice, self.clock())
            if text is not None:
                await self.deliver(notice, text)
        except (MailError, GroupError, asyncio.TimeoutError) as exc:
            reason = _reason(exc)
            log.warning("volunteer notice %d not sent yet: %s", notice.id, reason)
            await asyncio.to_thread(self.notices.fail, notice.id, reason, self.clock())
            return
        except Exception as exc:  # noqa: BLE001 - e.g. the database went away; the lease expires and it is retried
            log.error("volunteer notice %d failed: %s", notice.id, type(exc).__name__)
            return
        await asyncio.to_thread(self.notices.mark_sent, notice.id)
        log.info("volunteer notice %d sent by %s", notice.id, notice.channel)

    async def deliver(self, notice: Notice, text: compose.NoticeText) -> None:
        """Send a notice's text on its channel (a channel no longer configured drops it)."""
        if notice.channel == "email" and self.mailer is not None:
            address = await asyncio.to_thread(self.email_for, notice)
            if address is None:
                return
            mailer = self.mailer
            loop = asyncio.get_running_loop()
            send = loop.run_in_executor(self.pool, mailer.send, notice.id, address, text)
            await asyncio.wait_for(send, timeout=mailer.timeout * 3)  # connect, STARTTLS and send each time out
        elif notice.channel == "telegram" and self.group is not None:
            await self.group.send(text)

    async def run(self, poll_seconds: float = POLL_SECONDS) -> None:
        """Tick until cancelled."""
        while True:
            await self.tick()
            await asyncio.sleep(poll_seconds)

    def close(self) -> None:
        """Stop the email threads without waiting for a hung server."""
        self.pool.shutdown(wait=False, cancel_futures=True)


def _reason(exc: BaseException) -> str:
    """Return why a send failed: the underlying error's type name (MailError and GroupError carry only that)."""
    return str(exc) if isinstance(exc, (MailError, GroupError)) and str(exc) else type(exc).__name__
