"""Rasa's telemetry is off wherever the project starts Rasa, and no process talks to anything off the host.

Rasa Open Source sends usage events to Rasa Inc. (Segment) unless
RASA_TELEMETRY_ENABLED=false. The unit tests check every way the project
starts Rasa. The e2e test reads what strace recorded of every connect(2)
and send call each running service made, from start-up through the
conversations of this session (tests/security/conftest.py), and finds no
address outside 127.0.0.0/8 and ::1.
"""

from __future__ import annotations

import ipaddress
import re
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from bot.ops import training
from bot.ops.runner import assistant_services
from bot.settings import PROJECT_ROOT, load_settings
from tests.security.conftest import STRACE

OFF = ("RASA_TELEMETRY_ENABLED", "false")
ADDRESS = re.compile(r'sa_family=AF_INET6?, sin6?_port=htons\((\d+)\), (?:sin6_flowinfo=[^,]*, )?'
                     r'(?:sin_addr=inet_addr\(|inet_pton\(AF_INET6, )"([^"]+)"')


@pytest.mark.parametrize("scale_out", ["0", "1"])
def test_telemetry_is_off_in_every_process_the_runner_builds(tmp_path: Path, scale_out: str) -> None:
    settings = load_settings({"SEND_NAV_ENV": "test", "SEND_NAV_DATA_DIR": str(tmp_path),
                              "SEND_NAV_SECRET_KEY": "t" * 48, "SEND_NAV_SCALE_OUT": scale_out})
    services = assistant_services(settings, tmp_path / "model.tar.gz")
    assert any(Path(s.argv[0]).name == "rasa" for s in services)
    assert all(s.env.get(OFF[0]) == OFF[1] for s in services)


def test_telemetry_is_off_when_the_model_is_trained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: List[Dict[str, Any]] = []
    monkeypatch.setattr(training.subprocess, "run", lambda argv, **kwargs: calls.append(kwargs))
    training.ensure_model(tmp_path, rasa="rasa")
    assert [c["env"].get(OFF[0]) for c in calls] == [OFF[1]]


def test_telemetry_is_off_in_the_makefile_images_and_compose() -> None:
    assert "export RASA_TELEMETRY_ENABLED := false" in (PROJECT_ROOT / "Makefile").read_text()
    for dockerfile in (PROJECT_ROOT / "deploy").glob("*.Dockerfile"):
        assert "ENV RASA_TELEMETRY_ENABLED=false" in dockerfile.read_text(), dockerfile.name
    services = yaml.safe_load((PROJECT_ROOT / "deploy" / "docker-compose.yml").read_text())["services"]
    for name, service in services.items():
        if name.startswith(("rasa", "actions", "web", "telegram", "init")):
            assert service["environment"].get(OFF[0]) == OFF[1], name


def remote_addresses(lines: List[str]) -> List[str]:
    """Return the "address:port" of each traced call to an address that is not loopback."""
    found = []
    for line in lines:
        for port, address in ADDRESS.findall(line):
            ip = ipaddress.ip_address(address)
            mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
            if not (ip.is_loopback or (mapped is not None and mapped.is_loopback)):
                found.append(f"{address}:{port}")
    return found


def test_remote_addresses_are_found_in_strace_lines() -> None:
    lines = ['12 connect(5, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("52.1.2.3")}, 16) = -1',
             '12 connect(5, {sa_family=AF_INET, sin_port=htons(5005), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
             '12 connect(6, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), '
             'inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
             '12 connect(7, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), '
             'inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
             '12 connect(8, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0']
    assert remote_addresses(lines) == ["52.1.2.3:443", "2001:db8::1:53"]


@pytest.mark.e2e
def test_telemetry_is_off_in_the_running_rasa_process(running) -> None:
    [rasa] = [s for s in running.supervisor.services if s.name == "rasa"]
    assert rasa.process is not None
    pids = [rasa.process.pid] + [int(p) for p in subprocess.run(
        ["pgrep", "-g", str(rasa.process.pid)], capture_output=True, text=True).stdout.split()]
    for pid in pids:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert f"{OFF[0]}={OFF[1]}".encode() in environ, pid


@pytest.mark.e2e
@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
def test_telemetry_no_process_connects_off_the_host_during_conversations(running) -> None:
    running.conversation(["what is mediation", "can you work out a deadline for me", "Decision letter received",
                          "it came on 3/11/2026", "can you sort out my housing benefit appeal",
                          "can I talk to a person", "yes please send it"])
    lines = running.network_log()
    loopback = [line for line in lines if f'htons({running.settings.rasa_port})' in line and "127.0.0.1" in line]
    assert loopback, "the trace sees the web proxy's connections to Rasa, so it is working"
    assert remote_addresses(lines) == []
