"""Train the Rasa model only when its inputs change.

The model file is named after a hash of everything that shapes it (config,
domain, training data and the custom NLU components), so an unchanged
project finds its model and skips training, in `make run` and in tests.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import Iterable, List, Optional

from bot.settings import rasa_python

MODEL_INPUTS = ("config.yml", "domain.yml", "data", "components")
MODELS_DIR = "models"

# Rasa and rasa_sdk send usage data to Rasa Inc. unless told not to; nothing may leave the host.
NO_TELEMETRY = {"RASA_TELEMETRY_ENABLED": "false"}


def _files(root: Path, names: Iterable[str]) -> List[Path]:
    files: List[Path] = []
    for name in names:
        path = root / name
        if path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file() and p.suffix in {".yml", ".yaml", ".py", ".md"} and "__pycache__" not in p.parts)
        elif path.is_file():
            files.append(path)
    return sorted(files)


def model_hash(root: Path) -> str:
    """Return a short hash of the files that shape the trained model."""
    digest = hashlib.sha256()
    for path in _files(root, MODEL_INPUTS):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(root: Path) -> Path:
    """Return where the model for the current inputs lives (it may not exist yet)."""
    return root / MODELS_DIR / f"sendnav-{model_hash(root)}.tar.gz"


class RasaMissing(RuntimeError):
    """The Rasa environment is not where SEND_NAV_RASA_PYTHON says."""


def rasa_command(python: Optional[Path] = None) -> str:
    """Return the `rasa` command of the Rasa environment (beside SEND_NAV_RASA_PYTHON), or raise RasaMissing."""
    rasa = (python or rasa_python()).with_name("rasa")
    if not os.access(rasa, os.X_OK):
        raise RasaMissing(f"Rasa is not installed at {rasa}: run `make install-rasa` (Python 3.10), "
                          "or set SEND_NAV_RASA_PYTHON to the python of an environment with rasa==3.6.21.")
    return str(rasa)


def ensure_model(root: Path, rasa: Optional[str] = None) -> Path:
    """Return the current model, training it first (with the Rasa environment's `rasa`) if the inputs changed."""
    target = model_path(root)
    if target.exists():
        print(f"Model is up to date ({target.name}); skipping training.", flush=True)
        return target
    rasa = rasa or rasa_command()
    print("Training the assistant (a few minutes on 2 cores)...", flush=True)
    env = dict(os.environ, PYTHONPATH=str(root), **NO_TELEMETRY)
    env.setdefault("SEND_NAV_ACTIONS_URL", "http://127.0.0.1:5055/webhook")
    subprocess.run(
        [rasa, "train", "--fixed-model-name", target.name[: -len(".tar.gz")], "--out", str(target.parent)],
        cwd=root, env=env, check=True,
    )
    for old in target.parent.glob("sendnav-*.tar.gz"):
        if old != target:
            old.unlink()
    return target
