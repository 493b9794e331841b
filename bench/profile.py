"""Measure CPU time per message in each process under saturation (`python bench/profile.py`).

Starts the stack as bench/load.py does (single node by default, or
`--scale-out`), warms it up, then runs `--users` conversations with no pause
for `--duration` seconds. For each process (rasa, actions, web and this
load generator) it reads utime+stime from /proc before and after, over the
process, its threads and its descendants, and divides by the messages
answered: CPU ms per message. Unlike wall-clock latency, that figure barely
moves when other jobs share the CPUs.

With `--py-spy` it also samples every Rasa, action and web process with
py-spy during the run and prints the top functions by self and total time
(py-spy's raw collapsed stacks are kept in the output folder). Sampling
costs the sampled processes some CPU, so take the CPU-per-message figures
from a run without it.

`--turns N` gives every conversation N messages instead of 3-5, to see
whether a turn costs more as a conversation grows. `--record FILE` appends
the run's figures as one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import Level, bench_settings, converse, load_scripts_source  # noqa: E402
from bench.run import process_children  # noqa: E402
from bot.ops.runner import Supervisor, assistant_services, channel_services, prepare_backends  # noqa: E402
from bot.ops.training import ensure_model  # noqa: E402
from tests.helpers.scale import drop_database, throwaway_url, unreachable  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
PY_SPY = Path(sys.executable).with_name("py-spy")


def cpu_seconds(pid: int, tree: bool = True) -> float:
    """Return utime+stime of a process (all its threads) and, if `tree`, of its live descendants."""
    children = process_children() if tree else {}
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / TICKS


def cpu_by_process(supervisor: Supervisor) -> Dict[str, float]:
    """Return CPU seconds so far for each service and for this load generator (not its py-spy children)."""
    used = {s.name: cpu_seconds(s.process.pid) for s in supervisor.services if s.process is not None}
    used["loadgen"] = cpu_seconds(os.getpid(), tree=False)
    return used


async def user(client: httpx.AsyncClient, messages: List[str], rng: random.Random, level: Level, stop_at: float,
               turns: Optional[int]) -> None:
    """Start conversation after conversation, without pausing, until the time is up."""
    while time.monotonic() < stop_at:
        script = [rng.choice(messages) for _ in range(turns)] if turns else rng.sample(messages, rng.randint(3, 5))
        await converse(client, script, 0.0, level, stop_at, 10**9)


async def saturate(base_url: str, messages: List[str], users: int, duration: float, turns: Optional[int],
                   seed: int) -> Level:
    """Run `users` conversations at once, with no pause, for `duration` seconds."""
    level = Level(profile="saturation", users=users)
    limits = httpx.Limits(max_connections=users + 5, max_keepalive_connections=users + 5)
    async with httpx.AsyncClient(base_url=base_url, timeout=60.0, limits=limits) as client:
        started = time.monotonic()
        await asyncio.gather(*(
            user(client, messages, random.Random(seed * 1000 + i), level, started + duration, turns)
            for i in range(users)
        ))
        level.seconds = time.monotonic() - started
    return level


def start_py_spy(supervisor: Supervisor, out_dir: Path, duration: float, rate: int,
                 idle: bool) -> List[Tuple[str, Path, "subprocess.Popen[bytes]"]]:
    """Start one py-spy recorder (raw collapsed stacks) per service."""
    spies = []
    for service in supervisor.services:
        if service.process is None:
            continue
        out = out_dir / f"{service.name}.txt"
        argv = [str(PY_SPY), "record", "--pid", str(service.process.pid), "--format", "raw", "--output", str(out),
                "--duration", str(int(duration)), "--rate", str(rate), "--nonblocking", "--subprocesses"] + (["--idle"] if idle else [])
        spies.append((service.name, out, subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))
    return spies


def _frame_name(frame: str) -> str:
    # py-spy raw frames look like "function (path/to/file.py:123)"; keep the function and the file's tail.
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path, _, _line = where.rpartition(":")
    short = "/".join(Path(path).parts[-2:]) if path else where
    return f"{name} ({short})"


def summarise_stacks(path: Path, top: int) -> Tuple[int, List[Tuple[str, int]], List[Tuple[str, int]]]:
    """Return total samples and the top functions by self and by total samples in a raw py-spy file."""
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame_name(f) for f in stack.split(";") if f and not f.startswith("process ")
                  and not f.startswith("thread ")]
        if not frames:
            continue
        total += count
        own[frames[-1]] += count
        for name in set(frames):
            inclusive[name] += count
    return total, own.most_common(top), inclusive.most_common(top)


def main(argv: Optional[List[str]] = None) -> int:
    """Run the saturation profile once and print CPU ms per message for each process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10, help="conversations at once (default 10)")
    parser.add_argument("--duration", type=float, default=40.0, help="seconds of load (default 40)")
    parser.add_argument("--turns", type=int, default=0, help="messages per conversation (default 3-5)")
    parser.add_argument("--scale-out", action="store_true", help="PostgreSQL + Redis and several Rasa replicas")
    parser.add_argument("--replicas", type=int, default=2, help="Rasa replicas with --scale-out (default 2)")
    parser.add_argument("--actions", type=int, default=2, help="action servers with --scale-out (default 2)")
    parser.add_argument("--log-level", default="WARNING", help="SEND_NAV_LOG_LEVEL for the stack (default WARNING)")
    parser.add_argument("--py-spy", action="store_true", help="sample each process with py-spy during the run")
    parser.add_argument("--idle", action="store_true", help="py-spy also samples waiting threads (wall time)")
    parser.add_argument("--rate", type=int, default=50, help="py-spy samples per second (default 50)")
    parser.add_argument("--top", type=int, default=25, help="functions to list per process (default 25)")
    parser.add_argument("--out", type=Path, help="folder for py-spy output (default: a temporary folder)")
    parser.add_argument("--label", default="", help="name of this run in the printed line and the record")
    parser.add_argument("--record", type=Path, help="append the figures as one JSON line to this file")
    args = parser.parse_args(argv)

    if args.scale_out and (reason := unreachable()):
        print(f"Cannot run --scale-out: {reason}", file=sys.stderr)
        return 1
    postgres_url = throwaway_url("sendnav_profile") if args.scale_out else ""
    data_dir = tempfile.mkdtemp(prefix="bench-profile-")
    settings = bench_settings(data_dir, args.scale_out, args.replicas, args.actions, postgres_url)
    settings = dataclasses.replace(settings, log_level=args.log_level.upper())
    out_dir = args.out or Path(data_dir) / "py-spy"
    out_dir.mkdir(parents=True, exist_ok=True)
    messages = load_scripts_source()
    try:
        prepare_backends(settings)
        services = assistant_services(settings, ensure_model(ROOT)) + channel_services(settings)
        supervisor = Supervisor(services, settings.data_dir / "logs")
        supervisor.start(timeout=300, progress=False)
        base_url = f"http://{settings.web_host}:{settings.web_port}"
        try:
            asyncio.run(saturate(base_url, messages, 2 * settings.rasa_replicas, 5.0, None, seed=0))  # warm-up
            spies = start_py_spy(supervisor, out_dir, args.duration, args.rate, args.idle) if args.py_spy else []
            before = cpu_by_process(supervisor)
            level = asyncio.run(saturate(base_url, messages, args.users, args.duration, args.turns or None, seed=1))
            after = cpu_by_process(supervisor)
            for _name, _out, spy in spies:
                spy.wait(timeout=args.duration + 60)
        finally:
            supervisor.stop()
    finally:
        if args.scale_out:
            drop_database(postgres_url)

    answered = level.messages - level.errors
    per_message = {name: (after[name] - before[name]) * 1000 / max(1, answered) for name in after}
    cpu_total = sum(after[name] - before[name] for name in after)
    summary = level.summary()
    record = {
        "label": args.label, "when": time.strftime("%Y-%m-%d %H:%M"), "users": args.users, "duration": args.duration,
        "turns": args.turns or "3-5", "mode": f"scale-{args.replicas}" if args.scale_out else "single",
        "py_spy": args.py_spy, "answered": answered, "errors": level.errors, "msg_per_s": round(summary["msg_per_s"], 1),
        "p50_ms": round(summary["p50"]), "p95_ms": round(summary["p95"]),
        "cpu_ms_per_msg": {k: round(v, 1) for k, v in per_message.items()},
        "cpu_ms_per_msg_total": round(sum(per_message.values()), 1),
        "cpu_busy": round(cpu_total / level.seconds, 2),  # CPUs kept busy by the stack and the load generator
    }
    print(json.dumps(record))
    print(f"\n{args.label or 'run'}: {answered} answered ({level.errors} errors) in {level.seconds:.0f} s, "
          f"{summary['msg_per_s']:.1f} msg/s, p50 {summary['p50']:.0f} ms, p95 {summary['p95']:.0f} ms")
    print("CPU ms per message: " + ", ".join(f"{k} {v:.1f}" for k, v in per_message.items())
          + f", total {sum(per_message.values()):.1f}; {record['cpu_busy']} CPUs busy")
    for name, out, spy in spies:
        if not out.exists():
            print(f"\npy-spy {name}: no output ({(spy.stderr.read() if spy.stderr else b'').decode()[:200]})")
            continue
        total, own, inclusive = summarise_stacks(out, args.top)
        print(f"\npy-spy {name}: {total} samples ({out})")
        print("  self:")
        for fn, count in own:
            print(f"    {count / total:6.1%}  {fn}")
        print("  total:")
        for fn, count in inclusive:
            print(f"    {count / total:6.1%}  {fn}")
    if args.record:
        with args.record.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
