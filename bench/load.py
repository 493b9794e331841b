"""Load-test the full public path: web proxy -> Rasa -> action server (`python bench/load.py`).

Starts the stack on loopback (single node by default; `--scale-out` starts
N Rasa replicas and action servers on a throwaway PostgreSQL database with
the Redis lock store), raises the web rate limits, then runs 1, 10, 20 and
50 simulated conversations at once. Each conversation opens a session
(POST /api/session) and sends 3-5 held-out parent messages (POST /api/chat).
Two profiles: `realistic` waits 3 s after each reply, `saturation` does not.
Every level is bounded in time (--duration) and in messages (--max-messages).

Prints p50/p95/p99 latency per message, messages per second, error rate and
peak RSS per process; keeps the raw figures in bench/results/load-<mode>.json
and rewrites bench/results/load.md and load.png from every mode measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_report import write_report  # noqa: E402
from bench.run import percentile, rss_mb  # noqa: E402
from bot.ops.runner import Supervisor, assistant_services, channel_services, prepare_backends  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from bot.ops.training import ensure_model  # noqa: E402
from tests.helpers.rest import free_port  # noqa: E402
from tests.helpers.scale import drop_database, free_ports, throwaway_url, unreachable  # noqa: E402

RESULTS = ROOT / "bench" / "results"
LEVELS = (1, 10, 20, 50)
PAUSE = {"realistic": 3.0, "saturation": 0.0}
HIGH_LIMIT = "1000000"  # the benchmark comes from one address, far above any real parent's rate


@dataclass
class Level:
    """What one concurrency level of one profile measured."""

    profile: str
    users: int
    messages: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: List[float] = field(default_factory=list)
    rss_mb: Dict[str, float] = field(default_factory=dict)

    def summary(self) -> Dict[str, float]:
        """Return the figures reported for this level."""
        ok = self.latencies_ms or [0.0]
        return {
            "p50": percentile(ok, 50), "p95": percentile(ok, 95), "p99": percentile(ok, 99),
            "msg_per_s": (self.messages - self.errors) / self.seconds if self.seconds else 0.0,
            "error_rate": self.errors / self.messages if self.messages else 0.0,
            "rss_total": sum(self.rss_mb.values()),
        }


def load_scripts_source() -> List[str]:
    """Return the held-out parent messages that conversation scripts are drawn from."""
    data = yaml.safe_load((ROOT / "tests" / "heldout" / "messages.yml").read_text(encoding="utf-8"))
    return [m["text"] for m in data["messages"]]


async def converse(client: httpx.AsyncClient, script: List[str], pause: float, level: Level, stop_at: float,
                   cap: int) -> None:
    """Run one conversation: open a session, then send each message and wait for the reply."""
    session = await client.post("/api/session", json={})
    if session.status_code != 201:
        level.messages, level.errors = level.messages + 1, level.errors + 1
        return
    conversation_id = session.json()["conversation_id"]
    for text in script:
        if time.monotonic() >= stop_at or level.messages >= cap:
            return
        level.messages += 1
        sent = time.monotonic()
        try:
            body = {"conversation_id": conversation_id, "text": text, "message_id": uuid.uuid4().hex}  # as widget.js
            response = await client.post("/api/chat", json=body)
            # The proxy answers 200 with `fallback` when Rasa failed or timed out: that is an error here.
            failed = response.status_code != 200 or bool(response.json().get("fallback"))
        except (httpx.HTTPError, ValueError):
            failed = True
        if failed:
            level.errors += 1
        else:
            level.latencies_ms.append((time.monotonic() - sent) * 1000)
        if pause:
            await asyncio.sleep(pause)


async def user(client: httpx.AsyncClient, messages: List[str], rng: random.Random, pause: float, level: Level,
               stop_at: float, cap: int) -> None:
    """Start conversation after conversation until the level's time or message budget is spent.

    With a pause, each parent starts at a random moment within the first pause: real parents do
    not all press Send at once, and simulated ones that did would stay in step, every message
    arriving in a burst of `users` at once.
    """
    if pause:
        await asyncio.sleep(rng.uniform(0, pause))
    while time.monotonic() < stop_at and level.messages < cap:
        await converse(client, rng.sample(messages, rng.randint(3, 5)), pause, level, stop_at, cap)


class RssSampler:
    """Record each service's peak resident memory while a level runs."""

    def __init__(self, supervisor: Supervisor) -> None:
        self.supervisor = supervisor
        self.peak: Dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            for service in self.supervisor.services:
                if service.process is not None:
                    self.peak[service.name] = max(self.peak.get(service.name, 0.0), rss_mb(service.process.pid))
            if self._stop.wait(1.0):
                return


async def run_level(base_url: str, supervisor: Supervisor, messages: List[str], profile: str, users: int,
                    duration: float, cap: int, seed: int) -> Level:
    """Run `users` conversations at once for `duration` seconds and return the measurements."""
    level = Level(profile=profile, users=users)
    limits = httpx.Limits(max_connections=users + 5, max_keepalive_connections=users + 5)
    async with httpx.AsyncClient(base_url=base_url, timeout=60.0, limits=limits) as client:
        with RssSampler(supervisor) as sampler:
            started = time.monotonic()
            stop_at = started + duration
            await asyncio.gather(*(
                user(client, messages, random.Random(seed * 1000 + i), PAUSE[profile], level, stop_at, cap)
                for i in range(users)
            ))
            level.seconds = time.monotonic() - started
    level.rss_mb = dict(sampler.peak)
    return level


def bench_settings(data_dir: str, scale_out: bool, replicas: int, actions: int, postgres_url: str) -> Settings:
    """Return settings for a benchmark stack on free loopback ports, with raised web rate limits."""
    env = {
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": data_dir, "SEND_NAV_SECRET_KEY": "bench-secret-" + "k" * 40,
        "SEND_NAV_WEB_PORT": str(free_port()), "SEND_NAV_REVIEW_PORT": str(free_port()),
        "SEND_NAV_RATE_PER_CONVERSATION": HIGH_LIMIT, "SEND_NAV_RATE_PER_IP": HIGH_LIMIT,
        "SEND_NAV_RATE_SESSIONS_PER_IP": HIGH_LIMIT, "SEND_NAV_RASA_TIMEOUT": "60",
        "SEND_NAV_LOG_LEVEL": "WARNING",
    }
    if scale_out:
        env.update({"SEND_NAV_SCALE_OUT": "1", "SEND_NAV_POSTGRES_URL": postgres_url,
                    "SEND_NAV_RASA_REPLICAS": str(replicas), "SEND_NAV_ACTIONS_REPLICAS": str(actions)})
    env["SEND_NAV_RASA_PORT"] = str(free_ports(replicas if scale_out else 1))
    env["SEND_NAV_ACTIONS_PORT"] = str(free_ports(actions if scale_out else 1))
    return load_settings(env)


def print_level(mode: str, level: Level) -> None:
    """Print one level's figures on one line."""
    s = level.summary()
    print(f"  {mode:<10} {level.profile:<10} {level.users:>3} users  p50 {s['p50']:>6.0f} ms  p95 {s['p95']:>6.0f} ms  "
          f"p99 {s['p99']:>6.0f} ms  {s['msg_per_s']:>5.1f} msg/s  errors {s['error_rate']:>5.1%}  "
          f"RSS {s['rss_total']:>5.0f} MB  ({level.messages} messages)", flush=True)


def measure(settings: Settings, mode: str, args: argparse.Namespace) -> List[Level]:
    """Start the stack, warm it up, run every profile and level, and stop it."""
    services = assistant_services(settings, ensure_model(ROOT)) + channel_services(settings)
    supervisor = Supervisor(services, settings.data_dir / "logs")
    supervisor.start(timeout=300, progress=False)
    base_url = f"http://{settings.web_host}:{settings.web_port}"
    messages = load_scripts_source()
    results: List[Level] = []
    try:
        warm = random.Random(0)
        for _ in range(2 * settings.rasa_replicas):  # load each replica's model and connections first
            asyncio.run(run_level(base_url, supervisor, messages, "saturation", 1, 0.1, 3, warm.randint(0, 9999)))
        for profile in args.profiles:
            for users in args.levels:
                level = asyncio.run(run_level(base_url, supervisor, messages, profile, users, args.duration,
                                              args.max_messages, seed=users))
                print_level(mode, level)
                results.append(level)
    finally:
        supervisor.stop()
    return results


def main(argv: Optional[List[str]] = None) -> int:
    """Run the load benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale-out", action="store_true", help="PostgreSQL + Redis and several Rasa replicas")
    parser.add_argument("--replicas", type=int, default=2, help="Rasa replicas with --scale-out (default 2)")
    parser.add_argument("--actions", type=int, default=2, help="action servers with --scale-out (default 2)")
    parser.add_argument("--levels", type=lambda v: [int(x) for x in v.split(",")], default=list(LEVELS))
    parser.add_argument("--profiles", type=lambda v: v.split(","), default=list(PAUSE))
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per level (default 30)")
    parser.add_argument("--max-messages", type=int, default=5000, help="messages per level at most")
    args = parser.parse_args(argv)
    if unknown := set(args.profiles) - set(PAUSE):
        parser.error(f"unknown profile(s): {', '.join(sorted(unknown))}")

    mode = f"scale-{args.replicas}" if args.scale_out else "single"
    postgres_url = throwaway_url("sendnav_bench") if args.scale_out else ""
    if args.scale_out and (reason := unreachable()):
        print(f"Cannot run --scale-out: {reason}", file=sys.stderr)
        return 1
    settings = bench_settings(tempfile.mkdtemp(prefix="bench-load-"), args.scale_out, args.replicas, args.actions,
                              postgres_url)
    print(f"Load benchmark ({mode}): levels {args.levels}, profiles {args.profiles}, {args.duration:.0f} s each",
          flush=True)
    try:
        prepare_backends(settings)
        levels = measure(settings, mode, args)
    finally:
        if args.scale_out:
            drop_database(postgres_url)
    RESULTS.mkdir(parents=True, exist_ok=True)
    raw = {"mode": mode, "when": time.strftime("%Y-%m-%d %H:%M"), "duration": args.duration,
           "cpus": os.cpu_count(), "levels": [{**asdict(level), "summary": level.summary()} for level in levels]}
    for entry in raw["levels"]:
        entry.pop("latencies_ms")
    (RESULTS / f"load-{mode}.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
    write_report(RESULTS)
    print(f"\nWritten to {RESULTS / 'load.md'} and {RESULTS / 'load.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
