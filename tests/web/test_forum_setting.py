"""The partner forum, a setting of the area file, in every text: knowledge, Telegram, the web pages and the dashboard (service environment: it drives the apps)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import List

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.channels.telegram_texts import load_telegram_texts
from bot.knowledge.entries import load_kb
from bot.knowledge.forum import DEFAULT_NAME, Forum, load_forum
from bot.knowledge.messages import load_messages
from bot.knowledge.schema import KnowledgeBaseError
from bot.ops.kb_check import check_knowledge
from bot.review.app import create_review_app
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.web.pages import Pages

KNOWLEDGE = PROJECT_ROOT / "knowledge"
NAMED = "forum:\n  name: Example Parent Carer Forum\n  description: Example's parent carer forum, run by parents.\n\n"
# Every text that says who reads a parent's question, by file and key.
FORUM_TEXTS = [("messages", "escalation_offer"), ("messages", "escalation_need_question"),
               ("messages", "volunteer_answer"), ("telegram", "privacy")]


def knowledge_with(tmp_path: Path, forum_yaml: str, file: str = "local/kent.yml") -> Path:
    """Copy knowledge/ and put `forum_yaml` at the top of one file."""
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder, ignore=shutil.ignore_patterns("drafts"))
    path = folder / file
    path.write_text(forum_yaml + path.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def texts_naming(folder: Path, forum: Forum) -> List[str]:
    messages = load_messages(folder, forum=forum)
    telegram = load_telegram_texts(folder, forum)
    return [(messages.templates if kind == "messages" else telegram.messages)[key] for kind, key in FORUM_TEXTS]


def test_shipped_kent_file_names_no_partner() -> None:
    # No source shows that Kent PACT (or anyone) runs this service: the neutral wording stays until an operator says so.
    forum = load_kb(KNOWLEDGE).forum
    assert forum == Forum() and not forum.named
    assert load_forum(KNOWLEDGE, "kent") == forum
    offer = load_messages(KNOWLEDGE).text("escalation_offer", reply_time="2 working days")
    assert "a volunteer from the local parent carer forum" in offer
    assert "PACT" not in offer


@pytest.mark.parametrize("kind, key", FORUM_TEXTS)
def test_every_forum_text_uses_the_default_until_named(kind: str, key: str) -> None:
    text = texts_naming(KNOWLEDGE, Forum())[FORUM_TEXTS.index((kind, key))]
    assert DEFAULT_NAME in text and "{forum}" not in text


def test_a_named_partner_reaches_every_text(tmp_path: Path) -> None:
    folder = knowledge_with(tmp_path, NAMED)
    forum = load_kb(folder).forum
    assert forum == Forum("Example Parent Carer Forum", "Example's parent carer forum, run by parents.", named=True)
    assert load_forum(folder, "kent") == forum
    for text in texts_naming(folder, forum):
        assert "Example Parent Carer Forum" in text and DEFAULT_NAME not in text
    assert check_knowledge(folder, "kent", 365).problems == []


@pytest.mark.parametrize("forum_yaml, problem", [
    ("forum:\n  name: Example Forum\n\n", "local/kent.yml: forum: missing key 'description'"),
    ("forum:\n  name: Ex {x}\n  description: d\n\n", "local/kent.yml: forum.name: must be one line without { or }"),
    ("forum:\n  name: X\n  description: d\n  phone: '0800'\n\n", "local/kent.yml: forum: unknown key 'phone'"),
    (f"forum:\n  name: {'x' * 81}\n  description: d\n\n", "local/kent.yml: forum.name: is 81 characters long (max 80)"),
    ("forum: Example Forum\n\n", "local/kent.yml: forum: must be a mapping, not text"),
], ids=["no-description", "brace", "unknown-key", "too-long", "not-a-mapping"])
def test_a_faulty_forum_setting_is_reported_by_kb_check(tmp_path: Path, forum_yaml: str, problem: str) -> None:
    folder = knowledge_with(tmp_path, forum_yaml)
    assert problem in check_knowledge(folder, "kent", 365).problems
    with pytest.raises(KnowledgeBaseError) as raised:
        load_forum(folder, "kent")
    assert raised.value.problems == [problem]


def test_only_the_area_file_may_name_the_forum(tmp_path: Path) -> None:
    folder = knowledge_with(tmp_path, NAMED, file="national/appeals.yml")
    problems = check_knowledge(folder, "kent", 365).problems
    assert "national/appeals.yml: unknown key 'forum'" in problems


def test_privacy_page_names_the_forum_escaped(env: dict, tmp_path: Path) -> None:
    settings = load_settings(env)
    pages = Pages(settings, forum=Forum("Example <b>Forum</b>", "Run by parents.", named=True))
    body = TestClient(Starlette(routes=pages.routes())).get("/privacy").text
    assert "volunteers from Example &lt;b&gt;Forum&lt;/b&gt;" in body and "Run by parents." in body
    default = TestClient(Starlette(routes=Pages(settings).routes())).get("/privacy").text
    assert "volunteers from the local parent carer forum" in default


def test_dashboard_names_the_forum(env: dict, tmp_path: Path) -> None:
    folder = knowledge_with(tmp_path, NAMED)
    settings: Settings = replace(load_settings(env), knowledge_dir=folder)
    app = create_review_app(settings, kb=load_kb(folder))
    try:
        with TestClient(app, base_url="http://localhost") as client:
            body = client.get("/review/login").text
    finally:
        app.state.review.engine.dispose()
    assert "volunteer dashboard for Example Parent Carer Forum" in body
    assert "volunteers from Example Parent Carer Forum" in body
