"""Tests for bot.letters.fill and bot.letters.templates: filling, .docx output, injection, validation."""

from __future__ import annotations

import copy
import datetime as dt
import io
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml
from docx import Document

from bot.letters.templates import LetterTemplateError, Template, load_letter_book, parse_letter_book
from bot.letters.fill import LETTERS_FILE, TEMPLATES, Letter, TemplateRegistry, clean, fill, to_docx

TODAY = dt.date(2026, 3, 2)
CHILD = "Amelia Okonkwo-Smith"
NOTE = ("IASK (Kent's SEND information, advice and support service) or IPSEA can check this letter for you. "
        "This is not legal advice.")
IDS = ["request-assessment", "missed-deadline", "mediation", "draft-plan-response", "early-review",
       "subject-access", "complaint-stage-1"]


def _all_answers(template: Template) -> Dict[str, Any]:
    answers: Dict[str, Any] = {f.id: f"value of {f.id}" for f in template.fields}
    answers.update({f.id: next(iter(f.choices)) for f in template.fields if f.choices})
    answers["child_name"] = CHILD
    return answers


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def _raw() -> Dict[str, Any]:
    return yaml.safe_load(LETTERS_FILE.read_text(encoding="utf-8"))


def test_real_file_has_every_template() -> None:
    assert list(TEMPLATES) == IDS
    assert all(TEMPLATES[i].legal_refs and TEMPLATES[i].title for i in IDS)
    assert TEMPLATES.book.closing_note == NOTE


@pytest.mark.parametrize("template_id", IDS)
def test_fills_with_every_answer(template_id: str) -> None:
    template = TEMPLATES[template_id]
    letter = fill(template_id, _all_answers(template), TODAY)
    assert letter.missing == ()
    assert CHILD in letter.text and "2 March 2026" in letter.text
    for field in template.fields:
        assert field.placeholder not in letter.text
        if not field.choices and field.id != "child_name":
            assert f"value of {field.id}" in letter.text
    assert "{" not in letter.text and "}" not in letter.text
    assert letter.text.endswith("\n\n" + NOTE)


@pytest.mark.parametrize("template_id", IDS)
def test_fills_with_no_answers_using_placeholders(template_id: str) -> None:
    template = TEMPLATES[template_id]
    letter = fill(template_id, {}, TODAY)
    assert letter.missing == tuple(f.id for f in template.fields)
    for field in template.fields:
        assert field.placeholder in letter.text
    assert "[child's full name]" in letter.text
    assert letter.text.endswith(NOTE)


@pytest.mark.parametrize("template_id", IDS)
def test_blank_answers_count_as_skipped(template_id: str) -> None:
    letter = fill(template_id, {"child_name": "  \n\t ", "parent_name": None}, TODAY)
    assert "[child's full name]" in letter.text and "child_name" in letter.missing


@pytest.mark.parametrize("template_id", IDS)
def test_renders_as_a_docx_that_opens_again(template_id: str) -> None:
    letter = fill(template_id, _all_answers(TEMPLATES[template_id]), TODAY)
    data = to_docx(letter)
    document = Document(io.BytesIO(data))
    assert document.paragraphs[0].text == letter.title
    assert document.paragraphs[0].style.name == "Heading 1"
    text = _docx_text(data)
    assert CHILD in text and NOTE in text
    assert document.core_properties.author == "" and document.core_properties.last_modified_by == ""


@pytest.mark.parametrize(
    "value",
    ["<script>alert(1)</script>", "{child_name}", "{parent_name} {today} {0} {__class__}", "{{x}}",
     "<w:p>&amp;</w:p>", r"\1 \g<0>", "]]> <!-- -->"],
)
def test_answers_stay_literal_text(value: str) -> None:
    answers = {"child_name": value, "parent_name": "Jo Bloggs", "needs": value}
    letter = fill("request-assessment", answers, TODAY)
    assert f"parent of {value}," in letter.text
    assert f"{value}\n" in letter.text
    assert "Jo Bloggs" in letter.text and "[your full name]" not in letter.text
    assert value in _docx_text(to_docx(letter))


def test_control_and_bidi_characters_are_removed() -> None:
    letter = fill("complaint-stage-1", {"child_name": "Sam\x00\x07\x1b[31m\u202eevil\ud800", "complaint": "a\r\nb"},
                  TODAY)
    assert "Sam[31mevil" in letter.text
    assert "\x00" not in letter.text and "\u202e" not in letter.text and "\r" not in letter.text
    assert "Sam[31mevil" in _docx_text(to_docx(letter))


@pytest.mark.parametrize(
    "raw, expected",
    [("  two   spaces ", "two spaces"), ("a\r\n\r\n\r\n\r\nb", "a\n\nb"), ("tab\there", "tab here"),
     (dt.date(2026, 2, 16), "16 February 2026"), (42, "42")],
)
def test_clean(raw: Any, expected: str) -> None:
    assert clean(raw) == expected


def test_choices_expand_and_free_text_is_kept() -> None:
    chosen = fill("missed-deadline", {"deadline": "20-weeks", "due_date": dt.date(2026, 5, 25)}, TODAY)
    assert "within 20 weeks" in chosen.text and "regulation 13(2)" in chosen.text.lower()
    assert "That deadline was 25 May 2026." in chosen.text
    own_words = fill("missed-deadline", {"deadline": "They missed the 6-week decision."}, TODAY)
    assert "They missed the 6-week decision." in own_words.text


@pytest.mark.parametrize(
    "template_id, answers, phrases",
    [
        ("request-assessment", {}, ["section 36(1)", "Section 36(8)", "regulation 5(1)", "within 6 weeks"]),
        ("missed-deadline", {}, ["date by which the council will meet", "Local Government and Social Care Ombudsman"]),
        ("mediation", {"request": "certificate"}, ["Dear mediation adviser", "section 55", "3 working days"]),
        ("mediation", {"request": "mediate"}, ["within 30 days", "3 working days"]),
        ("draft-plan-response", {}, ["at least 15 days, beginning with the day", "section 38(2)", "meet an officer"]),
        ("early-review", {}, ["Section 44", "Chapter 9 of the SEND Code of Practice"]),
        ("subject-access", {}, ["Article 15", "one calendar month"]),
        ("complaint-stage-1", {}, ["stage 1", "Local Government and Social Care Ombudsman"]),
    ],
)
def test_letters_state_the_law_they_cite(template_id: str, answers: Dict[str, str], phrases: list) -> None:
    text = fill(template_id, answers, TODAY).text
    for phrase in phrases:
        assert phrase in text
    assert "working day" not in text or template_id == "mediation"  # 15 days and 20 weeks are calendar time


# ---- validation ---------------------------------------------------------------------------------
def _break(mutate: Any) -> Dict[str, Any]:
    data = copy.deepcopy(_raw())
    mutate(data)
    return data


def _template(data: Dict[str, Any], template_id: str) -> Dict[str, Any]:
    return next(t for t in data["templates"] if t["id"] == template_id)


BROKEN = {
    "undeclared placeholder": (lambda d: _template(d, "mediation").__setitem__(
        "body", _template(d, "mediation")["body"] + "\n{secret_field}\n"), "{secret_field}"),
    "unused field": (lambda d: _template(d, "mediation")["fields"].append(
        {"id": "unused", "question": "Q?", "placeholder": "[unused]"}), "'unused' is declared"),
    "stray brace": (lambda d: _template(d, "mediation").__setitem__("body", "{child_name} { oops"), "stray brace"),
    "unknown key": (lambda d: _template(d, "mediation").__setitem__("colour", "red"), "unknown key 'colour'"),
    "missing legal refs": (lambda d: _template(d, "mediation").pop("legal_refs"), "missing key 'legal_refs'"),
    "duplicate id": (lambda d: d["templates"].append(copy.deepcopy(d["templates"][0])), "duplicate template id"),
    "bad placeholder": (lambda d: d["fields"]["child_name"].__setitem__("placeholder", "child"), "placeholder"),
    "unknown shared field": (lambda d: _template(d, "mediation")["fields"].append("pet_name"), "pet_name"),
    "reserved field": (lambda d: _template(d, "mediation")["fields"].append(
        {"id": "today", "question": "Q?", "placeholder": "[x]"}), "'today' is reserved"),
    "no closing note": (lambda d: d.pop("closing_note"), "closing_note"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_validation_rejects_broken_templates(case: str) -> None:
    mutate, message = BROKEN[case]
    with pytest.raises(LetterTemplateError) as caught:
        parse_letter_book(_break(mutate))
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


def test_real_file_is_valid_and_reloads_from_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "letters.yml"
    path.write_text(LETTERS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    book = load_letter_book(path)
    assert list(book.templates) == IDS
    letter = fill("subject-access", {"child_name": CHILD}, TODAY, book=book)
    assert isinstance(letter, Letter) and CHILD in letter.text


def test_registry_reads_nothing_until_used(tmp_path: Path) -> None:
    registry = TemplateRegistry(tmp_path / "missing.yml")  # must not raise: no I/O at construction
    with pytest.raises(LetterTemplateError, match=r"missing.yml: cannot be read \(FileNotFoundError\)"):
        len(registry)


def test_unknown_template_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        fill("no-such-letter", {}, TODAY)
