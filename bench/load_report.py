"""Turn the load benchmark's raw figures (bench/results/load-*.json) into load.md and load.png."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

MODE_ORDER = {"single": 0}


def read_runs(results: Path) -> List[Dict[str, Any]]:
    """Return every measured mode, single node first."""
    runs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(results.glob("load-*.json"))]
    return sorted(runs, key=lambda r: (MODE_ORDER.get(r["mode"], 1), r["mode"]))


def _level(run: Dict[str, Any], profile: str, users: int) -> Optional[Dict[str, Any]]:
    return next((lv for lv in run["levels"] if lv["profile"] == profile and lv["users"] == users), None)


def targets(runs: List[Dict[str, Any]], core: Optional[Dict[str, Any]]) -> List[str]:
    """Return the issue's targets beside the figures measured, one row per target and mode."""
    lines = ["## Targets (2 cores)", "", "| target | mode | measured | met |", "|---|---|---|---|"]

    def row(target: str, mode: str, measured: str, met: bool) -> None:
        lines.append(f"| {target} | {mode} | {measured} | {'yes' if met else '**no**'} |")

    for run in runs:
        mode = run["mode"]
        if (lv := _level(run, "realistic", 20)) is not None:
            s = lv["summary"]
            row("realistic, 20 conversations: p95 <= 150 ms", mode, f"p95 {s['p95']:.0f} ms", s["p95"] <= 150)
        if (lv := _level(run, "realistic", 50)) is not None:
            s = lv["summary"]
            row("realistic, 50 conversations: 0 errors, p95 <= 300 ms", mode,
                f"{lv['errors']} errors, p95 {s['p95']:.0f} ms", lv["errors"] == 0 and s["p95"] <= 300)
        saturation = [lv for lv in run["levels"] if lv["profile"] == "saturation"]
        if saturation:
            within = [lv for lv in saturation if lv["summary"]["p95"] <= 1000]
            best = max(within, key=lambda lv: lv["summary"]["msg_per_s"]) if within else None
            measured = (f"{best['summary']['msg_per_s']:.1f} msg/s at {best['users']} conversations "
                        f"(p95 {best['summary']['p95']:.0f} ms)" if best else "no level with p95 <= 1 s")
            row(">= 30 msg/s sustained with p95 <= 1 s", mode, measured,
                bool(best) and best["summary"]["msg_per_s"] >= 30)
        rss = sum(peak_rss(run).values())
        if mode == "single":
            row("RSS of every process <= 1.5 GB", mode, f"{rss:.0f} MB", rss <= 1536)
    if core:
        row("cold start to first answer <= 30 s", "single", f"{core['cold_start_s']:.1f} s", core["cold_start_s"] <= 30)
        if core.get("training_s") is not None:
            row("full training <= 5 min", "-", f"{core['training_s']:.0f} s", core["training_s"] <= 300)
    return lines + [""]


def peak_rss(run: Dict[str, Any]) -> Dict[str, float]:
    """Return each process's peak RSS in MB over every level of a run."""
    peaks: Dict[str, float] = {}
    for level in run["levels"]:
        for name, mb in level["rss_mb"].items():
            peaks[name] = max(peaks.get(name, 0.0), mb)
    return peaks


def accuracy(core: Optional[Dict[str, Any]]) -> List[str]:
    """Return the accuracy figures from the core benchmark (bench/run.py), if it has been run."""
    if not core:
        return ["## Accuracy", "", "Not measured yet: run `make bench` (bench/run.py writes core.json).", ""]
    lines = [f"## Accuracy and cost (bench/run.py, {core['when']})", "", "| measure | value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in core["rows"]]
    return lines + [""]


def markdown(runs: List[Dict[str, Any]], core: Optional[Dict[str, Any]] = None) -> str:
    """Return the Markdown report: targets, accuracy, then one row per mode, profile and concurrency level."""
    lines = [
        "# Benchmarks (`make bench`: bench/run.py, then bench/load.py single and --scale-out)",
        "",
        *targets(runs, core),
        *accuracy(core),
        "## Load",
        "",
        "Full public path on 127.0.0.1: web proxy (`POST /api/session`, `POST /api/chat`) -> Rasa -> action "
        "server. Each simulated conversation sends 3-5 held-out parent messages. `realistic` pauses 3 s after "
        "each reply, each simulated parent starting at a random moment within the first 3 s; `saturation` has "
        "no pause. Latency is per message; errors include the proxy's `unavailable` "
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
        peaks = peak_rss(run)
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
    """Rewrite load.md and load.png from every load-*.json (and core.json) in the results folder."""
    runs = read_runs(results)
    core_file = results / "core.json"
    core = json.loads(core_file.read_text(encoding="utf-8")) if core_file.exists() else None
    (results / "load.md").write_text(markdown(runs, core), encoding="utf-8")
    try:
        plot(runs, results / "load.png")
    except ModuleNotFoundError:  # matplotlib is not among the services environment's packages
        print("load.png not redrawn: matplotlib is not installed in this environment; the Rasa environment "
              "has it: PYTHONPATH=. .venv-rasa/bin/python -c \"from pathlib import Path; "
              "from bench.load_report import write_report; write_report(Path('bench/results'))\"")
