"""Read a scrape back: samples by name and labels, and every label value, for the metrics tests."""

from __future__ import annotations

from typing import Dict, FrozenSet, Iterator, Tuple

from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

Key = Tuple[str, FrozenSet[Tuple[str, str]]]


def samples(text: str) -> Iterator[Sample]:
    """Yield every sample in a Prometheus text exposition."""
    for family in text_string_to_metric_families(text):
        yield from family.samples


def values(text: str) -> Dict[Key, float]:
    """Return each sample's value by (name, labels)."""
    return {(s.name, frozenset(s.labels.items())): s.value for s in samples(text)}


def value(text: str, name: str, **labels: str) -> float:
    """Return one sample's value (KeyError if the scrape does not have it)."""
    return values(text)[(name, frozenset(labels.items()))]
