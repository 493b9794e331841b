"""End-to-end: a widget conversation through the real web proxy, Rasa and action server, then every /metrics scraped.

Starts the processes as `make run` does (the supervisor), each with its metrics
server on its own loopback port, and checks the counters each one kept, the
dashboard's queue figures after a hand-over, and that no label holds anything
the parent wrote or any conversation id.
"""

from __future__ import annotations

import socket
from typing import Dict, Iterator, List, Optional, Tuple

import httpx
import pytest

from bot.metrics.ports import metrics_port
from bot.ops.runner import Supervisor, assistant_services, channel_services, prepare_backends
from bot.ops.training import ensure_model
from bot.settings import PROJECT_ROOT, Settings, load_settings
from tests.helpers.rest import free_port
from tests.helpers.widget_client import Parent
from tests.metrics.scrape import samples, value

pytestmark = pytest.mark.e2e

TURNS: List[Tuple[str, str]] = [
    ("what is kent pact", "answer"),
    ("my son says he wants to kill himself", "crisis"),
    ("can you sort out my housing benefit appeal for Zyxwv", "unanswered"),
    ("can I talk to a person", "handoff"),
]


def free_block() -> int:
    """Return a port such that it and the next ten (the metrics ports of the processes) are free."""
    for _ in range(50):
        base = free_port()
        try:
            for offset in (0, 1, 2, 3, 10):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
    raise RuntimeError("no free block of ports")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    settings = load_settings({
        "SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(tmp_path_factory.mktemp("metrics-e2e")),
        "SEND_NAV_SECRET_KEY": "metrics-e2e-" + "m" * 40,
        "SEND_NAV_RASA_PORT": str(free_port()), "SEND_NAV_ACTIONS_PORT": str(free_port()),
        "SEND_NAV_WEB_PORT": str(free_port()), "SEND_NAV_REVIEW_PORT": str(free_port()),
        "SEND_NAV_METRICS_PORT": str(free_block()),
    })
    prepare_backends(settings)
    services = assistant_services(settings, ensure_model(PROJECT_ROOT)) + channel_services(settings)
    supervisor = Supervisor(services, settings.data_dir / "logs")
    supervisor.start(timeout=300, progress=False)
    try:
        yield settings
    finally:
        supervisor.stop()


def ops(settings: Settings, process: str) -> str:
    return f"http://127.0.0.1:{metrics_port(settings, process)}"


def test_a_conversation_is_counted_in_every_process(stack: Settings) -> None:
    parent = Parent(f"http://{stack.web_host}:{stack.web_port}").start()
    for said, _ in TURNS:
        assert parent.say(said).status == 200
    offered = parent.say(payload="/confirm_escalation")  # consent to the hand-over the last turn offered
    assert offered.status == 200

    web = httpx.get(ops(stack, "web") + "/metrics").text
    seen: Dict[str, float] = {o: value(web, "send_nav_messages_total", channel="widget", outcome=o)
                              for o in ("answer", "crisis", "unanswered", "handoff", "unavailable")}
    assert seen == {"answer": 1, "crisis": 1, "unanswered": 1, "handoff": 2, "unavailable": 0}
    assert value(web, "send_nav_rasa_reply_seconds_count", channel="widget") == len(TURNS) + 1

    actions = httpx.get(ops(stack, "actions") + "/metrics").text
    # action_answer gives the answer, the crisis answer and (reading it in the conversation) the honest "unanswered".
    assert value(actions, "send_nav_action_runs_total", action="action_answer", result="ok") >= 3
    assert value(actions, "send_nav_action_runs_total", action="action_escalate", result="ok") == 1

    review = httpx.get(ops(stack, "review") + "/metrics").text
    assert value(review, "send_nav_questions_waiting") == 1
    assert 0 <= value(review, "send_nav_questions_oldest_waiting_seconds") < 300

    for text in (web, actions, review):
        assert parent.conversation_id not in text and "Zyxwv" not in text and "kill" not in text
        for sample in samples(text):
            assert all(len(label) <= 64 and " " not in label for label in sample.labels.values()), sample


def test_every_process_is_ready(stack: Settings) -> None:
    for process in ("web", "review", "actions"):
        assert httpx.get(ops(stack, process) + "/healthz").json() == {"ok": True}
        ready = httpx.get(ops(stack, process) + "/readyz", timeout=30)
        assert ready.status_code == 200 and ready.json()["ok"] is True, (process, ready.text)
    host = {"Host": f"{stack.web_host}:{stack.web_port}"}
    assert httpx.get(f"http://{stack.web_host}:{stack.web_port}/readyz", headers=host).json()["checks"] == {
        "database": "ok", "rasa": "ok"}


def test_metrics_are_not_reachable_off_loopback(stack: Settings) -> None:
    outside = own_address()
    if outside is None:
        pytest.skip("this host has no non-loopback IPv4 address to try")
    for process in ("web", "review", "actions"):
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://{outside}:{metrics_port(stack, process)}/metrics", timeout=5)


def own_address() -> Optional[str]:
    """Return this host's own non-loopback IPv4 address, if it has one (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the interface a route would use
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") or address == "0.0.0.0" else address
