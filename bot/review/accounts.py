"""Create volunteer accounts from the command line (`python -m bot volunteers add`) and the invite form."""

from __future__ import annotations

from bot.review.inputs import check_email, clean_line
from bot.review.passwords import hash_password
from bot.settings import Settings
from bot.store import make_engine, make_session_factory
from bot.store.volunteers import ROLES, VolunteerRepository

MIN_PASSWORD = 12
MAX_NAME = 80


def check_name(display_name: str) -> str:
    """Return a display name as one clean line, or raise ValueError if it is empty or too long."""
    name = clean_line(display_name)
    if not name:
        raise ValueError("display name must not be empty")
    if len(name) > MAX_NAME:
        raise ValueError(f"display name must be at most {MAX_NAME} characters")
    return name


def add_volunteer(settings: Settings, email: str, display_name: str, role: str, password: str) -> int:
    """Create an account with an argon2id-hashed password and return its id."""
    email, name = check_email(email), check_name(display_name)
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must be at least {MIN_PASSWORD} characters")
    engine = make_engine(settings.database_url)
    try:
        return VolunteerRepository(make_session_factory(engine)).add(email, name, role, hash_password(password))
    finally:
        engine.dispose()
