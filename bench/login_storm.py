"""Does a storm of failed dashboard logins slow the parents' widget? (`python bench/login_storm.py`)

Starts the widget server and the volunteer dashboard exactly as `python -m
bot run` does (bot/ops/runner.py: two processes, real argon2 parameters),
then measures the widget's latency, GET /healthz and POST /api/session,
twice: alone, and while `--storm` threads send failed dashboard logins as
fast as they are answered. Each storm login comes from its own address
(X-Forwarded-For from a trusted local proxy) and names its own email, so
the login throttle never refuses it early: every one costs a full argon2
verification, the worst case for the CPU. The security review measured
/healthz going from 1.5 ms to 1.45 s with 10 such logins when the dashboard
shared the widget's process.

Prints both figures and writes bench/results/login_storm.md.
"""

from __future__ import annotations

import argparse
import itertools
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import percentile  # noqa: E402
from bot.ops.runner import Supervisor, channel_services, prepare_backends  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from tests.helpers.rest import free_port  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RESULTS = ROOT / "bench" / "results" / "login_storm.md"


def stack_settings(data_dir: str) -> Settings:
    """Return settings for a two-process stack on free ports; loopback is the trusted proxy."""
    return load_settings({
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": data_dir, "SEND_NAV_SECRET_KEY": "storm-" + "k" * 48,
        "SEND_NAV_WEB_PORT": str(free_port()), "SEND_NAV_REVIEW_PORT": str(free_port()),
        "SEND_NAV_TRUSTED_PROXIES": "127.0.0.1", "SEND_NAV_RATE_PER_IP": "1000000",
        "SEND_NAV_RATE_SESSIONS_PER_IP": "1000000", "SEND_NAV_LOG_LEVEL": "WARNING",
    })


def probe(base: str, seconds: float, gap: float) -> Dict[str, List[float]]:
    """Time GET /healthz and POST /api/session, one after the other, for `seconds`; return ms by endpoint."""
    timings: Dict[str, List[float]] = {"GET /healthz": [], "POST /api/session": []}
    calls: Dict[str, Callable[[httpx.Client], httpx.Response]] = {
        "GET /healthz": lambda http: http.get("/healthz"),
        "POST /api/session": lambda http: http.post("/api/session", json={}),
    }
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=base, timeout=30) as http:
        while time.monotonic() < deadline:
            for name, call in calls.items():
                started = time.perf_counter()
                response = call(http)
                timings[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code in (200, 201), (name, response.status_code)
            time.sleep(gap)
    return timings


class Storm:
    """Threads that send failed dashboard logins until stopped, each from its own address."""

    def __init__(self, base: str, threads: int) -> None:
        self.base = base
        self.stop = threading.Event()
        self.counter = itertools.count(1)
        self.latencies: List[float] = []
        self.statuses: Dict[int, int] = {}
        self._lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self) -> None:
        while not self.stop.is_set():
            n = next(self.counter)
            address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
            with httpx.Client(base_url=self.base, timeout=60) as http:
                token = CSRF.search(http.get("/review/login").text)
                started = time.perf_counter()
                response = http.post("/review/login", headers={"X-Forwarded-For": address}, data={
                    "email": f"guess{n}@example.org", "password": f"wrong-{n}", "csrf_token": token.group(1) if token else ""})
                elapsed = (time.perf_counter() - started) * 1000
            with self._lock:
                self.latencies.append(elapsed)
                self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1

    def __enter__(self) -> "Storm":
        for thread in self.threads:
            thread.start()
        time.sleep(1.0)  # let every thread get a login in flight
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def summary(values: List[float]) -> str:
    """Return p50 / p95 / max of millisecond timings."""
    return f"p50 {statistics.median(values):7.1f} ms   p95 {percentile(values, 95):7.1f} ms   max {max(values):7.1f} ms"


def main(argv: List[str] | None = None) -> int:
    """Start the stack, measure alone and under the storm, print and record the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--storm", type=int, default=20, help="parallel failed logins (default 20)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each measurement (default 20)")
    parser.add_argument("--gap", type=float, default=0.02, help="pause between probe rounds in seconds (default 0.02)")
    args = parser.parse_args(argv)
    settings = stack_settings(tempfile.mkdtemp(prefix="bench-storm-"))
    prepare_backends(settings)
    supervisor = Supervisor(channel_services(settings), settings.data_dir / "logs")
    supervisor.start(timeout=120, progress=False)
    web, review = (f"http://127.0.0.1:{settings.web_port}", f"http://127.0.0.1:{settings.review_port}")
    try:
        probe(web, 2.0, args.gap)  # warm-up
        alone = probe(web, args.seconds, args.gap)
        with Storm(review, args.storm) as storm:
            during = probe(web, args.seconds, args.gap)
    finally:
        supervisor.stop()
    lines = [f"Widget latency alone and during {args.storm} parallel failed dashboard logins "
             f"({args.seconds:.0f} s each, widget and dashboard in separate processes as `python -m bot run` starts them)", ""]
    for name in alone:
        lines.append(f"  {name:<18} alone   {summary(alone[name])}   ({len(alone[name])} requests)")
        lines.append(f"  {name:<18} storm   {summary(during[name])}   ({len(during[name])} requests)")
    lines.append(f"  dashboard logins during the storm: {len(storm.latencies)} answered "
                 f"({len(storm.latencies) / args.seconds:.1f}/s), statuses {storm.statuses}, {summary(storm.latencies)}")
    print("\n".join(lines))
    RESULTS.write_text("# Login storm (bench/login_storm.py)\n\n```\n" + "\n".join(lines) + "\n```\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
