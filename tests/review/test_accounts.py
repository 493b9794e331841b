"""Accounts: the CLI's add_volunteer, password hashing and sessions (the throttle is in test_throttle.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.review import passwords
from bot.review.accounts import add_volunteer
from bot.settings import Settings
from bot.store import make_engine, make_session_factory
from bot.store.volunteers import DuplicateEmail, ReviewSessionRepository, VolunteerRepository


def test_add_volunteer_stores_a_lower_case_email_and_an_argon2id_hash(settings: Settings):
    new_id = add_volunteer(settings, "  Jo@Example.ORG ", "Jo", "coordinator", "a long passphrase")
    engine = make_engine(settings.database_url)
    try:
        person = VolunteerRepository(make_session_factory(engine)).by_email("jo@example.org")
    finally:
        engine.dispose()
    assert person.id == new_id and person.role == "coordinator" and person.active
    assert person.password_hash.startswith("$argon2id$") and passwords.verify_password(person.password_hash, "a long passphrase")


@pytest.mark.parametrize("email,name,role,password,problem", [
    ("not-an-email", "Jo", "volunteer", "a long passphrase", "email"),
    ("jo@example.org\x00", "Jo", "volunteer", "a long passphrase", "control characters"),
    ("j" * 60_000 + "@example.org", "Jo", "volunteer", "a long passphrase", "at most 254 characters"),
    ("jo@example.org@evil.org", "Jo", "volunteer", "a long passphrase", "exactly one @"),
    ("jo@localhost", "Jo", "volunteer", "a long passphrase", "after the @"),
    ("jo@example.org", "\x00\x07", "volunteer", "a long passphrase", "display name"),
    ("jo@example.org", "J" * 81, "volunteer", "a long passphrase", "at most 80"),
    ("jo@example.org", " ", "volunteer", "a long passphrase", "display name"),
    ("jo@example.org", "Jo", "admin", "a long passphrase", "role"),
    ("jo@example.org", "Jo", "volunteer", "short", "at least 12"),
])
def test_add_volunteer_refuses_bad_input(settings: Settings, email, name, role, password, problem):
    with pytest.raises(ValueError, match=problem):
        add_volunteer(settings, email, name, role, password)


def test_add_volunteer_stores_the_name_as_one_clean_line(settings: Settings):
    add_volunteer(settings, "jo@example.org", " Jo\x00\n Smith ", "volunteer", "a long passphrase")
    engine = make_engine(settings.database_url)
    try:
        assert VolunteerRepository(make_session_factory(engine)).by_email("jo@example.org").display_name == "Jo Smith"
    finally:
        engine.dispose()


def test_add_volunteer_refuses_a_duplicate_email(settings: Settings):
    add_volunteer(settings, "jo@example.org", "Jo", "volunteer", "a long passphrase")
    with pytest.raises(DuplicateEmail):
        add_volunteer(settings, "JO@example.org", "Jo again", "volunteer", "another passphrase")


def test_dummy_hash_is_made_lazily_and_once(hasher):
    passwords.reset_dummy()
    assert passwords._dummy_hash is None  # importing the module hashed nothing
    assert passwords.verify_password(None, "anything") is False
    first = passwords._dummy_hash
    assert first and first.startswith("$argon2id$")
    passwords.verify_password(None, "again")
    assert passwords._dummy_hash == first


def test_garbage_hash_never_verifies():
    assert passwords.verify_password("not-a-hash", "x") is False


def test_sessions_expire_when_idle_and_in_all(sessions, settings: Settings):
    now = [dt.datetime(2026, 12, 1, 9, 0)]
    volunteer_id = VolunteerRepository(sessions).add("a@example.org", "A", "volunteer", passwords.hash_password("p" * 12))
    repo = ReviewSessionRepository(sessions, settings.secret_key, clock=lambda: now[0])
    token, csrf = repo.create(volunteer_id)
    now[0] += dt.timedelta(hours=1, minutes=59)
    live = repo.lookup(token)
    assert live and live.csrf_token == csrf and live.volunteer_id == volunteer_id
    now[0] += dt.timedelta(hours=2, minutes=1)
    assert repo.lookup(token) is None
    token, _ = repo.create(volunteer_id)
    for _ in range(13):  # used every hour, but no session outlives 12 hours
        now[0] += dt.timedelta(hours=1)
        alive = repo.lookup(token) is not None
    assert not alive
