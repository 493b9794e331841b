"""SIGKILL the action server in the middle of sending a question to the volunteers."""

from __future__ import annotations

import pytest

from bot.store.escalations import Escalation
from bot.store.models import Feedback
from tests.crash.launch import AFTER_COMMIT, BEFORE_COMMIT
from tests.helpers.crash import Entry
from tests.helpers.widget_client import Parent, Reply

pytestmark = pytest.mark.e2e

CONSENT_AGAIN = "yes please send my question"  # typed: the widget takes the buttons away after any reply


def handoff(reply: Reply) -> dict:
    found = [m["custom"] for m in reply.messages if m.get("custom", {}).get("type") == "handoff"]
    return found[-1] if found else {}


@pytest.mark.parametrize("point", [BEFORE_COMMIT, AFTER_COMMIT])
def test_killing_the_action_server_during_an_escalation_sends_the_question_exactly_once(stack, journal, point) -> None:
    parent = Parent(stack.web_url).start()
    answer = parent.say("what is mediation").answer
    assert answer is not None and parent.vote(answer["kb_id"]) == 204
    feedback_before = stack.count(Feedback)
    assert parent.say("the school won't give my son the support in his plan, what can i do?").status == 200
    assert parent.say(payload="/request_human").status == 200
    sender = stack.sender_for(parent.conversation_id)

    old_pid = stack.pid("actions")
    stack.arm(point)
    during = parent.say(payload="/confirm_escalation")
    stack.wait_dead("actions", old_pid)
    # The parent is never left hanging or shown an error page: a kind reply comes back.
    assert during.status == 200 and during.messages, during
    assert during.seconds < 20
    stored_during = stack.count(Escalation, Escalation.conversation_id == sender)
    assert stored_during == (1 if point == AFTER_COMMIT else 0)
    back_after = stack.wait_back("actions", old_pid)

    again = parent.say(CONSENT_AGAIN)
    sent = handoff(again)
    assert sent.get("state") == "open" and sent.get("escalation_id"), again.messages
    rows = stack.rows(Escalation, Escalation.conversation_id == sender)
    assert [r.id for r in rows] == [sent["escalation_id"]]  # exactly one question, the one the parent was told about
    assert f"Q{sent['escalation_id']}" in again.text

    # Nothing else lost, and the conversation goes on.
    assert stack.count(Feedback) == feedback_before
    assert parent.say("how long do i have to appeal to the send tribunal").answer is not None

    journal.add(Entry(
        scenario="action server during an escalation", killed="actions (rasa_sdk)",
        moment=f"inside action_escalate, {'before' if point == BEFORE_COMMIT else 'just after'} the question was committed",
        parent_saw=f"{'the kind fallback' if during.fallback else 'a reply'}: \"{during.text[:70]}...\"; "
                   f"saying \"{CONSENT_AGAIN}\" again got reference Q{sent['escalation_id']}",
        restart_s=back_after,
        checks=[f"escalations for the conversation: {stored_during} straight after the kill, 1 after the retry",
                f"feedback rows {feedback_before} = {stack.count(Feedback)}", "next question answered"],
    ))
