"""F2: the data folder is 0700 and everything in it 0600, after a real start and after files from an older version."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import List

import pytest

from bot.ops.data_dir import protect
from bot.ops.runner import Service
from tests.helpers.pii import stored_files


def modes(root: Path) -> List[str]:
    """Return "path mode" for every folder not 0700 and every file not 0600 under root (root included)."""
    wrong = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if not path.is_symlink() and mode != (0o700 if path.is_dir() else 0o600):
            wrong.append(f"{path.relative_to(root.parent)} {mode:o}")
    return wrong


def test_f2_start_up_makes_files_of_an_older_version_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "var"
    (data / "logs").mkdir(parents=True)
    for name in ("sendnav.db", "sendnav.db-wal", "tracker.db-shm", "logs/rasa.log"):
        (data / name).write_text("x")
        os.chmod(data / name, 0o644)
    os.chmod(data, 0o755)
    os.symlink("/etc/hostname", data / "link")  # never followed
    before = stat.S_IMODE(Path("/etc/hostname").stat().st_mode)
    protect(data)
    assert modes(data) == []
    assert stat.S_IMODE(Path("/etc/hostname").stat().st_mode) == before


def test_f2_a_service_log_is_created_owner_only_and_the_child_writes_with_umask_077(tmp_path: Path) -> None:
    script = f"import os; os.chdir({str(tmp_path)!r}); open('made-by-child', 'w').close(); print(oct(os.umask(0)))"
    service = Service(name="probe", argv=[sys.executable, "-c", script], health_url=None)
    service.start(tmp_path / "logs")
    assert service.process is not None and service.process.wait(30) == 0
    assert (tmp_path / "logs" / "probe.log").read_text().strip() == "0o77"
    assert stat.S_IMODE((tmp_path / "made-by-child").stat().st_mode) == 0o600
    assert modes(tmp_path / "logs") == []


@pytest.mark.e2e
def test_f2_after_a_real_start_and_a_conversation_every_data_file_is_owner_only(running) -> None:
    running.conversation(["can you sort out my housing benefit appeal", "can I talk to a person", "yes send it"])
    names = {p.name for p in stored_files(running.settings.data_dir)}
    assert {"sendnav.db", "sendnav.db-wal", "tracker.db", "tracker.db-wal", "tracker.db-shm", "rasa.log",
            "actions_secret", "secret_key"} <= names
    assert modes(running.settings.data_dir) == []


@pytest.mark.e2e
def test_f2_every_service_process_writes_with_umask_077(running) -> None:
    for service in running.supervisor.services:
        assert service.process is not None
        for pid in [service.process.pid, *_descendants(service.process.pid)]:
            status = Path(f"/proc/{pid}/status").read_text()
            assert "Umask:\t0077" in status, (service.name, pid)


def _descendants(pid: int) -> List[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children] + [d for c in children for d in _descendants(int(c))]
