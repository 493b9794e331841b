"""The letter form: choosing the template, one question at a time, skipping, delivery and forgetting."""

from __future__ import annotations

import base64
import io

import pytest
from docx import Document
from rasa_sdk.events import SlotSet

from actions.letters import (ActionAskLetterAnswer, ActionAskLetterTemplate, ActionDeliverLetter,
                             ValidateLetterForm)
from bot.letters.chat import LETTER_SLOTS
from bot.letters.fill import TEMPLATES

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("text,template", [
    ("can you draft a letter asking for an assessment", "request-assessment"),
    ("letter to complain they missed the deadline", "missed-deadline"),
    ("subject access request letter", "subject-access"),
    ("help me write a letter", None),
])
async def test_template_is_taken_from_the_request(dispatcher, tracker, text, template) -> None:
    result = await ValidateLetterForm().extract_letter_template(dispatcher, tracker("request_letter", text=text), {})
    assert result == ({"letter_template": template} if template else {})


async def test_template_chosen_by_button_title_starts_with_prefilled_answers(dispatcher, tracker) -> None:
    prefill = {"template": "missed-deadline", "answers": {"deadline": "6-weeks"}}
    title = TEMPLATES["missed-deadline"].title
    result = ValidateLetterForm().validate_letter_template(
        title, dispatcher, tracker("out_of_scope", text=title, slots={"letter_prefill": prefill}), {})
    assert result == {"letter_template": "missed-deadline", "letter_answers": {"deadline": "6-weeks"}}


async def test_asks_only_the_templates_fields_one_at_a_time(dispatcher, tracker) -> None:
    form, template = ValidateLetterForm(), TEMPLATES["subject-access"]
    answers = {}
    for field in template.fields:
        t = tracker("out_of_scope", text="x", slots={"letter_template": "subject-access", "letter_answers": answers})
        assert await form.required_slots([], dispatcher, t, {}) == ["letter_template", "letter_answer"]
        dispatcher.messages.clear()
        await ActionAskLetterAnswer().run(dispatcher, t, {})
        [question] = dispatcher.messages
        assert question["text"].startswith(field.question)
        assert question["buttons"] == [{"title": "Skip", "payload": "skip"}]
        reply = "skip" if field.id == "records" else f"answer for {field.id}"
        answers = form.validate_letter_answer(reply, dispatcher, tracker("out_of_scope", text=reply, slots={
            "letter_template": "subject-access", "letter_answers": answers}), {})["letter_answers"]
    done = tracker("x", slots={"letter_template": "subject-access", "letter_answers": answers})
    assert await form.required_slots([], dispatcher, done, {}) == ["letter_template"]
    assert answers["records"] == ""


async def test_template_question_has_a_button_per_template(dispatcher, tracker) -> None:
    await ActionAskLetterTemplate().run(dispatcher, tracker("request_letter"), {})
    assert len(dispatcher.messages[0]["buttons"]) == len(TEMPLATES)


async def test_stop_clears_every_letter_slot(dispatcher, tracker) -> None:
    result = ValidateLetterForm().validate_letter_answer("stop", dispatcher, tracker("deny", text="stop", slots={
        "letter_template": "subject-access", "letter_answers": {"parent_name": "Jo"}}), {})
    assert result["form_stopped"] is True
    assert all(result[slot] is None for slot in LETTER_SLOTS)


async def test_delivers_text_and_docx_then_forgets(dispatcher, tracker) -> None:
    answers = {"parent_name": "Jo Bloggs", "child_name": "Sam Bloggs", "records": ""}
    t = tracker("x", slots={"letter_template": "subject-access", "letter_answers": answers})
    events = await ActionDeliverLetter().run(dispatcher, t, {})
    [message] = dispatcher.messages
    assert "Sam Bloggs" in message["text"] and "[" in message["text"]  # skipped answers are [placeholders]
    payload = message["custom"]
    assert payload["type"] == "letter" and payload["template"] == "subject-access"
    assert payload["title"] == TEMPLATES["subject-access"].title
    document = Document(io.BytesIO(base64.b64decode(payload["docx_base64"])))
    assert any("Sam Bloggs" in p.text for p in document.paragraphs)
    for slot in LETTER_SLOTS:
        assert SlotSet(slot, None) in events


async def test_nothing_is_delivered_after_stop(dispatcher, tracker) -> None:
    t = tracker("x", slots={"form_stopped": True, "letter_template": "subject-access"})
    events = await ActionDeliverLetter().run(dispatcher, t, {})
    assert dispatcher.messages == [] and SlotSet("letter_template", None) in events
