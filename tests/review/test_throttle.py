"""The login throttle: delays that grow per key, and known clients counted apart from strangers."""

from __future__ import annotations

from typing import List, Optional, Tuple

import pytest

from bot.review.throttle import LoginLimits, LoginThrottle

LIMITS = LoginLimits(per_account=2, per_ip=3, per_known=2, first_delay=10.0, max_delay=40.0, window=600.0)
EMAIL, HOME, OTHER = "val@example.org", "198.51.100.7", "203.0.113.9"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def throttle(clock: Clock) -> LoginThrottle:
    return LoginThrottle(LIMITS, clock=clock)


def fail(throttle: LoginThrottle, times: int, email: str = EMAIL, ip: str = OTHER, device: Optional[str] = None) -> None:
    for _ in range(times):
        throttle.failed(email, ip, device)


@pytest.mark.parametrize("failures,expected", [
    (1, None),   # within the free allowance
    (2, 10.0),   # the allowance is used up: the first delay
    (3, 20.0),   # each further failure doubles it
    (4, 40.0),
    (6, 40.0),   # up to the cap
])
def test_delays_grow_after_the_free_failures_and_stop_at_the_cap(throttle, failures: int, expected):
    fail(throttle, failures)
    assert throttle.retry_after(EMAIL, "192.0.2.1") == expected


def test_the_wait_runs_from_the_last_failure_and_failures_are_forgotten_after_the_window(throttle, clock):
    fail(throttle, 2)
    clock.now += 4
    assert throttle.retry_after(EMAIL, OTHER) == pytest.approx(6.0)
    clock.now += 6
    assert throttle.retry_after(EMAIL, OTHER) is None
    clock.now += LIMITS.window
    fail(throttle, 1)
    assert throttle.retry_after(EMAIL, OTHER) is None  # the old failures no longer count


def test_the_email_is_counted_however_it_is_typed(throttle):
    fail(throttle, 1, email=" VAL@example.org ")
    fail(throttle, 1, email="val@EXAMPLE.org")
    assert throttle.retry_after(EMAIL, OTHER) is not None


def test_an_address_is_delayed_across_emails(throttle):
    for n in range(3):
        throttle.failed(f"person{n}@example.org", OTHER)
    assert throttle.retry_after("someone-else@example.org", OTHER) is not None
    assert throttle.retry_after("someone-else@example.org", "192.0.2.1") is None


@pytest.mark.parametrize("known", [("device", "nonce-1"), ("address", None)])
def test_strangers_failures_never_delay_a_known_client(throttle, known: Tuple[str, Optional[str]]):
    kind, device = known
    throttle.succeeded(EMAIL, HOME, device)
    fail(throttle, 50)  # an attacker elsewhere, 50 times
    assert throttle.retry_after(EMAIL, OTHER) is not None  # the attacker waits
    assert throttle.retry_after(EMAIL, "192.0.2.44") is not None  # so does any other unknown client
    ip = HOME if kind == "address" else "192.0.2.77"  # a known device may be anywhere
    assert throttle.retry_after(EMAIL, ip, device) is None
    assert throttle.is_known(EMAIL, HOME)


def test_a_known_client_that_keeps_failing_is_delayed_too(throttle):
    throttle.succeeded(EMAIL, HOME, "nonce-1")
    fail(throttle, 2, ip="192.0.2.77", device="nonce-1")
    assert throttle.retry_after(EMAIL, "192.0.2.77", "nonce-1") == 10.0
    assert throttle.retry_after(EMAIL, HOME) is None  # the known address is its own key
    throttle.succeeded(EMAIL, "192.0.2.77", "nonce-1")
    assert throttle.retry_after(EMAIL, "192.0.2.77", "nonce-1") is None


def test_memory_is_swept_of_old_keys(clock):
    throttle = LoginThrottle(LIMITS, clock=clock, sweep_every=10)
    emails: List[str] = [f"x{n}@example.org" for n in range(9)]
    for email in emails:
        throttle.failed(email, OTHER)
    clock.now += LIMITS.window + 1
    throttle.failed("last@example.org", OTHER)
    assert set(throttle._fails) == {"account:last@example.org", f"ip:{OTHER}"}
