"""A draft knowledge entry from a group of similar unanswered questions, written for a maintainer to finish.

The parents' questions are shown beside the form on the dashboard but never
copied into the draft: a draft is a file in the repository's knowledge
folder, and redaction can miss something. Like every draft, it has a
placeholder source and no review date, so `load_kb` would reject it, and it
lives in knowledge/drafts/, which the assistant never loads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Sequence

import yaml

from bot.knowledge.entries import Entry
from bot.review.drafts import PLACEHOLDER_SOURCE

MAX_TITLE = 100
MAX_SHORT = 2000
MAX_STEPS = 5
MAX_STEP = 300


def draft_id(key: str) -> str:
    """Return the id of the draft entry for a group key."""
    return f"unanswered-group-{key[:12]}"


def check_draft(title: str, short: str, steps: List[str]) -> str:
    """Return what is wrong with a draft's fields, or "" if nothing is."""
    if not title or len(title) > MAX_TITLE:
        return f"Please give the entry a title of at most {MAX_TITLE} characters."
    if not short or len(short) > MAX_SHORT:
        return f"Please write a short answer of at most {MAX_SHORT} characters."
    if len(steps) > MAX_STEPS or any(len(step) > MAX_STEP for step in steps):
        return f"Please give at most {MAX_STEPS} next steps, one a line, each at most {MAX_STEP} characters."
    return ""


def group_entry(key: str, title: str, short: str, steps: Sequence[str], related: Sequence[Entry]) -> Dict[str, Any]:
    """Return a knowledge entry (in the knowledge/README.md schema) from a coordinator's draft."""
    return {
        "id": draft_id(key),
        "title": title,
        "group": related[0].group if related else "help",
        "short": " ".join(short.split()),
        "next_steps": list(steps) or ["TODO: one to five things the parent can do now"],
        "related": [e.id for e in related],
        "sources": [dict(PLACEHOLDER_SOURCE)],
        "legal_refs": [],
        "reviewed": None,  # set when a maintainer has checked it against its sources
    }


def group_yaml(entry: Dict[str, Any], questions: int, label: str) -> str:
    """Return a draft entry as a knowledge file, with a header telling the maintainer what to do."""
    header = (
        f"# Draft from a group of {questions} similar questions the assistant could not answer ({label}).\n"
        "# The parents' questions are not copied here. NOT loaded by the assistant. Before moving it to\n"
        "# national/ or local/: check it holds nothing personal, give it an official source and set `reviewed`.\n"
    )
    return header + yaml.safe_dump({"entries": [entry]}, sort_keys=False, allow_unicode=True, width=88)


def write_group_draft(knowledge_dir: Path, entry: Dict[str, Any], questions: int, label: str) -> Path:
    """Write the draft to knowledge/drafts/<id>.yml and return its path."""
    folder = knowledge_dir / "drafts"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{entry['id']}.yml"
    path.write_text(group_yaml(entry, questions, label), encoding="utf-8")
    return path
