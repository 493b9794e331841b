"""components.question_focus: a long post's closing question is blended into the whole post's ranking."""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.question_focus import FILE_NAME, FOCUS_KEY, QuestionFocus

EXAMPLES = {
    "ask_ehc_needs_assessment_request": ["can i apply for an ehc assessment myself", "how do i request an assessment",
                                         "can a parent ask the council to assess", "apply for ehcp without school"],
    "ask_health_waiting_times": ["how long is the camhs waiting list", "waiting list for autism diagnosis",
                                 "the wait for speech therapy is 70 weeks", "can i speed up the camhs wait"],
    "ask_contact_pact": ["how do i join kent pact", "what is the parent carer forum", "who are pact",
                         "is there a parent forum in kent"],
}
POST = ("We have been on the CAMHS waiting list for 14 months for an autism assessment and the waiting list for "
        "speech therapy is even longer. School keep telling us to wait for the diagnosis and the waiting is "
        "wearing us all down. Every appointment gets moved. Can I apply for an EHC assessment myself?")


def _train(tmp_path: Path, **config) -> Tuple[QuestionFocus, LocalModelStorage, Resource]:
    storage, resource = LocalModelStorage(tmp_path), Resource("question_focus")
    context = ExecutionContext(GraphSchema({}), "test")
    component = QuestionFocus.create({**QuestionFocus.get_default_config(), **config}, storage, resource, context)
    component.train(TrainingData([Message(data={TEXT: text, INTENT: intent})
                                  for intent, texts in EXAMPLES.items() for text in texts]))
    loaded = QuestionFocus.load({**QuestionFocus.get_default_config(), **config}, storage, resource, context)
    return loaded, storage, resource


def _message(text: str, ranking: List[Tuple[str, float]]) -> Message:
    message = Message(data={TEXT: text})
    ranked = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, ranked[0])
    message.set(INTENT_RANKING_KEY, ranked)
    return message


WHOLE = [("ask_health_waiting_times", 0.97), ("ask_ehc_needs_assessment_request", 0.02), ("ask_contact_pact", 0.01)]


def test_a_long_post_is_answered_on_its_closing_question_after_a_save_and_load(tmp_path) -> None:
    component, _, _ = _train(tmp_path, weight=0.8)   # a tiny model is less sure of the question than the real one
    message = component.process([_message(POST, WHOLE)])[0]
    assert message.get(INTENT)["name"] == "ask_ehc_needs_assessment_request"
    names = [r["name"] for r in message.get(INTENT_RANKING_KEY)]
    assert names[1] == "ask_health_waiting_times"          # the story's topic stays, to be offered as "also"
    focus = message.get(FOCUS_KEY)
    assert focus["was"] == "ask_health_waiting_times" and focus["whole"][0]["confidence"] == pytest.approx(0.97)
    assert "CAMHS" not in str(focus)                         # intent names and numbers, never the text


@pytest.mark.parametrize("text", ["can i apply for an ehc assessment myself? the camhs wait is long",  # short
                                  "/ask_health_waiting_times"])                                          # a button
def test_short_messages_and_buttons_are_left_exactly_as_they_were(tmp_path, text: str) -> None:
    component, _, _ = _train(tmp_path)
    message = component.process([_message(text, WHOLE)])[0]
    assert [(r["name"], r["confidence"]) for r in message.get(INTENT_RANKING_KEY)] == WHOLE
    assert message.get(FOCUS_KEY) is None


def test_weight_zero_changes_nothing(tmp_path) -> None:
    component, _, _ = _train(tmp_path, weight=0.0)
    message = component.process([_message(POST, WHOLE)])[0]
    assert message.get(INTENT)["name"] == "ask_health_waiting_times"


def test_a_weight_outside_zero_to_one_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError):
        QuestionFocus({"weight": 1.5}, LocalModelStorage(tmp_path), Resource("x"))


def test_a_model_file_with_unexpected_types_is_refused(tmp_path) -> None:
    import skops.io as sio

    _, storage, resource = _train(tmp_path)
    with storage.write_to(resource) as directory:
        sio.dump({"payload": Path("/etc/passwd")}, directory / FILE_NAME)   # a type the component never writes
    with pytest.raises(ValueError, match="unexpected types"):
        QuestionFocus.load(QuestionFocus.get_default_config(), storage, resource,
                           ExecutionContext(GraphSchema({}), "test"))


def test_without_a_trained_model_long_posts_are_left_as_they_were(tmp_path) -> None:
    storage, resource = LocalModelStorage(tmp_path), Resource("never_trained")
    component = QuestionFocus.load(QuestionFocus.get_default_config(), storage, resource,
                                   ExecutionContext(GraphSchema({}), "test"))
    message = component.process([_message(POST, WHOLE)])[0]
    assert message.get(INTENT)["name"] == "ask_health_waiting_times"
