"""Device cookies: a browser that has logged in to an account is known to the login throttle.

After OWASP's "Slow Down Online Guessing Attacks with Device Cookies". A
successful login sets a long-lived cookie holding a random nonce and an HMAC
(with the secret key) of the nonce and the account's email. At the next
login the cookie is checked against the email typed: if it matches, the
attempt is counted on that device's own key (bot/review/throttle.py), so
failures by strangers cannot delay it. The email itself is not in the
cookie, and a cookie cannot be forged or moved to another account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Optional

DEVICE_COOKIE = "snav_review_device"
DEVICE_MAX_AGE = dt.timedelta(days=180)
_NONCE_BYTES = 16


def _signature(secret_key: str, email: str, nonce: str) -> str:
    message = f"review-device:{email.strip().lower()}:{nonce}".encode("utf-8", "surrogatepass")
    return hmac.new(secret_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def new_device_cookie(secret_key: str, email: str) -> str:
    """Return a device cookie value for an account that has just logged in."""
    nonce = secrets.token_urlsafe(_NONCE_BYTES)
    return f"{nonce}.{_signature(secret_key, email, nonce)}"


def device_for(secret_key: str, email: str, cookie: Optional[str]) -> Optional[str]:
    """Return the device's nonce if the cookie was issued for this email, else None."""
    if not cookie or cookie.count(".") != 1:
        return None
    nonce, signature = cookie.split(".")
    expected = _signature(secret_key, email, nonce)
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "surrogatepass")):
        return None
    return nonce
