"""Turn the load benchmark's raw figures (bench/results/load-*.json) into load.md and load.png."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

MODE_ORDER = {"single": 0}


def read_runs(results: Path) -> List[Dict[str, Any]]:
    """Return every measured mode, single node first."""
    runs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(results.glob("load-*.json"))]
    return sorted(runs, key=lambda r: (MODE_ORDER.get(r["mode"], 1), r["mode"]))


def markdown(runs: List[Dict[str, Any]]) -> str:
    """Return the Markdown report: one row per mode, profile and concurrency level."""
    lines = [
        "# Load benchmark (`python bench/load.py`, `python bench/run.py --load`)",
        "",
        "Full public path on 127.0.0.1: web proxy (`POST /api/session`, `POST /api/chat`) -> Rasa -> action "
        "server. Each simulated conversation sends 3-5 held-out parent messages. `realistic` pauses 3 s after "
        "each reply; `saturation` does not. Latency is per message; errors include the proxy's `unavailable` "
        "fallback. RSS is the peak per process during the level, summed.",
        "",
        "| mode | profile | users | p50 ms | p95 ms | p99 ms | msg/s | errors | messages | RSS total MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        for level in run["levels"]:
            s = level["summary"]
            lines.append(
                f"| {run['mode']} | {level['profile']} | {level['users']} | {s['p50']:.0f} | {s['p95']:.0f} | "
                f"{s['p99']:.0f} | {s['msg_per_s']:.1f} | {s['error_rate']:.1%} | {level['messages']} | "
                f"{s['rss_total']:.0f} |"
            )
    lines += ["", "## Peak RSS per process (MB, over all levels)", "", "| mode | process | RSS MB |", "|---|---|---:|"]
    for run in runs:
        peaks: Dict[str, float] = {}
        for level in run["levels"]:
            for name, mb in level["rss_mb"].items():
                peaks[name] = max(peaks.get(name, 0.0), mb)
        for name, mb in sorted(peaks.items()):
            lines.append(f"| {run['mode']} | {name} | {mb:.0f} |")
        lines.append(f"| {run['mode']} | **total** | **{sum(peaks.values()):.0f}** |")
    lines += ["", "Measured: " + "; ".join(
        f"{r['mode']} {r['when']} ({r['duration']:.0f} s per level, {r.get('cpus', '?')} CPUs shared by every process "
        "and the load generator)" for r in runs), ""]
    return "\n".join(lines)


def plot(runs: List[Dict[str, Any]], path: Path) -> None:
    """Draw p50 and p95 latency against concurrency, one panel per profile."""
    import matplotlib

    matplotlib.use("Agg")  # no display here, and none needed
    import matplotlib.pyplot as plt

    profiles = sorted({level["profile"] for run in runs for level in run["levels"]})
    figure, axes = plt.subplots(1, len(profiles), figsize=(6 * len(profiles), 4.5), squeeze=False)
    for axis, profile in zip(axes[0], profiles):
        for run in runs:
            levels = [lv for lv in run["levels"] if lv["profile"] == profile]
            users = [lv["users"] for lv in levels]
            for pct, style in (("p50", "-o"), ("p95", "--s")):
                axis.plot(users, [lv["summary"][pct] for lv in levels], style, label=f"{run['mode']} {pct}")
        axis.set_title(f"{profile} profile")
        axis.set_xlabel("concurrent conversations")
        axis.set_ylabel("latency per message (ms)")
        axis.set_yscale("log")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write_report(results: Path) -> None:
    """Rewrite load.md and load.png from every load-*.json in the results folder."""
    runs = read_runs(results)
    (results / "load.md").write_text(markdown(runs), encoding="utf-8")
    plot(runs, results / "load.png")
