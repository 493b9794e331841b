"""A registry per process (never the module-level default), with the process's own CPU, memory and GC figures."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, GCCollector, ProcessCollector, disable_created_metrics


def make_registry() -> CollectorRegistry:
    """Return a fresh registry with process and garbage-collector metrics."""
    # No `_created` series: they double the output and no alert or dashboard here uses them.
    disable_created_metrics()
    registry = CollectorRegistry(auto_describe=True)
    ProcessCollector(registry=registry)
    GCCollector(registry=registry)
    return registry
