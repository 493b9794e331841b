"""Cold start, one-user latency and memory of Rasa and the action server, nothing else (issue 15's before/after).

    .venv/bin/python bench/cold_start.py [--messages 60] [--runs 2]

Starts Rasa and the action server as `make run` does (each from its own environment), times process
start to the first answer, sends held-out messages one at a time over REST, and prints the figures
with the Python each process runs. Lighter than bench/run.py: no training, no cross-validation.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import List

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import percentile, rss_mb  # noqa: E402
from bench.stack import running_assistant  # noqa: E402


def main() -> int:
    """Start the assistant `--runs` times and print cold start, p50/p95 latency and RSS."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=60, help="held-out messages to time after the first answer")
    parser.add_argument("--runs", type=int, default=2, help="cold starts to time")
    args = parser.parse_args()
    texts = [m["text"] for m in yaml.safe_load((ROOT / "tests/heldout/messages.yml").read_text())["messages"]]
    for run in range(args.runs):
        with running_assistant(ROOT) as stack:
            latencies: List[float] = []
            for text in texts[: args.messages]:
                sent = time.monotonic()
                response = requests.post(stack.rest_url, json={"sender": uuid.uuid4().hex, "message": text},
                                         headers=stack.headers, timeout=60)
                response.raise_for_status()
                latencies.append((time.monotonic() - sent) * 1000)
            rss = {s.name: rss_mb(s.process.pid) for s in stack.supervisor.services if s.process}
            print(f"run {run + 1}: cold start {stack.cold_start:.1f} s; latency p50 {statistics.median(latencies):.0f} ms, "
                  f"p95 {percentile(latencies, 95):.0f} ms ({len(latencies)} messages); RSS "
                  + ", ".join(f"{name} {mb:.0f} MB" for name, mb in rss.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
