"""Tests for the scale-out and rate-limit settings, and the services the runner builds from them."""

from __future__ import annotations

from pathlib import Path
from typing import Dict

import pytest
from sqlalchemy import inspect

from bot.ops.runner import SCALE_ENDPOINTS, assistant_services, prepare_backends
from bot.ops.scale import BackendUnavailable, ensure_database, redis_env
from bot.store import make_engine
from bot.settings import DEFAULT_POSTGRES_URL, SettingsError, load_settings
from bot.web.ratelimit import Limits, limits_for
from tests.helpers.rest import free_port

PG = "postgresql://postgres@db.internal:5432/sendnav"


@pytest.fixture
def scaled(env: Dict[str, str]) -> Dict[str, str]:
    return {**env, "SEND_NAV_SCALE_OUT": "1", "SEND_NAV_POSTGRES_URL": PG}


def test_default_is_one_replica_on_sqlite(settings) -> None:
    assert not settings.scale_out
    assert settings.rasa_replicas == settings.actions_replicas == 1
    assert settings.rasa_urls == (settings.rasa_url,)
    assert settings.database_url.startswith("sqlite") and settings.tracker_url.startswith("sqlite")
    assert settings.postgres_url == DEFAULT_POSTGRES_URL


def test_replica_counts_need_scale_out(env: Dict[str, str]) -> None:
    settings = load_settings({**env, "SEND_NAV_RASA_REPLICAS": "4", "SEND_NAV_ACTIONS_REPLICAS": "3"})
    assert settings.rasa_replicas == settings.actions_replicas == 1


def test_scale_out_puts_everything_in_postgresql(scaled: Dict[str, str]) -> None:
    settings = load_settings(scaled)
    assert settings.database_url == settings.tracker_url == PG
    assert (settings.rasa_replicas, settings.actions_replicas) == (2, 2)
    assert settings.rasa_urls == ("http://127.0.0.1:5005", "http://127.0.0.1:5006")
    assert settings.actions_urls == ("http://127.0.0.1:5055/webhook", "http://127.0.0.1:5056/webhook")


def test_scale_out_keeps_other_postgresql_urls_and_replaces_sqlite(scaled: Dict[str, str], tmp_path: Path) -> None:
    other = "postgresql://rasa@db.internal/tracker"
    settings = load_settings({**scaled, "SEND_NAV_TRACKER_URL": other,
                              "SEND_NAV_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert settings.tracker_url == other
    assert settings.database_url == PG  # SQLite cannot be shared between replicas


@pytest.mark.parametrize("name, value, message", [
    ("SEND_NAV_SCALE_OUT", "maybe", "1 or 0"),
    ("SEND_NAV_RASA_REPLICAS", "0", "at least 1"),
    ("SEND_NAV_ACTIONS_REPLICAS", "two", "whole number"),
    ("SEND_NAV_POSTGRES_URL", "mysql://x/y", "postgresql://"),
    ("SEND_NAV_REDIS_URL", "http://x", "redis://"),
    ("SEND_NAV_RATE_PER_IP", "0", "at least 1"),
])
def test_bad_scale_settings_raise(scaled: Dict[str, str], name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings({**scaled, name: value})


def test_scale_settings_round_trip_through_the_environment(scaled: Dict[str, str]) -> None:
    settings = load_settings({**scaled, "SEND_NAV_RASA_REPLICAS": "3", "SEND_NAV_RATE_PER_IP": "500",
                              "SEND_NAV_RASA_URLS": "http://rasa-0:5005, http://rasa-1:5005/"})
    assert load_settings(settings.to_env()) == settings
    assert settings.rasa_urls == ("http://rasa-0:5005", "http://rasa-1:5005")


def test_rate_limits_default_to_limits_defaults(settings) -> None:
    assert limits_for(settings) == Limits()


def test_rate_limits_are_read(env: Dict[str, str]) -> None:
    settings = load_settings({**env, "SEND_NAV_RATE_PER_CONVERSATION": "5", "SEND_NAV_RATE_PER_IP": "7",
                              "SEND_NAV_RATE_SESSIONS_PER_IP": "3"})
    assert limits_for(settings) == Limits(per_conversation=5, per_ip=7, sessions_per_ip=3)


def test_default_services_are_one_rasa_and_one_action_server(settings, tmp_path: Path) -> None:
    services = assistant_services(settings, tmp_path / "model.tar.gz")
    assert [s.name for s in services] == ["actions", "rasa"]
    assert "endpoints.yml" in services[1].argv


def test_scale_out_services_pair_replicas_with_action_servers(scaled: Dict[str, str], tmp_path: Path) -> None:
    settings = load_settings({**scaled, "SEND_NAV_RASA_REPLICAS": "3"})
    services = {s.name: s for s in assistant_services(settings, tmp_path / "model.tar.gz")}
    assert sorted(services) == ["actions-0", "actions-1", "rasa-0", "rasa-1", "rasa-2"]
    assert [services[f"rasa-{i}"].env["SEND_NAV_ACTIONS_URL"] for i in range(3)] == [
        "http://127.0.0.1:5055/webhook", "http://127.0.0.1:5056/webhook", "http://127.0.0.1:5055/webhook"]
    rasa_2 = services["rasa-2"]
    assert SCALE_ENDPOINTS in rasa_2.argv and rasa_2.argv[rasa_2.argv.index("--port") + 1] == "5007"
    assert rasa_2.env["SEND_NAV_REDIS_HOST"] == "127.0.0.1" and rasa_2.env["SEND_NAV_TRACKER_URL"] == PG


def test_redis_url_becomes_endpoint_variables() -> None:
    assert redis_env("redis://:pw@cache:6380/2") == {
        "SEND_NAV_REDIS_HOST": "cache", "SEND_NAV_REDIS_PORT": "6380", "SEND_NAV_REDIS_DB": "2",
        "SEND_NAV_REDIS_PASSWORD": "pw", "TICKET_LOCK_LIFETIME": "10"}


def test_prepare_backends_creates_the_sqlite_tables_without_scale_out(settings) -> None:
    prepare_backends(settings)  # no PostgreSQL or Redis needed
    engine = make_engine(settings.database_url, create_schema=False)
    assert {"feedback", "escalations", "deliveries"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_unreachable_postgresql_gives_a_clear_error() -> None:
    with pytest.raises(BackendUnavailable, match="PostgreSQL is not reachable at 127.0.0.1:.*SEND_NAV_SCALE_OUT"):
        ensure_database(f"postgresql://postgres@127.0.0.1:{free_port()}/sendnav", connect_timeout=1)
