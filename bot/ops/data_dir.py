"""Keep the data folder owner-only (security review F2).

The data folder holds both databases with their -wal and -shm files, the
logs, the spool and the secrets. Anyone who can read them can read redacted
questions, volunteers' answers and password hashes, and the Rasa sender ids
needed to act as a parent. So the folder is 0700, every file in it 0600,
and every process the runner starts writes with umask 077 (files the
supervisor itself opens are created 0600). `protect` also tightens files
left by an older version at start-up.
"""

from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY_UMASK = 0o077
FOLDER_MODE, FILE_MODE = 0o700, 0o600


def protect(data_dir: Path) -> None:
    """Create the data folder owner-only, and make everything already in it owner-only."""
    data_dir.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    for path in [data_dir, *data_dir.rglob("*")]:
        if path.is_symlink():  # never follow a link out of the folder
            continue
        os.chmod(path, FOLDER_MODE if path.is_dir() else FILE_MODE)


def open_owner_only(path: Path) -> int:
    """Open a file for appending, created 0600 (and made 0600 if it was not); return the descriptor."""
    path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd
