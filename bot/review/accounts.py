"""Create volunteer accounts from the command line (`python -m bot volunteers add`)."""

from __future__ import annotations

from bot.review.passwords import hash_password
from bot.settings import Settings
from bot.store import make_engine, make_session_factory
from bot.store.volunteers import ROLES, VolunteerRepository

MIN_PASSWORD = 12


def add_volunteer(settings: Settings, email: str, display_name: str, role: str, password: str) -> int:
    """Create an account with an argon2id-hashed password and return its id."""
    if "@" not in email or not email.strip():
        raise ValueError("email must be an email address")
    if not display_name.strip():
        raise ValueError("display name must not be empty")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must be at least {MIN_PASSWORD} characters")
    engine = make_engine(settings.database_url)
    try:
        return VolunteerRepository(make_session_factory(engine)).add(email, display_name, role, hash_password(password))
    finally:
        engine.dispose()
