"""Keep the reply-time promise: tell the parent kindly when it is missed, and remind coordinators, escalating.

The escalation offer tells a parent a volunteer usually replies within the
promised time (SEND_NAV_REPLY_PROMISE_HOURS working hours, bot/notify/
promise_clock.py). Each notifier tick, for every question still waiting or
claimed without an approved answer:
* once the promise has passed, the parent is sent, once, a kind message
  with IASK and IPSEA (and the crisis contacts first if the conversation
  showed risk). The question stays in the queue;
* coordinators get a reminder at the promise, a second half a promise later
  and an urgent one a whole promise later (kinds overdue-1..3), by the
  channel they chose, outside their quiet hours but whatever their rota;
  with no coordinator signed up, the volunteers' group gets them. Each
  level of each question is told to each recipient at most once, and at
  most once per interval as a digest.
The parent's message is queued in parent_notices; the channels deliver it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, List, Optional

from bot.notify import compose
from bot.notify.promise_clock import LEVELS, promise_words, reminder_level
from bot.notify.rota import in_window, Preference
from bot.store.escalations import WAITING
from bot.store.notices import GROUP, Notice, NoticeRepository, Recipient, volunteer_recipient
from bot.store.parent_notices import ParentNoticeRepository

OVERDUE_KINDS = ("overdue", "overdue-risk")
__all__ = ["OVERDUE_KINDS", "Promise", "overdue_kind", "promise_words", "quiet"]


def overdue_kind(level: int) -> str:
    """Return the notice kind of a coordinators' reminder level."""
    return f"overdue-{level}"


def quiet(preference: Preference, local: dt.datetime) -> bool:
    """Return True inside a volunteer's quiet hours."""
    if preference.quiet_from is None or preference.quiet_until is None:
        return False
    return in_window(local.hour * 60 + local.minute, preference.quiet_from, preference.quiet_until)


@dataclass
class Promise:
    """The promise check the notifier runs each tick."""

    notices: NoticeRepository
    parents: ParentNoticeRepository
    hours: int
    topic_title: Callable[[Optional[str]], str]
    review_url: str
    interval: dt.timedelta
    email: bool = False  # an SMTP server is set up
    group: bool = False  # a volunteers' group is set up

    def coordinators(self, now: dt.datetime) -> List[Recipient]:
        """Return who gets reminders now: coordinators by their channel, else the volunteers' group."""
        from bot.notify.worker import local_time

        local = local_time(now)
        prefs = {vid: p for vid, p in self.notices.coordinator_preferences().items() if not quiet(p, local)}
        found = [Recipient(volunteer_recipient(vid), "email", vid) for vid, p in sorted(prefs.items())
                 if p.wants("email") and self.email]
        if self.group and (any(p.wants("telegram") for p in prefs.values()) or not found):
            found.append(Recipient(GROUP, "telegram"))
        return found

    def check(self, now: dt.datetime) -> None:
        """Queue the parents' messages and the coordinators' reminders due at this time."""
        open_questions = self.notices.unanswered()
        levels = {row[0]: reminder_level(row[4], self.hours, now) for row in open_questions}
        told = self.parents.told(OVERDUE_KINDS)
        for escalation_id, conversation_id, channel, risk, _created in open_questions:
            if levels[escalation_id] >= 1 and escalation_id not in told:
                self.parents.add(escalation_id, conversation_id, channel, "overdue-risk" if risk else "overdue")
        recipients = self.coordinators(now)
        for level in range(1, LEVELS + 1):
            ids = [i for i, reached in levels.items() if reached >= level]
            if ids and recipients:
                self.notices.plan(recipients, self.interval, now, kind=overdue_kind(level), listed=ids)

    def overdue_text(self, notice: Notice, now: dt.datetime) -> Optional[compose.NoticeText]:
        """Return a reminder's words, or None if every question in it has been answered or withdrawn."""
        rows = self.notices.waiting_details(notice.escalation_ids, WAITING + ("claimed",))
        if not rows:
            return None
        level = int(str(notice.kind).rpartition("-")[2] or 1)
        items = compose.waiting_items(rows, self.topic_title, now)
        return compose.overdue(items, level, promise_words(self.hours), f"{self.review_url}/")
