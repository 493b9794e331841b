"""Groups of similar unanswered questions become work: a knowledge-base draft, or "out of scope" with a canned reply.

Coordinators only. A group is named in URLs by the hash of its signature
(bot/store/unanswered_groups.py `group_key`), never by its words. Groups are
recomputed from the last 90 days of the log on every request, so a group
can change between showing the form and sending it (a new question joined
it); the action is then refused and the page shown again, rather than
applied to words the coordinator did not see.

A decision is kept until a coordinator changes it, after the questions
themselves are purged or erased, so only the words most of a group's
questions share are stored, and only for a group of at least MIN_QUESTIONS
questions: then each stored word was written in at least two of them.
"""

from __future__ import annotations

import datetime as dt
from typing import List, Optional, Tuple

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.review.context import ctx, redirect, render
from bot.review.drafts import overlap_entries
from bot.review.group_drafts import check_draft, draft_id, group_entry, write_group_draft
from bot.review.inputs import clean_line, clean_text
from bot.review.insights import WINDOW_DAYS
from bot.review.security import Form, action, coordinator_only, page
from bot.store.models import utcnow
from bot.store.unanswered_groups import DRAFTED, OPEN, OUT_OF_SCOPE, GroupDecision, UnansweredGroupRepository, group_key
from bot.store.volunteers import LiveSession
from bot.unanswered.decisions import best_decision, status_label
from bot.unanswered.grouping import TopicGroup, group_questions

MAX_REPLY = 600
MIN_QUESTIONS = 3
TOO_FEW = (f"A group needs at least {MIN_QUESTIONS} questions before it can become a draft or get a canned reply, "
           "so that what is kept about it is shared by several parents.")
MAX_EXAMPLES = 20
DONE = {"draft": "Draft written to knowledge/drafts/. A maintainer checks it before the assistant uses it.",
        "out_of_scope": "Saved. From now on the assistant gives your reply to questions like these.",
        "reopened": "Reopened. The assistant no longer gives a canned reply to these questions."}


def _repository(request: Request) -> UnansweredGroupRepository:
    return UnansweredGroupRepository(ctx(request).sessions)


def current_groups(request: Request) -> List[TopicGroup]:
    """Return the groups of the last WINDOW_DAYS days of unanswered questions, largest first."""
    logged = ctx(request).unanswered.since(utcnow() - dt.timedelta(days=WINDOW_DAYS))
    return group_questions(r.text_redacted for r in logged)


def shared_label(group: TopicGroup) -> str:
    """Return the group's label from its shared words only (the signature), most frequent first."""
    signature = group.signature()
    return " ".join([w for w, _ in group.words.most_common() if w in signature][:3])


def _find(request: Request) -> Tuple[str, TopicGroup]:
    key = request.path_params["key"]
    for group in current_groups(request):
        if group_key(group.signature()) == key:
            return key, group
    raise HTTPException(404, "There is no such group in the last 90 days. New questions may have changed the "
                             "groups: please go back to the list of groups.")


@page
def groups(request: Request, live: LiveSession) -> Response:
    """List the groups of unanswered questions with their status."""
    coordinator_only(live)
    decisions = _repository(request).all()
    rows = []
    for group in current_groups(request):
        decision = best_decision(group.signature(), decisions)
        rows.append((group, group_key(group.signature()), status_label(decision)))
    ctx(request).audit.record(live.volunteer_id, "view", "unanswered_groups", None, shown=len(rows))
    return render(request, "groups.html", rows=rows)


def _group_page(request: Request, live: LiveSession, key: str, group: TopicGroup, status_code: int = 200,
                error: str = "", form: Optional[Form] = None) -> Response:
    context = ctx(request)
    decision: Optional[GroupDecision] = best_decision(group.signature(), _repository(request).all())
    related = overlap_entries(context.kb, " ".join(group.examples))
    context.audit.record(live.volunteer_id, "view", "unanswered_group", key[:16],
                         **({} if status_code == 200 else {"status": status_code}))
    values = form or {}
    return render(
        request, "group.html", status_code, key=key, group=group, examples=group.examples[:MAX_EXAMPLES],
        decision=decision, status=status_label(decision), related=related, error=error,
        done=DONE.get(request.query_params.get("done", ""), ""), max_reply=MAX_REPLY,
        enough=group.count >= MIN_QUESTIONS, too_few=TOO_FEW,
        title=values.get("title", related[0].title if related else ""), short=values.get("short", ""),
        steps=values.get("steps", ""), reply=values.get("reply", decision.reply if decision and decision.reply else ""),
    )


@page
def group(request: Request, live: LiveSession) -> Response:
    """Show one group: its redacted questions beside a draft form, and the out-of-scope reply."""
    coordinator_only(live)
    key, found = _find(request)
    return _group_page(request, live, key, found)


def _decide(request: Request, found: TopicGroup, status: str, live: LiveSession, **values: str) -> None:
    """Store a decision under the group's words now, replacing the decision that matched it under older words."""
    repository = _repository(request)
    earlier = best_decision(found.signature(), repository.all())
    repository.decide(found.signature(), shared_label(found), status, live.volunteer_id,
                      replacing=earlier.key if earlier else None, **values)


def _done(request: Request, key: str, what: str) -> Response:
    response = redirect(request, "group", key=key)
    response.headers["location"] += f"?done={what}"
    return response


@action(coordinator=True)
def group_draft(request: Request, live: LiveSession, form: Form) -> Response:
    """Write a knowledge-base draft for the group to knowledge/drafts/ and mark the group drafted."""
    context, (key, found) = ctx(request), _find(request)
    title, short = clean_line(form.get("title", "")), clean_text(form.get("short", "")).strip()
    steps = [clean_line(line) for line in clean_text(form.get("steps", "")).split("\n") if line.strip()]
    error = TOO_FEW if found.count < MIN_QUESTIONS else check_draft(title, short, steps)
    if error:
        return _group_page(request, live, key, found, 400, error=error, form=form)
    entry = group_entry(key, title, short, steps, overlap_entries(context.kb, " ".join(found.examples)))
    path = write_group_draft(context.settings.knowledge_dir, entry, found.count, shared_label(found))
    _decide(request, found, DRAFTED, live, draft_id=draft_id(key))
    context.audit.record(live.volunteer_id, "write_draft", "unanswered_group", key[:16], file=path.name)
    return _done(request, key, "draft")


@action(coordinator=True)
def group_out_of_scope(request: Request, live: LiveSession, form: Form) -> Response:
    """Mark the group out of scope with the canned reply the assistant then gives for it."""
    context, (key, found) = ctx(request), _find(request)
    reply = clean_text(form.get("reply", "")).strip()
    if found.count < MIN_QUESTIONS:
        return _group_page(request, live, key, found, 409, form=form, error=TOO_FEW)
    if not reply or len(reply) > MAX_REPLY:
        return _group_page(request, live, key, found, 400, form=form,
                           error=f"Please write the reply to send, in at most {MAX_REPLY} characters.")
    _decide(request, found, OUT_OF_SCOPE, live, reply=reply)
    context.audit.record(live.volunteer_id, "out_of_scope", "unanswered_group", key[:16], chars=len(reply))
    return _done(request, key, "out_of_scope")


@action(coordinator=True)
def group_reopen(request: Request, live: LiveSession, form: Form) -> Response:
    """Reopen a group: the assistant stops giving its canned reply."""
    context, (key, found) = ctx(request), _find(request)
    _decide(request, found, OPEN, live)
    context.audit.record(live.volunteer_id, "reopen", "unanswered_group", key[:16])
    return _done(request, key, "reopened")
