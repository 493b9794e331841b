"""Question flows through the dashboard: claim, give back, reassign, answer, close."""

from __future__ import annotations

import pytest

from bot.review.context import ReviewContext
from tests.helpers.review import (
    COORDINATOR, MOUNT, QUESTION_TEXT, SECOND, VOLUNTEER, AuthActions, choose_password, link_on, make_question,
)


def test_queue_lists_oldest_first_with_wait_topic_channel_and_excerpt(make_auth, ctx: ReviewContext):
    first = make_question(ctx, conversation="a")
    second = make_question(ctx, text="school transport stopped", conversation="b", channel="telegram", topic=None)
    page = make_auth(VOLUNTEER).get("/")
    assert page.status_code == 200
    assert page.text.index(f"Question {first}<") < page.text.index(f"Question {second}<")
    assert QUESTION_TEXT in page.text and "telegram" in page.text and "Council refused to assess or plan" in page.text
    assert "2 questions waiting" in page.text and "the oldest has waited 0 min" in page.text


@pytest.mark.parametrize("query,shown,hidden", [
    ("?channel=telegram", "school transport", QUESTION_TEXT),
    ("?topic=ask_ehc_refusal_to_assess", QUESTION_TEXT, "school transport"),
    ("?age=24h", "No questions match", QUESTION_TEXT),
    ("?state=answered", "No questions match", QUESTION_TEXT),
    ("?state=nonsense", QUESTION_TEXT, "No questions match"),
])
def test_queue_filters(make_auth, ctx: ReviewContext, query: str, shown: str, hidden: str):
    make_question(ctx, conversation="a")
    make_question(ctx, text="school transport stopped", conversation="b", channel="telegram", topic=None)
    page = make_auth(VOLUNTEER).get("/" + query)
    assert shown in page.text and hidden not in page.text


def test_withdrawn_question_says_so(make_auth, ctx: ReviewContext):
    qid = make_question(ctx, conversation="gone")
    ctx.escalations.erase_conversation("gone")
    volunteer = make_auth(VOLUNTEER)
    assert "withdrawn by the parent" in volunteer.get("/?state=cancelled").text
    page = volunteer.get(f"/q/{qid}").text
    assert "Withdrawn by the parent" in page and "Claim this question" not in page


def test_question_page_shows_the_handover_packet_and_a_draft_with_sources(make_auth, qid: int):
    page = make_auth(VOLUNTEER).get(f"/q/{qid}").text
    assert QUESTION_TEXT in page and "42%" in page and "Council refused to assess or plan" in page
    assert "Asking for an EHC needs assessment" in page  # the entry the assistant already tried
    assert "Claim this question" in page and 'name="answer"' not in page  # answer only after claiming


def test_two_volunteers_claim_the_same_question(make_auth, ctx: ReviewContext, qid: int):
    val, sam = make_auth(VOLUNTEER), make_auth(SECOND)
    assert val.post(f"/q/{qid}/claim").status_code == 303
    second = sam.post(f"/q/{qid}/claim")
    assert second.status_code == 409
    assert "already claimed by Val" in second.text
    assert ctx.escalations.get(qid).claimed_by == ctx.volunteers.by_email(VOLUNTEER[0]).id


def test_claimed_question_shows_an_answer_form_prefilled_from_the_knowledge_base(make_auth, qid: int):
    val = make_auth(VOLUNTEER)
    response = val.post(f"/q/{qid}/claim")
    assert response.headers["location"] == f"{MOUNT}/q/{qid}?done=claimed"
    page = val.get(f"/q/{qid}?done=claimed").text
    assert "You have claimed this question." in page
    assert '<textarea id="answer" name="answer"' in page
    assert "Where this comes from:" in page and 'href="https://www.legislation.gov.uk/' in page
    for snippet in ("IASK", "Kent PACT", "IPSEA", "SOS!SEN", "Urgent help and crisis contacts"):
        assert snippet in page


def test_give_back_then_claim_again(make_auth, ctx: ReviewContext, qid: int):
    val, sam = make_auth(VOLUNTEER), make_auth(SECOND)
    val.post(f"/q/{qid}/claim")
    assert val.post(f"/q/{qid}/return", note="").status_code == 400
    too_long = val.post(f"/q/{qid}/return", note="x" * 2001)
    assert too_long.status_code == 400 and "notes can have at most 2000 characters" in too_long.text
    assert sam.post(f"/q/{qid}/return", note="not mine").status_code == 409
    assert val.post(f"/q/{qid}/return", note="Needs someone who knows transport").status_code == 303
    assert ctx.escalations.get(qid).state == "returned"
    page = sam.get(f"/q/{qid}").text
    assert "Needs someone who knows transport" in page
    assert sam.post(f"/q/{qid}/claim").status_code == 303
    assert ctx.escalations.get(qid).claimed_by == ctx.volunteers.by_email(SECOND[0]).id


def test_coordinator_reassigns(make_auth, ctx: ReviewContext, qid: int, people):
    make_auth(VOLUNTEER).post(f"/q/{qid}/claim")
    cora = make_auth(COORDINATOR)
    assert "Give this question to" in cora.get(f"/q/{qid}").text
    assert cora.post(f"/q/{qid}/reassign", volunteer_id=str(people["Sam"])).status_code == 303
    assert ctx.escalations.get(qid).claimed_by == people["Sam"]
    assert cora.post(f"/q/{qid}/reassign", volunteer_id="").status_code == 400
    assert [r.detail for r in ctx.audit.latest() if r.action == "reassign"] == [{"to": people["Sam"]}]


def test_answer_queues_a_delivery_and_close(make_auth, ctx: ReviewContext, qid: int):
    val = make_auth(VOLUNTEER)
    val.post(f"/q/{qid}/claim")
    assert val.post(f"/q/{qid}/answer", answer="   ").status_code == 400
    assert val.post(f"/q/{qid}/answer", answer="x" * 4001).status_code == 400
    assert val.post(f"/q/{qid}/answer", answer="Ask IASK to help you appeal.").status_code == 303
    deliveries = ctx.escalations.pending_deliveries("web")
    assert [(d.escalation_id, d.text) for d in deliveries] == [(qid, "Ask IASK to help you appeal.")]
    page = val.get(f"/q/{qid}?done=answered").text
    assert "Answer sent" in page and "Ask IASK to help you appeal." in page
    assert val.post(f"/q/{qid}/answer", answer="again").status_code == 409
    assert val.post(f"/q/{qid}/close").status_code == 303
    assert ctx.escalations.get(qid).state == "closed"


def test_cannot_answer_someone_elses_question(make_auth, ctx: ReviewContext, qid: int):
    make_auth(VOLUNTEER).post(f"/q/{qid}/claim")
    assert make_auth(SECOND).post(f"/q/{qid}/answer", answer="sneaky").status_code == 409
    assert ctx.escalations.pending_deliveries("web") == []


def test_header_counts_waiting_questions_on_every_page(make_auth, ctx: ReviewContext):
    make_question(ctx, conversation="a")
    cora = make_auth(COORDINATOR)
    for path in ("/", "/insights", "/audit", "/volunteers", "/q/1"):
        assert "1 question waiting" in cora.get(path).text, path


def test_links_honour_the_mount_point(make_auth, qid: int):
    page = make_auth(COORDINATOR).get(f"/q/{qid}").text
    assert f'href="{MOUNT}/static/review.css"' in page
    assert f'action="{MOUNT}/q/{qid}/claim"' in page and f'action="{MOUNT}/logout"' in page


def test_coordinator_invites_a_volunteer_who_chooses_a_password_then_logs_in(make_auth, make_client, ctx: ReviewContext):
    cora = make_auth(COORDINATOR)
    response = cora.post("/volunteers", email="New@Example.org", display_name="Nia", role="volunteer")
    assert response.status_code == 201
    link = link_on(response.text)
    assert ctx.volunteers.by_email("new@example.org").password_hash == ""  # no password until Nia chooses one
    assert "password" not in str([r.detail for r in ctx.audit.latest()])
    assert "Nia" not in cora.get("/volunteers").text.split("Invite a volunteer")[1]  # shown once, not re-rendered
    nia = make_client()
    assert choose_password(nia, link, "nia-chose-this-one").status_code == 303
    assert ctx.volunteers.by_email("new@example.org").password_hash.startswith("$argon2id$")
    assert AuthActions(nia).login(("new@example.org", "", "", "nia-chose-this-one")).status_code == 303
    again = cora.post("/volunteers", email="new@example.org", display_name="Nia", role="volunteer")
    assert again.status_code == 400 and "already an account" in again.text


@pytest.mark.parametrize("email, problem", [
    ("new@example.org\x00", "cannot contain spaces or control characters"),
    ("n" * 60_000 + "@example.org", "too long: it can have at most 254 characters"),
    ("new@@example.org", "exactly one @"),
    ("new@localhost", "after the @ must be a domain"),
    ("", "Please give an email address."),
])
def test_invite_refuses_an_unusable_email_saying_why(make_auth, ctx: ReviewContext, email: str, problem: str):
    cora = make_auth(COORDINATOR)
    before = len(ctx.volunteers.all())
    response = cora.post("/volunteers", email=email, display_name="Nia", role="volunteer")
    assert response.status_code == 400 and problem in response.text
    assert len(ctx.volunteers.all()) == before


@pytest.mark.parametrize("name, role, problem", [
    ("\x00\x07", "volunteer", "Please give a name of at most 80 characters."),
    ("N" * 81, "volunteer", "Please give a name of at most 80 characters."),
    ("Nia", "admin", "Please choose a role"),
])
def test_invite_refuses_a_bad_name_or_role(make_auth, ctx: ReviewContext, name: str, role: str, problem: str):
    response = make_auth(COORDINATOR).post("/volunteers", email="nia@example.org", display_name=name, role=role)
    assert response.status_code == 400 and problem in response.text
    assert ctx.volunteers.by_email("nia@example.org") is None
