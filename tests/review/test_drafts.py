"""Closing the loop: suggested answers, and draft knowledge entries that the assistant never loads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from bot.knowledge.entries import OPTIONAL_KEYS, REQUIRED_KEYS, KnowledgeBase, load_kb
from bot.review.context import ReviewContext
from bot.review.drafts import PLACEHOLDER_SOURCE, draft_answer, suggest_entries
from bot.review.snippets import load_snippets
from bot.settings import PROJECT_ROOT, Settings
from tests.helpers.review import COORDINATOR, VOLUNTEER

ANSWER = "You can appeal the refusal to the SEND Tribunal within 2 months. IASK can help."


def answered(make_auth, qid: int):
    val = make_auth(VOLUNTEER)
    val.post(f"/q/{qid}/claim")
    val.post(f"/q/{qid}/answer", answer=ANSWER)
    return make_auth(COORDINATOR)


def test_topics_come_first_then_word_overlap(knowledge_base: KnowledgeBase):
    packet = {"turns": ["how do I get school transport for my son"], "topics": [{"name": "ask_mediation", "confidence": 0.3}]}
    ids = [e.id for e in suggest_entries(knowledge_base, packet)]
    assert ids == ["mediation", "school-transport"]


def test_unknown_topics_and_empty_packets_are_safe(knowledge_base: KnowledgeBase):
    assert suggest_entries(knowledge_base, {"topics": [{"name": "nlu_fallback"}], "turns": []}) == []
    assert draft_answer([]).startswith("Thank you")


def test_snippets_name_only_sourced_numbers(review_settings: Settings):
    snippets = load_snippets(review_settings.knowledge_dir)
    assert {s.id for s in snippets} == {"iask", "kent-pact", "ipsea", "sossen", "crisis"}
    kb_text = "".join(p.read_text() for p in (PROJECT_ROOT / "knowledge").glob("*/*.yml"))
    for snippet in snippets:
        assert snippet.source.url in kb_text  # every snippet cites a page the knowledge base already cites
        for number in ("020 8538 3731", "116 123", "85258", "999"):
            if number in snippet.text:
                assert number in kb_text


def test_kb_candidate_download_is_a_schema_shaped_draft(make_auth, ctx: ReviewContext, qid: int):
    cora = answered(make_auth, qid)
    assert "This should be in the knowledge base" in cora.get(f"/q/{qid}").text
    assert cora.get(f"/q/{qid}/kb-draft.yml").status_code == 404  # not marked yet
    assert cora.post(f"/q/{qid}/kb-candidate").status_code == 303
    response = cora.get(f"/q/{qid}/kb-draft.yml")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="volunteer-answer-{qid}.yml"'
    data = yaml.safe_load(response.text)
    entry = data["entries"][0]
    assert set(entry) == REQUIRED_KEYS | {"legal_refs"} and set(entry) <= REQUIRED_KEYS | OPTIONAL_KEYS
    assert entry["short"] == ANSWER and entry["sources"] == [PLACEHOLDER_SOURCE]
    assert entry["id"] == f"volunteer-answer-{qid}" and "ehc-refusal-to-assess" in entry["related"]
    assert {r.action for r in ctx.audit.latest()} >= {"kb_candidate", "export"}


def test_kb_draft_is_written_to_drafts_and_never_loaded(make_auth, ctx: ReviewContext, qid: int, review_settings: Settings):
    cora = answered(make_auth, qid)
    cora.post(f"/q/{qid}/kb-candidate")
    assert cora.post(f"/q/{qid}/kb-draft.yml").status_code == 303
    path = review_settings.knowledge_dir / "drafts" / f"volunteer-answer-{qid}.yml"
    assert yaml.safe_load(path.read_text())["entries"][0]["short"] == ANSWER
    kb = load_kb(review_settings.knowledge_dir, today=dt.date(2026, 12, 1))
    assert f"volunteer-answer-{qid}" not in kb.entries


def test_a_valid_entry_in_drafts_is_not_loaded(tmp_path: Path, review_settings: Settings):
    live = load_kb(review_settings.knowledge_dir)
    drafts = review_settings.knowledge_dir / "drafts"
    drafts.mkdir(exist_ok=True)
    good = dict(yaml.safe_load((PROJECT_ROOT / "knowledge" / "national" / "help.yml").read_text())["entries"][0])
    good["id"] = "draft-only-entry"
    (drafts / "draft-only-entry.yml").write_text(yaml.safe_dump({"entries": [good]}))
    kb = load_kb(review_settings.knowledge_dir)
    assert "draft-only-entry" not in kb.entries and set(kb.entries) == set(live.entries)


def test_volunteer_cannot_mark_kb_candidates(make_auth, qid: int):
    answered(make_auth, qid)
    assert make_auth(VOLUNTEER).post(f"/q/{qid}/kb-candidate").status_code == 403
