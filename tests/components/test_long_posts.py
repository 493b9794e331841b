"""components.long_posts: long posts are ranked by a classifier that learnt long posts, their question weighed in."""

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

from components.long_posts import FILE_NAME, FOCUS_KEY, LongPostClassifier

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
LONG_POSTS = """long_posts:
- intent: ask_ehc_needs_assessment_request
  examples: |
    - the waiting list for camhs is over a year and the speech therapy wait is longer, school say wait for a diagnosis, can i ask the council to assess him myself without waiting
    - we have waited two years on the autism pathway and the paediatrician wait keeps growing, school will not apply, how do i request an ehc needs assessment as a parent
- intent: ask_health_waiting_times
  examples: |
    - my daughter has been on the camhs waiting list for 18 months and school are doing their best with sen support, is there any way to find out how long the wait for the assessment will be
"""


def _train(tmp_path: Path, posts: str = LONG_POSTS, **config) -> Tuple[LongPostClassifier, LocalModelStorage, Resource]:
    (tmp_path / "posts").mkdir(exist_ok=True)
    (tmp_path / "posts" / "posts.yml").write_text(posts)
    config = {**LongPostClassifier.get_default_config(), "long_posts": str(tmp_path / "posts"), **config}
    (tmp_path / "model").mkdir(exist_ok=True)
    storage, resource = LocalModelStorage(tmp_path / "model"), Resource("long_posts")
    context = ExecutionContext(GraphSchema({}), "test")
    component = LongPostClassifier.create(config, storage, resource, context)
    component.train(TrainingData([Message(data={TEXT: text, INTENT: intent})
                                  for intent, texts in EXAMPLES.items() for text in texts]))
    loaded = LongPostClassifier.load(config, storage, resource, context)
    return loaded, storage, resource


def _message(text: str, ranking: List[Tuple[str, float]]) -> Message:
    message = Message(data={TEXT: text})
    ranked = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, ranked[0])
    message.set(INTENT_RANKING_KEY, ranked)
    return message


WHOLE = [("ask_health_waiting_times", 0.97), ("ask_ehc_needs_assessment_request", 0.02), ("ask_contact_pact", 0.01)]


def test_a_long_post_is_ranked_by_the_classifier_that_learnt_long_posts_after_a_save_and_load(tmp_path) -> None:
    component, _, _ = _train(tmp_path)
    message = component.process([_message(POST, WHOLE)])[0]
    assert message.get(INTENT)["name"] == "ask_ehc_needs_assessment_request"
    names = [r["name"] for r in message.get(INTENT_RANKING_KEY)]
    assert names[1] == "ask_health_waiting_times"          # the story's topic stays, to be offered as "also"
    before = message.get(FOCUS_KEY)
    assert before["was"] == "ask_health_waiting_times" and before["whole"][0]["confidence"] == pytest.approx(0.97)
    assert "CAMHS" not in str(before)                        # intent names and numbers, never the text


def test_long_posts_labelled_with_an_intent_the_nlu_lacks_are_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match="ask_no_such_topic"):
        _train(tmp_path, LONG_POSTS.replace("ask_health_waiting_times", "ask_no_such_topic"))


@pytest.mark.parametrize("text", ["can i apply for an ehc assessment myself? the camhs wait is long",  # short
                                  "/ask_health_waiting_times"])                                          # a button
def test_short_messages_and_buttons_are_left_exactly_as_they_were(tmp_path, text: str) -> None:
    component, _, _ = _train(tmp_path)
    message = component.process([_message(text, WHOLE)])[0]
    assert [(r["name"], r["confidence"]) for r in message.get(INTENT_RANKING_KEY)] == WHOLE
    assert message.get(FOCUS_KEY) is None


def test_a_weight_outside_zero_to_one_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError):
        LongPostClassifier({"weight": 1.5}, LocalModelStorage(tmp_path), Resource("x"))


def test_a_model_file_with_unexpected_types_is_refused(tmp_path) -> None:
    import skops.io as sio

    _, storage, resource = _train(tmp_path)
    with storage.write_to(resource) as directory:
        sio.dump({"payload": Path("/etc/passwd")}, directory / FILE_NAME)   # a type the component never writes
    with pytest.raises(ValueError, match="unexpected types"):
        LongPostClassifier.load(LongPostClassifier.get_default_config(), storage, resource,
                           ExecutionContext(GraphSchema({}), "test"))


def test_without_a_trained_model_long_posts_are_left_as_they_were(tmp_path) -> None:
    storage, resource = LocalModelStorage(tmp_path), Resource("never_trained")
    component = LongPostClassifier.load(LongPostClassifier.get_default_config(), storage, resource,
                                   ExecutionContext(GraphSchema({}), "test"))
    message = component.process([_message(POST, WHOLE)])[0]
    assert message.get(INTENT)["name"] == "ask_health_waiting_times"
