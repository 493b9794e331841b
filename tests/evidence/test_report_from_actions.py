"""The monthly report's numbers match what happened in the conversations, with small numbers suppressed.

The actions run as the action server runs them (answers, the deadline form,
the timeline, "I don't know" and an escalation), counting into the same
database the dashboard reads; a coordinator then downloads the report. The
counters hold no text and nothing tying them to a conversation.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any, Dict, Iterator, List

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

import actions.deadline_replies as replies
from actions.answers import ActionAnswer
from actions.deadlines import ActionDeadlineResult
from actions.escalation import ActionEscalate
from actions.fallback import ActionUnanswered
from actions.services import get_services
from actions.timeline import ActionShowTimeline
from bot.review.context import ReviewContext
from bot.safety.privacy import conversation_ref
from bot.store.evidence import EvidenceCount, month_of
from bot.store.models import utcnow
from tests.evidence.conftest import TODAY
from tests.helpers.review import COORDINATOR, VOLUNTEER

pytestmark = pytest.mark.anyio
SENDERS = [f"sender-{i:02d}-8f2c" for i in range(40)]
SECRET_WORDS = "Holly Lodge zebra placement"


@pytest.fixture(autouse=True)
def actions_on_the_dashboard_database(env: Dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the action server's services at the dashboard's database, with a fixed 'today'."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(replies, "_clock", lambda: TODAY)
    get_services.cache_clear()
    yield
    get_services.cache_clear()


def _tracker(sender: str, intent: str, text: str, slots: Dict[str, Any] = None, channel: str = "web",
             ranking: List[Dict[str, Any]] = None, events: List[Dict[str, Any]] = None) -> Tracker:
    ranking = ranking or [{"name": intent, "confidence": 0.9}]
    user = {"event": "user", "text": text, "metadata": {"channel": channel},
            "parse_data": {"intent": ranking[0], "intent_ranking": ranking}}
    return Tracker.from_dict({
        "sender_id": sender, "slots": slots or {},
        "latest_message": {"text": text, "intent": ranking[0], "intent_ranking": ranking, "entities": []},
        "events": (events or []) + [user], "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen",
    })


async def _run(action: Any, tracker: Tracker) -> None:
    await action.run(CollectingDispatcher(), tracker, {})


async def _conversations() -> None:
    """What parents did this month: 7 + 3 answers, 6 + 2 passed deadlines, a timeline, 5 unanswered, 1 escalation."""
    senders = iter(SENDERS)
    for i in range(7):
        await _run(ActionAnswer(), _tracker(next(senders), "ask_tribunal_process", f"how does a tribunal work {SECRET_WORDS}",
                                            channel="telegram" if i % 2 else "web"))
    for _ in range(3):
        await _run(ActionAnswer(), _tracker(next(senders), "ask_mediation", "what is mediation"))
    for _ in range(6):  # ordered over a year ago: all of its deadlines have passed
        await _run(ActionDeadlineResult(), _tracker(next(senders), "inform", "x", slots={
            "deadline_event": "tribunal-order-amend", "deadline_date": "2025-09-01"}))
    for _ in range(2):
        await _run(ActionDeadlineResult(), _tracker(next(senders), "inform", "x", slots={
            "deadline_event": "assessment-request", "deadline_date": "2025-09-01"}))
    await _run(ActionDeadlineResult(), _tracker(next(senders), "inform", "x", slots={  # still to come: not counted
        "deadline_event": "tribunal-order-amend", "deadline_date": TODAY.isoformat()}))
    # Decision and final plan both overdue: one each for the 6-week and 20-week stages.
    await _run(ActionShowTimeline(), _tracker(next(senders), "inform", "x", slots={
        "timeline_request": "2025-09-01", "timeline_decision": "skipped", "timeline_draft": "skipped",
        "timeline_final": "skipped"}))
    ranking = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "ask_personal_budgets", "confidence": 0.2}]
    for _ in range(5):
        await _run(ActionUnanswered(), _tracker(next(senders), "nlu_fallback", f"respite {SECRET_WORDS}", ranking=ranking))
    sender = next(senders)
    question = _tracker(sender, "ask_mediation", f"mediation question {SECRET_WORDS}").events[-1]
    consent = [question, {"event": "action", "name": "action_offer_escalation"},
               {"event": "slot", "name": "escalation_offered", "value": True}, {"event": "bot", "text": "Shall I send it?"}]
    await _run(ActionEscalate(), _tracker(sender, "confirm_escalation", "/confirm_escalation",
                                          slots={"escalation_offered": True}, events=consent))


def _table(page: str, section: str) -> Dict[str, str]:
    body = page.split(f'id="s-{section}"')[1].split("</section>")[0]
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>', body))


async def test_report_numbers_match_the_conversations(make_auth, ctx: ReviewContext) -> None:
    await _conversations()
    month = month_of(utcnow())
    coordinator = make_auth(COORDINATOR)
    page = coordinator.get(f"/reports/{month}")
    assert page.status_code == 200, page.text[:300]
    assert _table(page.text, "asked") == {"How a tribunal appeal works": "7", "Mediation and the certificate": "fewer than 5"}
    assert _table(page.text, "unanswered") == {"Personal budgets and direct payments": "5"}
    assert _table(page.text, "escalated") == {"Mediation and the certificate": "fewer than 5"}
    assert _table(page.text, "deadlines") == {
        "6-week decision to assess": "fewer than 5",  # 2 from the form and 1 from the timeline
        "20-week final plan": "fewer than 5", "Annual review decision": "fewer than 5",
        "Phase transfer": "fewer than 5", "Tribunal orders": "6", "Other council deadlines": "fewer than 5",
    }
    for figure in ("How these figures were made", "What these figures cannot tell you"):
        assert figure in page.text
    assert page.text.count('<svg class="chart"') == 4 and "fewer than 5</text>" in page.text
    download = coordinator.get(f"/reports/{month}.csv")
    rows = list(csv.reader(io.StringIO(download.text)))
    assert download.headers["content-disposition"].startswith("attachment")
    assert [month, "Topics parents asked about most", "How a tribunal appeal works", "7"] in rows
    assert [month, "Topics parents asked about most", "Mediation and the certificate", "fewer than 5"] in rows
    assert not any(row[3].isdigit() and int(row[3]) < 5 for row in rows[1:])
    html_file = coordinator.get(f"/reports/{month}.html")
    assert html_file.headers["content-disposition"] == f'attachment; filename="send-navigator-evidence-{month}.html"'
    assert "Back to all evidence reports" not in html_file.text and "<script" not in html_file.text


async def test_counters_hold_no_text_and_no_conversation(ctx: ReviewContext, settings) -> None:
    await _conversations()
    with ctx.sessions() as session:
        rows = session.execute(select(EvidenceCount)).scalars().all()
    assert sum(r.count for r in rows) == 7 + 3 + 6 + 2 + 2 + 5 + 1
    columns = {c.name for c in EvidenceCount.__table__.columns}
    assert columns == {"id", "month", "measure", "item", "channel", "count"}  # no time finer than the month
    stored = " ".join(str(getattr(r, c)) for r in rows for c in columns)
    refs = {conversation_ref(settings.secret_key, s) for s in SENDERS}
    assert not any(s in stored for s in SENDERS) and not any(ref in stored for ref in refs)
    assert not any(word.lower() in stored.lower() for word in SECRET_WORDS.split())
    assert {r.channel for r in rows} == {"web", "telegram"}


def test_only_coordinators_see_reports(make_auth, client) -> None:
    month = month_of(utcnow())
    volunteer = make_auth(VOLUNTEER)
    for path in ("/reports", f"/reports/{month}", f"/reports/{month}.csv", f"/reports/{month}.html"):
        assert volunteer.get(path).status_code == 403
        assert client.get("/review" + path).status_code == 303  # anonymous: to the login page
    coordinator = make_auth(COORDINATOR)
    listing = coordinator.get("/reports")
    assert listing.status_code == 200 and f"/review/reports/{month}.csv" in listing.text
    assert coordinator.get("/reports/2026-13").status_code == 404
    assert coordinator.get("/reports/..%2Fsecret").status_code == 404


def test_report_page_allows_only_its_own_inline_style(make_auth) -> None:
    page = make_auth(COORDINATOR).get(f"/reports/{month_of(utcnow())}")
    policy = page.headers["content-security-policy"]
    assert "script-src 'none'" in policy and "'unsafe-inline'" not in policy and "style-src 'self' 'sha256-" in policy
    assert page.headers["cache-control"] == "no-store"
