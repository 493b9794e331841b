"""Tests for bot.settings: secrets, ports, safe defaults."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings

LONG_SECRET = "p" * 48


def test_test_settings_fixture(settings: Settings, tmp_path: Path, secret_key: str) -> None:
    assert settings.env == "test"
    assert settings.data_dir == tmp_path.resolve()
    assert settings.secret_key == secret_key
    assert settings.database_url.startswith("sqlite:///")
    assert settings.spool_dir == settings.data_dir / "spool"
    assert not (tmp_path / "secret_key").exists()
    assert not settings.is_production


def test_production_without_secret_raises(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="SEND_NAV_SECRET_KEY must be set"):
        load_settings({"SEND_NAV_ENV": "production", "SEND_NAV_DATA_DIR": str(tmp_path)})
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("placeholder", ["changethis", "CHANGETHIS", " changethis ", "change-me", "secret", ""])
def test_production_with_placeholder_raises(tmp_path: Path, placeholder: str) -> None:
    with pytest.raises(SettingsError):
        load_settings({"SEND_NAV_ENV": "production", "SEND_NAV_DATA_DIR": str(tmp_path), "SEND_NAV_SECRET_KEY": placeholder})


def test_production_with_short_secret_raises(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="at least 32 characters"):
        load_settings({"SEND_NAV_ENV": "production", "SEND_NAV_DATA_DIR": str(tmp_path), "SEND_NAV_SECRET_KEY": "x" * 31})


def test_production_with_long_secret_loads(tmp_path: Path) -> None:
    settings = load_settings({"SEND_NAV_ENV": "production", "SEND_NAV_DATA_DIR": str(tmp_path), "SEND_NAV_SECRET_KEY": LONG_SECRET,
                              "SEND_NAV_ACTIONS_SECRET": "a" * 40})
    assert settings.is_production
    assert settings.secret_key == LONG_SECRET


@pytest.mark.parametrize("env_value", [None, "changethis"], ids=["unset", "placeholder"])
def test_development_generates_and_reuses_secret_key(tmp_path: Path, env_value: str) -> None:
    data_dir = tmp_path / "fresh" / "var"
    env = {"SEND_NAV_DATA_DIR": str(data_dir)}
    if env_value is not None:
        env["SEND_NAV_SECRET_KEY"] = env_value
    first = load_settings(env)
    key_file = data_dir / "secret_key"
    assert first.env == "development"
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.secret_key) >= 32
    assert key_file.read_text(encoding="utf-8") == first.secret_key
    second = load_settings(env)
    assert second.secret_key == first.secret_key


def test_development_keys_differ_between_data_dirs(tmp_path: Path) -> None:
    a = load_settings({"SEND_NAV_DATA_DIR": str(tmp_path / "a")})
    b = load_settings({"SEND_NAV_DATA_DIR": str(tmp_path / "b")})
    assert a.secret_key != b.secret_key


@pytest.mark.parametrize("name", ["SEND_NAV_RASA_PORT", "SEND_NAV_ACTIONS_PORT", "SEND_NAV_KB_STALE_DAYS"])
@pytest.mark.parametrize("value", ["abc", "50 05", "5005.0"])
def test_non_numeric_number_raises(env: dict, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({**env, name: value})


def test_numbers_are_read(env: dict) -> None:
    settings = load_settings({**env, "SEND_NAV_RASA_PORT": "6005", "SEND_NAV_ACTIONS_PORT": "", "SEND_NAV_KB_STALE_DAYS": "30"})
    assert settings.rasa_port == 6005
    assert settings.actions_port == 5055
    assert settings.kb_stale_days == 30
    assert settings.rasa_url == "http://127.0.0.1:6005"


def test_to_env_round_trips(settings: Settings) -> None:
    # The runner passes settings to Rasa and the action server through to_env().
    assert load_settings(settings.to_env()) == settings


def test_unknown_env_raises(env: dict) -> None:
    with pytest.raises(SettingsError, match="SEND_NAV_ENV"):
        load_settings({**env, "SEND_NAV_ENV": "staging"})


def test_defaults_bind_loopback_only(env: dict) -> None:
    settings = load_settings(env)
    assert settings.rasa_host == settings.actions_host == "127.0.0.1"
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.actions_url == "http://127.0.0.1:5055/webhook"
    assert "0.0.0.0" not in repr(settings)
    assert Settings().rasa_host == Settings().actions_host == "127.0.0.1"


def test_database_url_defaults_to_sqlite_in_data_dir(tmp_path: Path) -> None:
    settings = load_settings({"SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(tmp_path), "SEND_NAV_SECRET_KEY": LONG_SECRET})
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'sendnav.db'}"


def test_database_url_from_env(env: dict) -> None:
    url = "postgresql://sendnav@db.internal/sendnav"
    assert load_settings({**env, "SEND_NAV_DATABASE_URL": url}).database_url == url


def test_repr_hides_secrets(env: dict) -> None:
    settings = load_settings({**env, "SEND_NAV_RASA_JWT_SECRET": "jwt-" + "q" * 40})
    text = repr(settings)
    assert settings.secret_key not in text
    assert "jwt-" not in text
    assert "secret_key" not in text
    assert "127.0.0.1" in text


def test_log_level_is_upper_case(env: dict) -> None:
    assert load_settings({**env, "SEND_NAV_LOG_LEVEL": "debug"}).log_level == "DEBUG"


def test_settings_are_frozen(settings: Settings) -> None:
    with pytest.raises(AttributeError):
        settings.env = "production"  # type: ignore[misc]
