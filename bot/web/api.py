"""The widget's JSON API (docs/widget-api.md): session, chat, feedback, erase, calendar file.

Rasa stays on loopback; this proxy is the only way in. It issues the
conversation ids, decides the Rasa sender id itself (client `sender`,
`metadata` and `input_channel` fields are ignored), sends typed text as text,
accepts back only button payloads it returned, and answers with the kind
`unavailable` message rather than an error when Rasa is down.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, FrozenSet, List, Optional

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.rasa_client import RasaClient, RasaUnavailable, merge_replies
from bot.metrics.chat import ChatMetrics
from bot.personal_data import forget_conversation
from bot.deadlines.labels import DeadlineLabels, parse_due
from bot.safety.privacy import conversation_ref
from bot.safety.stored_events import HEX_ID_SHAPE
from bot.settings import Settings
from bot.store import EscalationRepository, FeedbackRepository, WebSessionRepository
from bot.store.parent_notices import ParentNoticeRepository
from bot.store.web_sessions import Visit
from bot.web.bodies import MAX_TEXT_CHARS, read_json_object, string_field
from bot.web.calendar import MARK, calendar_file, deadline_token, offered_deadlines
from bot.web.errors import ApiError
from bot.web.logs import log_event
from bot.web.ratelimit import Limits, SlidingWindow, retry_after
from bot.web.replies import button_payloads, clean_messages, progress_message, volunteer_message

CHANNEL = "widget"
# The widget's own controls ("Talk to a person", "Tell me more") may always send these.
ALWAYS_OFFERED = frozenset({"/request_human", "/tell_me_more"})
KEEP_FOR_ERASURE = dt.timedelta(days=30)  # an expired conversation can still be erased this long
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass
class WidgetApi:
    """Handlers for /api/*, with what they need."""

    settings: Settings
    rasa: RasaClient
    sessions: WebSessionRepository
    feedback: FeedbackRepository
    kb_ids: FrozenSet[str]
    unavailable: str
    limits: Limits
    escalations: Optional[EscalationRepository] = None
    answer_template: str = "{answer}"
    still_need_help: str = "I still need help"
    deadline_labels: Optional[DeadlineLabels] = None
    # Progress messages about a question ("a volunteer is looking", "taking longer"): the outbox and its words.
    progress_notices: Optional[ParentNoticeRepository] = None
    progress_text: Optional[Callable[[str, str], str]] = None
    metrics: Optional[ChatMetrics] = None

    def __post_init__(self) -> None:
        self.ip_window = SlidingWindow(self.limits.per_ip, self.limits.window)
        self.session_window = SlidingWindow(self.limits.sessions_per_ip, self.limits.window)
        self.conversation_window = SlidingWindow(self.limits.per_conversation, self.limits.window)

    def routes(self) -> List[Route]:
        """Return the API's routes."""
        return [
            Route("/api/session", self.session, methods=["POST"]),
            Route("/api/chat", self.chat, methods=["POST"]),
            Route("/api/feedback", self.record_feedback, methods=["POST"]),
            Route("/api/conversation", self.erase, methods=["DELETE"]),
            Route("/api/updates", self.updates, methods=["POST"]),
            Route("/api/updates/ack", self.acknowledge, methods=["POST"]),
            Route("/api/calendar", self.calendar, methods=["POST"]),
        ]

    def sender(self, conversation_id: str) -> str:
        """Return the Rasa sender id for a widget conversation."""
        return conversation_ref(self.settings.secret_key, "web:" + conversation_id)

    async def session(self, request: Request) -> Response:
        """Start a conversation and return its server-issued id."""
        self._limit(self.ip_window, _client_ip(request))
        await read_json_object(request)
        self._limit(self.session_window, _client_ip(request))
        cutoff = self.sessions.clock() - self.sessions.idle - KEEP_FOR_ERASURE
        await to_thread.run_sync(self.sessions.purge_idle, cutoff)
        conversation_id = await to_thread.run_sync(self.sessions.create)
        log_event("session_created")
        return JSONResponse({"conversation_id": conversation_id}, status_code=201, headers={"Cache-Control": "no-store"})

    async def chat(self, request: Request) -> Response:
        """Pass one typed message or offered button to Rasa and return its replies."""
        self._limit(self.ip_window, _client_ip(request))
        body = await read_json_object(request)
        conversation_id = _conversation_id(body)
        if ("text" in body) == ("payload" in body):
            raise ApiError(400, "bad_request")
        kind = "text" if "text" in body else "payload"
        value = string_field(body, kind, MAX_TEXT_CHARS)
        message_id = _message_id(body)  # checked before any database work, as the text is
        # A payload is checked in the same query that finds the session: one thread hop, one round trip.
        check = value if kind == "payload" and value not in ALWAYS_OFFERED else None
        visit = await self._live_session(conversation_id, payload=check)
        if kind == "payload" and (value.startswith(MARK) or (check is not None and not visit.offered)):
            log_event("payload_refused")
            raise ApiError(403, "not_offered")
        sender = self.sender(conversation_id)
        started = time.perf_counter()
        try:
            if kind == "text":
                replies = await self.rasa.send_text(sender, value, CHANNEL, message_id)
            else:
                replies = await self.rasa.send_payload(sender, value, CHANNEL, message_id)
        except RasaUnavailable as exc:
            self._count(None, started)
            log_event("rasa_unavailable", reason=str(exc)[:80])
            return self._fallback()
        messages = clean_messages(merge_replies(replies))
        self._count(replies if messages else None, started)
        if not messages:
            log_event("rasa_silent")
            return self._fallback()
        offered = button_payloads(messages) + offered_deadlines(messages)
        if offered:
            await to_thread.run_sync(self.sessions.offer, visit.session_id, offered)
        log_event("chat", kind=kind, replies=len(messages))
        return JSONResponse({"messages": messages}, headers={"Cache-Control": "no-store"})

    async def record_feedback(self, request: Request) -> Response:
        """Store a thumbs up or down on one answer, without any message text."""
        self._limit(self.ip_window, _client_ip(request))
        body = await read_json_object(request)
        conversation_id = _conversation_id(body)
        kb_id, helpful = body.get("kb_id"), body.get("helpful")
        if not isinstance(kb_id, str) or not isinstance(helpful, bool):
            raise ApiError(400, "bad_request")
        if kb_id not in self.kb_ids:
            raise ApiError(400, "unknown_answer")
        await self._live_session(conversation_id)
        ref = conversation_ref(self.settings.secret_key, self.sender(conversation_id))
        # One vote per answer per conversation: repeated clicks cannot inflate the counts.
        record_key = conversation_ref(self.settings.secret_key, f"feedback:{ref}:{kb_id}")
        await to_thread.run_sync(
            lambda: self.feedback.add(kb_id, helpful, CHANNEL, ref, record_key=record_key)
        )
        log_event("feedback", helpful=helpful)
        return Response(status_code=204)

    async def erase(self, request: Request) -> Response:
        """Erase the conversation: Rasa's events, unanswered rows, feedback and the session."""
        self._limit(self.ip_window, _client_ip(request))
        body = await read_json_object(request)
        conversation_id = _conversation_id(body)
        if not await to_thread.run_sync(self.sessions.exists, conversation_id):
            raise ApiError(404, "not_found")
        s = self.settings
        try:  # the session row goes too, in the same transaction as the rest
            erased = await to_thread.run_sync(
                forget_conversation, s.database_url, s.tracker_url, s.secret_key, self.sender(conversation_id),
                conversation_id,
            )
        except Exception as exc:  # noqa: BLE001 - the session is still there, so the parent can retry
            log_event("erase_failed", error=exc.__class__.__name__)
            raise ApiError(503, "erase_failed") from None
        self.conversation_window.forget(self.sessions.key_hash(conversation_id))
        log_event("erased", events=erased.tracker_events, unanswered=erased.unanswered, feedback=erased.feedback)
        return Response(status_code=204)

    async def updates(self, request: Request) -> Response:
        """Return volunteer answers not yet shown in this conversation (the widget polls)."""
        self._limit(self.ip_window, _client_ip(request))
        conversation_id = _conversation_id(await read_json_object(request))
        await self._live_session(conversation_id, count=False)
        if self.escalations is None:
            return JSONResponse({"messages": []}, headers={"Cache-Control": "no-store"})
        pending = await to_thread.run_sync(self.escalations.pending_deliveries, CHANNEL, self.sender(conversation_id))
        messages = [volunteer_message(d.id, d.escalation_id, d.text, self.answer_template, self.still_need_help) for d in pending]
        if self.progress_notices is not None and self.progress_text is not None:
            words = self.progress_text
            notices = await to_thread.run_sync(self.progress_notices.pending, CHANNEL, self.sender(conversation_id))
            messages = [progress_message(n.id, n.escalation_id, words(n.kind, f"Q{n.escalation_id}")) for n in notices] + messages
        return JSONResponse({"messages": messages}, headers={"Cache-Control": "no-store"})

    async def acknowledge(self, request: Request) -> Response:
        """Mark volunteer answers as shown, so they are never shown twice."""
        self._limit(self.ip_window, _client_ip(request))
        body = await read_json_object(request)
        conversation_id = _conversation_id(body)
        ids = body.get("delivery_ids")
        if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids) or len(ids) > 50:
            raise ApiError(400, "bad_request")
        await self._live_session(conversation_id, count=False)
        if self.escalations is not None:
            mine = {d.id for d in await to_thread.run_sync(
                self.escalations.pending_deliveries, CHANNEL, self.sender(conversation_id))}
            for delivery_id in set(ids) & mine:
                if await to_thread.run_sync(self.escalations.mark_delivered, delivery_id) and self.metrics is not None:
                    self.metrics.delivery("delivered")
        if self.progress_notices is not None and any(i < 0 for i in ids):
            notices = self.progress_notices
            mine = {n.id for n in await to_thread.run_sync(notices.pending, CHANNEL, self.sender(conversation_id))}
            for notice_id in {-i for i in ids if i < 0} & mine:
                await to_thread.run_sync(notices.mark_delivered, notice_id)
        return Response(status_code=204)

    async def calendar(self, request: Request) -> Response:
        """Return an .ics file for a deadline the assistant sent in this conversation."""
        self._limit(self.ip_window, _client_ip(request))
        body = await read_json_object(request)
        conversation_id = _conversation_id(body)
        rule, due, labels = body.get("rule"), parse_due(body.get("due")), self.deadline_labels
        if labels is None or due is None or not isinstance(rule, str) or labels.get(rule) is None:
            raise ApiError(400, "bad_request")
        visit = await self._live_session(conversation_id, count=False, payload=deadline_token(rule, due))
        if not visit.offered:
            raise ApiError(403, "not_offered")
        data = calendar_file(labels, rule, due, dt.datetime.now(dt.timezone.utc))
        log_event("calendar_file")
        headers = {"Content-Disposition": f'attachment; filename="send-deadline-{rule}.ics"', "Cache-Control": "no-store"}
        return Response(data, media_type="text/calendar", headers=headers)

    async def _live_session(self, conversation_id: str, count: bool = True, payload: Optional[str] = None) -> Visit:
        visit = await to_thread.run_sync(self.sessions.visit, conversation_id, payload)
        if visit is None:
            raise ApiError(404, "not_found")
        if count:  # polling for answers does not use up the parent's message allowance
            self._limit(self.conversation_window, self.sessions.key_hash(conversation_id))
        return visit

    def _limit(self, window: SlidingWindow, key: str) -> None:
        wait = window.hit(key)
        if wait is not None:
            log_event("rate_limited", limit=window.limit)
            raise ApiError(429, "rate_limited", retry_after=retry_after(wait))

    def _count(self, replies: Optional[List[Dict[str, Any]]], started: float) -> None:
        if self.metrics is not None:  # outcome from the reply payloads only: the text is never looked at
            self.metrics.turn(replies, time.perf_counter() - started)

    def _fallback(self) -> Response:
        body = {"messages": [{"text": self.unavailable}], "fallback": True}
        return JSONResponse(body, headers={"Cache-Control": "no-store"})


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _message_id(body: Dict[str, Any]) -> Optional[str]:
    """Return the widget's id for this message (optional; 32 lowercase hex digits), refusing any other value."""
    value = body.get("message_id")
    if value is None:
        return None
    if not isinstance(value, str) or not HEX_ID_SHAPE.fullmatch(value):
        raise ApiError(400, "bad_request")
    return value


def _conversation_id(body: Dict[str, Any]) -> str:
    value = body.get("conversation_id")
    if not isinstance(value, str):
        raise ApiError(400, "bad_request")
    if not _ID_RE.fullmatch(value):  # not something this server could have issued
        raise ApiError(404, "not_found")
    return value
