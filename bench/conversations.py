"""Score whole conversations through the running assistant (REST), the issue 10 way.

Every conversation of tests/heldout/conversations.yml is sent turn by turn to
one sender, with the action server's "today" fixed to the set's day. Each turn
is marked against what it expects:

- `kb`: the first answer's kb_id (or a "no specific answer" on that topic);
  with `or_clarify`, a "Do you mean ...?" offering one of them also counts;
- `clock`/`due`: the first worked-out deadline's rule and date; with
  `choose_clock`, a question back also counts;
- `no_form`: no form started (no `form` payload, no form question);
- `form`: the named form started (its introduction payload);
- `form_offered_again` / `form_ended`: the form offered to carry on / stopped;
- `also`: the other topics offered as buttons include one of them;
- `crisis`: the crisis answer first.

Prints the figures the issue asks for (follow-up turns, dated follow-ups with
wrong clocks and wrong dates, "letter" mentions that started a form, long
posts, all turns) and returns them for bench/run.py.

Usage: python bench/conversations.py [--show]
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stack import Stack, running_assistant, with_fixed_today  # noqa: E402

HELDOUT = ROOT / "tests" / "heldout" / "conversations.yml"
FIGURES = ("follow-up", "dated", "wrong-clock", "wrong-date", "letter", "long-post", "all")
LABELS = {"follow-up": "follow-up turns right", "dated": "dated follow-ups exact", "wrong-clock": "wrong clocks",
          "wrong-date": "wrong dates", "letter": "'letter' mentions with no form", "long-post": "long posts right",
          "all": "all turns right"}
FORM_QUESTIONS = ("Which letter would you like", "Which date shall I work out", "What date did the council receive")


def _customs(replies: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [r["custom"] for r in replies if isinstance(r.get("custom"), dict)]


def observed(replies: List[Dict[str, Any]]) -> Dict[str, Any]:
    """Return what one turn's replies did, in the held-out set's terms."""
    customs = _customs(replies)
    types = [c.get("type") for c in customs]
    text = "\n".join(str(r.get("text") or "") for r in replies)
    got: Dict[str, Any] = {"types": types}
    kb = next((c.get("kb_id") for c in customs if c.get("type") in ("answer", "no_specific_answer") and c.get("kb_id")),
              None)
    if kb:
        got["kb"] = kb
    deadline = next((c["deadline"] for c in customs if isinstance(c.get("deadline"), dict)), None)
    if deadline:
        got["clock"], got["due"] = deadline.get("rule"), deadline.get("due")
    clarify = next((c for c in customs if c.get("type") == "clarify"), None)
    if clarify:
        got["clarify"] = clarify.get("options") or []
    also = next((c for c in customs if c.get("type") == "also_asked"), None)
    if also:
        got["also"] = also.get("topics") or []
    form = next((c.get("form") for c in customs if c.get("type") == "form"), None)
    if "deadline_question" not in types and (form or any(q in text for q in FORM_QUESTIONS)):
        got["form"] = form or "?"
    got["ask_back"] = "deadline_question" in types or any("which_event" in c for c in customs)
    got["resume"] = "form_resume" in types
    got["stopped"] = "stopped there" in text
    return got


def turn_right(expect: Dict[str, Any], got: Dict[str, Any]) -> bool:
    """Return True if one turn did what the held-out set expects."""
    ok = True
    if "kb" in expect:
        ok &= got.get("kb") in expect["kb"] or bool(
            expect.get("or_clarify") and set(got.get("clarify") or ()) & set(expect["kb"]))
    if "clock" in expect:
        ok &= (got.get("clock") == expect["clock"] and got.get("due") == str(expect.get("due"))) or bool(
            expect.get("choose_clock") and (got.get("ask_back") or got.get("clarify")))
    if expect.get("no_form"):
        ok &= "form" not in got
    if "form" in expect:
        ok &= got.get("form") in (expect["form"], "?")
    if expect.get("form_offered_again"):
        ok &= bool(got.get("resume"))
    if expect.get("form_ended"):
        ok &= bool(got.get("stopped"))
    if expect.get("crisis"):
        ok &= got.get("kb") == "crisis"
    return bool(ok)


def score(stack: Stack, show: bool = False) -> Dict[str, List[bool]]:
    """Send every held-out conversation and return the marks for each figure."""
    data = yaml.safe_load(HELDOUT.read_text())
    marks: Dict[str, List[bool]] = {name: [] for name in FIGURES}
    for conversation in data["conversations"]:
        sender = f"bench-{uuid.uuid4().hex}"
        for n, turn in enumerate(conversation["turns"]):
            expect = turn.get("expect") or {}
            got = observed(stack.send(turn["say"], sender))
            ok = turn_right(expect, got)
            if "clock" in expect:
                marks["dated"].append(got.get("clock") == expect["clock"] and got.get("due") == str(expect["due"])
                                      or bool(expect.get("choose_clock") and got.get("ask_back")))
                marks["wrong-clock"].append(bool(got.get("clock")) and got.get("clock") != expect["clock"])
                marks["wrong-date"].append(bool(got.get("due")) and got.get("due") != str(expect["due"]))
            if expect.get("no_form"):
                marks["letter"].append("form" not in got)
            if turn.get("kind"):
                marks["follow-up"].append(ok)
            if conversation["pattern"] == "forum-post":
                marks["long-post"].append(ok)
            marks["all"].append(ok)
            if show and not ok:
                print(f"MISS {conversation['id']} turn {n + 1}: {turn['say'][:80]!r}\n  expected {expect}\n  got {got}")
    return marks


def rows(marks: Dict[str, List[bool]]) -> List[tuple]:
    """Return (figure, value) rows for the bench report."""
    out = []
    for name in FIGURES:
        count, total = sum(marks[name]), len(marks[name])
        value = str(count) if name in ("wrong-clock", "wrong-date") else f"{count / max(total, 1):.1%} ({count}/{total})"
        out.append((f"Conversations: {LABELS[name]}", value))
    return out


def measure(stack: Optional[Stack] = None, show: bool = False) -> Dict[str, List[bool]]:
    """Score on the given running assistant, or start one with today fixed to the set's day."""
    if stack is not None:
        return score(stack, show)
    today = str(yaml.safe_load(HELDOUT.read_text())["today"])
    with running_assistant(ROOT, adjust=lambda services: with_fixed_today(services, today)) as started:
        return score(started, show)


if __name__ == "__main__":
    for label, value in rows(measure(show="--show" in sys.argv)):
        print(f"{label:>50}: {value}")
