"""Bounded fuzzing of POST /api/chat: no request, however odd, gets a 5xx."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st
from starlette.testclient import TestClient

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)
FUZZ = settings(
    max_examples=100, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(body=json_values)
def test_any_json_value_gets_no_5xx(client: TestClient, body: object) -> None:
    assert client.post("/api/chat", json=body).status_code < 500


@FUZZ
@given(
    text=json_values | st.text(max_size=2100),
    key=st.sampled_from(["text", "payload"]),
    extra=st.dictionaries(st.sampled_from(["metadata", "sender", "input_channel", "payload", "x"]), json_values, max_size=3),
)
def test_any_field_values_in_a_live_conversation_get_no_5xx(
    client: TestClient, conversation: str, text: object, key: str, extra: dict,
) -> None:
    response = client.post("/api/chat", json={**extra, "conversation_id": conversation, key: text})
    assert response.status_code < 500
    assert response.status_code in (200, 400, 403, 413)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_any_bytes_get_no_5xx(client: TestClient, raw: bytes) -> None:
    response = client.post("/api/chat", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 404)


@FUZZ
@given(text=st.text(alphabet=st.characters(exclude_categories=()), max_size=200) | st.just("\ud800 lone"))
def test_text_with_any_characters_is_sent_or_refused_kindly(client: TestClient, conversation: str, text: str) -> None:
    body = json.dumps({"conversation_id": conversation, "text": text}).encode()  # ASCII escapes carry lone surrogates through
    assert client.post("/api/chat", content=body, headers={"Content-Type": "application/json"}).status_code in (200, 400)
