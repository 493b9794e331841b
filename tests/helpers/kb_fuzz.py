"""Shared pieces for fuzzing knowledge loaders: a time-limited run, YAML value and byte-mutation strategies."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any, Callable, Dict, Iterable

from hypothesis import HealthCheck, settings, strategies as st

from bot.knowledge.schema import KnowledgeBaseError

TIME_LIMIT = 10.0  # seconds for one load; a few milliseconds is normal

KB_FUZZ = settings(
    max_examples=100, deadline=dt.timedelta(seconds=3), derandomize=True, database=None, print_blob=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) | st.dates(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)


@st.composite
def mutated(draw: st.DrawFn, good: str) -> bytes:
    """Return a good file with a few bytes replaced or inserted."""
    data = bytearray(good.encode())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        data[at:at + draw(st.integers(0, 1))] = draw(st.binary(min_size=1, max_size=3))
    return bytes(data)


def run_within(load: Callable[[], Any], seconds: float = TIME_LIMIT) -> Any:
    """Run a loader in a worker thread; return its result or its KnowledgeBaseError, and fail on any other outcome."""
    outcome: Dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = load()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test thread below
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"loading took over {seconds} s"
    error = outcome.get("error")
    if isinstance(error, KnowledgeBaseError):
        assert error.problems and all(isinstance(p, str) and p for p in error.problems)
        assert all(len(p) < 1000 for p in error.problems), "a problem must never print a whole value"
        return error
    if error is not None:
        raise AssertionError(f"loading raised {error.__class__.__name__}, not KnowledgeBaseError") from error
    return outcome["value"]


def alias_bomb(keys: Iterable[str], depth: int = 8) -> str:
    """Return a YAML document whose given keys all hold aliases standing for 10**depth strings."""
    anchors = ["l0: &l0 [" + ", ".join(["lol"] * 10) + "]"]
    anchors += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, depth)]
    return "\n".join(anchors + [f"{key}: *l{depth - 1}" for key in keys]) + "\n"
