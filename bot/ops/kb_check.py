"""Check every YAML file in knowledge/ at once and collect every problem (`python -m bot kb check`).

Each file has its own loader and schema; this runs them all, even after one
fails, so a maintainer sees every fault in one pass. References between
files (message and snippet entry ids, follow-up topics and sections) are
checked against the knowledge base when it loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, List, Optional, Tuple

from bot.channels.telegram_texts import load_telegram_texts
from bot.deadlines.labels import load_deadline_labels
from bot.knowledge.entries import KnowledgeBase, load_kb
from bot.knowledge.follow_ups import FOLLOW_UPS_FILE, FollowUps, load_follow_ups
from bot.knowledge.messages import load_messages
from bot.knowledge.schema import KnowledgeBaseError
from bot.knowledge.traced import load_traced_facts
from bot.letters.templates import LETTERS_FILE, load_letter_book
from bot.review.snippets import load_snippets


@dataclass
class KnowledgeCheck:
    """What checking knowledge/ found: the knowledge base if it loaded, the files checked, problems, warnings."""

    kb: Optional[KnowledgeBase] = None
    files: List[str] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)

    def attempt(self, name: str, load: Callable[[], Any]) -> Any:
        """Run one loader; keep its problems and return None if it failed."""
        self.files.append(name)
        try:
            return load()
        except KnowledgeBaseError as exc:
            self.problems.extend(exc.problems)
            return None


def check_knowledge(knowledge_dir: Path, area: str, stale_days: int) -> KnowledgeCheck:
    """Load and check every knowledge file; never stop at the first that fails."""
    check = KnowledgeCheck()
    check.kb = kb = check.attempt("entries", lambda: load_kb(knowledge_dir, area, stale_days=stale_days))
    ids = kb.entries if kb else None
    loaders: List[Tuple[str, Callable[[], Any]]] = [
        ("messages.yml", lambda: load_messages(knowledge_dir, ids, kb.forum if kb else None)),
        (LETTERS_FILE, lambda: load_letter_book(knowledge_dir / LETTERS_FILE)),
        ("deadline_labels.yml", lambda: load_deadline_labels(knowledge_dir)),
        ("review-snippets.yml", lambda: load_snippets(knowledge_dir, ids)),
        ("telegram.yml", lambda: load_telegram_texts(knowledge_dir, kb.forum if kb else None)),
        ("traced-facts.yml", lambda: load_traced_facts(knowledge_dir)),
    ]
    if (knowledge_dir / FOLLOW_UPS_FILE).exists():
        loaders.append((FOLLOW_UPS_FILE, lambda: load_follow_ups(knowledge_dir, kb)))
    for name, load in loaders:
        loaded = check.attempt(name, load)
        if isinstance(loaded, FollowUps):
            check.warnings.extend(loaded.warnings)
    if kb is not None:
        check.warnings[:0] = kb.warnings
    return check
