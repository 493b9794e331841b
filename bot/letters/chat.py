"""Drafting a letter in the conversation: which template, which question next, what counts as skipped.

Answers are held in the conversation only while the letter is being written
(see components/tracker_store.py: their values never reach the database)
and are cleared as soon as the letter is delivered.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Mapping, Optional, Tuple

from bot.letters.templates import Field, Template
from bot.replies import is_skip

TEMPLATE_SLOT = "letter_template"
ANSWER_SLOT = "letter_answer"
ANSWERS_SLOT = "letter_answers"
PREFILL_SLOT = "letter_prefill"
# Slots whose values are a parent's answers: kept in memory only, never stored.
PRIVATE_SLOTS = (ANSWER_SLOT, ANSWERS_SLOT)
LETTER_SLOTS = (TEMPLATE_SLOT, ANSWER_SLOT, ANSWERS_SLOT, PREFILL_SLOT)
LETTER_FORM = "letter_form"
LETTER_PAYLOAD_TYPE = "letter"

# Words in a request -> template, checked in order (the most specific first).
_KEYWORDS: Tuple[Tuple[str, str], ...] = (
    (r"subject access|\bsar\b|my (child'?s |son'?s |daughter'?s )?(records|file|data)|copy of (the |his |her )?records",
     "subject-access"),
    (r"missed (the |a )?deadline|deadline (was|has been) missed|late|overdue|out of time|20 weeks?|6 weeks?|"
     r"not met the deadline|past the deadline", "missed-deadline"),
    (r"mediation|certificate", "mediation"),
    (r"draft (ehc )?plan|draft ehcp|comments? on the draft", "draft-plan-response"),
    (r"early review|emergency review|review (early|sooner)|interim review", "early-review"),
    (r"complain|complaint", "complaint-stage-1"),
    (r"assess|ehcna|needs assessment|apply for an? ehc", "request-assessment"),
)


def choose_template(text: str, known: Any) -> Optional[str]:
    """Return the template a message asks for (by keyword, id or title), or None if it is not clear."""
    lowered = " ".join(text.lower().split())
    for template_id in known:
        if lowered in (template_id, template_id.replace("-", " "), known[template_id].title.lower()):
            return str(template_id)
    for pattern, template_id in _KEYWORDS:
        if re.search(pattern, lowered) and template_id in known:
            return template_id
    return None


def next_field(template: Template, answers: Mapping[str, Any]) -> Optional[Field]:
    """Return the next field still to ask for, or None when every field is answered or skipped."""
    return next((f for f in template.fields if f.id not in answers), None)


def record_answer(template: Template, answers: Mapping[str, Any], reply: str) -> Dict[str, Any]:
    """Return the answers with the reply given to the next field ('skip' leaves it as a placeholder)."""
    field = next_field(template, answers)
    updated = dict(answers)
    if field is not None:
        updated[field.id] = "" if is_skip(reply) else reply.strip()
    return updated
