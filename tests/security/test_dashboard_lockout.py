"""F6: strangers' failed logins slow the strangers, never the volunteer on a device or address they used before."""

from __future__ import annotations

from typing import List

from tests.helpers.dashboard import (  # noqa: F401  (fixtures)
    accounts, client_at, dashboard_app, dashboard_settings, hasher, project_kb, review, signed_in,
)
from tests.helpers.review import MOUNT, SECOND, VOLUNTEER, AuthActions

HOME = "198.51.100.7"
ATTACKERS = [f"203.0.113.{n}" for n in range(1, 51)]


def _attack(client_at, email: str = VOLUNTEER[0], addresses: List[str] = ATTACKERS) -> List[int]:
    """Send one wrong password for the account from each address, each a fresh browser; return the statuses."""
    return [AuthActions(client_at(address)).login((email, "", "", f"guess-{n}-guess")).status_code
            for n, address in enumerate(addresses)]


def test_f6_right_password_from_known_device_still_works(signed_in, client_at, hasher):
    val = signed_in(VOLUNTEER, address=HOME)  # logged in before: the browser now holds a device cookie
    val.logout()
    before = hasher.verifications
    statuses = _attack(client_at)
    assert statuses[:5] == [400] * 5 and set(statuses[5:]) == {429}  # the attacker is throttled...
    assert hasher.verifications - before == 5  # ...before any more passwords are checked
    travelling = AuthActions(client_at("192.0.2.99"))  # the same browser, somewhere new
    travelling.client.cookies = val.client.cookies
    assert travelling.login(VOLUNTEER).status_code == 303


def test_f6_right_password_from_a_previously_successful_address_still_works(signed_in, client_at):
    signed_in(VOLUNTEER, address=HOME)
    _attack(client_at)
    assert AuthActions(client_at(HOME)).login(VOLUNTEER).status_code == 303  # a fresh browser at the same address


def test_f6_the_attacker_stays_throttled_and_cannot_test_the_right_password(signed_in, client_at, hasher):
    signed_in(VOLUNTEER, address=HOME)
    _attack(client_at)
    before = hasher.verifications
    stranger = AuthActions(client_at("192.0.2.200")).login(VOLUNTEER)  # right password, unknown client
    assert stranger.status_code == 429 and int(stranger.headers["retry-after"]) > 0
    assert "snav_review=" not in stranger.headers.get("set-cookie", "") and hasher.verifications == before


def test_f6_a_known_device_that_keeps_failing_is_slowed_too(signed_in, client_at):
    val = signed_in(VOLUNTEER, address=HOME)
    val.logout()
    statuses = [val.login(VOLUNTEER, password=f"wrong-{n}-wrong").status_code for n in range(7)]
    assert statuses[:5] == [400] * 5 and statuses[5:] == [429, 429]
    assert AuthActions(client_at("192.0.2.50")).login(SECOND).status_code == 303  # nobody else is affected


def test_f6_a_device_cookie_helps_only_the_account_it_was_issued_for(signed_in, client_at):
    val = signed_in(VOLUNTEER, address=HOME)
    _attack(client_at, email=SECOND[0])
    sam_here = AuthActions(client_at("192.0.2.60"))
    sam_here.client.cookies = val.client.cookies  # Val's device cookie, Sam's email
    assert sam_here.login(SECOND).status_code == 429


def test_f6_throttling_does_not_tell_which_emails_have_accounts(client_at, accounts):
    real = _attack(client_at, addresses=ATTACKERS[:7])
    made_up = _attack(client_at, email="nobody@example.org", addresses=ATTACKERS[7:14])
    assert real == made_up == [400] * 5 + [429] * 2


def test_f6_device_cookie_is_long_lived_http_only_and_scoped_to_the_dashboard(client_at, accounts):
    response = AuthActions(client_at(HOME)).login(VOLUNTEER)
    device = next(c for c in response.headers.get_list("set-cookie") if c.startswith("snav_review_device="))
    assert "HttpOnly" in device and "SameSite=lax" in device and f"Path={MOUNT}" in device
    assert "Max-Age=15552000" in device  # 180 days
    assert VOLUNTEER[0] not in device and "example.org" not in device  # the email is signed, not stored
