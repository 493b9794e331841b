"""A fake Telegram Bot API server on 127.0.0.1 for driving a real python-telegram-bot Application.

It serves `/bot<token>/<method>` for the methods the bridge and PTB call,
accepts JSON, form and multipart bodies (a file upload keeps its bytes in
memory, in `documents`), records every call, lets a test queue updates (a
typed message, a sticker, a button tap) for `getUpdates`, and can refuse the
next few calls of a method as Telegram does when it is having a bad moment.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import itertools
import json
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.helpers.servers import ServerThread

TOKEN = "123456789:fake-token-for-tests-only"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "SEND Navigator", "username": "send_nav_test_bot"}
LONG_POLL_MAX = 0.3  # seconds a getUpdates call waits for an update; short so shutdown is quick
JSON_FIELDS = {"reply_markup", "allowed_updates", "commands", "link_preview_options", "entities", "scope"}
INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout"}
TRUE_METHODS = {
    "sendChatAction", "answerCallbackQuery", "deleteWebhook", "setWebhook", "setMyCommands",
    "deleteMyCommands", "close", "logOut",
}


@dataclass
class Call:
    """One Bot API request the bot made."""

    method: str
    params: Dict[str, Any]


def _decode(key: str, value: str) -> Any:
    if key in JSON_FIELDS:
        return json.loads(value)
    if key in INT_FIELDS and value.lstrip("-").isdigit():
        return int(value)
    return value


class FakeTelegram:
    """The fake server: queue updates in, read recorded calls out."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: List[Call] = []
        self.sent: List[Dict[str, Any]] = []
        self.documents: List[Dict[str, Any]] = []  # {"chat_id", "filename", "data"} per sendDocument
        self._failures: Dict[str, int] = {}
        self._holds: Dict[str, float] = {}
        self._updates: List[Dict[str, Any]] = []
        self._lock = threading.Lock()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        app = Starlette(routes=[Route("/bot{token}/{method}", self._handle, methods=["GET", "POST"])])
        self._server = ServerThread(app)

    @property
    def base_url(self) -> str:
        """Return the value for the bridge's `telegram_api_base_url` setting."""
        return f"{self._server.url}/bot"

    def start(self) -> "FakeTelegram":
        """Start serving."""
        self._server.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.stop()

    # Updates a test pushes.

    def push_text(self, chat_id: int, text: str) -> None:
        """Queue a message typed by the user of a private chat."""
        message = self._user_message(chat_id, text=text)
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self._push({"message": message})

    def push_sticker(self, chat_id: int) -> None:
        """Queue a sticker sent by the user of a private chat."""
        sticker = {"file_id": "sticker-file", "file_unique_id": "sticker-unique", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False, "type": "regular"}
        self._push({"message": self._user_message(chat_id, sticker=sticker)})

    def push_callback(self, chat_id: int, message: Dict[str, Any], data: str) -> str:
        """Queue a tap on an inline button of a message the bot sent; return the callback query id."""
        query_id = f"cq-{next(self._update_ids)}"
        self._push({"callback_query": {
            "id": query_id, "from": self._user(chat_id), "chat_instance": f"ci-{chat_id}", "data": data,
            "message": message,
        }})
        return query_id

    def fail_next(self, method: str, times: int = 1) -> None:
        """Answer the next `times` calls of a method with a server error (nothing is recorded as sent)."""
        with self._lock:
            self._failures[method] = self._failures.get(method, 0) + times

    def stop_failing(self, method: str) -> None:
        """Answer calls of a method normally again."""
        with self._lock:
            self._failures.pop(method, None)

    def hold_next(self, method: str, seconds: float) -> None:
        """Accept the next call of a method at once but answer it only after `seconds` (a slow Telegram)."""
        with self._lock:
            self._holds[method] = seconds

    # What a test reads back.

    def calls_to(self, method: str) -> List[Call]:
        """Return the recorded calls of one method."""
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def messages_to(self, chat_id: int) -> List[Dict[str, Any]]:
        """Return the messages the bot sent to one chat, oldest first."""
        with self._lock:
            return [m for m in self.sent if m["chat"]["id"] == chat_id]

    async def wait_for(self, condition: Callable[[], Any], timeout: float = 15.0) -> Any:
        """Wait until condition() returns something truthy, and return it."""
        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting; calls so far: {[c.method for c in self.calls]}")
            await asyncio.sleep(0.02)

    async def wait_for_messages(self, chat_id: int, count: int, timeout: float = 15.0) -> List[Dict[str, Any]]:
        """Wait until the bot has sent at least `count` messages to a chat, and return them."""
        return await self.wait_for(lambda: (lambda m: m if len(m) >= count else None)(self.messages_to(chat_id)), timeout)

    async def ask(self, chat_id: int, text: str, timeout: float = 15.0) -> Dict[str, Any]:
        """Type a message in a chat and return the bot's next message there."""
        before = len(self.messages_to(chat_id))
        self.push_text(chat_id, text)
        return (await self.wait_for_messages(chat_id, before + 1, timeout))[-1]

    # The server side.

    def _user(self, chat_id: int) -> Dict[str, Any]:
        return {"id": chat_id, "is_bot": False, "first_name": "Parent"}

    def _user_message(self, chat_id: int, **content: Any) -> Dict[str, Any]:
        return {"message_id": next(self._message_ids), "date": int(time.time()), "from": self._user(chat_id),
                "chat": {"id": chat_id, "type": "private", "first_name": "Parent"}, **content}

    def _push(self, update: Dict[str, Any]) -> None:
        with self._lock:
            self._updates.append({"update_id": next(self._update_ids), **update})

    async def _params(self, request: Request) -> Dict[str, Any]:
        body = await request.body()
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            return dict(json.loads(body or b"{}"))
        if content_type.startswith("multipart/form-data"):
            return self._multipart(content_type, body)
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True) + list(request.query_params.items())
        return {key: _decode(key, value) for key, value in pairs}

    async def _handle(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401)
        method, params = request.path_params["method"], await self._params(request)
        with self._lock:
            self.calls.append(Call(method, params))
            failing = self._failures.get(method, 0)
            if failing:
                self._failures[method] = failing - 1
        if failing:
            return JSONResponse({"ok": False, "error_code": 500, "description": "Internal Server Error"},
                                status_code=500)
        if method == "getUpdates":
            return self._ok(await self._get_updates(params))
        if method == "getMe":
            return self._ok(dict(BOT_USER, can_join_groups=True, can_read_all_group_messages=False,
                                 supports_inline_queries=False))
        if method == "getMyCommands":
            return self._ok([])
        if method == "sendMessage":
            message = self._record_message(params)
            with self._lock:
                hold = self._holds.pop(method, 0.0)
            await asyncio.sleep(hold)  # the message is already "delivered" while the answer waits
            return self._ok(message)
        if method == "sendDocument":
            return self._ok(self._record_document(params))
        if method == "editMessageReplyMarkup":
            return self._ok(self._edit_markup(params))
        if method in TRUE_METHODS:
            return self._ok(True)
        return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found: method not found"},
                            status_code=404)

    @staticmethod
    def _ok(result: Any) -> JSONResponse:
        return JSONResponse({"ok": True, "result": result})

    async def _get_updates(self, params: Dict[str, Any]) -> List[Dict[str, Any]]:
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), LONG_POLL_MAX)
        deadline = time.monotonic() + wait
        while True:
            with self._lock:
                # Telegram forgets updates below the offset: they are confirmed.
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                pending = self._updates[:limit]
            if pending or time.monotonic() >= deadline:
                return pending
            await asyncio.sleep(0.02)

    def _record_message(self, params: Dict[str, Any]) -> Dict[str, Any]:
        message: Dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()), "from": BOT_USER,
            "chat": {"id": params["chat_id"], "type": "private", "first_name": "Parent"}, "text": params["text"],
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        with self._lock:
            self.sent.append(message)
        return message

    @staticmethod
    def _multipart(content_type: str, body: bytes) -> Dict[str, Any]:
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        params: Dict[str, Any] = {}
        for part in message.iter_parts():
            name, filename = part.get_param("name", header="content-disposition"), part.get_filename()
            data = part.get_payload(decode=True) or b""
            if filename is not None:
                params[str(name)] = {"filename": filename, "data": data}
            else:
                params[str(name)] = _decode(str(name), data.decode("utf-8"))
        return params

    def _record_document(self, params: Dict[str, Any]) -> Dict[str, Any]:
        upload = next((v for v in params.values() if isinstance(v, dict) and "data" in v), None)
        if upload is None:
            raise ValueError("sendDocument without a file")
        document = {"file_id": f"doc-{len(self.documents)}", "file_unique_id": f"u-{len(self.documents)}",
                    "file_name": upload["filename"], "file_size": len(upload["data"])}
        message: Dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()), "from": BOT_USER,
            "chat": {"id": params["chat_id"], "type": "private", "first_name": "Parent"}, "document": document,
        }
        with self._lock:
            self.documents.append({"chat_id": params["chat_id"], "filename": upload["filename"], "data": upload["data"]})
        return message

    def _edit_markup(self, params: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        with self._lock:
            for message in self.sent:
                if message["chat"]["id"] == params.get("chat_id") and message["message_id"] == params.get("message_id"):
                    message["reply_markup"] = params.get("reply_markup") or {"inline_keyboard": []}
                    return message
        return None


def button(message: Dict[str, Any], text: str) -> str:
    """Return the callback data of the button with this text on a message the bot sent."""
    rows = message["reply_markup"]["inline_keyboard"]
    return str(next(b["callback_data"] for row in rows for b in row if b["text"] == text))
