"""The scale-out deployment files parse and agree with each other (Docker is not needed)."""

from __future__ import annotations

import re
from typing import Any, Dict, Set

import yaml

from bot.ops.cli import build_parser, cmd_purge
from bot.ops.database import cmd_db_upgrade
from bot.ops.runner import SCALE_ENDPOINTS, assistant_services
from bot.settings import PROJECT_ROOT, load_settings

DEPLOY = PROJECT_ROOT / "deploy"


def _compose() -> Dict[str, Any]:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def _endpoint_variables() -> Set[str]:
    return set(re.findall(r"\$\{(\w+)\}", (PROJECT_ROOT / SCALE_ENDPOINTS).read_text(encoding="utf-8")))


def test_compose_pins_the_official_images() -> None:
    services = _compose()["services"]
    assert services["rasa-0"]["build"]["dockerfile"] == services["rasa-1"]["build"]["dockerfile"] == "deploy/rasa.Dockerfile"
    assert "FROM rasa/rasa:3.6.21-full\n" in (DEPLOY / "rasa.Dockerfile").read_text(encoding="utf-8")
    assert re.fullmatch(r"postgres:15\.\d+", services["postgres"]["image"])
    assert re.fullmatch(r"redis:7\.\d+\.\d+", services["redis"]["image"])
    assert sorted(p.name for p in DEPLOY.glob("*.Dockerfile")) == ["rasa.Dockerfile", "services.Dockerfile"]
    assert re.search(r"^FROM python:3\.1[2-9]-slim$", (DEPLOY / "services.Dockerfile").read_text(encoding="utf-8"), re.M)
    others = {name: s for name, s in services.items() if name not in ("postgres", "redis") and not name.startswith("rasa")}
    assert {s["build"]["dockerfile"] for s in others.values()} == {"deploy/services.Dockerfile"}
    assert {"actions-0", "actions-1", "web", "review", "telegram", "init", "purge"} <= set(services)
    assert services["telegram"]["profiles"] == ["telegram"]


def test_compose_publishes_only_the_web_proxy_and_the_dashboard_on_loopback() -> None:
    services = _compose()["services"]
    published = {name: s["ports"] for name, s in services.items() if "ports" in s}
    assert published == {"web": ["127.0.0.1:8000:8000"], "review": ["127.0.0.1:8001:8001"]}
    assert services["review"]["command"] == ["python", "-m", "bot.review"]


def test_compose_gives_each_replica_every_endpoint_variable() -> None:
    services = _compose()["services"]
    for name in ("rasa-0", "rasa-1"):
        assert SCALE_ENDPOINTS in services[name]["command"]
        assert _endpoint_variables() <= set(services[name]["environment"]), name


def test_scale_endpoints_use_redis_locks_and_the_redacting_store() -> None:
    endpoints = yaml.safe_load((PROJECT_ROOT / SCALE_ENDPOINTS).read_text(encoding="utf-8"))
    assert endpoints["lock_store"]["type"] == "components.lock_store.AtomicRedisLockStore"
    assert endpoints["tracker_store"]["type"] == "components.tracker_store.RedactingSQLTrackerStore"


def test_runner_sets_every_endpoint_variable(tmp_path) -> None:
    settings = load_settings({"SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(tmp_path),
                              "SEND_NAV_SECRET_KEY": "k" * 48, "SEND_NAV_SCALE_OUT": "1"})
    for service in assistant_services(settings, tmp_path / "model.tar.gz"):
        if service.name.startswith("rasa"):
            assert _endpoint_variables() <= set(service.env), service.name


def test_compose_init_migrates_the_database_before_anything_else_starts() -> None:
    compose = _compose()
    init = compose["services"]["init"]
    assert init["command"][:3] == ["python", "-m", "bot"]
    assert build_parser().parse_args(init["command"][3:]).func is cmd_db_upgrade
    for name, service in compose["services"].items():
        if name not in ("init", "postgres", "redis"):
            assert service["depends_on"]["init"] == {"condition": "service_completed_successfully"}, name


def test_compose_runs_the_retention_purge_every_day() -> None:
    compose = _compose()
    purge = compose["services"]["purge"]
    assert purge["command"] == ["python", "-m", "bot", "purge", "--every", "24h"]
    args = build_parser().parse_args(purge["command"][3:])
    assert args.func is cmd_purge and args.every == 86400
    assert purge["environment"] == compose["x-settings"]  # the same database as every other service
    assert purge["restart"] == "unless-stopped" and "profiles" not in purge and "ports" not in purge


def test_kubernetes_cronjob_runs_the_purge_once_a_day() -> None:
    job = yaml.safe_load((DEPLOY / "kubernetes" / "purge-cronjob.yml").read_text(encoding="utf-8"))
    assert job["kind"] == "CronJob" and job["spec"]["concurrencyPolicy"] == "Forbid"
    minute, hour, *rest = job["spec"]["schedule"].split()
    assert minute.isdigit() and hour.isdigit() and rest == ["*", "*", "*"]
    container = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    args = build_parser().parse_args(container["command"][3:])
    assert args.func is cmd_purge and args.every is None  # once per Job; Kubernetes schedules it
    assert {e["name"] for e in container["env"]} >= {"SEND_NAV_SECRET_KEY", "SEND_NAV_POSTGRES_URL", "SEND_NAV_SCALE_OUT"}


def test_compose_checks_each_long_running_service_on_its_metrics_port(tmp_path) -> None:
    from bot.metrics.ports import metrics_port

    compose = _compose()
    settings = load_settings({"SEND_NAV_ENV": "test", "SEND_NAV_SECRET_KEY": "k" * 48,
                              "SEND_NAV_DATA_DIR": str(tmp_path)})
    expected = {"web": "web", "review": "review", "telegram": "telegram", "purge": "purge",
                "actions-0": "actions", "actions-1": "actions"}
    for name, process in expected.items():
        check = " ".join(compose["services"][name]["healthcheck"]["test"])
        assert f"http://127.0.0.1:{metrics_port(settings, process)}/readyz" in check, name
    assert compose["x-settings"]["SEND_NAV_METRICS_HOST"] == "0.0.0.0"  # the internal network; no port published
