"""What of a Rasa event may be written to disk: its structure, and every free text redacted.

Threat: Rasa serialises each event of a conversation to JSON and stores it.
A parent's words can reach many places in that JSON, not only the text of
their message: a `from_text` slot holds their whole answer, entities hold
parts of it, a bot message can echo it, metadata and event types added by a
later Rasa version can hold more. Cleaning named fields one by one misses
whichever field nobody thought of (security review F1).

Design: deny by default. `safe_event` walks the JSON form of an event and
passes every string through `stored_text` (redaction; crisis messages are
replaced whole), at any depth and whatever the event type, dictionary keys
included. The only strings kept as they are sit at the places listed in
`STRUCTURAL`, whose values Rasa or this project's code writes, never the
parent: the event type, the names of actions, slots, loops, intents and
entities, policy and extractor names, generated ids and times. Even there a
value is kept only if it has the right shape, and a name only if the domain
knows it: a `/intent{"entity": ...}` message can put any words in those
places, and an unknown name is replaced. Numbers, booleans and null are kept.

A part of a message kept elsewhere (an entity's value, a slot set from
part of the text) has lost the cue word that let redaction find a name, so
the words redaction took out of the turn's messages (`withheld_words`) are
taken out of every other string of the turn too.

The offsets of a message's tokens (`text_tokens`) point into the raw text,
so they would give away the length of each redacted detail (review F15):
they are dropped. Entity offsets are moved to where the (redacted) value is
in the redacted text, or dropped when it is not there.

Speed: the same strings come back on every save (field names, the
knowledge base's answers, which are long, and a turn's message in several
places), and redaction was the largest cost of the Rasa server under load.
`redacted` remembers what redaction made of a string, keyed by a keyed
digest of it: the memory holds the digest (useless outside this process,
whose key is random) and the redacted form, which is what is written to disk
anyway, never a parent's raw words.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, Iterable, Optional, Set, Tuple

from bot.safety.privacy import CRISIS_INTENT, stored_text
from bot.safety.redact import redact

UNKNOWN_NAME = "[unknown name]"
WITHHELD = "[redacted]"
ANY = "*"  # a list index in a STRUCTURAL path

INTENT, ENTITY, SLOT, ACTION, BY_TYPE, WORD, HEX_ID, DATE_TIME = (
    "intent", "entity", "slot", "action", "by event type", "word", "hex id", "date-time")

# Path from the top of the event's JSON -> what the string there must be to be kept as it is.
STRUCTURAL: Dict[Tuple[str, ...], str] = {
    ("event",): WORD,
    ("name",): BY_TYPE,  # a slot, an action, a loop or a reminder, depending on the event
    ("policy",): WORD,
    ("input_channel",): WORD,
    ("message_id",): HEX_ID,
    ("intent",): INTENT,  # reminders
    ("date_time",): DATE_TIME,  # reminders
    ("entities", ANY, "entity"): ENTITY,  # entities_added, reminders
    ("metadata", "model_id"): HEX_ID,
    ("metadata", "assistant_id"): WORD,
    ("parse_data", "intent", "name"): INTENT,
    ("parse_data", "intent_ranking", ANY, "name"): INTENT,
    ("parse_data", "message_id"): HEX_ID,
    ("parse_data", "entities", ANY, "entity"): ENTITY,
    ("parse_data", "entities", ANY, "extractor"): WORD,
    ("parse_data", "entities", ANY, "processors", ANY): WORD,
    ("parse_data", "entities", ANY, "role"): WORD,
    ("parse_data", "entities", ANY, "group"): WORD,
}
_TOKEN = re.compile(r"[^\W_]+")
# The kind of name the top-level "name" holds, by event type.
_NAME_KIND = {"slot": SLOT, "action": ACTION, "followup": ACTION, "action_execution_rejected": ACTION,
              "active_loop": ACTION}
# A generated id kept as it is: Rasa's own message ids, and a client's id for one message (the widget's,
# the Telegram bridge's), which must have this shape to be kept and so found again (components/rest_channel.py).
HEX_ID_SHAPE = re.compile(r"[0-9a-f]{32}")
_SHAPES = {
    WORD: re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,99}"),
    HEX_ID: HEX_ID_SHAPE,
    DATE_TIME: re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:[+-]\d{2}:\d{2}|Z)?"),
}


MEMO_SIZE = 4096  # strings whose redaction is remembered: a few MB at most
_MEMO_KEY = os.urandom(32)
_memo: Dict[bytes, str] = {}
_memo_lock = threading.Lock()  # eviction iterates the dict; another thread may be adding to it


def redacted(text: str) -> str:
    """Return `redact(text)`, remembering it under a keyed digest of the text (never the text itself)."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), key=_MEMO_KEY, digest_size=16).digest()
    found = _memo.get(digest)
    if found is None:
        found = redact(text)
        with _memo_lock:
            while len(_memo) >= MEMO_SIZE:
                del _memo[next(iter(_memo))]  # the oldest first
            _memo[digest] = found
    return found


@dataclass(frozen=True)
class KnownNames:
    """The names the domain defines, by kind; `None` for a kind means "check the shape only"."""

    intents: Optional[FrozenSet[str]] = None
    entities: Optional[FrozenSet[str]] = None
    slots: Optional[FrozenSet[str]] = None
    actions: Optional[FrozenSet[str]] = None
    by_kind: Dict[str, Optional[FrozenSet[str]]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        kinds = {INTENT: self.intents, ENTITY: self.entities, SLOT: self.slots, ACTION: self.actions}
        object.__setattr__(self, "by_kind", kinds)


@dataclass(frozen=True)
class Replaced:
    """How a user message is to be stored instead of redacted: its whole text replaced."""

    placeholder: str


def withheld_words(messages: Iterable[str]) -> FrozenSet[str]:
    """Return the words redaction takes out of these messages (names, parts of emails, long numbers)."""
    words: Set[str] = set()
    for message in messages:
        kept = set(_TOKEN.findall(redacted(message)))
        words.update(w for w in _TOKEN.findall(message) if w not in kept and _worth_withholding(w))
    return frozenset(words)


def _worth_withholding(word: str) -> bool:
    # Short numbers are parts of dates and would wipe out the ISO dates the forms store.
    return len(word) >= 5 if word.isdigit() else len(word) >= 2


def _cleaner(withheld: FrozenSet[str]) -> Callable[[str], str]:
    """Return redaction followed by the removal of words redacted from this turn's messages.

    The withheld words are whole tokens (`_TOKEN`), so each token of the text is looked up in the set: no
    pattern is built from them, and nothing (no regex cache) keeps them after the turn is stored.
    """
    if not withheld:
        return redacted

    def mask(token: "re.Match[str]") -> str:
        return WITHHELD if token.group(0) in withheld else token.group(0)

    return lambda text: _TOKEN.sub(mask, redacted(text))


def safe_event(data: Dict[str, Any], known: KnownNames, replaced: Optional[Replaced] = None,
               withheld: FrozenSet[str] = frozenset()) -> Dict[str, Any]:
    """Return a copy of an event's JSON form in which no string holds unredacted free text.

    `withheld` are words redaction took out of the turn's messages: a part of a
    message stored elsewhere (an entity's value, a slot set from part of it)
    loses them too, even where no cue word came with it.
    """
    event_type = str(data.get("event"))
    out = _walk(data, (), event_type, known, _cleaner(withheld))
    if event_type == "user":
        if replaced is None and _intent(data) == CRISIS_INTENT:
            replaced = Replaced(stored_text("", CRISIS_INTENT))
        _fix_user_message(out, replaced)
    return dict(out)


def _intent(data: Dict[str, Any]) -> Optional[str]:
    parse_data = data.get("parse_data")
    intent = parse_data.get("intent") if isinstance(parse_data, dict) else None
    name = intent.get("name") if isinstance(intent, dict) else None
    return name if isinstance(name, str) else None


def _walk(value: Any, path: Tuple[str, ...], event_type: str, known: KnownNames, clean: Callable[[str], str]) -> Any:
    if isinstance(value, dict):
        # Keys are field names almost always, but any can be text (a slot's value is any JSON). Only
        # redacted: masking this turn's words could turn a field name such as "text" into a placeholder.
        return {(redacted(k) if isinstance(k, str) else k): _walk(v, path + (str(k),), event_type, known, clean)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_walk(v, path + (ANY,), event_type, known, clean) for v in value]
    if isinstance(value, str):
        kind = STRUCTURAL.get(path)
        return _structural(value, kind, event_type, known) if kind else clean(value)
    return value  # numbers, booleans, None


def _structural(value: str, kind: str, event_type: str, known: KnownNames) -> str:
    """Return a value at a structural place if it has the right shape and is known, else a safe stand-in."""
    if kind == BY_TYPE:
        kind = _NAME_KIND.get(event_type, WORD)
    shape = _SHAPES.get(kind, _SHAPES[WORD])
    if not shape.fullmatch(value) or redacted(value) != value:
        return redacted(value) if kind in (WORD, HEX_ID, DATE_TIME) else UNKNOWN_NAME
    names = known.by_kind.get(kind)
    return UNKNOWN_NAME if names is not None and value not in names else value


def _fix_user_message(event: Dict[str, Any], replaced: Optional[Replaced]) -> None:
    """Replace a withheld message's text; drop token offsets; point entity offsets into the stored text."""
    parse_data = event.get("parse_data")
    if replaced is not None:
        event["text"] = replaced.placeholder
    if not isinstance(parse_data, dict):
        return
    parse_data.pop("text_tokens", None)
    if replaced is not None:
        parse_data.update(text=replaced.placeholder, entities=[])
        return
    text = event.get("text")
    entities = parse_data.get("entities")
    if isinstance(entities, list):
        parse_data["entities"] = [_moved(e, text if isinstance(text, str) else "") for e in entities]


def _moved(entity: Any, text: str) -> Any:
    if not isinstance(entity, dict):
        return entity
    moved = {k: v for k, v in entity.items() if k not in ("start", "end")}
    value = entity.get("value")
    start = text.find(value) if isinstance(value, str) and value else -1
    if isinstance(value, str) and start >= 0:
        moved.update(start=start, end=start + len(value))
    return moved
