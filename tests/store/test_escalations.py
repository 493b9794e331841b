"""EscalationRepository: state machine, claiming, delivery outbox, erasure."""

from __future__ import annotations

import threading

import pytest

from bot.store import EscalationRepository, TransitionError, make_engine, make_session_factory
from bot.store.models import utcnow


@pytest.fixture
def escalations(tmp_path) -> EscalationRepository:
    return EscalationRepository(make_session_factory(make_engine(f"sqlite:///{tmp_path / 'e.db'}")))


def _open(escalations: EscalationRepository, conversation: str = "conv-1") -> int:
    return escalations.create(conversation, "telegram", {"turns": ["[name] needs help"]}, consent_at=utcnow(), topic="mediation")


def test_one_waiting_question_per_conversation(escalations) -> None:
    first = _open(escalations)
    assert _open(escalations) == first
    assert escalations.waiting_summary()["waiting"] == 1


@pytest.mark.parametrize("steps,bad", [
    ([], "answer"),                       # cannot answer before claiming
    (["claim"], "claim"),                 # cannot claim twice
    (["claim", "answer"], "claim"),       # answered questions cannot be claimed
    ([], "close"),                        # only answered questions close
    (["claim", "answer", "close"], "reassign"),
])
def test_invalid_transitions_are_refused(escalations, steps, bad) -> None:
    escalation_id = _open(escalations)
    actions = {
        "claim": lambda: escalations.claim(escalation_id, 1),
        "answer": lambda: escalations.answer(escalation_id, 1, "Here is what to do"),
        "close": lambda: escalations.close(escalation_id, 1),
        "reassign": lambda: escalations.reassign(escalation_id, 2),
    }
    for step in steps:
        actions[step]()
    with pytest.raises(TransitionError):
        actions[bad]()


def test_only_one_of_two_simultaneous_claims_wins(escalations) -> None:
    escalation_id = _open(escalations)
    results = []

    def claim(volunteer: int) -> None:
        try:
            escalations.claim(escalation_id, volunteer)
            results.append(volunteer)
        except TransitionError:
            results.append(None)

    threads = [threading.Thread(target=claim, args=(v,)) for v in (1, 2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results, key=str) == sorted([None, escalations.get(escalation_id).claimed_by], key=str)


def test_give_back_then_claim_again(escalations) -> None:
    escalation_id = _open(escalations)
    escalations.claim(escalation_id, 1)
    with pytest.raises(TransitionError):
        escalations.give_back(escalation_id, 2, "not mine")
    escalations.give_back(escalation_id, 1, "needs a coordinator")
    assert escalations.get(escalation_id).state == "returned"
    escalations.claim(escalation_id, 2)
    assert escalations.get(escalation_id).claimed_by == 2


def test_answer_queues_exactly_one_delivery(escalations) -> None:
    escalation_id = _open(escalations)
    escalations.claim(escalation_id, 7)
    delivery_id = escalations.answer(escalation_id, 7, "Contact the mediation adviser.")
    [pending] = escalations.pending_deliveries("telegram")
    assert pending.id == delivery_id and pending.conversation_id == "conv-1"
    assert escalations.pending_deliveries("widget") == []
    assert escalations.mark_delivered(delivery_id) is True
    assert escalations.mark_delivered(delivery_id) is False
    assert escalations.pending_deliveries("telegram") == []


def test_erasure_withdraws_and_removes_text(escalations) -> None:
    waiting = _open(escalations, "conv-9")
    escalations.erase_conversation("conv-9")
    row = escalations.get(waiting)
    assert row.state == "cancelled" and row.withdrawn
    assert "needs help" not in str(row.packet)
    assert escalations.pending_deliveries("telegram", "conv-9") == []
