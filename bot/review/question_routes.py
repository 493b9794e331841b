"""The queue and one question: view, claim, give back, reassign, answer, close, and KB drafts."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Optional

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.knowledge.entries import id_for_intent
from bot.notify.promise_clock import promise_words
from bot.review import promise_view
from bot.review.context import ctx, redirect, render
from bot.review.drafts import draft_answer, draft_entry, draft_yaml, suggest_entries, write_draft
from bot.review.inputs import clean_text, row_id
from bot.review.security import Form, action, coordinator_only, page
from bot.store.escalations import STATES, WAITING, Escalation, TransitionError
from bot.store.models import utcnow
from bot.store.volunteers import LiveSession

STATE_FILTERS = {
    "active": WAITING + ("claimed",), "waiting": WAITING, "claimed": ("claimed",), "answered": ("answered",),
    "closed": ("closed",), "cancelled": ("cancelled",), "all": STATES,
}
AGE_FILTERS = {"": None, "1h": dt.timedelta(hours=1), "24h": dt.timedelta(hours=24),
               "3d": dt.timedelta(days=3), "7d": dt.timedelta(days=7)}
MAX_ANSWER = 4000
MAX_NOTE = 2000
TOO_LONG_ANSWER = (f"Your answer was too long to send: answers can have at most {MAX_ANSWER} characters. "
                   "Nothing was sent. Please shorten it and send it again.")
TOO_LONG_NOTE = (f"Your note was too long to send: notes can have at most {MAX_NOTE} characters. "
                 "The question is still yours. Please shorten the note and try again.")
DONE = {"claimed": "You have claimed this question.", "answered": "Answer sent. It will be delivered to the parent's chat.",
        "returned": "Question given back to the queue.", "reassigned": "Question reassigned.",
        "closed": "Question closed.", "kb": "Marked as a knowledge base candidate.", "draft": "Draft written to knowledge/drafts/."}
EXCERPT_CHARS = 140


def excerpt(row: Escalation) -> str:
    """Return a short excerpt of the parent's (redacted) question."""
    turns = (row.packet or {}).get("turns") or []
    text = " ".join(str(turns[-1]).split()) if turns else ""
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


@page
def queue(request: Request, live: LiveSession) -> Response:
    """List questions, oldest first, filtered by state, topic, channel and age."""
    context = ctx(request)
    params = request.query_params
    state = params.get("state", "active") if params.get("state") in STATE_FILTERS else "active"
    age = params.get("age", "") if params.get("age", "") in AGE_FILTERS else ""
    topic, channel = params.get("topic", "")[:64], params.get("channel", "")[:32]
    rows = context.escalations.queue(STATE_FILTERS[state], topic=topic or None, channel=channel or None,
                                     older_than=AGE_FILTERS[age])
    hours, now = context.settings.reply_promise_hours, utcnow()
    rows = promise_view.by_promise(rows, hours, now)
    everything = context.escalations.queue(STATES)
    context.audit.record(live.volunteer_id, "view", "queue", None, state=state, shown=len(rows))
    return render(
        request, "queue.html", rows=rows, excerpt=excerpt, names=context.volunteers.names(),
        filters={"state": state, "age": age, "topic": topic, "channel": channel},
        states=list(STATE_FILTERS), ages=list(AGE_FILTERS),
        topics=sorted({r.topic for r in everything if r.topic}), channels=sorted({r.channel for r in everything}),
        topic_title=lambda t: _topic_title(request, t),
        promise=promise_view.statuses(rows, hours, now), promise_words=promise_words(hours),
    )


def _topic_title(request: Request, topic: Optional[str]) -> str:
    entry = ctx(request).kb.get(id_for_intent(topic or "") or (topic or ""))
    return entry.title if entry else (topic or "not detected")


def _load(request: Request) -> Escalation:
    qid = row_id(request.path_params["qid"])
    row = ctx(request).escalations.get(qid) if qid is not None else None
    if row is None:
        raise HTTPException(404, "There is no question with this number.")
    return row


def _question_page(request: Request, live: LiveSession, row: Escalation, status_code: int = 200,
                   error: str = "", answer: Optional[str] = None) -> Response:
    context = ctx(request)
    packet: Dict[str, Any] = row.packet or {}
    entries = suggest_entries(context.kb, packet)
    # Error pages show the whole handover packet too, so every rendering is a view.
    context.audit.record(live.volunteer_id, "view", "escalation", row.id,
                         **({} if status_code == 200 else {"status": status_code}))
    return render(
        request, "question.html", status_code, q=row, packet=packet, error=error,
        done=DONE.get(request.query_params.get("done", ""), ""),
        names=context.volunteers.names(), entries=entries, snippets=context.snippets,
        draft=draft_answer(entries) if answer is None else answer,
        tried=[(kb_id, context.kb.get(kb_id)) for kb_id in packet.get("kb_tried") or []],
        topic_title=lambda t: _topic_title(request, t),
        team=[v for v in context.volunteers.all(active_only=True) if v.id != row.claimed_by],
        mine=row.state == "claimed" and row.claimed_by == live.volunteer_id,
        may_close=row.state == "answered" and (live.is_coordinator or row.answered_by == live.volunteer_id),
    )


@page
def question(request: Request, live: LiveSession) -> Response:
    """Show one question with its handover packet, a draft answer and the actions allowed."""
    return _question_page(request, live, _load(request))


def _done(request: Request, row: Escalation, what: str) -> Response:
    response = redirect(request, "question", qid=row.id)
    response.headers["location"] += f"?done={what}"
    return response


@action()
def claim(request: Request, live: LiveSession, form: Form) -> Response:
    """Claim a waiting question so no one else answers the same parent."""
    context, row = ctx(request), _load(request)
    try:
        context.escalations.claim(row.id, live.volunteer_id)
    except TransitionError:
        row = _load(request)
        if row.state == "claimed":
            who = context.volunteers.names().get(row.claimed_by or 0, "another volunteer")
            message = "You have already claimed this question." if row.claimed_by == live.volunteer_id \
                else f"This question is already claimed by {who}."
        else:
            message = f"This question cannot be claimed: it is {row.state}."
        return _question_page(request, live, row, 409, error=message)
    context.audit.record(live.volunteer_id, "claim", "escalation", row.id)
    return _done(request, row, "claimed")


def _note_too_long(request: Request, live: LiveSession) -> Response:
    """Show the question again, saying the note was too long to send."""
    return _question_page(request, live, _load(request), 413, error=TOO_LONG_NOTE)


@action(too_large=_note_too_long)
def give_back(request: Request, live: LiveSession, form: Form) -> Response:
    """Return a claimed question to the queue with a note for the next volunteer."""
    context, row = ctx(request), _load(request)
    note = clean_text(form.get("note", "")).strip()
    if not note:
        return _question_page(request, live, row, 400, error="Please write a note saying why you are giving it back.")
    if len(note) > MAX_NOTE:  # refuse rather than cut: the next volunteer would miss the end
        return _question_page(request, live, row, 400, error=TOO_LONG_NOTE)
    try:
        context.escalations.give_back(row.id, live.volunteer_id, note)
    except TransitionError:
        return _question_page(request, live, _load(request), 409, error="Only the volunteer who claimed it can give it back.")
    context.audit.record(live.volunteer_id, "give_back", "escalation", row.id)
    return _done(request, row, "returned")


@action(coordinator=True)
def reassign(request: Request, live: LiveSession, form: Form) -> Response:
    """Give a claimed question to another volunteer (coordinators only)."""
    context, row = ctx(request), _load(request)
    volunteer_id = row_id(form.get("volunteer_id", ""))
    target = context.volunteers.get(volunteer_id) if volunteer_id is not None else None
    if target is None or not target.active:
        return _question_page(request, live, row, 400, error="Please choose a volunteer to reassign to.")
    try:
        context.escalations.reassign(row.id, target.id)
    except TransitionError:
        return _question_page(request, live, _load(request), 409, error="Only a claimed question can be reassigned.")
    context.audit.record(live.volunteer_id, "reassign", "escalation", row.id, to=target.id)
    return _done(request, row, "reassigned")


def _answer_too_long(request: Request, live: LiveSession) -> Response:
    """Show the question again, saying the answer was too long to send (its text was never read)."""
    return _question_page(request, live, _load(request), 413, answer="", error=TOO_LONG_ANSWER)


@action(too_large=_answer_too_long)
def answer(request: Request, live: LiveSession, form: Form) -> Response:
    """Approve an answer; the channels deliver it to the parent's chat."""
    context, row = ctx(request), _load(request)
    text = clean_text(form.get("answer", "")).strip()
    if not text or len(text) > MAX_ANSWER:
        return _question_page(request, live, row, 400, answer=text,
                              error=f"Please write an answer of at most {MAX_ANSWER} characters.")
    try:
        delivery_id = context.escalations.answer(row.id, live.volunteer_id, text)
    except TransitionError:
        return _question_page(request, live, _load(request), 409, answer=text,
                              error="You can only answer a question you have claimed.")
    context.audit.record(live.volunteer_id, "answer", "escalation", row.id, delivery_id=delivery_id, chars=len(text))
    return _done(request, row, "answered")


@action()
def close(request: Request, live: LiveSession, form: Form) -> Response:
    """Close an answered question: only the volunteer who answered it, or a coordinator, may."""
    context, row = ctx(request), _load(request)
    try:
        context.escalations.close(row.id, live.volunteer_id, coordinator=live.is_coordinator)
    except TransitionError:
        message = "Only the volunteer who answered it, or a coordinator, can close it." \
            if row.state == "answered" else "Only an answered question can be closed."
        return _question_page(request, live, _load(request), 409, error=message)
    context.audit.record(live.volunteer_id, "close", "escalation", row.id)
    return _done(request, row, "closed")


@action(coordinator=True)
def kb_candidate(request: Request, live: LiveSession, form: Form) -> Response:
    """Mark an answered question as something the knowledge base should cover."""
    context, row = ctx(request), _load(request)
    if row.state not in ("answered", "closed"):
        return _question_page(request, live, row, 409, error="Only an answered question can become a draft entry.")
    context.escalations.mark_kb_candidate(row.id)
    context.audit.record(live.volunteer_id, "kb_candidate", "escalation", row.id)
    return _done(request, row, "kb")


def _draft(request: Request, row: Escalation) -> Dict[str, Any]:
    if not row.kb_candidate or not row.answer_text:
        raise HTTPException(404, "This question has no answer marked for the knowledge base.")
    return draft_entry(row.id, row.answer_text, suggest_entries(ctx(request).kb, row.packet or {}))


@page
def kb_draft(request: Request, live: LiveSession) -> Response:
    """Download a draft knowledge entry built from the volunteer's answer (coordinators only)."""
    coordinator_only(live)
    row = _load(request)
    body = draft_yaml(_draft(request, row), row.id)
    ctx(request).audit.record(live.volunteer_id, "export", "kb_draft", row.id)
    return Response(body, media_type="application/yaml", headers={
        "Content-Disposition": f'attachment; filename="volunteer-answer-{row.id}.yml"', "Cache-Control": "no-store",
    })


@action(coordinator=True)
def kb_draft_write(request: Request, live: LiveSession, form: Form) -> Response:
    """Write the draft knowledge entry to knowledge/drafts/, which the assistant never loads."""
    context, row = ctx(request), _load(request)
    path = write_draft(context.settings.knowledge_dir, _draft(request, row), row.id)
    context.audit.record(live.volunteer_id, "write_draft", "kb_draft", row.id, file=path.name)
    return _done(request, row, "draft")

