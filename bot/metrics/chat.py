"""Counters and timings of the parents' turns, kept by the channels that relay them (web proxy, Telegram bridge)."""

from __future__ import annotations

from typing import Any, Dict, Iterable, Optional

from prometheus_client import CollectorRegistry, Counter, Histogram

from bot.metrics.outcomes import OUTCOMES, UNAVAILABLE, outcome_of

# Rasa answers most turns in tens of milliseconds; a model that is loading or a slow action takes seconds.
RASA_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 30.0)


DELIVERY_RESULTS = ("delivered", "retry", "blocked", "no_chat")


class ChatMetrics:
    """Messages by channel and outcome, and how long Rasa took to reply."""

    def __init__(self, registry: CollectorRegistry, channel: str) -> None:
        self.channel = channel
        self.messages = Counter(
            "send_nav_messages", "Parents' messages relayed to the assistant, by channel and outcome of the turn",
            ["channel", "outcome"], registry=registry,
        )
        self.rasa_seconds = Histogram(
            "send_nav_rasa_reply_seconds", "Time from sending a message to Rasa to having its replies (or giving up)",
            ["channel"], buckets=RASA_BUCKETS, registry=registry,
        )
        self.deliveries = Counter(
            "send_nav_answers_sent", "Volunteers' answers the channel tried to deliver from the outbox, by result",
            ["channel", "result"], registry=registry,
        )
        for outcome in OUTCOMES:  # every series exists from the start, so a rate() of zero is not "no data"
            self.messages.labels(channel, outcome)
        for result in DELIVERY_RESULTS:
            self.deliveries.labels(channel, result)
        self.rasa_seconds.labels(channel)

    def turn(self, replies: Optional[Iterable[Dict[str, Any]]], seconds: float) -> str:
        """Count one turn (None or no replies: the assistant was unavailable) and record Rasa's time; return its outcome."""
        listed = list(replies or [])
        outcome = outcome_of(listed) if listed else UNAVAILABLE
        self.messages.labels(self.channel, outcome).inc()
        self.rasa_seconds.labels(self.channel).observe(seconds)
        return outcome

    def delivery(self, result: str, count: int = 1) -> None:
        """Count volunteer answers delivered (or not yet: retry, blocked by the parent, no chat known)."""
        assert result in DELIVERY_RESULTS, result
        self.deliveries.labels(self.channel, result).inc(count)
