"""The bridge's own wording loads from knowledge/telegram.yml and is checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.channels.telegram_texts import COMMANDS, MESSAGES, load_telegram_texts
from bot.settings import PROJECT_ROOT


def test_real_file_has_every_text() -> None:
    texts = load_telegram_texts(PROJECT_ROOT / "knowledge")
    assert set(texts.messages) == set(MESSAGES)
    assert [name for name, _ in texts.command_menu()] == list(COMMANDS)
    assert texts.text("feedback_thanks") == "Thanks for your feedback"
    assert "after 90 days" in texts.text("privacy", retention_days=90)


@pytest.mark.parametrize("change", [
    lambda d: d["messages"].pop("start"),
    lambda d: d["messages"].update(extra="x"),
    lambda d: d["commands"].update(forget=""),
    lambda d: d.pop("labels"),
    lambda d: d["messages"].update(privacy="No retention figure"),
    lambda d: d["messages"].update(privacy="{retention_days} {typo}"),
])
def test_a_broken_file_is_refused(tmp_path: Path, change) -> None:
    data = yaml.safe_load((PROJECT_ROOT / "knowledge" / "telegram.yml").read_text(encoding="utf-8"))
    change(data)
    (tmp_path / "telegram.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="telegram.yml"):
        load_telegram_texts(tmp_path)
