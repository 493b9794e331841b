"""Measure the core assistant and print the figures (`make bench`).

- held-out accuracy over REST (right kb_id, `unanswered` for out-of-scope,
  `handoff` for asking for a person), overall and per group;
- the held-out dated questions (tests/heldout/dated.yml) through the whole
  assistant: exact due dates and right questions back (bench/dated.py), with
  misses from the NLU's topic counted apart from wrong dates;
- p50 / p95 latency per message for one user;
- RSS of the Rasa and action processes;
- cold start (process start to first answer) and full training time;
- intent cross-validation (5 folds) unless --no-cv;
- crisis recall, false crisis answers and precision on every held-out text, for
  `is_crisis` alone and for the whole assistant over REST (bench/crisis.py).

The action server runs with "today" fixed to the dated set's day
(bench/fixed_today.py), so relative dates and "passed" mean the same on any
day the bench runs. Figures are printed and written to bench/results/core.md
and core.json. Nothing here asserts a target: the numbers go in the closing note.

`--load` runs the load benchmark instead (bench/load.py; any other arguments
are passed on to it, e.g. `--load --scale-out`).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, List, Tuple

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crisis import measure as measure_crisis  # noqa: E402
from bench.crisis import report as crisis_report  # noqa: E402
from bench.crisis import summary_rows as crisis_rows  # noqa: E402
from bench.dated import dated_today, score_dated  # noqa: E402
from bench.conversations import measure as measure_conversations  # noqa: E402
from bench.conversations import rows as conversation_rows  # noqa: E402
from bench.stack import running_assistant, with_fixed_today  # noqa: E402
from bot.ops.training import NO_TELEMETRY, rasa_command  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def predicted_dues(replies: List[Dict[str, Any]]) -> List[str]:
    """Return the due dates the replies computed: the main `deadline` first, then any others."""
    dues: List[str] = []
    for reply in replies:
        custom = reply.get("custom") or {}
        for item in [custom.get("deadline")] + list(custom.get("deadlines") or []):
            if isinstance(item, dict) and item.get("due") and item["due"] not in dues:
                dues.append(str(item["due"]))
    return dues


def predicted_label(replies: List[Dict[str, Any]]) -> str:
    """Return what the assistant did: a kb_id, 'unanswered', 'handoff' or 'other'."""
    for reply in replies:
        custom = reply.get("custom") or {}
        if custom.get("type") == "answer":
            return str(custom["kb_id"])
        if custom.get("type") in ("unanswered", "handoff"):
            return str(custom["type"])
    return "other"


def process_children() -> Dict[int, List[int]]:
    """Return every running process's child pids, read from /proc."""
    children: Dict[int, List[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children[int(fields[1])].append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return children


def rss_mb(pid: int) -> float:
    """Return the resident memory of a process and its descendants, in MB."""
    children = process_children()
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def percentile(values: List[float], pct: float) -> float:
    """Return the pct-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def training_time() -> float:
    """Train from scratch (empty cache, temporary output) and return the seconds taken."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, RASA_CACHE_DIRECTORY=str(Path(tmp) / "cache"), PYTHONPATH=str(ROOT), **NO_TELEMETRY)
        env.setdefault("SEND_NAV_ACTIONS_URL", "http://127.0.0.1:5055/webhook")
        start = time.monotonic()
        subprocess.run(
            [rasa_command(), "train", "--out", tmp, "--quiet"],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        return time.monotonic() - start


def cross_validation() -> Tuple[float, float]:
    """Run 5-fold intent cross-validation; return (accuracy, weighted F1)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [rasa_command(), "test", "nlu", "--cross-validation", "--folds", "5",
             "--nlu", "data/nlu", "--config", "config.yml", "--out", tmp, "--quiet"],
            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT), **NO_TELEMETRY), check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        report = json.loads((Path(tmp) / "intent_report.json").read_text())
        return float(report["accuracy"]), float(report["weighted avg"]["f1-score"])


def main() -> int:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cv", action="store_true", help="skip the 5-fold cross-validation")
    parser.add_argument("--no-train", action="store_true", help="skip the from-scratch training timing")
    parser.add_argument("--load", action="store_true", help="run the load benchmark (bench/load.py) instead")
    args, rest = parser.parse_known_args()
    if args.load:
        from bench.load import main as load_main

        return load_main(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")

    with running_assistant(ROOT, adjust=lambda services: with_fixed_today(services, dated_today())) as stack:
        url, cold_start, supervisor = stack.rest_url, stack.cold_start, stack.supervisor
        headers = stack.headers
        messages = yaml.safe_load((ROOT / "tests" / "heldout" / "messages.yml").read_text())["messages"]
        latencies: List[float] = []
        misses: List[Tuple[str, str, str]] = []
        by_label: Counter = Counter()
        right_by_label: Counter = Counter()
        dated_total = dated_right = 0
        for message in messages:
            sent = time.monotonic()
            response = requests.post(url, json={"sender": uuid.uuid4().hex, "message": message["text"]}, headers=headers,
                                     timeout=30)
            latencies.append((time.monotonic() - sent) * 1000)
            response.raise_for_status()
            got = predicted_label(response.json())
            expected = message["expect"]
            if "due" in message:
                dated_total += 1
                dues = predicted_dues(response.json())
                dated_right += bool(dues) and dues[0] == str(message["due"])
                if got == expected and (not dues or dues[0] != str(message["due"])):
                    got = f"{got} (due {dues[0] if dues else 'none'}, expected {message['due']})"
            by_label[expected] += 1
            if got == expected:
                right_by_label[expected] += 1
            else:
                misses.append((expected, got, message["text"]))
        dated = score_dated(url, headers)
        rss = {s.name: rss_mb(s.process.pid) for s in supervisor.services if s.process}
        crisis_figures = measure_crisis(stack)
        conversations = measure_conversations(stack)  # the same day as the dated set (2026-11-30)

    total = sum(by_label.values())
    accuracy = sum(right_by_label.values()) / total
    oos = right_by_label["unanswered"] / max(1, by_label["unanswered"])
    crisis = right_by_label["crisis"] / max(1, by_label["crisis"])
    rows = [
        ("Held-out messages", f"{total}"),
        ("Held-out accuracy (right kb_id / unanswered / handoff)", f"{accuracy:.1%}"),
        ("Out-of-scope correctly unanswered", f"{oos:.1%} ({right_by_label['unanswered']}/{by_label['unanswered']})"),
        ("Crisis messages caught (messages.yml, right kb_id)", f"{crisis:.1%} ({right_by_label['crisis']}/{by_label['crisis']})"),
        *crisis_rows("Crisis answer, all held-out texts (REST)", crisis_figures["assistant"])[:3],
        *crisis_rows("is_crisis alone, all held-out texts", crisis_figures["is_crisis"])[:3],
        ("Dated deadline questions in messages.yml: exact due date", f"{dated_right}/{dated_total}"),
        *dated.rows(),
        *conversation_rows(conversations),
        ("Latency per message, p50 (one user, REST)", f"{statistics.median(latencies):.0f} ms"),
        ("Latency per message, p95", f"{percentile(latencies, 95):.0f} ms"),
        ("RSS, Rasa server", f"{rss.get('rasa', 0):.0f} MB"),
        ("RSS, action server", f"{rss.get('actions', 0):.0f} MB"),
        ("Cold start to first answer", f"{cold_start:.1f} s"),
    ]
    training_s = None
    if not args.no_train:
        training_s = training_time()
        rows.append(("Full training time (empty cache)", f"{training_s:.0f} s"))
    if not args.no_cv:
        cv_accuracy, cv_f1 = cross_validation()
        rows += [("Intent cross-validation accuracy (5 folds)", f"{cv_accuracy:.1%}"),
                 ("Intent cross-validation weighted F1", f"{cv_f1:.3f}")]

    width = max(len(name) for name, _ in rows)
    print("\nSEND Navigator: core figures")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    if misses:
        print(f"\nMisses ({len(misses)}):")
        for expected, got, text in misses:
            print(f"  expected {expected:<30} got {got:<30} {text[:70]!r}")
    print(dated.text_misses())
    print("\nCrisis detection on the held-out sets")
    print("\n".join(crisis_report(crisis_figures)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    miss_lines = "\n".join(f"| {e} | {g} | {t[:80]} |" for e, g, t in misses)
    (RESULTS / "core.md").write_text(
        f"# Core figures ({time.strftime('%Y-%m-%d %H:%M')})\n\n| measure | value |\n|---|---|\n{table}\n\n"
        f"## Held-out misses\n\n| expected | got | message |\n|---|---|---|\n{miss_lines}\n\n{dated.markdown()}\n\n"
        f"## Crisis detection (bench/crisis.py)\n\n```\n" + "\n".join(crisis_report(crisis_figures)) + "\n```\n",
        encoding="utf-8",
    )
    core = {"when": time.strftime("%Y-%m-%d %H:%M"), "rows": rows, "cold_start_s": cold_start, "training_s": training_s,
            "accuracy": accuracy, "out_of_scope": oos, "today": dated_today(), "dated": dataclasses.asdict(dated),
            "crisis": {key: {k: v for k, v in crisis_figures[key].items() if k not in ("misses", "false_alarms")}
                       for key in ("assistant", "is_crisis")},
            "crisis_misses": crisis_figures["assistant"]["misses"],
            "crisis_false_alarms": crisis_figures["assistant"]["false_alarms"],
            "crisis_tradeoff": crisis_figures["tradeoff"]}
    (RESULTS / "core.json").write_text(json.dumps(core, indent=1), encoding="utf-8")
    if list(RESULTS.glob("load-*.json")):
        from bench.load_report import write_report

        write_report(RESULTS)  # the load report repeats these figures, so one page shows everything
    print(f"\nWritten to {RESULTS / 'core.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
