"""bot.safety.stored_events: words redacted from a turn's messages leave the rest of its events too, and no cache keeps them."""

from __future__ import annotations

import re

from bot.safety.stored_events import WITHHELD, KnownNames, safe_event, withheld_words

MESSAGE = "my son is called Zephyrin and his NHS letter came today"


def _cached_patterns() -> str:
    caches = [getattr(re, name, None) for name in ("_cache", "_cache2")]  # CPython's private pattern caches
    return " ".join(str(key) for cache in caches if isinstance(cache, dict) for key in cache)


def test_a_word_withheld_from_the_message_is_masked_in_a_slot_and_kept_in_no_cache() -> None:
    withheld = withheld_words([MESSAGE])
    assert "Zephyrin" in withheld
    event = {"event": "slot", "name": "child_name_said", "value": "plan for Zephyrin, Zephyrin_2 and Zephyrins"}
    stored = safe_event(event, KnownNames(), withheld=withheld)
    # Whole tokens only, as before: "Zephyrins" is another word, "Zephyrin_2" holds the token.
    assert stored["value"] == f"plan for {WITHHELD}, {WITHHELD}_2 and Zephyrins"
    assert "Zephyrin" not in _cached_patterns()


def test_with_nothing_withheld_the_text_is_only_redacted() -> None:
    event = {"event": "slot", "name": "topic_note", "value": "the annual review is late"}
    assert safe_event(event, KnownNames(), withheld=frozenset())["value"] == "the annual review is late"
