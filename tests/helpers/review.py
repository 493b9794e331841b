"""Helpers for the review dashboard tests: seeded accounts, questions, and a logged-in AuthActions."""

from __future__ import annotations

import re
from typing import Any, Optional
from urllib.parse import unquote, urlsplit

from argon2 import PasswordHasher
from starlette.testclient import TestClient

from bot.review.context import ReviewContext
from bot.store.models import utcnow

MOUNT = "/review"
VOLUNTEER = ("val@example.org", "Val", "volunteer", "val-password-0123")
SECOND = ("sam@example.org", "Sam", "volunteer", "sam-password-0123")
COORDINATOR = ("cora@example.org", "Cora", "coordinator", "cora-password-0123")
QUESTION_TEXT = "my daughter was refused an EHC needs assessment what can I do about the refusal"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_LINK = re.compile(r'<input id="new-link"[^>]* value="([^"]+)"')


class CountingHasher(PasswordHasher):
    """A cheap argon2id hasher that counts verifications (tests must not take seconds per login)."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verifications = 0

    def verify(self, hash: Any, password: Any) -> bool:  # noqa: A002 (argon2's own parameter name)
        self.verifications += 1
        return super().verify(hash, password)


def make_question(ctx: ReviewContext, text: str = QUESTION_TEXT, conversation: str = "conv-1", channel: str = "web",
                  topic: Optional[str] = "ask_ehc_refusal_to_assess") -> int:
    """Open an escalation with a handover packet like the one the actions build."""
    packet = {
        "turns": [text], "topics": [{"name": topic or "nlu_fallback", "confidence": 0.42}],
        "kb_tried": ["ehc-needs-assessment-request"], "channel": channel,
    }
    return ctx.escalations.create(conversation, channel, packet, utcnow(), topic=topic)


class AuthActions:
    """Log a client in and out, and post forms with the session's CSRF token (after flaskr's helper)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def login(self, who: tuple = VOLUNTEER, password: Optional[str] = None) -> Any:
        """Post the login form as `who` (email, name, role, password)."""
        page = self.client.get(f"{MOUNT}/login")
        token = _CSRF.search(page.text)
        return self.client.post(f"{MOUNT}/login", data={
            "email": who[0], "password": who[3] if password is None else password,
            "csrf_token": token.group(1) if token else "",
        })

    def csrf(self) -> str:
        """Return the CSRF token rendered into the logged-in pages."""
        found = _CSRF.search(self.client.get(f"{MOUNT}/insights").text)
        assert found, "not logged in"
        return found.group(1)

    def post(self, path: str, **data: str) -> Any:
        """Post a form with the right CSRF token."""
        return self.client.post(MOUNT + path, data={"csrf_token": self.csrf(), **data})

    def get(self, path: str) -> Any:
        """GET a dashboard path."""
        return self.client.get(MOUNT + path)

    def logout(self) -> Any:
        """Log out with the form's token."""
        return self.post("/logout")


def link_on(page: str) -> str:
    """Return the path and query of the password link shown on a volunteers page."""
    found = _LINK.search(page)
    assert found, "no link on the page"
    url = urlsplit(unquote(found.group(1).replace("&amp;", "&")))
    return f"{url.path}?{url.query}"


def choose_password(client: TestClient, link: str, password: str, again: Optional[str] = None) -> Any:
    """Open a password link and submit the form on it with the page's own token."""
    page = client.get(link)
    token = _CSRF.search(page.text)
    query = urlsplit(link).query
    return client.post(f"{MOUNT}/set-password", data={
        "csrf_token": token.group(1) if token else "", "token": query.split("token=", 1)[-1],
        "new_password": password, "confirm_password": password if again is None else again,
    })
