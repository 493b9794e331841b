"""Password hashing for volunteer accounts (argon2id).

Threat: a stolen database copy must not give away passwords, and the login
form must not reveal which emails have accounts by answering faster for
unknown ones. Design: argon2id (argon2-cffi's defaults, RFC 9106 low-memory
profile) with a per-hash salt; an unknown email is checked against a dummy
hash so both paths do one full verification. The dummy is made on first use,
not at import, so importing this module has no cost.

Each hash or verification takes about 64 MiB and a core for a fraction of
a second, so a storm of logins must not run them all at once: at most
`SLOTS` run together (half the cores, at least one), and the rest wait
their turn. The widget server, in its own process, keeps the other cores.
"""

from __future__ import annotations

import os
import secrets
import threading
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHER = PasswordHasher()  # tests swap in a cheaper one; code reads this name at call time
SLOTS = max(1, (os.cpu_count() or 2) // 2)
_slots = threading.BoundedSemaphore(SLOTS)
_dummy_hash: Optional[str] = None


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password (waiting for a free slot)."""
    with _slots:
        return HASHER.hash(password)


def dummy_hash() -> str:
    """Return a hash of a random password, made once, to verify unknown emails against."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password(secrets.token_urlsafe(24))
    return _dummy_hash


def verify_password(stored_hash: Optional[str], password: str) -> bool:
    """Return True if the password matches; with no stored hash, spend the same time and return False."""
    against = dummy_hash() if stored_hash is None else stored_hash
    try:
        with _slots:
            return bool(HASHER.verify(against, password)) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Return True if the hash was made with weaker parameters than today's."""
    return HASHER.check_needs_rehash(stored_hash)


def reset_dummy() -> None:
    """Forget the dummy hash (after swapping HASHER, e.g. in tests)."""
    global _dummy_hash
    _dummy_hash = None
