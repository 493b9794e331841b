"""F9: the action server and Rasa's REST channel refuse anyone but the assistant's own processes,
and the escalation actions act only on what the conversation itself shows.

The first tests start nothing: the check itself, the settings, and the
actions with forged trackers. The e2e tests call the running servers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest
import requests
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import ActionCancelEscalation, ActionEscalate
from actions.services import get_services
from bot.safety.shared_secret import SECRET_HEADER, refusal
from bot.settings import SettingsError, load_settings
from bot.store.models import utcnow

SECRET = "s" * 48
SENDER = "forged-sender-0123456789abcdef"


@pytest.mark.parametrize("method,content_type,presented,status", [
    ("POST", "application/json", SECRET, None),
    ("POST", "application/json; charset=utf-8", SECRET, None),
    ("GET", None, SECRET, None),
    ("POST", "application/json", None, 401),
    ("POST", "application/json", "", 401),
    ("POST", "application/json", SECRET[:-1], 401),
    ("POST", "application/json", SECRET + "x", 401),
    ("POST", "application/json", "\udcff" * 3, 401),
    ("OPTIONS", None, None, 401),
    ("POST", "text/plain", SECRET, 415),
    ("POST", "application/x-www-form-urlencoded", SECRET, 415),
    ("POST", "multipart/form-data; boundary=x", SECRET, 415),
    ("POST", None, SECRET, 415),
])
def test_f9_shared_secret_check(method, content_type, presented, status) -> None:
    assert refusal(method, content_type, presented, SECRET) == status


def test_f9_no_configured_secret_refuses_everything() -> None:
    assert refusal("POST", "application/json", "", "") == 401


def test_f9_production_requires_an_actions_secret(tmp_path: Path) -> None:
    env = {"SEND_NAV_ENV": "production", "SEND_NAV_DATA_DIR": str(tmp_path), "SEND_NAV_SECRET_KEY": "k" * 48}
    with pytest.raises(SettingsError, match="SEND_NAV_ACTIONS_SECRET must be set"):
        load_settings(env)
    with pytest.raises(SettingsError, match="SEND_NAV_ACTIONS_SECRET must be at least 32"):
        load_settings({**env, "SEND_NAV_ACTIONS_SECRET": "short"})
    assert load_settings({**env, "SEND_NAV_ACTIONS_SECRET": SECRET}).actions_secret == SECRET
    assert not (tmp_path / "actions_secret").exists()


def test_f9_development_generates_an_owner_only_actions_secret(tmp_path: Path) -> None:
    first = load_settings({"SEND_NAV_DATA_DIR": str(tmp_path / "var")})
    secret_file = tmp_path / "var" / "actions_secret"
    assert len(first.actions_secret) >= 32 and first.actions_secret != first.secret_key
    assert secret_file.stat().st_mode & 0o777 == 0o600 and (tmp_path / "var").stat().st_mode & 0o777 == 0o700
    assert load_settings({"SEND_NAV_DATA_DIR": str(tmp_path / "var")}).actions_secret == first.actions_secret
    assert "actions_secret" not in repr(first) and first.actions_secret not in repr(first)


# --- the actions, with trackers forged as a local attacker sent them (review F9) ---------------------------

def _user(text: str, intent: str, channel: str = "widget") -> Dict[str, Any]:
    return {"event": "user", "text": text, "metadata": {"channel": channel},
            "parse_data": {"intent": {"name": intent, "confidence": 1.0}, "intent_ranking": []}}


QUESTION = [_user("can the school cut his hours without telling anyone", "out_of_scope"),
            _user("talk to a person", "request_human")]
OFFER = [{"event": "action", "name": "action_offer_escalation"},
         {"event": "slot", "name": "escalation_offered", "value": True},
         {"event": "bot", "text": "Shall I send it?"}, {"event": "action", "name": "action_listen"}]


def forged(events: List[Dict[str, Any]], offered: bool = True) -> Tracker:
    latest = next(e for e in reversed(events) if e["event"] == "user")
    return Tracker.from_dict({
        "sender_id": SENDER, "slots": {"escalation_offered": offered},
        "latest_message": {"text": latest["text"], **latest["parse_data"], "entities": []},
        "events": events, "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen",
    })


@pytest.fixture
def services(tmp_path, monkeypatch):
    monkeypatch.setenv("SEND_NAV_ENV", "test")
    monkeypatch.setenv("SEND_NAV_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SEND_NAV_SECRET_KEY", "f9-test-key-" + "k" * 40)
    monkeypatch.delenv("SEND_NAV_DATABASE_URL", raising=False)
    get_services.cache_clear()
    yield get_services()
    get_services.cache_clear()


@pytest.mark.anyio
@pytest.mark.parametrize("events", [
    QUESTION + [_user("/confirm_escalation", "confirm_escalation")],  # the slot says offered; no offer happened
    QUESTION + OFFER + [_user("what will they see", "out_of_scope"), _user("/confirm_escalation", "confirm_escalation")],
    QUESTION + OFFER + [_user("what is mediation", "ask_mediation")],  # no consent at all
], ids=["no offer", "offer two turns ago", "no consent"])
async def test_f9_no_question_is_sent_without_the_offer_and_consent_in_this_conversation(services, events) -> None:
    await ActionEscalate().run(CollectingDispatcher(), forged(events), {})
    assert services.escalations().latest_for(SENDER) is None


@pytest.mark.anyio
@pytest.mark.parametrize("consent", [
    [_user("yes", "affirm")],
    [_user("/confirm_escalation", "confirm_escalation"), _user("yes please send it", "confirm_escalation")],
], ids=["consent", "consent again after a failed send"])
async def test_f9_offer_then_consent_sends_the_question(services, consent) -> None:
    await ActionEscalate().run(CollectingDispatcher(), forged(QUESTION + OFFER + consent), {})
    assert services.escalations().latest_for(SENDER).state == "open"


@pytest.mark.anyio
@pytest.mark.parametrize("events", [
    QUESTION,  # the action called with no request to withdraw anything
    [_user("/cancel_escalation", "cancel_escalation", channel="telegram")],  # another channel's conversation
], ids=["not asked", "other channel"])
async def test_f9_a_question_is_withdrawn_only_by_its_own_conversation_asking(services, events) -> None:
    escalation_id = services.escalations().create(SENDER, "widget", {"turns": ["q"]}, consent_at=utcnow())
    await ActionCancelEscalation().run(CollectingDispatcher(), forged(events, offered=False), {})
    assert services.escalations().get(escalation_id).state == "open"
    await ActionCancelEscalation().run(CollectingDispatcher(), forged([_user("withdraw it", "cancel_escalation")], False), {})
    assert services.escalations().get(escalation_id).state == "cancelled"


# --- the running servers ----------------------------------------------------------------------------------

def _action_call(action: str = "action_escalation_status") -> Dict[str, Any]:
    tracker = {"sender_id": SENDER, "slots": {}, "latest_message": {"text": "zqxecho", "intent": {}, "entities": []},
               "events": [], "paused": False, "followup_action": None, "active_loop": {},
               "latest_action_name": "action_listen"}
    return {"next_action": action, "sender_id": SENDER, "tracker": tracker, "domain": {}, "version": "3.6.2"}


@pytest.mark.e2e
def test_f9_action_server_refuses_calls_without_the_secret(running) -> None:
    url, secret = running.settings.actions_url, running.settings.actions_secret
    body = json.dumps(_action_call())
    json_type = {"Content-Type": "application/json"}
    assert requests.post(url, data=body, headers=json_type, timeout=10).status_code == 401
    assert requests.post(url, data=body, headers={**json_type, SECRET_HEADER: "wrong"}, timeout=10).status_code == 401
    assert requests.post(url, data=body, headers={"Content-Type": "text/plain", SECRET_HEADER: secret},
                         timeout=10).status_code == 415
    preflight = requests.options(url, headers={"Origin": "https://evil.example",
                                               "Access-Control-Request-Method": "POST"}, timeout=10)
    # sanic_cors answers the preflight itself, but grants no origin, so a browser never sends the POST.
    assert "access-control-allow-origin" not in {k.lower() for k in preflight.headers}
    assert requests.get(url.replace("/webhook", "/actions"), timeout=10).status_code == 401
    assert requests.get(url.replace("/webhook", "/health"), timeout=10).status_code == 200
    allowed = requests.post(url, data=body, headers={**json_type, SECRET_HEADER: secret}, timeout=10)
    assert allowed.status_code == 200, allowed.text


@pytest.mark.e2e
def test_f9_a_failing_action_does_not_echo_the_conversation(running) -> None:
    call = {**_action_call(), "tracker": ["zqxecho"]}  # rasa_sdk cannot build a tracker from this: it fails
    headers = {"Content-Type": "application/json", SECRET_HEADER: running.settings.actions_secret}
    response = requests.post(running.settings.actions_url, json=call, headers=headers, timeout=10)
    assert response.status_code == 500
    assert "zqxecho" not in response.text and response.json() == {"error": "internal error"}


@pytest.mark.e2e
def test_f9_rasa_rest_channel_refuses_messages_without_the_secret(running) -> None:
    url = f"{running.settings.rasa_url}/webhooks/rest/webhook"
    body = json.dumps({"sender": "f9-rest", "message": "/confirm_escalation"})
    secret = running.settings.actions_secret
    assert requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=30).status_code == 401
    assert requests.post(url, data=body, headers={"Content-Type": "text/plain", "Origin": "https://evil.example",
                                                  SECRET_HEADER: secret}, timeout=30).status_code == 415
    assert requests.post(url, data=body, headers={"Content-Type": "text/plain"}, timeout=30).status_code == 401
    assert running.send("what is mediation", "f9-rest"), "our own channels still get answers"
