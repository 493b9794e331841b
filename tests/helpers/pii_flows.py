"""Conversations that put a sample's personal details into every form step and every kind of record.

Each flow is the list of messages one parent types, in order, in a new
conversation. The details go in as an answer to every question of the three
forms (so every `from_text` slot is set from them), into a question nobody
can answer (the unanswered log), into a question sent to a volunteer (the
handover packet) and into a crisis message. Every flow ends with "stop", so
a form still asking (a date it could not read) is left cleanly. The flows
only type text, so they run the same on every channel.
"""

from __future__ import annotations

from typing import Callable, Dict, List

from tests.helpers.pii import Sample

STOP = "stop"
LETTER_TITLE = "Subject access request for SEND records"  # six questions
LETTER_QUESTIONS = 6


def question(sample: Sample) -> List[str]:
    """A question the assistant answers, then ones it cannot (the unanswered log).

    Long numbers (NHS, phone, dates) pull a message towards a SEND topic, so
    the details without digits also go alone into a question that is surely
    out of scope.
    """
    no_digits = (f"how do I renew my passport, my son is called {sample.first} {sample.last}, "
                 f"email {sample.email}, postcode {sample.postcode}")
    return [sample.message("how do I ask the council for an EHC needs assessment"), no_digits,
            sample.message("can you sort out my housing benefit appeal"), STOP]


def deadline(sample: Sample) -> List[str]:
    """The deadline form: the details as the event, then as each of the two dates."""
    return ["can you work out a deadline for me", sample.message(), "Mediation certificate issued",
            sample.message("the decision letter was dated 3/11/2026"),
            sample.message("the certificate came on 10/11/2026"), STOP]


def timeline(sample: Sample) -> List[str]:
    """The timeline form: the details with each of its four dates."""
    dates = ("2/3/2026", "27/4/2026", "15/7/2026", "1/9/2026")
    return ["where are we up to with the ehcp process, can you show me the timeline",
            *[sample.message(f"it was {day}") for day in dates], STOP]


def letter(sample: Sample) -> List[str]:
    """The letter form: the details as the template's name, then as every answer."""
    return ["please help me write a letter", sample.message("the one for my son"), LETTER_TITLE,
            *[sample.message() for _ in range(LETTER_QUESTIONS)], STOP]


def escalation(sample: Sample) -> List[str]:
    """A question sent to a volunteer with the parent's consent (the handover packet)."""
    return [sample.message("the school has cut my son's hours without telling the council, is that allowed"),
            "can I talk to a person", "yes please send it to a volunteer"]


def crisis(sample: Sample) -> List[str]:
    """A crisis message (never stored at all) with the details in it."""
    return [sample.message("he says he wants to end it all and I don't know what to do")]


FLOWS: Dict[str, Callable[[Sample], List[str]]] = {
    "question": question, "deadline": deadline, "timeline": timeline, "letter": letter,
    "escalation": escalation, "crisis": crisis,
}
