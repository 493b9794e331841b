"""Measure crisis detection on every held-out text (`python bench/crisis.py`; also part of `make bench`).

Three measures, each as recall on the crisis texts and false-alarm rate on the others, per
held-out file:
- `is_crisis` alone (the deterministic rules, no Rasa);
- the whole assistant: each text is sent over the real REST channel from a fresh sender,
  and it counts as a crisis answer when a reply's payload has kb_id == "crisis";
- the model's own crisis guess under other CrisisGuard settings (threshold, with or without
  a word of risk), from the `crisis_guard` parse data of POST /model/parse, to show the
  trade-off that components/crisis_guard.py settles.
Figures are printed and returned; nothing here asserts a target.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.safety.crisis import is_crisis, risk_evidence  # noqa: E402
from tests.helpers.heldout import HeldOut, held_out_texts  # noqa: E402

CRISIS_ID = "crisis"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def crisis_answered(replies: List[Dict[str, Any]]) -> bool:
    """Return True if any reply is the crisis answer."""
    return any((reply.get("custom") or {}).get("kb_id") == CRISIS_ID for reply in replies)


def score(items: List[HeldOut], flagged: Callable[[HeldOut], bool]) -> Dict[str, Any]:
    """Return recall, false-alarm rate and precision, overall and per file, with the misses and false alarms."""
    counts: Dict[str, List[int]] = defaultdict(lambda: [0, 0, 0, 0])  # crisis, caught, other, alarms
    misses, alarms = [], []
    for item in items:
        hit = flagged(item)
        row = counts[item.source]
        if item.crisis:
            row[0] += 1
            row[1] += hit
            if not hit:
                misses.append(item)
        else:
            row[2] += 1
            row[3] += hit
            if hit:
                alarms.append(item)
    total = [sum(row[i] for row in counts.values()) for i in range(4)]
    return {
        "recall": total[1] / max(1, total[0]), "caught": total[1], "crises": total[0],
        "false_alarm_rate": total[3] / max(1, total[2]), "alarms": total[3], "others": total[2],
        "precision": total[1] / max(1, total[1] + total[3]),
        "by_file": {source: row for source, row in sorted(counts.items())},
        "misses": [(m.source, m.text) for m in misses], "false_alarms": [(a.source, a.text) for a in alarms],
    }


def summary_rows(name: str, result: Dict[str, Any]) -> List[Tuple[str, str]]:
    """Return printable rows: overall recall, false alarms and precision, then each file."""
    rows = [(f"{name}: crisis recall", f"{result['recall']:.1%} ({result['caught']}/{result['crises']})"),
            (f"{name}: false crisis answers", f"{result['false_alarm_rate']:.2%} ({result['alarms']}/{result['others']})"),
            (f"{name}: crisis precision", f"{result['precision']:.1%}")]
    for source, (crises, caught, others, alarms) in result["by_file"].items():
        recall = f"recall {caught}/{crises}, " if crises else ""
        rows.append((f"{name}: {source}", f"{recall}false alarms {alarms}/{others}"))
    return rows


def model_tradeoff(items: List[HeldOut], parsed: List[Dict[str, Any]]) -> List[Tuple[str, str]]:
    """Return rows for each CrisisGuard setting: rules + the model's guess at a threshold, with or without evidence."""
    guard = {id(item): p.get("crisis_guard") or {} for item, p in zip(items, parsed)}
    rows = []
    settings = [("rules only", 1.01, False)] + [(f"rules + model >= {t}", t, False) for t in THRESHOLDS]
    settings += [(f"rules + model >= {t} with a word of risk", t, True) for t in THRESHOLDS]
    for name, threshold, evidence in settings:
        def flagged(item: HeldOut, threshold: float = threshold, evidence: bool = evidence) -> bool:
            info = guard[id(item)]
            model = float(info.get("model_confidence") or 0.0) >= threshold
            return info.get("signal") is not None or (model and (not evidence or risk_evidence(item.text)))
        result = score(items, flagged)
        rows.append((name, f"recall {result['caught']}/{result['crises']}, "
                           f"false alarms {result['alarms']}/{result['others']} ({result['false_alarm_rate']:.2%})"))
    return rows


def measure(stack: Any) -> Dict[str, Any]:
    """Run all three measures against a running assistant and return the figures."""
    items = held_out_texts()
    alone = score(items, lambda item: is_crisis(item.text))
    answered = {id(item): crisis_answered(stack.send(item.text)) for item in items}
    full = score(items, lambda item: answered[id(item)])
    parsed = [stack.parse(item.text) for item in items]
    return {"is_crisis": alone, "assistant": full, "tradeoff": model_tradeoff(items, parsed)}


def report(figures: Dict[str, Any]) -> List[str]:
    """Return the printable lines: both summaries, the trade-off table, and the misses and false alarms."""
    lines = []
    for name, key in (("is_crisis alone", "is_crisis"), ("assistant (REST)", "assistant")):
        lines += [f"  {row:<55} {value}" for row, value in summary_rows(name, figures[key])]
    lines.append("\n  CrisisGuard settings on the held-out texts (rules + the model's own guess):")
    lines += [f"    {row:<50} {value}" for row, value in figures["tradeoff"]]
    for name, key in (("is_crisis alone", "is_crisis"), ("assistant (REST)", "assistant")):
        for label, entries in (("missed", figures[key]["misses"]), ("false alarm", figures[key]["false_alarms"])):
            lines += [f"  {name} {label}: [{source}] {text[:100]!r}" for source, text in entries]
    return lines


def main() -> int:
    """Start the assistant, measure and print."""
    from bench.stack import running_assistant

    with running_assistant(ROOT) as stack:
        figures = measure(stack)
    print("\nSEND Navigator: crisis detection on the held-out sets")
    print("\n".join(report(figures)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
