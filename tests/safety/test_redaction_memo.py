"""The memo of redaction (bot.safety.stored_events.redacted): same answers as redact, and no raw words kept."""

from __future__ import annotations

from bot.safety import stored_events
from bot.safety.redact import redact
from bot.safety.stored_events import MEMO_SIZE, redacted

MESSAGES = [
    "my son is called Oliver Smith, DOB 03/04/2015, phone 07700 900123, oliver.smith@example.com, CT1 2EH",
    "Kacper's TA said Tom is 7 and mrs abara will call",
    "what is mediation",
    "",
    "\ud800 lone surrogate and a Kelvin sign \u212a",
]


def test_redacted_gives_what_redact_gives_first_time_and_remembered() -> None:
    for message in MESSAGES:
        assert redacted(message) == redact(message)
        assert redacted(message) == redact(message)  # now from the memo


def test_memo_keeps_digests_and_redacted_text_never_the_raw_words() -> None:
    stored_events._memo.clear()  # other tests' strings (some rightly keep an uncued "Oliver") are not this test's
    redacted(MESSAGES[0])
    assert all(isinstance(key, bytes) and len(key) == 16 for key in stored_events._memo)
    kept = " ".join(stored_events._memo.values())
    for detail in ("Oliver", "Smith", "07700 900123", "oliver.smith@example.com", "CT1 2EH", "03/04/2015"):
        assert detail not in kept


def test_memo_is_bounded() -> None:
    for n in range(MEMO_SIZE + 50):
        redacted(f"message number {n}")
    assert len(stored_events._memo) == MEMO_SIZE
