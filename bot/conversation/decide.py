"""Decide what one message means for the conversation: a new topic, a follow-up, a date, a close call.

Inputs are the message, the NLU's ranking of topics and the conversation's
live topic; the output is a `Decision` the action turns into a reply. Pure:
no Rasa, no I/O, so every pattern is tested without a server.

- A message that names a topic (knowledge/follow-ups.yml `names`) or that
  the NLU is sure about starts that topic; the new topic replaces the old.
- A message that names no topic, while a topic is live, is read against it:
  a date goes to one of the topic's clocks (never another topic's), a
  follow-up kind ("do I have to?") goes to the answer follow-ups.yml gives
  for that topic and kind, and when the topic has none the parent is told so
  in one line with the nearest entries offered. A live topic never gets a
  bare "I don't know".
- When the NLU's top two topics are close, the parent is asked which one
  they mean (two buttons and "Something else"); when it is unsure of one, it
  asks "Do you mean ...?".
- A long message that asks about several things is answered on the main one,
  with the others offered as buttons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
import re
from typing import Iterable, Optional, Pattern, Sequence, Tuple

from bot.conversation.focus import LONG_POST_WORDS, question_part
from bot.conversation.kinds import KIND_CUES, TopicNames, follow_up_kind
from bot.deadlines.cues import KB_RULES, NOT_FOR, choose_clock, events_of
from bot.deadlines.chat import picked_event
from bot.deadlines.reading import find_dates
from bot.deadlines.registry import RULES
from bot.knowledge.follow_ups import FollowUps, Target

ANSWER, FOLLOW_UP, NO_SPECIFIC, CLARIFY, UNANSWERED = "answer", "follow_up", "no_specific", "clarify", "unanswered"
REDATE = "redate"  # another clock of the dates the parent already gave ("and the final plan?")

THRESHOLD = 0.4    # the FallbackClassifier's threshold (config.yml)
AMBIGUITY = 0.05   # and its ambiguity threshold: closer than this is a close call
FLOOR = 0.2        # a topic below this is not offered as a guess
ONE_GUESS = 0.3    # and a single "Do you mean ...?" needs at least this (tuned so out-of-scope stays honest)
SURE = 0.75        # a topic the NLU is this sure of is a new question even if it names nothing
FOLLOW_UP_WORDS = 30   # longer messages are new questions, not follow-ups
MAX_ALSO = 2


# Words beside a date that say which clock family it starts, whatever the live topic: "the order is
# dated ..." is a tribunal order, "last day to appeal?" the appeal deadline. First match wins.
_I = re.IGNORECASE
DATE_CUES: Tuple[Tuple[Pattern[str], str], ...] = (
    (re.compile(r"\b(?:tribunal|judge)\b.*\border\w*|\border(?:ed)?\b.*\b(?:tribunal|dated|made)\b|"
                r"\bthe order\b", _I), "tribunal-process"),
    (re.compile(r"\bdiscriminat\w*", _I), "disability-discrimination-claim"),
    (re.compile(r"\brequest\w*\b[^.?!]{0,40}\b(?:received|got to|went in|arrived|reached)\b|"
                r"\b(?:received|got) (?:our|my|the) (?:ehc\w* )?request\b", _I), "ehc-assessment-timescales"),
    (re.compile(r"\bappeal\w*", _I), "tribunal-deadlines"),
)
_CERTIFICATE = re.compile(r"\bcert(?:ificate)?s?\b", _I)
# Words that point back to what was said ("do I have to do IT?", "what's THEIR number?"): a message the NLU is
# sure is about another topic is still a follow-up if it points back, or is only a few words.
_POINTS_BACK = re.compile(r"\b(?:it|its|it's|that|this|they|them|their|theirs|there|those|these|he|she|him|her|"
                          r"one|ones)\b", _I)
SHORT = 5
# Words that name what a question is about (too general to name one topic): a message that has one, does not
# point back and that the NLU reads as another topic is a question of its own ("how long do I have to appeal to
# the tribunal?" while mediation is live).
_SUBJECT = re.compile(r"\b(?:appeal\w*|tribunal|mediat\w*|assess\w*|ehcp|plan|complain\w*|complaint|exclu\w*|"
                      r"transport|review|budget|camhs|senco|ombudsman|discriminat\w*|diagnos\w*|therapy|school|"
                      r"college|council|kcc)\b", _I)
_WHEN = dict(KIND_CUES)["when"]  # "how long", "when", "deadline", "last day" ...
_DATE_QUESTION = re.compile(r"\b(?:which|what) (?:date|day|week|month)\b|\bby (?:which|what)\b|\bdate\b[^.?!]*\?", _I)
_DECISION = re.compile(r"\bdecision\b|\bdecide\b|\bhear\b", _I)  # "and the decision?": the event's first clock


def date_cue(text: str, dates: int, live_dates: Optional[str]) -> Optional[str]:
    """Return the topic whose clocks a dated message's own words point to, or None to use the live topic's."""
    if _CERTIFICATE.search(text):
        # A certificate with one date under mediation is the mediation adviser's; with the letter's date
        # too it is the appeal's.
        return "tribunal-deadlines" if dates >= 2 else None if live_dates == "mediation" else "tribunal-deadlines"
    return next((topic for pattern, topic in DATE_CUES if pattern.search(text)), None)


@dataclass(frozen=True)
class Decision:
    """What to do with one message."""

    action: str                       # ANSWER, FOLLOW_UP, NO_SPECIFIC, CLARIFY or UNANSWERED
    topic: Optional[str] = None       # the live topic after this message
    entry: Optional[str] = None       # the entry to answer with
    section: Optional[Tuple[str, str]] = None  # or one section of an entry (kb id, section id)
    kind: Optional[str] = None        # the follow-up kind, if it was one
    dates_topic: Optional[str] = None  # the topic whose clocks a date in the message goes to
    options: Tuple[str, ...] = ()     # entries to offer: the close call's choices or the nearest entries
    also: Tuple[str, ...] = ()        # other topics a long message asked about
    clock: Optional[str] = None       # REDATE: the clock asked about now


@dataclass(frozen=True)
class Message:
    """One parent message as the NLU read it."""

    text: str
    ranking: Sequence[Tuple[str, float]]   # (kb id, confidence) of topic intents, best first
    today: dt.date
    live_topic: Optional[str] = None
    default_kind: Optional[str] = None     # the follow-up kind the intent implies ("what's my deadline?": when)
    shown_rule: Optional[str] = None       # the event whose deadlines were last worked out from the parent's dates
    out_of_scope: bool = False             # the NLU's own verdict: not a SEND question
    date_kept_for: Optional[str] = None    # the topic whose date is kept while the parent says which event it was


def dates_topic(topic: Optional[str], follow_ups: FollowUps) -> Optional[str]:
    """Return the topic whose events a date under this topic goes to (its own, else one sharing its clocks)."""
    if topic is None or topic in NOT_FOR:
        return None
    if topic in KB_RULES:
        return topic
    entry = follow_ups.topics.get(topic)
    clocks = entry.clocks if entry else ()
    for owner, events in KB_RULES.items():
        produced = {clock for event in events for clock in RULES[event].clocks()}
        if clocks and clocks[0] in produced:
            return owner
    return None


class Decider:
    """Decide what each message means, given the follow-ups data."""

    def __init__(self, follow_ups: FollowUps, known: Iterable[str]) -> None:
        self.follow_ups = follow_ups
        self.names = TopicNames(follow_ups)
        self.known = frozenset(known)
        # Which topic's clocks a date under each topic goes to: fixed by the data, so worked out once.
        self._dates = {topic: dates_topic(topic, follow_ups) for topic in set(follow_ups.topics) | set(KB_RULES)}

    def _dates_of(self, topic: Optional[str]) -> Optional[str]:
        return self._dates.get(topic) if topic is not None else None

    def decide(self, message: Message) -> Decision:
        """Return the decision for one message."""
        text, live = message.text, message.live_topic
        ranking = [(kb_id, conf) for kb_id, conf in message.ranking if kb_id in self.known]
        named = [kb_id for kb_id in self.names.named(text) if kb_id in self.known]
        words = len(text.split())
        top, top_conf = ranking[0] if ranking else (None, 0.0)
        sure_of_another = top != live and (top_conf >= SURE or top_conf >= THRESHOLD and bool(_SUBJECT.search(text)))
        if live is not None and not named and words <= FOLLOW_UP_WORDS and (
                not sure_of_another or words <= SHORT or _POINTS_BACK.search(text) or self._dated(message)):
            return self._follow_up(message, live)
        if live is not None and message.date_kept_for is not None and \
                message.date_kept_for == self._dates_of(live) and picked_event(message.date_kept_for, text):
            return self._follow_up(message, live)  # the answer to "which order was it?"
        if live is not None and named and set(named) <= {live} and (
                self._dated(message) or self._names_a_shown_clock(message, live)):
            # "meeting was 22 September, when is the final amended plan due" names the live topic again with its
            # date; "the 16 week one" names it by one of the clocks of the dates already given.
            return self._follow_up(message, live)
        if live is not None and words <= FOLLOW_UP_WORDS and self._cued_to_live(message, live):
            # "I got the mediation certificate on 18 November, does that change it?" names mediation, but its
            # date is the appeal's, and the appeal is the live topic.
            return self._follow_up(message, live)
        return self._new_question(message, ranking, named)

    def _dated(self, message: Message) -> bool:
        return bool(find_dates(message.text, message.today))

    def _names_a_shown_clock(self, message: Message, live: str) -> bool:
        """Return True if an undated message names another clock of the dates last worked out under the topic."""
        shown = message.shown_rule
        if shown not in RULES or shown not in events_of(self._dates_of(live) or "") or self._dated(message):
            return False
        return choose_clock(message.text, RULES[shown].clocks()) is not None

    def _cued_to_live(self, message: Message, live: str) -> bool:
        """Return True if the message's date is, by its own words, one of the live topic's clocks."""
        clocks_of = self._dates_of(live)
        found = find_dates(message.text, message.today)
        return bool(found) and clocks_of is not None and date_cue(message.text, len(found), clocks_of) == clocks_of

    def _follow_up(self, message: Message, live: str) -> Decision:
        """Read a message that names no other topic against the live topic."""
        kind = follow_up_kind(message.text, self.follow_ups.kinds) or message.default_kind
        clocks_of = self._dates_of(live)
        found = find_dates(message.text, message.today)
        cued = date_cue(message.text, len(found), clocks_of) if found else None
        if cued is not None and cued != clocks_of and cued in self.known:
            return Decision(ANSWER, topic=cued, entry=cued, kind=kind, dates_topic=cued)
        if clocks_of is not None and (found or message.date_kept_for == clocks_of and
                                      picked_event(clocks_of, message.text) is not None):
            # a date of the live topic's, or the event it was picked after "which order was it?"
            return Decision(ANSWER, topic=live, entry=live, kind=kind, dates_topic=clocks_of)
        if message.shown_rule in RULES and message.shown_rule in events_of(clocks_of or "") and \
                not self._dated(message):  # dates given under another topic never answer this one
            clocks = RULES[message.shown_rule].clocks()
            clock = choose_clock(message.text, clocks)
            if clock is not None or kind == "when" or _DECISION.search(message.text):
                return Decision(REDATE, topic=live, entry=live, kind=kind, clock=clock or clocks[0])
        if kind is None:
            top = message.ranking[0] if message.ranking else None
            if top is not None and top[1] >= THRESHOLD and top[0] in self.known:
                return self._answer(top[0], message)
            return Decision(NO_SPECIFIC, topic=live, options=self._nearest(live, None))
        target = self.follow_ups.target(live, kind)
        if target is None and self._asks_the_topic_itself(message, live):
            # "how long do I have to appeal?" again while the appeal deadline is live (sent twice, or a retry
            # after a dropped connection): the topic's own answer, not "no specific answer on that".
            return self._answer(live, message)
        if target is None:
            return Decision(NO_SPECIFIC, topic=live, kind=kind, options=self._nearest(live, kind))
        return self._target(live, kind, target)

    @staticmethod
    def _asks_for_a_date(text: str) -> bool:
        """Return False for a long post whose question asks for no date or time; True for anything shorter.

        A long post's dates are often background: "we got our mediation certificate yesterday ... we're
        appealing ... which form is it?" asks how to appeal, not by when, so its date must not turn the answer
        into the appeal deadline. "... was received on 7 September. By which date must I be told?" still does.
        """
        asks = question_part(text, LONG_POST_WORDS)
        return asks is None or bool(_WHEN.search(asks) or _DATE_QUESTION.search(asks))

    def _asks_the_topic_itself(self, message: Message, live: str) -> bool:
        """Return True if a message of more than a few words is, by the NLU, the live topic's own question.

        The bar is the one a message with no follow-up kind is answered at (THRESHOLD), so "how long do I
        have to appeal?" gets the same answer with or without the word that made it look like a follow-up.
        """
        top = message.ranking[0] if message.ranking else None
        return top is not None and top[0] == live and top[1] >= THRESHOLD and len(message.text.split()) > SHORT

    def _target(self, live: str, kind: str, target: Target) -> Decision:
        if target.section is not None:
            return Decision(FOLLOW_UP, topic=live, section=target.section, entry=target.section[0], kind=kind,
                            dates_topic=self._dates_of(live))
        entry = target.entry or live
        return Decision(FOLLOW_UP, topic=live, entry=entry, kind=kind, dates_topic=self._dates_of(live))

    def _nearest(self, live: str, kind: Optional[str]) -> Tuple[str, ...]:
        """Return up to three entries near the live topic: its other follow-ups' entries."""
        topic = self.follow_ups.topics.get(live)
        found = []
        for target in (topic.follow_ups.values() if topic else ()):
            kb_id = target.entry or (target.section[0] if target.section else None)
            if kb_id and kb_id != live and kb_id not in found and kb_id in self.known:
                found.append(kb_id)
        return tuple(found[:3])

    def _new_question(self, message: Message, ranking: Sequence[Tuple[str, float]],
                      named: Sequence[str]) -> Decision:
        """A message about a topic of its own: answer it, or ask which topic, or say so honestly."""
        if message.out_of_scope or not ranking and not named:
            return Decision(UNANSWERED)
        top, top_conf = ranking[0] if ranking else (None, 0.0)
        second, second_conf = ranking[1] if len(ranking) > 1 else (None, 0.0)
        if top is not None and top_conf >= THRESHOLD and top_conf - second_conf >= AMBIGUITY:
            return self._answer(top, message, named)
        if top is not None and second is not None and top_conf >= FLOOR and top_conf - second_conf < AMBIGUITY \
                and second_conf >= FLOOR:
            return Decision(CLARIFY, options=(top, second))
        if named:
            return Decision(CLARIFY, options=(named[0],))
        if top is not None and top_conf >= ONE_GUESS:
            return Decision(CLARIFY, options=(top,))
        return Decision(UNANSWERED)

    def _answer(self, kb_id: str, message: Message, named: Sequence[str] = ()) -> Decision:
        found = find_dates(message.text, message.today)
        own = self._dates_of(kb_id)
        cued = date_cue(message.text, len(found), own) if found and self._asks_for_a_date(message.text) else None
        if cued is not None and cued in self.known and cued != own:
            kb_id = cued  # "letter dated 25 November ... the discrimination route": that topic's clock
        also: Tuple[str, ...] = ()
        if len(message.text.split()) >= LONG_POST_WORDS:
            others = [k for k, conf in message.ranking if conf >= FLOOR and k in self.known] + list(named)
            also = tuple(dict.fromkeys(k for k in others if k != kb_id))[:MAX_ALSO]
        return Decision(ANSWER, topic=kb_id, entry=kb_id, dates_topic=self._dates_of(kb_id),
                        also=also)
