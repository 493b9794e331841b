"""Bounded fuzzing of every other knowledge loader: each file loads or raises KnowledgeBaseError, quickly.

The same hostile inputs as for the entries (tests/knowledge/test_entries_fuzz.py)
go to messages, letters, deadline labels, review snippets, Telegram texts,
traced facts and follow-ups: malformed YAML, alias bombs, deep nesting,
impossible dates, huge ints, ids with a trailing newline, then generated
files (byte mutations of the real file, random bytes, retyped values).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Dict, Tuple

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from bot.channels.telegram_texts import TelegramTexts, load_telegram_texts
from bot.deadlines.labels import DeadlineLabels, load_deadline_labels
from bot.knowledge.entries import load_kb
from bot.knowledge.follow_ups import FollowUps, load_follow_ups
from bot.knowledge.messages import Messages, load_messages
from bot.knowledge.schema import KnowledgeBaseError
from bot.knowledge.traced import load_traced_facts
from bot.letters.templates import LetterBook, load_letter_book
from bot.review.snippets import load_snippets
from bot.settings import PROJECT_ROOT
from tests.helpers.kb_fuzz import KB_FUZZ, alias_bomb, mutated, run_within, yaml_values

KNOWLEDGE = PROJECT_ROOT / "knowledge"
KB = load_kb(KNOWLEDGE, "kent")
# file -> (loader given a folder, what it returns, a swap that gives an id a trailing newline)
LOADERS: Dict[str, Tuple[Callable[[Path], Any], type, Tuple[str, str]]] = {
    "messages.yml": (lambda d: load_messages(d, KB.entries), Messages,
                     ("  - contact-sendiass\n", '  - "contact-sendiass\\n"\n')),
    "letters.yml": (lambda d: load_letter_book(d / "letters.yml"), LetterBook,
                    ("  - id: request-assessment\n", '  - id: "request-assessment\\n"\n')),
    "deadline_labels.yml": (load_deadline_labels, DeadlineLabels, ("  assessment-decision:\n", '  "assessment-decision\\n":\n')),
    "review-snippets.yml": (lambda d: load_snippets(d, KB.entries), list, ("  - id: iask\n", '  - id: "iask\\n"\n')),
    "telegram.yml": (load_telegram_texts, TelegramTexts, ("  start: What this", '  "start\\n": What this')),
    "traced-facts.yml": (load_traced_facts, tuple, ("    kind: phone\n", '    kind: "phone\\n"\n')),
    "follow-ups.yml": (lambda d: load_follow_ups(d, KB), FollowUps, ("  mediation:\n", '  "mediation\\n":\n')),
}
FILES = sorted(LOADERS)


def real_text(name: str) -> str:
    return (KNOWLEDGE / name).read_text(encoding="utf-8")


def load_bytes(tmp_path: Path, name: str, content: bytes) -> Any:
    """Write one file into an otherwise empty folder and load it; return the result or its KnowledgeBaseError."""
    (tmp_path / name).write_bytes(content)
    load, returns, _ = LOADERS[name]
    outcome = run_within(lambda: load(tmp_path))
    assert isinstance(outcome, (returns, KnowledgeBaseError))
    return outcome


def hostile(name: str) -> Dict[str, Tuple[bytes, str]]:
    """Return hostile versions of a real file, each with a problem it must be reported with."""
    text = real_text(name)
    keys = list(yaml.safe_load(text))
    old, new = LOADERS[name][2]
    assert old in text, f"{old!r} is not in {name}"
    return {
        "impossible-date": ((text + "\nzz: 2026-02-30\n").encode(), f"{name}: not valid YAML (ValueError)"),
        "5000-digit-int": ((text + "\nzz: !!int '" + "9" * 5000 + "'\n").encode(), f"{name}: not valid YAML (ValueError)"),
        "2000-levels-deep": ((text + "\nzz: " + "[" * 2000 + "]" * 2000 + "\n").encode(), "nested over 50 levels deep"),
        "billion-laughs": (alias_bomb(keys).encode(), "not a list"),
        "latin-1-bytes": (text.encode() + "\nzz: café\n".encode("latin-1"), f"{name}: not valid YAML (UnicodeDecodeError)"),
        "nul-byte": ((text + "\nzz: a\x00b\n").encode(), f"{name}: not valid YAML (ReaderError)"),
        "python-tag": ((text + "\nzz: !!python/object/apply:os.system ['echo hi']\n").encode(),
                       f"{name}: not valid YAML (ConstructorError)"),
        "top-key-twice": ((text + f"\n{keys[0]}: again\n").encode(), f"duplicate key {keys[0]!r}"),
        "id-with-trailing-newline": (text.replace(old, new, 1).encode(), "\\n'"),
    }


HOSTILE = [(name, case) for name in FILES for case in hostile(name)]


@pytest.mark.parametrize("name, case", HOSTILE, ids=[f"{n}-{c}" for n, c in HOSTILE])
def test_a_hostile_file_is_reported_not_crashed_on(tmp_path: Path, name: str, case: str) -> None:
    content, problem = hostile(name)[case]
    outcome = load_bytes(tmp_path, name, content)
    assert isinstance(outcome, KnowledgeBaseError)
    assert any(problem in p for p in outcome.problems), outcome.problems
    assert not any("\n" in p for p in outcome.problems), "a problem must stay on one line"


@pytest.mark.parametrize("name", FILES)
def test_the_real_file_loads_from_a_copy(tmp_path: Path, name: str) -> None:
    assert not isinstance(load_bytes(tmp_path, name, real_text(name).encode()), KnowledgeBaseError)


def documents(name: str) -> st.SearchStrategy[bytes]:
    """Return generated versions of one knowledge file."""
    text = real_text(name)
    keys = list(yaml.safe_load(text))
    dump = lambda value: yaml.safe_dump(value, allow_unicode=True).encode("utf-8")  # noqa: E731
    return st.one_of(
        mutated(text),
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        yaml_values.map(dump),
        st.fixed_dictionaries({key: yaml_values for key in keys}).map(dump),
        st.builds(lambda n: (f"{keys[0]}: " + "[" * n + "]" * n).encode(), st.integers(1, 300)),
        st.builds(lambda depth: alias_bomb(keys, depth).encode(), st.integers(1, 8)),
    )


@pytest.mark.parametrize("name", FILES)
@settings(KB_FUZZ, max_examples=30)
@given(data=st.data())
def test_any_generated_file_loads_or_is_reported(tmp_path: Path, name: str, data: st.DataObject) -> None:
    load_bytes(tmp_path, name, data.draw(documents(name), label=name))
