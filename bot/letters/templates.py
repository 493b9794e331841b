"""Load and validate the letter templates in knowledge/letters.yml.

The wording lives in YAML so maintainers can edit it without touching code.
Loading rejects anything that would put a broken letter in a parent's hands:
unknown or missing keys, duplicate ids, a `{name}` in a body that no field
declares (it would print as "{name}"), a declared field the body never uses,
stray braces, and fields without a question or a "[placeholder]".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

from bot.knowledge.reading import validate_file
from bot.knowledge.schema import (
    ByType, DictOf, Id, Items, KnowledgeBaseError, Map, Ref, Report, Str, Where, id_spec,
)

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
RESERVED = frozenset({"today"})  # filled by fill() itself, never asked for
LETTERS_FILE = "letters.yml"
_FIELD_ID = re.compile(r"[a-z][a-z0-9_]*")


class LetterTemplateError(KnowledgeBaseError):
    """letters.yml failed validation; `problems` lists every fault."""

    heading = "letter templates are invalid"


@dataclass(frozen=True)
class Field:
    """One answer a letter needs, the question that asks for it and the text used if it is skipped."""

    id: str
    question: str
    placeholder: str
    choices: Mapping[str, str]


@dataclass(frozen=True)
class Template:
    """One letter: its wording and the fields it needs."""

    id: str
    title: str
    legal_refs: Tuple[str, ...]
    fields: Tuple[Field, ...]
    body: str


@dataclass(frozen=True)
class LetterBook:
    """Every template, keyed by id, and the note that closes every letter."""

    templates: Dict[str, Template]
    closing_note: str


def _not_reserved(field_id: str) -> Optional[str]:
    return f"{field_id!r} is reserved: the letter fills it in itself" if field_id in RESERVED else None


def _bracketed(placeholder: str) -> Optional[str]:
    return None if placeholder.startswith("[") and placeholder.endswith("]") else "must look like [child's full name]"


def _no_braces(text: str) -> Optional[str]:
    return "must not contain { or }" if "{" in text or "}" in text else None


FIELD_ID = Str(pattern=_FIELD_ID, means="a lower_case name", checks=[_not_reserved])
SHARED_FIELD_ID = Id("shared field", _FIELD_ID, "a lower_case name", checks=[_not_reserved])
FIELD_KEYS = {"question": Str(), "placeholder": Str(checks=[_bracketed])}
CHOICES = DictOf(keys=id_spec(), values=Str(checks=[_no_braces]))


def _field_ids(template: Dict[str, Any]) -> List[str]:
    return [spec if isinstance(spec, str) else spec.id for spec in template["fields"]]


def _body_matches_fields(template: Dict[str, Any]) -> List[str]:
    """Return what is wrong between a template's body and the fields it declares."""
    ids, body = _field_ids(template), template["body"]
    used = set(PLACEHOLDER.findall(body))
    problems = ["a field is declared twice"] if len(ids) != len(set(ids)) else []
    problems += [f"body uses {{{name}}} but no field declares it" for name in sorted(used - set(ids) - RESERVED)]
    problems += [f"field {name!r} is declared but the body never uses it" for name in sorted(set(ids) - used)]
    if "{" in PLACEHOLDER.sub("", body) or "}" in PLACEHOLDER.sub("", body):
        problems.append("body has a stray brace; placeholders look like {child_name}")
    return problems


def _field(**clean: Any) -> Field:
    choices = clean.get("choices", {})
    return Field(clean["id"], clean["question"], clean["placeholder"], {k: " ".join(v.split()) for k, v in choices.items()})


SPEC = Map({
    "closing_note": Str(),
    "fields": DictOf(keys=SHARED_FIELD_ID, values=Map(FIELD_KEYS, {"choices": CHOICES})),
    "templates": Items(Map({
        "id": Id("template"),
        "title": Str(),
        "legal_refs": Items(Str(), min_len=1),
        "fields": Items(ByType([(str, Ref("shared field", _FIELD_ID, "a lower_case name")),
                                (dict, Map({"id": FIELD_ID, **FIELD_KEYS}, {"choices": CHOICES}, build=_field))],
                               "a shared field's name or a field with id, question and placeholder")),
        "body": Str(),
    }, checks=[_body_matches_fields]), min_len=1, anchor="id"),
})


def load_letter_book(path: Path) -> LetterBook:
    """Load and validate a letters YAML file; raise LetterTemplateError on any fault."""
    report = Report()
    clean = validate_file(path, SPEC, report)
    return _book(clean, report)


def parse_letter_book(data: Any) -> LetterBook:
    """Validate already-parsed YAML and return the templates; raise LetterTemplateError on any fault."""
    report = Report()
    clean = SPEC.validate(data, Where(LETTERS_FILE), report)
    return _book(clean, report)


def _book(clean: Any, report: Report) -> LetterBook:
    report.resolve("shared field")
    report.raise_if_any(LetterTemplateError)
    shared = {key: _field(id=key, **spec) for key, spec in clean["fields"].items()}
    templates = {
        t["id"]: Template(t["id"], t["title"], t["legal_refs"],
                          tuple(shared[spec] if isinstance(spec, str) else spec for spec in t["fields"]), t["body"])
        for t in clean["templates"]
    }
    return LetterBook(templates=templates, closing_note=" ".join(clean["closing_note"].split()))
