"""The promise clock counts working hours: 09:00-17:00 UK time, Monday to Friday, England's bank holidays off."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.notify.promise_clock import add_working_time, promise_due, reminder_level

H = dt.timedelta(hours=1)


@pytest.mark.parametrize("created, hours, due", [
    # Monday 30 November 2026, 10:00 GMT (= UTC in winter): 16 working hours = 2 working days -> Wednesday 10:00.
    (dt.datetime(2026, 11, 30, 10, 0), 16, dt.datetime(2026, 12, 2, 10, 0)),
    # Friday 20:00: counting starts Monday 09:00, so due Tuesday 17:00.
    (dt.datetime(2026, 12, 4, 20, 0), 16, dt.datetime(2026, 12, 8, 17, 0)),
    # Saturday: the same.
    (dt.datetime(2026, 12, 5, 12, 0), 8, dt.datetime(2026, 12, 7, 17, 0)),
    # Christmas: Thu 24 Dec 16:00 + 2 h -> Fri 25 and Mon 28 (Boxing Day substitute) are bank holidays -> Tue 29, 10:00.
    (dt.datetime(2026, 12, 24, 16, 0), 2, dt.datetime(2026, 12, 29, 10, 0)),
    # Good Friday 2027 is 26 March, Easter Monday 29 March: Thu 25 March 15:00 + 4 h -> Tue 30 March 11:00 (BST = UTC+1).
    (dt.datetime(2027, 3, 25, 15, 0), 4, dt.datetime(2027, 3, 30, 10, 0)),
    # Summer time: Monday 1 June 2026 08:30 UTC is 09:30 BST; + 1 h -> 10:30 BST = 09:30 UTC.
    (dt.datetime(2026, 6, 1, 8, 30), 1, dt.datetime(2026, 6, 1, 9, 30)),
    # Exactly at closing: counting starts next working morning.
    (dt.datetime(2026, 11, 30, 17, 0), 1, dt.datetime(2026, 12, 1, 10, 0)),
])
def test_promise_due(created: dt.datetime, hours: int, due: dt.datetime) -> None:
    assert promise_due(created, hours) == due


def test_zero_time_from_a_working_moment_is_that_moment() -> None:
    moment = dt.datetime(2026, 11, 30, 11, 0)
    assert add_working_time(moment, dt.timedelta(0)) == moment


@pytest.mark.parametrize("now, level", [
    (dt.datetime(2026, 12, 2, 9, 59), 0),
    (dt.datetime(2026, 12, 2, 10, 0), 1),  # the promise: 16 working hours
    (dt.datetime(2026, 12, 3, 10, 0), 2),  # + 8 working hours
    (dt.datetime(2026, 12, 4, 10, 0), 3),  # + 16 working hours
    (dt.datetime(2026, 12, 20, 10, 0), 3),  # and no further
])
def test_reminders_escalate_every_half_promise(now: dt.datetime, level: int) -> None:
    assert reminder_level(dt.datetime(2026, 11, 30, 10, 0), 16, now) == level
