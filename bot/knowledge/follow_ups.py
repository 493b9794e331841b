"""What a follow-up question that names no topic means for the conversation's topic (knowledge/follow-ups.yml).

"Do I have to?" after an answer on mediation is read against `mediation`:
each topic maps follow-up kinds (when, challenge, contact, ...) to a target,
an entry, one section of an entry, and/or deadline clocks. Loading checks
the file's shape (SPEC) and then every id it names: topics and entries in the
knowledge base, sections in their entries, kinds declared under `kinds`,
clocks that the deadline rules really produce. A name on two topics is only
a warning: it makes a message ambiguous, not wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Dict, List, Mapping, Optional, Tuple

from bot.deadlines.labels import known_deadlines
from bot.knowledge.entries import KnowledgeBase
from bot.knowledge.reading import validate_file
from bot.knowledge.schema import DictOf, Id, Items, Map, Ref, Report, Str

FOLLOW_UPS_FILE = "follow-ups.yml"
SECTION_REF = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*#[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Target:
    """What answers one follow-up kind for a topic: an entry, a section (kb id, section id), clocks."""

    entry: Optional[str] = None
    section: Optional[Tuple[str, str]] = None
    clocks: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    """A knowledge entry as a conversation topic: the words that name it, its clocks and its follow-ups."""

    id: str
    names: Tuple[str, ...]
    clocks: Tuple[str, ...]
    follow_ups: Mapping[str, Target]


@dataclass(frozen=True)
class FollowUps:
    """Every follow-up kind with its label, every topic, and warnings found while loading."""

    kinds: Mapping[str, str]
    topics: Mapping[str, Topic]
    warnings: Tuple[str, ...] = field(default=())

    def target(self, kb_id: str, kind: str) -> Optional[Target]:
        """Return what answers this kind of follow-up on this topic, or None if the topic leaves it out."""
        topic = self.topics.get(kb_id)
        return topic.follow_ups.get(kind) if topic else None


def _target(**raw: Any) -> Target:
    section = raw.get("section")
    kb_id, _, section_id = section.partition("#") if section else ("", "", "")
    return Target(raw.get("entry"), (kb_id, section_id) if section else None, raw.get("clocks", ()))


def _aims_somewhere(target: Target) -> Optional[str]:
    return None if target.entry or target.section or target.clocks else "needs at least one of entry, section, clocks"


def _folded(name: str) -> str:
    return " ".join(name.casefold().split())


CLOCKS = Items(Ref("clock"), min_len=1, unique=lambda clock: clock)
TARGET = Map({}, {
    "entry": Ref("entry"),
    "section": Ref("section", SECTION_REF, "an entry id and a section id, like mediation#how-long"),
    "clocks": CLOCKS,
}, build=_target, checks=[_aims_somewhere])
TOPIC = Map({
    "names": Items(Str(), min_len=1, unique=_folded),
    "follow_ups": DictOf(keys=Ref("kind"), values=TARGET),
}, {"clocks": CLOCKS})
SPEC = Map({
    "kinds": DictOf(keys=Id("kind"), values=Map({"label": Str()}), min_len=1),
    "topics": DictOf(keys=Ref("entry"), values=TOPIC),
})


def load_follow_ups(knowledge_dir: Path, kb: Optional[KnowledgeBase],
                    clocks: Optional[Collection[str]] = None) -> FollowUps:
    """Load and check follow-ups.yml against the knowledge base and the deadline clocks; raise KnowledgeBaseError.

    Without a knowledge base (it failed to load) entries and sections are not checked.
    """
    report = Report()
    clean = validate_file(knowledge_dir / FOLLOW_UPS_FILE, SPEC, report)
    report.resolve("kind")
    report.resolve("clock", known_deadlines() if clocks is None else clocks)
    if kb is not None:
        report.resolve("entry", kb.entries)
        report.resolve("section", {f"{e.id}#{s.id}" for e in kb.entries.values() for s in e.sections})
    report.raise_if_any()
    topics = {kb_id: Topic(kb_id, raw["names"], raw.get("clocks", ()), raw["follow_ups"])
              for kb_id, raw in clean["topics"].items()}
    return FollowUps({kind: raw["label"] for kind, raw in clean["kinds"].items()}, topics, _name_clashes(topics))


def _name_clashes(topics: Mapping[str, Topic]) -> Tuple[str, ...]:
    """Warn about each name given to more than one topic (a message using it names neither clearly)."""
    owners: Dict[str, List[str]] = {}
    for topic in topics.values():
        for name in topic.names:
            owners.setdefault(_folded(name), []).append(topic.id)
    return tuple(f"{FOLLOW_UPS_FILE}: the name {name!r} is on topics {', '.join(ids)}"
                 for name, ids in owners.items() if len(ids) > 1)
