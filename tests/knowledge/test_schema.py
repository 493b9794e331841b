"""Tests for bot.knowledge.schema: each kind of violation gives one precise problem, and every problem is reported."""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Any, List

import pytest

from bot.knowledge.schema import (
    INVALID, ByType, Date, DictOf, Enum, Id, Int, Items, KnowledgeBaseError, Map, Ref, Report, Spec, Str, Where,
    by_key, id_spec, placeholders,
)

F = Where("f.yml")


def problems_of(spec: Spec, value: Any) -> List[str]:
    """Validate a value at the top of f.yml and return the problems, with the file name taken off."""
    report = Report()
    clean = spec.validate(value, F, report)
    assert (clean is INVALID) == bool(report.problems)  # a value is cleaned exactly when nothing is wrong
    return [p.removeprefix("f.yml: ") for p in report.problems]


@dataclass(frozen=True)
class Pair:
    a: str
    b: int


# One violation in, one problem out, at its place ------------------------------------------------------------

VIOLATIONS = [
    # text
    (Str(), 7, "must be text, not a number"),
    (Str(), None, "must be text, not empty"),
    (Str(), True, "must be text, not true/false"),
    (Str(), ["a"], "must be text, not a list"),
    (Str(), {"a": 1}, "must be text, not a mapping"),
    (Str(), dt.date(2026, 1, 1), "must be text, not a date"),
    (Str(), "   \n", "must be non-empty text"),
    (Str(max_chars=5), "abcdef", "is 6 characters long (max 5)"),
    (Str(max_words=3), "one two three four", "has 4 words (max 3)"),
    (id_spec(), "Bad_ID", "'Bad_ID' is not lower-case words joined by hyphens"),
    (id_spec(), "trailing-", "'trailing-' is not lower-case words joined by hyphens"),
    (id_spec(), "mediation\n", "'mediation\\n' is not lower-case words joined by hyphens"),
    (id_spec(), " mediation", "' mediation' is not lower-case words joined by hyphens"),
    (id_spec(), "X" * 200, "'" + "X" * 80 + "'... is not lower-case words joined by hyphens"),
    (Str(fields=("a", "b")), "{a} only", "must use exactly {a}, {b}"),
    (Str(fields=("a",)), "{a} and {c}", "must use exactly {a}"),
    (Str(fields=()), "Hello {name}", "must use no {placeholders}"),
    (Str(fields=()), "Hello {}", "must use no {placeholders}"),
    (Str(fields=("a",)), "{a} and {", "has a stray brace: a value filled in is written {name}"),
    (Str(fields=("a",)), "{a} and }", "has a stray brace: a value filled in is written {name}"),
    (Str(checks=[lambda s: None if s.islower() else "must be lower-case"]), "Abc", "must be lower-case"),
    # choices, numbers, dates
    (Enum(["a", "b"]), "c", "must be one of a, b, not 'c'"),
    (Enum(["a", "b"]), ["a"], "must be one of a, b, not a list"),
    (Int(), "7", "must be a whole number, not text"),
    (Int(), True, "must be a whole number, not true/false"),
    (Int(), 1.5, "must be a whole number, not a number"),
    (Int(1, 10), 0, "must be at least 1 and at most 10, not 0"),
    (Int(1), -5, "must be at least 1, not -5"),
    (Int(maximum=10), 10 ** 30, "must be at most 10, not 1000000000000000000000000000000"),
    (Date(), "2026-01-01", "must be a date (YYYY-MM-DD), not text"),
    (Date(), dt.datetime(2026, 1, 1, 9, 0), "must be a date (YYYY-MM-DD), not a date and time"),
    # mappings with fixed keys
    (Map({"a": Str()}), ["a"], "must be a mapping, not a list"),
    (Map({"a": Str()}), {}, "missing key 'a'"),
    (Map({"a": Str()}), {"a": "x", "b": 1}, "unknown key 'b'"),
    (Map({"a": Str()}), {"a": "x", 3: 1}, "unknown key 3"),
    (Map({"a": Str()}), {"a": "x", dt.date(2026, 1, 2): 1}, "unknown key 2026-01-02"),
    (Map({"a": Str()}), {"a": 1}, "a: must be text, not a number"),
    (Map({}, {"a": Str()}), {"a": ""}, "a: must be non-empty text"),
    (Map({"a": Str(), "b": Int()}, checks=[lambda m: None if m["b"] > len(m["a"]) else "b must exceed a's length"]),
     {"a": "xyz", "b": 2}, "b must exceed a's length"),
    # mappings with free keys
    (DictOf(keys=id_spec(), values=Int()), [], "must be a mapping, not a list"),
    (DictOf(keys=id_spec(), values=Int(), min_len=1), {}, "needs at least 1 entry"),
    (DictOf(keys=id_spec(), values=Int()), {"Bad Key": 1}, "'Bad Key': 'Bad Key' is not lower-case words joined by hyphens"),
    (DictOf(keys=id_spec(), values=Int()), {"good": "1"}, "good: must be a whole number, not text"),
    # lists
    (Items(Str()), "a", "must be a list, not text"),
    (Items(Str(), min_len=1), [], "needs at least 1 item"),
    (Items(Str(), min_len=2), ["a"], "needs at least 2 items"),
    (Items(Str(), max_len=2), ["a", "b", "c"], "has 3 items (max 2)"),
    (Items(Str()), ["a", "b", 3], "[2]: must be text, not a number"),
    (Items(Str(), unique=str.casefold), ["a", "B", "b"], "[2]: 'b' is listed twice"),
    (Items(Map({"id": id_spec(), "n": Int()}), anchor="id"), [{"id": "one", "n": 1}, {"id": "two", "n": "x"}],
     "two.n: must be a whole number, not text"),
    (Items(Map({"id": id_spec(), "n": Int()}), anchor="id"), [{"id": "Not An Id", "n": 1}],
     "[0].id: 'Not An Id' is not lower-case words joined by hyphens"),
    (Items(Map({"id": id_spec()}), unique=by_key("id")), [{"id": "a"}, {"id": "a"}], "[1]: 'a' is listed twice"),
    (Items(Str(), checks=[lambda items: None if "x" in items else "must include x"]), ["a"], "must include x"),
    # a choice of spec by type
    (ByType([(str, Str()), (dict, Map({"a": Str()}))], "a name or a mapping"), 4, "must be a name or a mapping, not a number"),
    (ByType([(str, Str()), (dict, Map({"a": Str()}))], "a name or a mapping"), {"a": "x", "b": "x"}, "unknown key 'b'"),
    # nesting: the place is a path
    (Map({"templates": Items(Map({"fields": Items(Map({"question": Str()}))}))}),
     {"templates": [{"fields": []}, {"fields": [{"question": ""}]}]}, "templates[1].fields[0].question: must be non-empty text"),
    (Map({"topics": DictOf(keys=id_spec(), values=Map({"follow_ups": DictOf(keys=id_spec(), values=Map({"entry": Str()}))}))}),
     {"topics": {"mediation": {"follow_ups": {"must": {"entry": 5}}}}}, "topics.mediation.follow_ups.must.entry: must be text, not a number"),
]


@pytest.mark.parametrize("spec, value, problem", VIOLATIONS, ids=[v[2][:60] for v in VIOLATIONS])
def test_each_violation_gives_one_precise_problem(spec: Spec, value: Any, problem: str) -> None:
    assert problems_of(spec, value) == [problem]


# Valid values come back cleaned ------------------------------------------------------------------------------

CLEANED = [
    (Str(), "  text with spaces \n", "text with spaces"),
    (Str(lower=True), "GOV.UK", "gov.uk"),
    (Str(fields=("a", "b")), "{b} then {a}", "{b} then {a}"),
    (Str(max_words=3, max_chars=14), "one two three", "one two three"),
    (id_spec(), "post-16", "post-16"),
    (Int(1, 10), 10, 10),
    (Date(), dt.date(2026, 2, 28), dt.date(2026, 2, 28)),
    (Enum(["a", "b"]), "b", "b"),
    (Items(Str()), [" a ", "b"], ("a", "b")),
    (Map({"a": Str()}, {"b": Int()}), {"a": "x"}, {"a": "x"}),
    (Map({"a": Str(), "b": Int()}, build=Pair), {"a": "x", "b": 2}, Pair("x", 2)),
    (DictOf(keys=id_spec(), values=Items(Int())), {"k": [1, 2]}, {"k": (1, 2)}),
    (ByType([(str, Str()), (dict, Map({"a": Str()}))], "x"), {"a": " y "}, {"a": "y"}),
]


@pytest.mark.parametrize("spec, value, expected", CLEANED, ids=[repr(c[1])[:40] for c in CLEANED])
def test_a_valid_value_comes_back_cleaned(spec: Spec, value: Any, expected: Any) -> None:
    report = Report()
    assert spec.validate(value, F, report) == expected
    assert report.problems == []


# Every problem at once ----------------------------------------------------------------------------------------

def test_every_problem_in_a_document_is_reported_not_just_the_first() -> None:
    spec = Map({
        "title": Str(max_chars=10),
        "items": Items(Map({"id": id_spec(), "n": Int(0, 9)}), anchor="id"),
    }, {"note": Str()})
    document = {
        "title": "far too long a title",
        "items": [{"id": "a", "n": 10}, {"id": "b", "n": "x", "colour": "red"}, {"n": 1}],
        "extra": True,
    }
    assert problems_of(spec, document) == [
        "unknown key 'extra'",
        "title: is 20 characters long (max 10)",
        "a.n: must be at least 0 and at most 9, not 10",  # an anchored item is named by its id alone
        "b: unknown key 'colour'",
        "b.n: must be a whole number, not text",
        "items[2]: missing key 'id'",
    ]


def test_checks_run_only_on_a_value_that_is_otherwise_valid() -> None:
    calls: List[Any] = []
    spec = Items(Int(), checks=[lambda items: calls.append(items)])
    assert problems_of(spec, [1, "x"]) == ["[1]: must be a whole number, not text"]
    assert calls == []
    assert problems_of(spec, [1, 2]) == [] and calls == [(1, 2)]


def test_a_check_may_return_several_problems() -> None:
    spec = Str(checks=[lambda s: [f"has {c!r}" for c in "xy" if c in s]])
    assert problems_of(spec, "axby") == ["has 'x'", "has 'y'"]


def test_build_is_never_called_with_a_faulty_value() -> None:
    built: List[Any] = []
    spec = Map({"a": Str()}, build=lambda **kw: built.append(kw))
    assert problems_of(spec, {"a": 1}) == ["a: must be text, not a number"]
    assert problems_of(spec, {}) == ["missing key 'a'"]
    assert built == []


# Ids and references -------------------------------------------------------------------------------------------

def test_ids_are_declared_across_files_and_duplicates_name_the_first_file() -> None:
    report = Report()
    entries = Items(Map({"id": Id("entry")}), anchor="id")
    entries.validate([{"id": "a"}, {"id": "b"}], Where("one.yml"), report)
    entries.validate([{"id": "c"}, {"id": "a"}, {"id": "c"}], Where("two.yml"), report)
    assert report.problems == [
        "two.yml: a.id: duplicate entry id 'a' (also in one.yml)",
        "two.yml: c.id: duplicate entry id 'c'",
    ]
    assert set(report.declared["entry"]) == {"a", "b", "c"}


def test_references_are_resolved_after_loading_in_any_order() -> None:
    report = Report()
    spec = Map({"links": Items(Ref("entry")), "entries": Items(Map({"id": Id("entry")}))})
    spec.validate({"links": ["later", "nowhere"], "entries": [{"id": "later"}]}, F, report)
    assert report.problems == []
    report.resolve("entry")
    assert report.problems == ["f.yml: links[1]: entry 'nowhere' does not exist"]
    report.resolve("entry")  # resolved references are forgotten, so a second pass adds nothing
    assert len(report.problems) == 1


def test_references_can_be_resolved_against_ids_from_elsewhere() -> None:
    report = Report()
    Items(Ref("clock")).validate(["a", "b", "Bad"], F, report)
    report.resolve("clock", {"a"})
    report.resolve("kind", set())  # another kind: nothing to say
    assert report.problems == [
        "f.yml: [2]: 'Bad' is not lower-case words joined by hyphens",
        "f.yml: [1]: clock 'b' does not exist",
    ]


def test_a_ref_with_its_own_pattern() -> None:
    section = Ref("section", re.compile(r"[a-z]+#[a-z]+"), "an entry id and a section id")
    assert problems_of(section, "mediation") == ["'mediation' is not an entry id and a section id"]
    assert problems_of(section, "mediation#how") == []


def test_raise_if_any_raises_the_given_error_with_every_problem() -> None:
    class OtherError(KnowledgeBaseError):
        heading = "other files are invalid"

    report = Report()
    report.raise_if_any()  # nothing to raise
    report.add(F, "one")
    report.add(F.key("k"), "two")
    with pytest.raises(OtherError) as raised:
        report.raise_if_any(OtherError)
    assert raised.value.problems == ["f.yml: one", "f.yml: k: two"]
    assert str(raised.value) == "other files are invalid:\n- f.yml: one\n- f.yml: k: two"
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize("where, shown", [
    (F, "f.yml"),
    (F.key("a").index(2).key("b"), "f.yml: a[2].b"),
    (F.key("a").anchor("mediation").key("sections").index(0), "f.yml: mediation.sections[0]"),
    (F.key("has space"), "f.yml: 'has space'"),
    (F.key(1), "f.yml: 1"),
    (F.key("k" * 100), "f.yml: '" + "k" * 80 + "'..."),
])
def test_places_read_as_paths(where: Where, shown: str) -> None:
    assert str(where) == shown


@pytest.mark.parametrize("template, names", [
    ("no placeholders", ()), ("{b} {a} {b}", ("a", "b")), ("{}", ("",)), ("{{literal}} {x}", ("x",)),
])
def test_placeholders(template: str, names: tuple) -> None:
    assert placeholders(template) == names


# Safety: aliased values are never expanded --------------------------------------------------------------------

def bomb(depth: int) -> list:
    """Return what `yaml.safe_load` builds from nested aliases: 10**depth strings sharing 10 lists."""
    value: list = ["lol"] * 10
    for _ in range(depth - 1):
        value = [value] * 10
    return value


@pytest.mark.parametrize("spec", [
    Str(), Str(fields=()), id_spec(), Enum(["a"]), Int(), Date(), Ref("entry"),
    Map({"a": Str()}), Items(Str()), Items(Items(Str())), DictOf(keys=id_spec(), values=Str()),
], ids=lambda s: type(s).__name__)
def test_a_billion_laughs_value_is_refused_without_being_walked(spec: Spec) -> None:
    started = time.perf_counter()
    problems = problems_of(spec, bomb(9))  # stands for 10**9 strings
    assert problems and all(len(p) < 200 for p in problems)
    assert time.perf_counter() - started < 1.0
