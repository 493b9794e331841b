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
from typing import AbstractSet, Any, Dict, List, Mapping, Optional, Tuple, TypeGuard

import yaml

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
RESERVED = frozenset({"today"})  # filled by fill() itself, never asked for
TOP_KEYS = {"closing_note", "fields", "templates"}
TEMPLATE_KEYS = {"id", "title", "legal_refs", "fields", "body"}
FIELD_KEYS = {"id", "question", "placeholder", "choices"}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_FIELD_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class LetterTemplateError(ValueError):
    """letters.yml failed validation; `problems` lists every fault."""

    def __init__(self, problems: List[str]) -> None:
        super().__init__("letter templates are invalid:\n- " + "\n- ".join(problems))
        self.problems = problems


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


def load_letter_book(path: Path) -> LetterBook:
    """Load and validate a letters YAML file; raise LetterTemplateError on any fault."""
    return parse_letter_book(yaml.safe_load(path.read_text(encoding="utf-8")))


def parse_letter_book(data: Any) -> LetterBook:
    """Validate already-parsed YAML and return the templates; raise LetterTemplateError on any fault."""
    problems: List[str] = []
    if not isinstance(data, dict):
        raise LetterTemplateError(["the file must be a mapping with closing_note, fields and templates"])
    _keys("file", data, TOP_KEYS, TOP_KEYS, problems)
    note = data.get("closing_note")
    if not isinstance(note, str) or not note.strip():
        problems.append("closing_note must be non-empty text")
    shared_specs, items = data.get("fields") or {}, data.get("templates") or []
    if not isinstance(shared_specs, dict) or not isinstance(items, list):
        raise LetterTemplateError(problems + ["fields must be a mapping and templates a list"])
    shared = {
        key: _field(f"shared field {key}", {"id": key, **spec} if isinstance(spec, dict) else spec, problems)
        for key, spec in shared_specs.items()
    }
    templates: Dict[str, Template] = {}
    for item in items:
        template = _template(item, shared, problems)
        if template is not None and template.id in templates:
            problems.append(f"duplicate template id {template.id!r}")
        elif template is not None:
            templates[template.id] = template
    if not templates:
        problems.append("there must be at least one template")
    if problems:
        raise LetterTemplateError(problems)
    return LetterBook(templates=templates, closing_note=" ".join(str(note).split()))


def _keys(where: str, item: Mapping[str, Any], required: AbstractSet[str], allowed: AbstractSet[str],
          problems: List[str]) -> None:
    for key in sorted(set(map(str, item)) - allowed):
        problems.append(f"{where}: unknown key {key!r}")
    for key in sorted(required - set(map(str, item))):
        problems.append(f"{where}: missing key {key!r}")


def _text(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())


def _field(where: str, spec: Any, problems: List[str]) -> Field:
    if not isinstance(spec, dict):
        problems.append(f"{where}: must be a mapping")
        return Field(str(spec), "", "", {})
    _keys(where, spec, FIELD_KEYS - {"choices"}, FIELD_KEYS, problems)
    field_id, question, placeholder = spec.get("id"), spec.get("question"), spec.get("placeholder")
    if not isinstance(field_id, str) or not _FIELD_ID.match(field_id) or field_id in RESERVED:
        problems.append(f"{where}: id must be lower_case and not one of {sorted(RESERVED)}")
    if not _text(question):
        problems.append(f"{where}: question must be non-empty text")
    if not _text(placeholder) or not (placeholder.startswith("[") and placeholder.endswith("]")):
        problems.append(f"{where}: placeholder must look like [child's full name]")
    choices = spec.get("choices") or {}
    if not isinstance(choices, dict) or not all(
        isinstance(k, str) and _ID.match(k) and _text(v) and "{" not in v and "}" not in v
        for k, v in choices.items()
    ):
        problems.append(f"{where}: choices must map short-ids to text without braces")
        choices = {}
    return Field(str(field_id), str(question or ""), str(placeholder or ""),
                 {k: " ".join(v.split()) for k, v in choices.items()})


def _template(item: Any, shared: Dict[str, Field], problems: List[str]) -> Optional[Template]:
    if not isinstance(item, dict):
        problems.append("each template must be a mapping")
        return None
    where = f"template {item.get('id', '?')}"
    _keys(where, item, TEMPLATE_KEYS, TEMPLATE_KEYS, problems)
    if not isinstance(item.get("id"), str) or not _ID.match(item["id"]):
        problems.append(f"{where}: id must be lower-case-hyphenated")
    if not _text(item.get("title")):
        problems.append(f"{where}: title must be non-empty text")
    refs = item.get("legal_refs")
    if not isinstance(refs, list) or not refs or not all(_text(r) for r in refs):
        problems.append(f"{where}: legal_refs must be a non-empty list of citations")
    fields: List[Field] = []
    for spec in item.get("fields") or []:
        if isinstance(spec, str) and spec not in shared:
            problems.append(f"{where}: unknown shared field {spec!r}")
            continue
        fields.append(shared[spec] if isinstance(spec, str) else _field(f"{where} field", spec, problems))
    ids = [f.id for f in fields]
    if len(ids) != len(set(ids)):
        problems.append(f"{where}: a field is declared twice")
    body = item.get("body")
    if not _text(body):
        problems.append(f"{where}: body must be non-empty text")
        return None
    used = set(PLACEHOLDER.findall(body))
    for name in sorted(used - set(ids) - RESERVED):
        problems.append(f"{where}: body uses {{{name}}} but no field declares it")
    for name in sorted(set(ids) - used):
        problems.append(f"{where}: field {name!r} is declared but the body never uses it")
    if "{" in PLACEHOLDER.sub("", body) or "}" in PLACEHOLDER.sub("", body):
        problems.append(f"{where}: body has a stray brace; placeholders look like {{child_name}}")
    return Template(str(item.get("id")), str(item.get("title", "")).strip(),
                    tuple(str(r) for r in refs or ()), tuple(fields), body.strip())
