"""Check and clean what people type into the dashboard and the CLI: email addresses, answers and notes.

Threat: an email address is a login name, a unique key and something shown
on every page of the volunteer list; an answer is sent into a parent's chat
and may become a knowledge entry. Neither should carry invisible control
characters (a NUL, an escape sequence) or be kilobytes long.

Design: `check_email` is the one place an address is judged, for the invite
form, `python -m bot volunteers add` and the login form; it returns the
stored form (bot/store/volunteers.py `normalise_email`) or raises
InvalidEmail with a message a person can act on. `clean_text` drops control
characters from free text but keeps newlines and tabs; markup is left as
written, because the templates escape it on output.
"""

from __future__ import annotations

import re
from typing import Optional

from bot.store.volunteers import normalise_email

MAX_EMAIL = 254  # RFC 5321's limit on a forward path, and the column's size
MAX_LOCAL = 64
MAX_ROW_ID = 2**63 - 1  # SQLite's largest INTEGER
# C0 controls except tab and newline, DEL, and the C1 controls: never typed on purpose.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# The local part: dot-separated runs of RFC 5322 "atext", plus any non-ASCII letter (RFC 6531).
_LOCAL = re.compile(r"[\w!#$%&'*+/=?^`{|}~-]+(\.[\w!#$%&'*+/=?^`{|}~-]+)*")
# A domain: two or more labels of letters, digits and inner hyphens, each at most 63 characters.
_LABEL = re.compile(r"[^\W_]((?:[^\W_]|-){0,61}[^\W_])?")


class InvalidEmail(ValueError):
    """The text is not a usable email address; the message says why."""


def check_email(raw: str) -> str:
    """Return the stored form of an email address, or raise InvalidEmail saying what is wrong."""
    email = normalise_email(raw)
    if not email:
        raise InvalidEmail("Please give an email address.")
    if len(email) > MAX_EMAIL:
        raise InvalidEmail(f"The email address is too long: it can have at most {MAX_EMAIL} characters.")
    if _ANY_CONTROL.search(email) or any(c.isspace() for c in email):
        raise InvalidEmail("The email address cannot contain spaces or control characters.")
    if email.count("@") != 1:
        raise InvalidEmail("The email address must have exactly one @, like name@example.org.")
    local, domain = email.split("@")
    if not (0 < len(local) <= MAX_LOCAL and _LOCAL.fullmatch(local)):
        raise InvalidEmail("The part of the email address before the @ is not valid.")
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
        raise InvalidEmail("The part of the email address after the @ must be a domain, like example.org.")
    return email


def clean_text(text: str) -> str:
    """Return typed text with Windows and old Mac line ends made newlines and other control characters removed."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_line(text: str) -> str:
    """Return typed text as one line: control characters removed and runs of whitespace made single spaces."""
    return " ".join(clean_text(text).split())


def row_id(value: str) -> Optional[int]:
    """Return the row id a URL or form value names, or None if it cannot name one."""
    # Plain ASCII digits only ("²".isdigit() is True), and no more than SQLite's integers
    # hold: a bigger number would overflow in the driver and answer 500, not 404.
    if not (0 < len(value) <= len(str(MAX_ROW_ID)) and value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= MAX_ROW_ID else None
