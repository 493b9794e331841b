"""Tune and check LongPostClassifier: how long forum posts are ranked (issue 10).

For each C it trains the component's classifier on data/nlu plus
data/long_posts, ranks every long post with it, blends in the ranking of the
post's closing question at each weight, runs the pipeline's tail
(FallbackClassifier, ConversationGuard, CrisisGuard) and reads the result as
action_answer would (bench/conversation_core.reply_for). A post is right when
the answer's kb id is one the set expects. "Without" is the pipeline's own
ranking (Rasa's classifier, from the parse's `long_post` data).

- The grid is scored on the development sets, bench/dev/forum_posts*.yml (one
  file per writer), and only there: that is where config.yml's weight and C come from.
- The held-out forum posts (tests/heldout/conversations.yml) are scored only
  without the component and with config.yml's setting, so the held-out set
  never chooses the setting.

Runs in the Rasa environment:

    .venv-rasa/bin/python bench/long_posts.py [MODEL] [--show]
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.conversation_core import parse_all, reply_for  # noqa: E402
from bot.conversation.decide import Decider  # noqa: E402
from bot.conversation.focus import LONG_POST_WORDS, question_part, rank_long_post  # noqa: E402
from bot.knowledge.entries import load_kb  # noqa: E402
from bot.knowledge.follow_ups import load_follow_ups  # noqa: E402
from components.long_posts import RANKING_LENGTH, build_classifier  # noqa: E402

WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.6)
CS = (10.0, 30.0, 100.0, 300.0)
Post = Tuple[str, List[str]]   # (text, kb ids that count as right)


def dev_sets() -> Dict[str, List[Post]]:
    """Each development set of bench/dev (forum_posts*.yml), by file name."""
    sets = {}
    for path in sorted((ROOT / "bench" / "dev").glob("forum_posts*.yml")):
        data = yaml.safe_load(path.read_text())
        sets[path.name] = [(p["say"], list(p["expect"]["kb"])) for p in data["posts"]]
    return sets


def heldout_posts() -> List[Post]:
    data = yaml.safe_load((ROOT / "tests" / "heldout" / "conversations.yml").read_text())
    return [(c["turns"][0]["say"], list(c["turns"][0]["expect"]["kb"]))
            for c in data["conversations"] if c["pattern"] == "forum-post"]


def focus_config() -> Dict[str, Any]:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    return next((dict(c) for c in config["pipeline"] if c["name"].endswith("LongPostClassifier")), {})


def whole_ranking(parse: Dict[str, Any]) -> List[Tuple[str, float]]:
    ranking = (parse.get("long_post") or {}).get("whole") or parse.get("intent_ranking") or []
    return [(str(r["name"]), float(r["confidence"])) for r in ranking]


def tail() -> List[Any]:
    """The pipeline's components after LongPostClassifier, as config.yml sets them."""
    from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier

    from components.conversation_guard import ConversationGuard
    from components.crisis_guard import CrisisGuard

    config = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    by_name = {c["name"].rsplit(".", 1)[-1]: {k: v for k, v in c.items() if k != "name"} for c in config}
    return [FallbackClassifier({**FallbackClassifier.get_default_config(), **by_name["FallbackClassifier"]}),
            ConversationGuard({**ConversationGuard.get_default_config(), **by_name["ConversationGuard"]}),
            CrisisGuard({**CrisisGuard.get_default_config(), **by_name["CrisisGuard"]})]


def after_tail(text: str, ranking: Sequence[Tuple[str, float]], components: List[Any]) -> Dict[str, Any]:
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    ranked = [{"name": n, "confidence": c} for n, c in ranking]
    message = Message(data={TEXT: text, INTENT: ranked[0], INTENT_RANKING_KEY: ranked})
    for component in components:
        component.process([message])
    return {"text": text, "intent": message.get(INTENT), "intent_ranking": message.get(INTENT_RANKING_KEY)}


def train_classifiers(cs: Sequence[float] = CS) -> Dict[float, Any]:
    """Return the component's classifier for each C, trained as the component trains it."""
    from rasa.shared.nlu.training_data.loading import load_data

    from bot.conversation.focus import read_long_posts

    data = load_data(str(ROOT / "data" / "nlu"))
    pairs = [(str(e.get("text")), str(e.get("intent"))) for e in data.intent_examples
             if e.get("intent") and e.get("text")] + read_long_posts(ROOT / "data" / "long_posts")
    texts, labels = [t for t, _ in pairs], [i for _, i in pairs]
    return {c: build_classifier(c, 42).fit(texts, labels) for c in cs}


def ranked(classifier: Any, text: str) -> Dict[str, float]:
    return dict(zip(map(str, classifier.classes_), map(float, classifier.predict_proba([text])[0])))


def accuracy(posts: List[Post], parses: Dict[str, Dict[str, Any]], classifier: Any, weight: Optional[float],
             components: List[Any], decider: Decider, kb: Any, show: bool = False) -> Tuple[int, int]:
    """Score the posts: weight None is the pipeline without the component."""
    today = dt.date(2026, 11, 30)
    right = 0
    for text, expected in posts:
        question = question_part(text, LONG_POST_WORDS)
        if weight is None:
            ranking = whole_ranking(parses[text])
        else:
            ranking = rank_long_post(text, lambda part: ranked(classifier, part), weight, keep=RANKING_LENGTH)
        got, _ = reply_for(decider, kb, after_tail(text, ranking, components), None, today, {})
        ok = got.get("kb") in expected
        right += ok
        if show and not ok:
            print(f"  MISS expect {expected} got {got.get('kb') or got.get('action')} {got.get('options') or ''}"
                  f"\n       question: {question!r}")
    return right, len(posts)


def main() -> None:
    logging.disable(logging.WARNING)
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sets, heldout = dev_sets(), heldout_posts()
    dev = [post for posts in sets.values() for post in posts]
    if args:
        model = Path(args[0])
    else:
        from bot.ops.training import ensure_model
        model = ensure_model(ROOT)
    parses = asyncio.run(parse_all(model, sorted({t for t, _ in dev + heldout})))
    kb = load_kb(ROOT / "knowledge", "kent")
    decider = Decider(load_follow_ups(ROOT / "knowledge", kb), kb.entries)
    components = tail()
    classifiers = train_classifiers()
    print(f"Development sets ({len(dev)} posts, bench/dev/{'+'.join(sets)}): right answers")
    print("        C " + "".join(f"  w={w:<4}" for w in WEIGHTS))
    for c, classifier in classifiers.items():
        cells = [accuracy(dev, parses, classifier, w, components, decider, kb)[0] for w in WEIGHTS]
        print(f"  {c:>7} " + "".join(f"  {n:>2}/{len(dev):<3}" for n in cells))
    chosen = focus_config()
    weight, c = float(chosen.get("weight", 0.0)), float(chosen.get("c", 100.0))
    classifier = classifiers[c] if c in classifiers else train_classifiers((c,))[c]
    show = "--show" in sys.argv
    for name, posts in [*sets.items(), ("held-out", heldout)]:
        for label, w in (("without LongPostClassifier", None), (f"config.yml (weight {weight}, C {c})", weight)):
            if show:
                print(f"{name}, {label}:")
            n, total = accuracy(posts, parses, classifier, w, components, decider, kb, show)
            print(f"{name:>17} posts, {label:<36} {n}/{total} = {100 * n / total:.1f}%")


if __name__ == "__main__":
    main()
