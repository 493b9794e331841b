"""`python -m bot ...`: run the assistant, check the knowledge base, report."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path
from typing import List, Optional

from bot.ops.database import add_parser as add_db_commands
from bot.ops.kb_check import check_knowledge
from bot.ops.purge_job import parse_period
from bot.ops.volunteers_cli import add_volunteer_commands
from bot.unanswered.grouping import group_questions
from bot.settings import PROJECT_ROOT, Settings, SettingsError, load_settings
from bot.store import UnansweredRepository, make_engine, make_session_factory
from bot.store.models import utcnow
from bot.store.spool import Spool
from bot.unanswered.logger import UnansweredLogger


def cmd_kb_check(settings: Settings, _args: argparse.Namespace) -> int:
    """Validate every file in knowledge/; print every problem and warning."""
    check = check_knowledge(settings.knowledge_dir, settings.area, settings.kb_stale_days)
    for warning in check.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if check.problems or check.kb is None:
        print(f"Knowledge base has {len(check.problems)} problem(s):", file=sys.stderr)
        for problem in check.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"Knowledge base OK: {len(check.kb.entries)} entries for area '{settings.area}'.")
    print(f"Also checked: {', '.join(check.files[1:])}.")
    return 0


def _repository(settings: Settings) -> UnansweredRepository:
    return UnansweredRepository(make_session_factory(make_engine(settings.database_url)))


def cmd_report_unanswered(settings: Settings, args: argparse.Namespace) -> int:
    """Print the most frequent unanswered topics over a period."""
    repository = _repository(settings)
    moved = UnansweredLogger(repository, Spool(settings.spool_dir / "unanswered.jsonl"), settings.secret_key).flush_spool()
    end = utcnow()
    start = end - dt.timedelta(days=args.days)
    rows = repository.since(start)
    print(f"Unanswered questions, last {args.days} days: {len(rows)}" + (f" ({moved} recovered from the spool)" if moved else ""))
    if not rows:
        return 0
    groups = group_questions(r.text_redacted for r in rows)
    print(f"{'count':>5}  {'share':>5}  topic words / example (redacted)")
    for group in groups[: args.top]:
        share = 100.0 * group.count / len(rows)
        example = group.examples[0].replace("\n", " ")[:90]
        print(f"{group.count:>5}  {share:>4.0f}%  {group.label}\n{'':>14}e.g. \"{example}\"")
    return 0


def cmd_purge(settings: Settings, args: argparse.Namespace) -> int:
    """Delete data past its retention rule, once or every --every period, printing counts only."""
    from bot.metrics import health
    from bot.metrics.ports import metrics_port
    from bot.metrics.purge import PurgeMetrics
    from bot.metrics.registry import make_registry
    from bot.metrics.server import start_ops_server
    from bot.ops.purge_job import run_every, run_once

    if args.every is None:
        return run_once(settings)
    # A long-running service also serves its results live, with /healthz and /readyz (the database).
    registry = make_registry()
    metrics = PurgeMetrics(registry)
    engine = make_engine(settings.database_url)
    start_ops_server(settings.metrics_host, metrics_port(settings, "purge"), registry, lambda: (health.database(engine),))
    try:
        return run_every(settings, args.every, metrics=metrics)
    finally:
        engine.dispose()


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    """Back up both databases into a new folder and print where it is."""
    from bot.ops.backup import BackupError, backup

    try:
        folder = backup(settings, Path(args.to) if args.to else None)
    except BackupError as exc:
        print(f"Backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"Backup written to {folder}")
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    """Restore a backup folder into the configured databases and print the row counts."""
    from bot.ops.backup import BackupError, restore

    try:
        restored = restore(settings, Path(args.folder), force=args.force)
    except BackupError as exc:
        print(f"Restore failed: {exc}", file=sys.stderr)
        return 1
    for role, counts in restored.items():
        print(f"Restored the {role} database: {sum(counts.values())} rows in {len(counts)} tables.")
    return 0


def cmd_train(_settings: Settings, _args: argparse.Namespace) -> int:
    """Train the model if config, domain or data changed."""
    from bot.ops.training import RasaMissing, ensure_model

    try:
        ensure_model(PROJECT_ROOT)
    except RasaMissing as exc:
        print(f"Could not train: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """Check the knowledge base, train if needed, start every process and wait."""
    from bot.ops.data_dir import OWNER_ONLY_UMASK
    from bot.ops.purge_job import run_once
    from bot.ops.runner import Supervisor, assistant_services, channel_services, prepare_backends
    from bot.ops.scale import BackendUnavailable
    from bot.ops.training import RasaMissing, ensure_model, rasa_command
    from bot.store.schema import SchemaMismatch

    if cmd_kb_check(settings, args) != 0:
        return 1
    os.umask(OWNER_ONLY_UMASK)  # what this process writes (the daily purge's WAL) is owner-only too
    try:
        rasa = rasa_command(settings.rasa_python)  # fails early, and clearly, without the Rasa environment
        prepare_backends(settings)
        model = ensure_model(PROJECT_ROOT, rasa)
    except (BackendUnavailable, SchemaMismatch, RasaMissing) as exc:
        print(f"Could not start: {exc}", file=sys.stderr)
        return 1
    services = assistant_services(settings, model) + channel_services(settings)
    supervisor = Supervisor(services, settings.data_dir / "logs")
    if settings.scale_out:
        print(f"Scale-out: {settings.rasa_replicas} Rasa replicas, {settings.actions_replicas} action servers, "
              "PostgreSQL tracker store, Redis lock store.", flush=True)
    print("Starting the action server, the Rasa server, the web app and the volunteer dashboard...", flush=True)
    if not settings.telegram_token:
        print("  Telegram bridge skipped: TELEGRAM_BOT_TOKEN is not set.", flush=True)
    try:
        supervisor.start()
    except RuntimeError as exc:
        print(f"Could not start: {exc}", file=sys.stderr)
        return 1
    print(
        "\nSEND Navigator is ready.\n"
        f"  Chat widget demo:  http://{settings.web_host}:{settings.web_port}/\n"
        f"  Volunteers:        http://{settings.review_host}:{settings.review_port}/review/\n"
        f"  Rasa REST channel: POST {settings.rasa_url}/webhooks/rest/webhook\n"
        "  Try it:\n"
        f"    curl -s {settings.rasa_url}/webhooks/rest/webhook -H 'Content-Type: application/json' \\\n"
        f"         -H \"X-Send-Nav-Secret: $(cat {settings.data_dir / 'actions_secret'})\" \\\n"
        "         -d '{\"sender\": \"me\", \"message\": \"kcc refused to assess my son, what now?\"}'\n"
        "    (in production the secret is SEND_NAV_ACTIONS_SECRET)\n"
        + ("  Telegram bridge:   running (long polling)\n" if settings.telegram_token else "")
        + (f"  Metrics:           http://{settings.metrics_host}:{settings.metrics_port}/metrics (web; "
           "the dashboard, Telegram and action servers on their own ports: see .env.example)\n"
           if settings.metrics_port else "")
        + f"  Logs: {settings.data_dir / 'logs'}\n"
        "Press Ctrl-C to stop everything.",
        flush=True,
    )
    code = supervisor.wait(daily=lambda: run_once(settings))
    print("Stopped.", flush=True)
    return code


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="SEND Navigator")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="train if needed and start the assistant").set_defaults(func=cmd_run)
    commands.add_parser("train", help="train the model if its inputs changed").set_defaults(func=cmd_train)
    purge = commands.add_parser("purge", help="delete data older than the retention period")
    purge.add_argument("--every", type=parse_period, metavar="PERIOD", help="keep running, purging every PERIOD (e.g. 24h)")
    purge.set_defaults(func=cmd_purge)
    add_db_commands(commands)
    backup = commands.add_parser("backup", help="back up both databases (SQLite online copy or pg_dump)")
    backup.add_argument("--to", help="folder for the backup (default: var/backups, pruned after the retention period)")
    backup.set_defaults(func=cmd_backup)
    restore = commands.add_parser("restore", help="restore a backup folder into the configured databases")
    restore.add_argument("folder", help="a folder written by `python -m bot backup`")
    restore.add_argument("--force", action="store_true", help="replace databases that already hold data")
    restore.set_defaults(func=cmd_restore)
    add_volunteer_commands(commands)
    kb = commands.add_parser("kb", help="knowledge base tools").add_subparsers(dest="kb_command", required=True)
    kb.add_parser("check", help="validate knowledge/").set_defaults(func=cmd_kb_check)
    report = commands.add_parser("report", help="reports").add_subparsers(dest="report_command", required=True)
    unanswered = report.add_parser("unanswered", help="most frequent unanswered topics")
    unanswered.add_argument("--days", type=int, default=30, help="period to cover (default 30)")
    unanswered.add_argument("--top", type=int, default=20, help="how many groups to show (default 20)")
    unanswered.set_defaults(func=cmd_report_unanswered)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run a command and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return int(args.func(settings, args))
