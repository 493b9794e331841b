"""Who the volunteers are: the partner forum named in the area file (knowledge/local/<area>.yml).

The escalation offer, the privacy page, the Telegram texts and the dashboard
all say who answers a parent's question. That must be one fact, set by the
operator, not a name written into several files: telling a parent that an
organisation runs this service when it does not would mislead them. Until
an operator names a partner under `forum:` in the area file, the wording is
neutral ("a volunteer from the local parent carer forum").

The area file may hold:

    forum:
      name: Example Parent Carer Forum          # read after "a volunteer from"
      description: Example's parent carer forum, run by parents.

Texts use `{forum}` where the name goes; it is filled in once, when the texts
load (`fill_forum`), so no caller has to pass it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Mapping

from bot.knowledge.reading import read_yaml
from bot.knowledge.schema import INVALID, Map, Report, Str, Where

DEFAULT_NAME = "the local parent carer forum"
DEFAULT_DESCRIPTION = "Parents who volunteer to answer other parents' questions. They are not the council and not lawyers."
NAME_MAX_CHARS = 80
DESCRIPTION_MAX_CHARS = 160
_NO_BRACES = re.compile(r"[^{}\n]+")


@dataclass(frozen=True)
class Forum:
    """The partner forum whose volunteers answer escalated questions."""

    name: str = DEFAULT_NAME
    description: str = DEFAULT_DESCRIPTION
    named: bool = False  # True once an operator has named a partner in the area file

    def values(self) -> Dict[str, str]:
        """Return the placeholders texts may use for the forum."""
        return {"forum": self.name, "forum_description": self.description}


def _plain(text: Any) -> Any:
    return None if isinstance(text, str) and _NO_BRACES.fullmatch(text) else "must be one line without { or }"


def _build(name: str, description: str) -> Forum:
    return Forum(name=name, description=description, named=True)


FORUM_SPEC = Map({"name": Str(max_chars=NAME_MAX_CHARS, checks=[_plain]),
                  "description": Str(max_chars=DESCRIPTION_MAX_CHARS, checks=[_plain])}, build=_build)


def forum_from(clean: Mapping[str, Any]) -> Forum:
    """Return the forum of a validated area file, or the neutral default when none is named."""
    forum = clean.get("forum")
    return forum if isinstance(forum, Forum) else Forum()


def load_forum(knowledge_dir: Path, area: str) -> Forum:
    """Read only the `forum:` setting of an area file; raise KnowledgeBaseError if it is invalid."""
    report = Report()
    name = f"local/{area}.yml"
    data = read_yaml(knowledge_dir / "local" / f"{area}.yml", Where(name), report)
    forum = Forum()
    if isinstance(data, dict) and "forum" in data:
        found = FORUM_SPEC.validate(data["forum"], Where(name, "forum"), report)
        forum = found if found is not INVALID else forum
    report.raise_if_any()
    return forum


def fill_forum(template: str, forum: Forum) -> str:
    """Fill `{forum}` and `{forum_description}` in a text, leaving its other placeholders for later."""
    for key, value in forum.values().items():
        template = template.replace("{" + key + "}", value)
    return template
