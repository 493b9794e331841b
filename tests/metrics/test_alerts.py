"""The example alert rules (deploy/prometheus) parse, and every metric they name is one the processes export."""

from __future__ import annotations

import re
from typing import Dict, Iterable, Set

import pytest
import yaml
from prometheus_client import CollectorRegistry

from bot.metrics.actions import ActionMetrics
from bot.metrics.chat import ChatMetrics
from bot.metrics.purge import PurgeMetrics
from bot.ops.purge_job import run_once
from bot.review.app import create_review_app
from bot.settings import PROJECT_ROOT, load_settings
from bot.web.app import create_app
from tests.helpers.web import FakeRasa

RULES = PROJECT_ROOT / "deploy" / "prometheus" / "alerts.yml"
SCRAPE = PROJECT_ROOT / "deploy" / "prometheus" / "prometheus.yml"
PROMETHEUS_OWN = {"up"}  # written by Prometheus itself for each target
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",), "unknown": ("",)}


def exported(registries: Iterable[CollectorRegistry]) -> Set[str]:
    """Return every series name the registries can export, whether or not it has a sample yet."""
    names: Set[str] = set()
    for registry in registries:
        for family in registry.collect():
            names.update(family.name + suffix for suffix in SUFFIXES.get(family.type, ("",)))
    return names


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> Set[str]:
    data = tmp_path_factory.mktemp("alerts")
    settings = load_settings({"SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(data), "SEND_NAV_SECRET_KEY": "k" * 48})
    run_once(settings)  # so that the dashboard's copy of the purge results exists
    web, review = create_app(settings, rasa=FakeRasa().client()), create_review_app(settings)
    extra = CollectorRegistry()
    ChatMetrics(extra, "telegram")
    ActionMetrics(extra, frozenset({"action_answer"}))
    PurgeMetrics(extra)
    return exported([web.state.registry, review.state.registry, extra]) | PROMETHEUS_OWN


def rules() -> Dict[str, Dict]:
    groups = yaml.safe_load(RULES.read_text(encoding="utf-8"))["groups"]
    found = {rule["alert"]: rule for group in groups for rule in group["rules"]}
    assert len(found) == sum(len(group["rules"]) for group in groups), "alert names must be unique"
    return found


@pytest.mark.parametrize("name", sorted(rules()))
def test_each_rule_is_complete_and_names_real_metrics(name: str, known: Set[str]) -> None:
    rule = rules()[name]
    assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}
    assert rule["labels"]["severity"] in ("page", "ticket") and rule["annotations"]["summary"]
    assert re.fullmatch(r"\d+[smhd]", rule["for"])
    expr = rule["expr"]
    assert expr.count("(") == expr.count(")") and expr.count("{") == expr.count("}")
    named = metrics_in(expr)
    assert named, "each rule watches one of the project's metrics"
    assert named <= known, f"unknown metric(s): {sorted(named - known)}"


def metrics_in(expr: str) -> Set[str]:
    """Return the metric names in a PromQL expression (the project's, and Prometheus's own `up`)."""
    return set(re.findall(r"\b(send_nav_[a-z0-9_]+|up)\b", expr))


def test_the_check_catches_a_misspelt_metric(known: Set[str]) -> None:
    assert metrics_in('rate(send_nav_message_total{outcome="crisis"}[5m]) > 0') - known == {"send_nav_message_total"}
    assert metrics_in("send_nav_messages_total") <= known


def test_the_scrape_example_loads_the_rules_and_every_process() -> None:
    config = yaml.safe_load(SCRAPE.read_text(encoding="utf-8"))
    assert config["rule_files"] == [RULES.name]
    jobs = {job["job_name"]: job["static_configs"][0]["targets"] for job in config["scrape_configs"]}
    assert jobs == {"send-nav-web": ["127.0.0.1:9400"], "send-nav-review": ["127.0.0.1:9401"],
                    "send-nav-telegram": ["127.0.0.1:9402"], "send-nav-purge": ["127.0.0.1:9403"],
                    "send-nav-actions": ["127.0.0.1:9410"]}


def test_every_exported_metric_is_documented(known: Set[str]) -> None:
    documented = set(re.findall(r"`(send_nav_[a-z0-9_]+)`", (PROJECT_ROOT / "docs" / "metrics.md").read_text()))
    # Counters are known by their `_total` series, histograms by their family name.
    families = {re.sub(r"_(bucket|count|sum)$", "", name) for name in known if name.startswith("send_nav_")}
    assert families == documented
