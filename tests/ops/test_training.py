"""Tests for bot.ops.training.model_hash: the model is retrained only when its inputs change."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from bot.ops.training import model_hash, model_path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "data" / "nlu").mkdir(parents=True)
    (root / "components").mkdir()
    (root / "config.yml").write_text("language: en\npipeline: []\n")
    (root / "domain.yml").write_text("intents: [greet]\n")
    (root / "data" / "nlu" / "greet.yml").write_text("nlu:\n- intent: greet\n  examples: |\n    - hi\n")
    (root / "data" / "rules.yml").write_text("rules: []\n")
    (root / "components" / "crisis_guard.py").write_text("X = 1\n")
    return root


def _write(rel: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    return change


def _rename(old: str, new: str) -> Callable[[Path], None]:
    return lambda root: (root / old).rename(root / new)


CHANGES = [
    pytest.param(_write("data/nlu/greet.yml", "nlu:\n- intent: greet\n  examples: |\n    - hello\n"), id="data-file-edited"),
    pytest.param(_write("data/stories.yml", "stories: []\n"), id="data-file-added"),
    pytest.param(lambda root: (root / "data" / "rules.yml").unlink(), id="data-file-removed"),
    pytest.param(_rename("data/rules.yml", "data/rules2.yml"), id="data-file-renamed"),
    pytest.param(_write("config.yml", "language: en\npipeline: [x]\n"), id="config"),
    pytest.param(_write("domain.yml", "intents: [greet, bye]\n"), id="domain"),
    pytest.param(_write("components/crisis_guard.py", "X = 2\n"), id="component-edited"),
    pytest.param(_write("components/new_component.py", "Y = 1\n"), id="component-added"),
]


def test_hash_is_stable(project: Path) -> None:
    first = model_hash(project)
    assert first == model_hash(project)
    assert len(first) == 16
    assert model_path(project) == project / "models" / f"sendnav-{first}.tar.gz"


@pytest.mark.parametrize("change", CHANGES)
def test_hash_changes_with_inputs(project: Path, change: Callable[[Path], None]) -> None:
    before = model_hash(project)
    change(project)
    assert model_hash(project) != before


IGNORED = [
    pytest.param(_write("README.md", "# readme\n"), id="readme-outside-inputs"),
    pytest.param(_write("tests/bot/test_x.py", "def test(): pass\n"), id="tests"),
    pytest.param(_write("models/sendnav-old.tar.gz", "binary"), id="models-folder"),
    pytest.param(_write("components/__pycache__/crisis_guard.cpython-310.py", "cache"), id="pycache"),
    pytest.param(_write("components/crisis_guard.pyc", "bytecode"), id="pyc"),
    pytest.param(_write("data/notes.txt", "scratch"), id="txt-in-data"),
]


@pytest.mark.parametrize("change", IGNORED)
def test_hash_ignores_other_files(project: Path, change: Callable[[Path], None]) -> None:
    before = model_hash(project)
    change(project)
    assert model_hash(project) == before


def test_same_content_in_another_folder_has_same_hash(project: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(project, copy)
    assert model_hash(copy) == model_hash(project)
