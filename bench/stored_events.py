"""Measure what the tracker store's privacy step costs per turn (`.venv-rasa/bin/python bench/stored_events.py`).

Under load, the Rasa server's largest self time was redaction
(bench/results/profile.md): on every save the tracker store turns each new
event into its safe form (bot/safety/stored_events.py), and a turn's events
hold the parent's message several times over and the assistant's answer,
which is long. This builds realistic turns (a parent's message full of
personal details, its parse data with a full intent ranking, the knowledge
base's real answers with their buttons, slot events), runs them through the
real `RedactingSQLTrackerStore._safe_forms`, and prints microseconds per turn,
for turns that are all different and for a run in which the knowledge base's
answers repeat as they do in real use. It also checks the safe forms hold
none of the message's personal details, so a faster path cannot pass by
leaking. Runs in the Rasa environment (it imports Rasa), in a few seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered  # noqa: E402

from bot.knowledge.entries import load_kb  # noqa: E402
from bot.safety import stored_events  # noqa: E402
from components.tracker_store import RedactingSQLTrackerStore  # noqa: E402
from tests.helpers.pii import samples  # noqa: E402


def load_domain() -> Domain:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Domain.load(str(ROOT / "domain.yml"))


def turn(domain: Domain, message: str, answer: str, kb_id: str, rng: random.Random) -> List[Event]:
    """Return the events one question-and-answer turn adds, shaped as Rasa and action_answer make them."""
    intents = [i for i in domain.intents if i.startswith("ask_")]
    rng.shuffle(intents)
    ranking = [{"name": name, "confidence": round(rng.random() / (n + 1), 4)} for n, name in enumerate(intents[:10])]
    parse_data = {"intent": ranking[0], "entities": [], "text": message, "message_id": "%032x" % rng.getrandbits(128),
                  "metadata": {}, "intent_ranking": ranking}
    buttons = [{"title": f"Related {n}", "payload": "/ask_mediation"} for n in range(3)]
    return [
        UserUttered(message, parse_data["intent"], [], parse_data, input_channel="rest",
                    message_id=parse_data["message_id"]),
        ActionExecuted("action_answer", policy="RulePolicy", confidence=1.0),
        BotUttered(answer, {"buttons": buttons, "custom": {"kb_id": kb_id, "sources": ["https://www.gov.uk/"]}}),
        SlotSet("last_kb_id", kb_id),
        SlotSet("deadline_shown", None),
        ActionExecuted("action_listen", policy="RulePolicy", confidence=1.0),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--no-memo", action="store_true", help="redact every string afresh (the cost before the memo)")
    args = parser.parse_args()
    if args.no_memo:
        stored_events.redacted = stored_events.redact
    rng = random.Random(7)
    domain = load_domain()
    kb = load_kb(ROOT / "knowledge")
    answers = [(e.id, "\n\n".join([e.title, e.short, e.detail or ""] + list(e.next_steps))) for e in kb.entries.values()]
    people = samples(args.turns)
    messages = [p.message() for p in people]
    with tempfile.TemporaryDirectory() as folder:
        store = RedactingSQLTrackerStore(host=f"sqlite:///{folder}/tracker.db", domain=domain)
        history: List[Event] = []
        timings: List[float] = []
        stored: List[str] = []
        for message in messages:
            kb_id, answer = answers[rng.randrange(len(answers))]
            new = turn(domain, message, answer, kb_id, rng)
            history += new
            start = time.perf_counter()
            safe = [s.as_dict() for s in store._safe_forms(history, new)]
            timings.append(time.perf_counter() - start)
            stored.append(json.dumps(safe))
            if len(history) > 60:
                history = history[-60:]
        store.engine.dispose()
    details = [value for p in people for value in p.details().values()]
    leaked = [d for d in details if any(d in blob for blob in stored)]
    answer_chars = statistics.mean(len(a) for _, a in answers)
    warm = timings[len(answers):] or timings
    print(f"{args.turns} turns; answers {answer_chars:.0f} characters on average; "
          f"{'no memo' if args.no_memo else f'memo of {stored_events.MEMO_SIZE} strings'}")
    print(f"privacy step per turn: mean {statistics.mean(timings) * 1e6:.0f} µs, "
          f"median {statistics.median(timings) * 1e6:.0f} µs; after the first {len(answers)} turns (answers "
          f"seen before): median {statistics.median(warm) * 1e6:.0f} µs")
    print(f"personal details found in the safe forms: {len(leaked)} of {len(details)}")
    if leaked:
        raise SystemExit("a personal detail reached the safe forms")


if __name__ == "__main__":
    main()
