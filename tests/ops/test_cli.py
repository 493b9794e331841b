"""Tests for bot.ops.cli: `kb check` and `report unanswered`, with settings pointing at tmp_path."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from typing import Dict

import pytest

from bot.ops.cli import main
from bot.knowledge.entries import load_kb
from bot.settings import PROJECT_ROOT, Settings
from bot.store import UnansweredRecord, UnansweredRepository
from bot.store.models import utcnow
from bot.store.spool import Spool
from bot.unanswered.logger import UnansweredLogger


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, env: Dict[str, str]) -> Dict[str, str]:
    for name in list(os.environ):
        if name.startswith("SEND_NAV_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def add(repository: UnansweredRepository, text: str, days_ago: float = 0) -> None:
    repository.add(
        UnansweredRecord(
            channel="rest",
            reason="low_confidence",
            text_redacted=text,
            intents=[],
            conversation_ref="c" * 32,
            created_at=utcnow() - dt.timedelta(days=days_ago),
        )
    )


# --- kb check ----------------------------------------------------------------------------


def test_kb_check_ok(cli_env, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "check"]) == 0
    out = capsys.readouterr().out
    expected = len(load_kb(PROJECT_ROOT / "knowledge", "kent").entries)
    assert f"Knowledge base OK: {expected} entries for area 'kent'." in out


def test_kb_check_reports_problems(cli_env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", knowledge)
    (knowledge / "national" / "broken.yml").write_text("entries:\n  - id: Bad_ID\n", encoding="utf-8")
    monkeypatch.setenv("SEND_NAV_KNOWLEDGE_DIR", str(knowledge))
    assert main(["kb", "check"]) == 1
    captured = capsys.readouterr()
    assert "problem(s):" in captured.err
    assert "national/broken.yml: entries[0].id: 'Bad_ID' is not lower-case words joined by hyphens" in captured.err
    assert "Knowledge base OK" not in captured.out


def test_kb_check_bad_messages_file(cli_env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", knowledge)
    path = knowledge / "messages.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("{title}", "{name}"), encoding="utf-8")
    monkeypatch.setenv("SEND_NAV_KNOWLEDGE_DIR", str(knowledge))
    assert main(["kb", "check"]) == 1
    assert "  - messages.yml: messages.no_more_detail: must use exactly {title}\n" in capsys.readouterr().err


def _break(knowledge: Path, name: str, old: str, new: str) -> None:
    path = knowledge / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_kb_check_reports_the_problems_of_every_file_at_once(
        cli_env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", knowledge)
    _break(knowledge, "messages.yml", "  - contact-pact\n", "  - contact-nobody\n")
    _break(knowledge, "letters.yml", "closing_note:", "closing_notes:")
    _break(knowledge, "deadline_labels.yml", "  appeal-deadline:", "  appeal-deadlines:")
    _break(knowledge, "review-snippets.yml", "kb_id: contact-pact", "kb_id: kent-pact")
    _break(knowledge, "telegram.yml", '  help: "Here', '  help: "{name}, here')
    _break(knowledge, "traced-facts.yml", "kind: phone", "kind: fax")
    _break(knowledge, "follow-ups.yml", "must: {section: mediation#do-i-have-to}", "must: {section: mediation#no-such-one}")
    monkeypatch.setenv("SEND_NAV_KNOWLEDGE_DIR", str(knowledge))
    assert main(["kb", "check"]) == 1
    err = capsys.readouterr().err
    for problem in [
        "messages.yml: human_route_entries[1]: entry 'contact-nobody' does not exist",
        "letters.yml: unknown key 'closing_notes'",
        "letters.yml: missing key 'closing_note'",
        "deadline_labels.yml: deadlines: unknown key 'appeal-deadlines'",
        "deadline_labels.yml: deadlines: missing key 'appeal-deadline'",
        "review-snippets.yml: kent-pact.kb_id: entry 'kent-pact' does not exist",
        "telegram.yml: messages.help: must use no {placeholders}",
        "traced-facts.yml: traced[0].kind: must be one of phone, email, url, not 'fax'",
    ]:
        assert f"  - {problem}\n" in err, problem
    assert ".follow_ups.must.section: section 'mediation#no-such-one' does not exist\n" in err
    assert "Knowledge base has 9 problem(s):" in err


def test_kb_check_without_follow_ups_file(cli_env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", knowledge)
    (knowledge / "follow-ups.yml").unlink()
    monkeypatch.setenv("SEND_NAV_KNOWLEDGE_DIR", str(knowledge))
    assert main(["kb", "check"]) == 0
    out = capsys.readouterr().out
    assert "Also checked: messages.yml, letters.yml, deadline_labels.yml, review-snippets.yml, telegram.yml, " \
           "traced-facts.yml.\n" in out


def test_kb_check_unknown_area(cli_env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SEND_NAV_AREA", "atlantis")
    assert main(["kb", "check"]) == 1
    assert "no local knowledge file for area 'atlantis'" in capsys.readouterr().err


def test_kb_check_stale_warning(cli_env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SEND_NAV_KB_STALE_DAYS", "-100000")  # every entry counts as stale
    assert main(["kb", "check"]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("warning: ") == len(load_kb(PROJECT_ROOT / "knowledge").entries)
    assert "Knowledge base OK" in captured.out


def test_configuration_error_exits_2(cli_env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SEND_NAV_ENV", "production")
    monkeypatch.delenv("SEND_NAV_SECRET_KEY")
    assert main(["kb", "check"]) == 2
    assert "Configuration error: SEND_NAV_SECRET_KEY" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["kb"], ["report"], ["report", "unanswered", "--days", "many"], ["nope"]])
def test_bad_arguments_exit_2(cli_env, argv, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2


# --- report unanswered -------------------------------------------------------------------------


def test_report_groups_topics(cli_env, settings: Settings, repository: UnansweredRepository, capsys: pytest.CaptureFixture[str]) -> None:
    for text in ["can my son get DLA", "DLA for autism", "how do I claim DLA", "blue badge for autism", "can we get a blue badge"]:
        add(repository, text, days_ago=1)
    add(repository, "an old question about respite care", days_ago=45)
    assert main(["report", "unanswered", "--days", "30"]) == 0
    out = capsys.readouterr().out
    assert "Unanswered questions, last 30 days: 5" in out
    assert "recovered" not in out
    rows = re.findall(r"^\s+(\d+)\s+(\d+)%\s+(.+)$", out, flags=re.M)
    assert [(count, share) for count, share, _ in rows] == [("3", "60"), ("2", "40")]
    assert rows[0][2].startswith("dla")
    assert set(rows[1][2].split()[:2]) == {"blue", "badge"}
    assert 'e.g. "can my son get DLA"' in out
    assert "respite" not in out


def test_report_top_limits_groups(cli_env, repository: UnansweredRepository, capsys: pytest.CaptureFixture[str]) -> None:
    for text in ["DLA claim", "DLA form", "blue badge"]:
        add(repository, text)
    assert main(["report", "unanswered", "--days", "30", "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert "dla" in out
    assert "blue" not in out


def test_report_with_no_records(cli_env, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "unanswered", "--days", "7"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "Unanswered questions, last 7 days: 0"


def test_report_recovers_spooled_records(
    cli_env, settings: Settings, repository: UnansweredRepository, capsys: pytest.CaptureFixture[str], secret_key: str
) -> None:
    add(repository, "DLA for autism")
    spool = Spool(settings.spool_dir / "unanswered.jsonl")
    offline = UnansweredLogger(None, spool, secret_key)
    for text in ["can my son get DLA", "how do I claim DLA"]:
        offline.store(offline.build(text, "rest", "low_confidence", [], "sender-1"))
    assert spool.pending() == 2

    assert main(["report", "unanswered", "--days", "30"]) == 0
    out = capsys.readouterr().out
    assert "Unanswered questions, last 30 days: 3 (2 recovered from the spool)" in out
    assert spool.pending() == 0
    assert len(repository.since(utcnow() - dt.timedelta(days=1))) == 3

    # Running again recovers nothing more and duplicates nothing.
    assert main(["report", "unanswered", "--days", "30"]) == 0
    out = capsys.readouterr().out
    assert "Unanswered questions, last 30 days: 3" in out
    assert "recovered" not in out
