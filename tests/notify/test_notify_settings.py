"""The notifier's settings: the SMTP URL needs a login and a sender, and a bad one is refused without echoing it."""

from __future__ import annotations

from typing import Dict

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_send_nothing(env: Dict[str, str]) -> None:
    settings = load_settings(env)
    assert (settings.smtp_url, settings.volunteer_group_id, settings.notify_interval_minutes) == ("", 0, 15)
    assert not settings.notifies and settings.reply_promise_hours == 16


def test_a_full_setting_is_read(env: Dict[str, str]) -> None:
    settings = load_settings({**env, "SEND_NAV_SMTP_URL": "smtp://user:pa%40ss@mail.example.org:587",
                              "SEND_NAV_SMTP_FROM": "volunteers@example.org", "SEND_NAV_VOLUNTEER_GROUP_ID": "-100123",
                              "TELEGRAM_BOT_TOKEN": "1:t", "SEND_NAV_NOTIFY_INTERVAL_MINUTES": "30"})
    assert settings.notifies and settings.volunteer_group_id == -100123 and settings.notify_interval_minutes == 30
    assert "pa%40ss" not in repr(settings)  # the URL holds a password
    assert load_settings({**env, **settings.to_env()}) == settings


@pytest.mark.parametrize("url, sender", [
    ("smtps://user:secret-pw@mail.example.org:465", "v@example.org"),  # STARTTLS only
    ("smtp://mail.example.org:587", "v@example.org"),  # no login
    ("smtp://user@mail.example.org:587", "v@example.org"),  # no password
    ("smtp://user:secret-pw@mail.example.org:587", ""),  # no sender
])
def test_a_bad_smtp_setting_is_refused_without_echoing_it(env: Dict[str, str], url: str, sender: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({**env, "SEND_NAV_SMTP_URL": url, "SEND_NAV_SMTP_FROM": sender})
    assert "secret-pw" not in str(raised.value)


@pytest.mark.parametrize("name", ["SEND_NAV_NOTIFY_INTERVAL_MINUTES", "SEND_NAV_REPLY_PROMISE_HOURS"])
def test_intervals_must_be_positive(env: Dict[str, str], name: str) -> None:
    with pytest.raises(SettingsError):
        load_settings({**env, name: "0"})
