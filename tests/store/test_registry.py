"""Meta-tests: every model registers through bot/store/registry.py, whatever else was imported first."""

from __future__ import annotations

import ast
import subprocess
import sys

from bot.settings import PROJECT_ROOT
from bot.store import registry

STORE = PROJECT_ROOT / "bot" / "store"
TABLES = [
    "button_payload", "deliveries", "escalations", "evidence_counts", "feedback", "notice_preferences",
    "parent_notices", "review_audit_log", "review_sessions", "telegram_reminders", "telegram_routes",
    "unanswered_groups", "unanswered_log", "volunteer_links", "volunteer_notices", "volunteers",
    "web_offered_payload", "web_session",
]


def _modules_defining_models() -> set:
    """Return the bot.store modules with a class that sets __tablename__ (a mapped model)."""
    found = set()
    for path in STORE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(item, ast.Assign) and any(getattr(t, "id", None) == "__tablename__" for t in item.targets)
                for item in node.body
            ):
                found.add(".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts))
    return found


def test_the_registry_holds_every_table() -> None:
    assert sorted(registry.metadata.tables) == TABLES


def test_importing_only_the_registry_registers_every_table() -> None:
    """In a fresh interpreter, as Alembic's env.py does: no table depends on another import."""
    code = "import bot.store.registry as r; print(','.join(sorted(r.metadata.tables)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip().split(",") == TABLES


def test_every_module_defining_a_model_is_in_the_registry() -> None:
    modules = _modules_defining_models()
    assert modules == {m.__name__ for m in registry.MODEL_MODULES}
    assert len(modules) == 13  # the scan itself found the models
