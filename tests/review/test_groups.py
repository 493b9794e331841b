"""Unanswered groups become work: a knowledge draft beside the redacted questions, or out of scope with a reply."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.review.context import ReviewContext
from bot.store.unanswered import UnansweredRecord
from bot.store.unanswered_groups import DRAFTED, OUT_OF_SCOPE, UnansweredGroupRepository
from tests.helpers.review import COORDINATOR, MOUNT, VOLUNTEER

RESPITE = ["can we get respite care in the holidays", "respite care over the summer holidays",
           "who pays for respite care in the holidays", "respite care holidays [name] needs it"]
PASSPORTS = ["how do I renew a passport quickly", "renew my passport", "passport renew form"]
LONE = "zebra crossings"
REPLY = "The forum cannot help with passports, sorry."


@pytest.fixture
def logged(ctx: ReviewContext, people) -> None:
    for i, text in enumerate(RESPITE + PASSPORTS + [LONE]):
        ctx.unanswered.add(UnansweredRecord("web", "out_of_scope", text, [{"name": "out_of_scope"}], f"c{i}"))


def _group_link(page: str, label_word: str) -> str:
    found = re.search(r'<a href="/review(/groups/[0-9a-f]{64})">([^<]*' + label_word + r'[^<]*)</a>', page)
    assert found, page[:2000]
    return found.group(1)


def test_a_coordinator_drafts_an_entry_beside_the_redacted_questions(make_auth, logged, ctx: ReviewContext,
                                                                        review_settings) -> None:
    cora = make_auth(COORDINATOR)
    listing = cora.get("/groups")
    assert listing.status_code == 200
    path = _group_link(listing.text, "respite")
    assert "respite" not in path  # the words never go in a URL
    page = cora.get(path)
    assert page.status_code == 200
    for text in RESPITE:
        assert text.replace("[", "&#91;").replace("]", "&#93;") in page.text or text in page.text
    assert "open" in page.text
    done = cora.post(path + "/draft", title="Respite care in the holidays",
                     short="Short breaks are arranged by the council.", steps="Ask the council\nAsk IASK")
    assert done.status_code == 303 and done.headers["location"].endswith("?done=draft")
    [draft] = (review_settings.knowledge_dir / "drafts").glob("unanswered-group-*.yml")
    text = draft.read_text(encoding="utf-8")
    entry = yaml.safe_load(text)["entries"][0]
    assert entry["title"] == "Respite care in the holidays" and entry["next_steps"] == ["Ask the council", "Ask IASK"]
    assert entry["reviewed"] is None and "4 similar questions" in text
    assert not any(question in text for question in RESPITE)  # examples are shown, never copied
    [decision] = UnansweredGroupRepository(ctx.sessions).all()
    assert decision.status == DRAFTED and decision.draft_id == draft.stem
    assert [r.action for r in ctx.audit.latest() if r.target_type == "unanswered_group"][0] == "write_draft"
    insights = cora.get("/insights").text.split('id="t-topics"')[1].split("</section>")[0]
    assert "knowledge-base draft written" in insights


def test_out_of_scope_with_a_reply_shows_in_insights_and_can_be_reopened(make_auth, logged, ctx: ReviewContext) -> None:
    cora = make_auth(COORDINATOR)
    path = _group_link(cora.get("/groups").text, "passport")
    assert cora.post(path + "/out-of-scope", reply="").status_code == 400
    assert cora.post(path + "/out-of-scope", reply="x" * 601).status_code == 400
    assert cora.post(path + "/out-of-scope", reply=REPLY).status_code == 303
    [decision] = UnansweredGroupRepository(ctx.sessions).out_of_scope()
    assert decision.reply == REPLY and decision.status == OUT_OF_SCOPE
    assert "out of scope, canned reply" in cora.get("/groups").text
    assert "out of scope, canned reply" in cora.get("/insights").text
    assert REPLY in cora.get(path).text
    audit = [r for r in ctx.audit.latest() if r.action == "out_of_scope"]
    assert audit and audit[0].detail == {"chars": len(REPLY)} and "passport" not in str(audit[0].target_id)
    assert cora.post(path + "/reopen").status_code == 303
    assert UnansweredGroupRepository(ctx.sessions).out_of_scope() == []


def test_only_coordinators_and_only_with_the_csrf_token(make_auth, logged, client, ctx: ReviewContext) -> None:
    path = _group_link(make_auth(COORDINATOR).get("/groups").text, "passport")
    val = make_auth(VOLUNTEER)
    assert val.get("/groups").status_code == 403 and val.get(path).status_code == 403
    assert val.post(path + "/out-of-scope", reply=REPLY).status_code == 403
    assert val.post(path + "/draft", title="t", short="s").status_code == 403
    cora = make_auth(COORDINATOR)
    refused = cora.client.post(MOUNT + path + "/out-of-scope", data={"csrf_token": "wrong", "reply": REPLY})
    assert refused.status_code == 403
    assert client.post(MOUNT + path + "/out-of-scope", data={"reply": REPLY}).status_code == 401
    assert UnansweredGroupRepository(ctx.sessions).all() == []
    assert {"csrf_refused", "forbidden"} <= {r.action for r in ctx.audit.latest()}


def test_an_unknown_or_changed_group_is_not_found(make_auth, logged) -> None:
    cora = make_auth(COORDINATOR)
    assert cora.get("/groups/" + "0" * 64).status_code == 404
    assert cora.post("/groups/" + "0" * 64 + "/out-of-scope", reply=REPLY).status_code == 404


def test_a_group_of_fewer_than_three_cannot_be_kept(make_auth, logged, ctx: ReviewContext, review_settings) -> None:
    cora = make_auth(COORDINATOR)
    path = _group_link(cora.get("/groups").text, "zebra")
    page = cora.get(path)
    assert "Not enough questions yet" in page.text and 'action="/review' + path + '/out-of-scope"' not in page.text
    assert cora.post(path + "/out-of-scope", reply=REPLY).status_code == 409
    assert cora.post(path + "/draft", title="t", short="s").status_code == 400
    assert UnansweredGroupRepository(ctx.sessions).all() == []
    assert not (review_settings.knowledge_dir / "drafts").exists()


def test_only_the_shared_words_are_kept(make_auth, logged, ctx: ReviewContext) -> None:
    cora = make_auth(COORDINATOR)
    path = _group_link(cora.get("/groups").text, "passport")
    assert cora.post(path + "/out-of-scope", reply=REPLY).status_code == 303
    [decision] = UnansweredGroupRepository(ctx.sessions).all()
    assert decision.words == {"passport", "renew"} and set(decision.label.split()) == {"passport", "renew"}  # not "quickly", "form"


def test_draft_fields_are_checked(make_auth, logged, review_settings) -> None:
    cora = make_auth(COORDINATOR)
    path = _group_link(cora.get("/groups").text, "respite")
    assert cora.post(path + "/draft", title="", short="s").status_code == 400
    assert cora.post(path + "/draft", title="t", short="s", steps="\n".join("step" for _ in range(6))).status_code == 400
    assert not (review_settings.knowledge_dir / "drafts").exists() or not list(
        Path(review_settings.knowledge_dir / "drafts").glob("unanswered-group-*"))


def test_a_reply_with_markup_is_shown_as_text(make_auth, logged, ctx: ReviewContext) -> None:
    cora = make_auth(COORDINATOR)
    path = _group_link(cora.get("/groups").text, "passport")
    markup = 'See <img src=x onerror="alert(1)"> please'
    assert cora.post(path + "/out-of-scope", reply=markup).status_code == 303
    page = cora.get(path).text
    assert "<img src=x" not in page and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
