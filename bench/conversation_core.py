"""Score the conversation logic on the held-out conversations with the real NLU, in one process.

Every turn of tests/heldout/conversations.yml is parsed by the trained model
and read by bot.conversation exactly as action_answer reads it (live topic,
follow-up kind, dates against the live topic's clocks, close calls, explicit
tool requests). Turns inside a form and crisis turns are left to the
end-to-end bench (bench/conversations.py); this one is fast enough to run
after every change. Prints the issue's figures:

    follow-up turns right, dated follow-ups (wrong clocks, wrong dates),
    "letter" mentions that started a form, long posts right.

Usage: python bench/conversation_core.py [MODEL] [--show]
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.conversation.decide import ANSWER, CLARIFY, FOLLOW_UP, NO_SPECIFIC, REDATE, Decider, Message  # noqa: E402
from bot.conversation.requests import TOOL_INTENTS  # noqa: E402
from bot.deadlines.chat import Worked, from_message, unclear_event, work_out  # noqa: E402
from bot.deadlines.cues import cued_event  # noqa: E402
from bot.deadlines.registry import RULES  # noqa: E402
from bot.deadlines.questions import DateQuestion  # noqa: E402
from bot.knowledge.entries import load_kb  # noqa: E402
from bot.knowledge.follow_ups import load_follow_ups  # noqa: E402



def reply_for(decider: Decider, kb: Any, parse: Dict[str, Any], live: Optional[str],
              today: dt.date, memory: Dict[str, Any]) -> Tuple[Dict[str, Any], Optional[str]]:
    """Return what action_answer would do with one parse, and the live topic after it."""
    text, intent = parse["text"], parse["intent"]["name"]
    if intent == "ask_crisis":
        return {"crisis": True}, "crisis"
    if intent in TOOL_INTENTS:  # the guard in the pipeline kept it: the rules start the form
        return {"form": TOOL_INTENTS[intent][0]}, live
    ranking = []
    for item in parse.get("intent_ranking") or []:
        entry = kb.for_intent(item["name"])
        if entry is not None and entry.id != "crisis":
            ranking.append((entry.id, float(item["confidence"])))
    decision = decider.decide(Message(text, ranking, today, live, None, memory.get("rule") if live else None,
                                      intent == "out_of_scope",
                                      memory.get("topic") if live and memory.get("date") else None))
    if decision.action == REDATE:
        rule = RULES[memory["rule"]]
        answers = {k: dt.date.fromisoformat(v) if isinstance(v, str) else v for k, v in memory["answers"].items()}
        worked = work_out(rule.id, answers, (decision.clock,))
        return {"action": REDATE, "kb": live, "clock": worked.main.rule, "due": worked.main.due.isoformat()}, live
    got: Dict[str, Any] = {"action": decision.action, "options": decision.options, "also": decision.also}
    if decision.action in (ANSWER, FOLLOW_UP):
        got["kb"] = decision.entry
        worked = from_message(decision.dates_topic, text, today, memory) if decision.dates_topic else None
        if isinstance(worked, Worked):
            got["clock"], got["due"] = worked.main.rule, worked.main.due.isoformat()
            memory.clear()
            memory.update(topic=decision.dates_topic, rule=worked.rule.id,
                          answers={k: v.isoformat() if isinstance(v, dt.date) else v for k, v in worked.answers.items()})
        elif worked is None and decision.dates_topic and (unclear := unclear_event(decision.dates_topic, text, today)):
            got["ask_back"] = True
            memory.clear()
            memory.update(topic=decision.dates_topic, date=unclear[0].isoformat())
        elif worked is None and decision.dates_topic and (named := cued_event(decision.dates_topic, text)):
            memory.clear()
            memory.update(topic=decision.dates_topic, event=named)
        elif isinstance(worked, DateQuestion):
            got["ask_back"] = True
    if decision.action == NO_SPECIFIC:
        got["kb"] = decision.topic
    return got, decision.topic if decision.action != CLARIFY else live


def score(conversations: List[Dict[str, Any]], parses: Dict[str, Dict[str, Any]], today: dt.date,
          show: bool) -> Dict[str, List[bool]]:
    kb = load_kb(ROOT / "knowledge", "kent")
    decider = Decider(load_follow_ups(ROOT / "knowledge", kb), kb.entries)
    results: Dict[str, List[bool]] = {k: [] for k in ("follow-up", "dated", "wrong-clock", "wrong-date", "letter",
                                                     "long-post", "first-turn", "all")}
    for conv in conversations:
        live: Optional[str] = None
        memory: Dict[str, Any] = {}
        in_form = False
        for n, turn in enumerate(conv["turns"]):
            expect = turn.get("expect") or {}
            if in_form or expect.get("crisis"):
                break
            got, live = reply_for(decider, kb, parses[turn["say"]], live, today, memory)
            ok = True
            if "kb" in expect:
                ok = got.get("kb") in expect["kb"] or (expect.get("or_clarify") and got.get("action") == CLARIFY
                                                       and set(got["options"]) & set(expect["kb"]))
            if "clock" in expect:
                right_clock = got.get("clock") == expect["clock"] or (expect.get("choose_clock") and got.get("ask_back"))
                right_date = got.get("due") == str(expect.get("due"))
                results["dated"].append(bool(right_clock and right_date))
                results["wrong-clock"].append(bool(got.get("clock")) and got.get("clock") != expect["clock"])
                results["wrong-date"].append(bool(got.get("due")) and got.get("due") != str(expect.get("due")))
                ok = ok and right_clock and right_date
            if expect.get("no_form"):
                results["letter"].append("form" not in got)
                ok = ok and "form" not in got
            if "form" in expect:
                ok = got.get("form") == expect["form"]
                in_form = ok
            if turn.get("kind"):
                results["follow-up"].append(bool(ok))
            if conv["pattern"] == "forum-post":
                results["long-post"].append(bool(ok))
            if n == 0:
                results["first-turn"].append(bool(ok))
            results["all"].append(bool(ok))
            if show and not ok:
                print(f"MISS {conv['id']} t{n} {turn['say'][:90]!r}\n     expect {expect} got {got}")
    return results


async def parse_all(model: Path, texts: List[str]) -> Dict[str, Dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return {text: await agent.parse_message(text) for text in texts}


def main() -> None:
    logging.disable(logging.WARNING)
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    data = yaml.safe_load((ROOT / "tests" / "heldout" / "conversations.yml").read_text())
    texts = sorted({t["say"] for c in data["conversations"] for t in c["turns"]})
    if args:
        model = Path(args[0])
    else:
        from bot.ops.training import ensure_model
        model = ensure_model(ROOT)
    parses = asyncio.run(parse_all(model, texts))
    results = score(data["conversations"], parses, dt.date.fromisoformat(str(data["today"])), "--show" in sys.argv)
    for name, marks in results.items():
        count = sum(marks)
        label = {"wrong-clock": "wrong clocks", "wrong-date": "wrong dates", "letter": "letter mentions with no form"}
        if name in ("wrong-clock", "wrong-date"):
            print(f"{label[name]:>28}: {count}")
        else:
            print(f"{label.get(name, name):>28}: {count}/{len(marks)} = {100 * count / max(len(marks), 1):.1f}%")


if __name__ == "__main__":
    main()
