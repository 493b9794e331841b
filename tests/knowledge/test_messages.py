"""Tests for bot.knowledge.messages: the real message file, placeholder checks, menu buttons."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.knowledge.messages import PLACEHOLDERS, Messages, load_messages
from bot.knowledge.schema import KnowledgeBaseError
from bot.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"


@pytest.fixture(scope="module")
def messages() -> Messages:
    return load_messages(KNOWLEDGE)


def test_real_file_defines_every_template(messages: Messages) -> None:
    assert set(messages.templates) == set(PLACEHOLDERS)
    assert all(text.strip() for text in messages.templates.values())
    assert [g.group for g in messages.menu] == ["plans", "challenges", "school", "help"]
    assert "talk_to_person" in messages.buttons


@pytest.mark.parametrize("key", sorted(PLACEHOLDERS))
def test_every_template_formats_with_its_placeholders(messages: Messages, key: str) -> None:
    values = {name: f"<{name.upper()}>" for name in PLACEHOLDERS[key]}
    text = messages.text(key, **values)
    for value in values.values():
        assert value in text
    assert not re.search(r"\{\w*\}", text), "unfilled placeholder left in the message"


def test_answer_template_has_the_disclaimer(messages: Messages) -> None:
    text = messages.text("answer", short="S", next_steps="N", sources="SRC", reviewed="16 February 2026")
    assert text.startswith("S")
    assert "Last checked 16 February 2026" in text
    assert "not legal advice" in text


@pytest.mark.parametrize("key", ["unavailable", "human_routes"])
def test_fallback_messages_mention_999(messages: Messages, key: str) -> None:
    assert "999" in messages.text(key)


def test_menu_buttons_payloads(messages: Messages) -> None:
    buttons = messages.menu_buttons()
    assert buttons[0] == {"title": "Getting an EHC plan", "payload": '/show_topics{"group":"plans"}'}
    for button, group in zip(buttons, messages.menu):
        payload = button["payload"]
        assert payload.startswith("/show_topics{")
        assert json.loads(payload[len("/show_topics"):]) == {"group": group.group}
        assert button["title"] == group.title
    assert buttons[-1] == {"title": "Talk to a person", "payload": "/request_human"}
    assert len(buttons) == len(messages.menu) + 1


def test_menu_buttons_without_person(messages: Messages) -> None:
    buttons = messages.menu_buttons(with_person=False)
    assert len(buttons) == len(messages.menu)
    assert all(b["payload"] != "/request_human" for b in buttons)


def test_group_lookup(messages: Messages) -> None:
    assert messages.group("help").title == "Who can help"
    with pytest.raises(KeyError):
        messages.group("nope")


def _write_changed(tmp_path: Path, key: str, template: str) -> Path:
    data = yaml.safe_load((KNOWLEDGE / "messages.yml").read_text(encoding="utf-8"))
    if template is None:
        del data["messages"][key]
    else:
        data["messages"][key] = template
    (tmp_path / "messages.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "key, template, problem",
    [
        ("no_more_detail", "That's everything I have.", "messages.yml: messages.no_more_detail: must use exactly {title}"),
        ("no_more_detail", "That's all on {title} for {name}.", "messages.yml: messages.no_more_detail: must use exactly {title}"),
        ("detail", "More about {title}.", "messages.yml: messages.detail: must use exactly {title}, {detail}"),
        ("answer", "{short} {next_steps} {sources}",
         "messages.yml: messages.answer: must use exactly {short}, {next_steps}, {sources}, {reviewed}"),
        ("topics", "Pick one, {name}.", "messages.yml: messages.topics: must use no {placeholders}"),
        ("topics", "Pick one {}.", "messages.yml: messages.topics: must use no {placeholders}"),
        ("detail", "More about {title}: {detail", "messages.yml: messages.detail: has a stray brace: a value filled in is written {name}"),
        ("unanswered", None, "messages.yml: messages: missing key 'unanswered'"),
        ("surprise", "A new message nobody knows about.", "messages.yml: messages: unknown key 'surprise'"),
    ],
    ids=["missing-placeholder", "extra-placeholder", "detail-missing", "answer-missing-reviewed", "extra-in-plain",
         "unnamed-placeholder", "stray-brace", "missing-key", "unknown-key"],
)
def test_wrong_placeholders_raise(tmp_path: Path, key: str, template: str, problem: str) -> None:
    folder = _write_changed(tmp_path, key, template)
    with pytest.raises(KnowledgeBaseError) as raised:
        load_messages(folder)
    assert raised.value.problems == [problem]


def test_copy_of_real_file_loads(tmp_path: Path) -> None:
    shutil.copy(KNOWLEDGE / "messages.yml", tmp_path / "messages.yml")
    assert load_messages(tmp_path) == load_messages(KNOWLEDGE)
