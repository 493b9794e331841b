"""What kind of follow-up a message is, from its own words ("do I have to?", "how long will it take?").

A follow-up names no topic of its own; the conversation's live topic says
what it is about (knowledge/follow-ups.yml maps topic and kind to an answer).
The cues are ordered: the first kind whose words appear wins, so the more
specific kinds ("what if they miss it") come before the broad ones ("when").
Only the kinds declared in follow-ups.yml are ever returned.
"""

from __future__ import annotations

import re
from typing import Mapping, Optional, Pattern, Sequence, Tuple

from bot.knowledge.follow_ups import FollowUps

_I = re.IGNORECASE

KIND_CUES: Tuple[Tuple[str, Pattern[str]], ...] = (
    ("young-person", re.compile(
        r"\b(?:over|aged?|turn(?:s|ed)?|is|he'?s|she'?s|now)\s+(?:1[6-9]|2[0-5])\b|\b1[6-9]\s*(?:yo|year|yr)s?\b|"
        r"\b(?:over|post)[- ]?16s?\b|\b16\s*(?:-|to)\s*25\b|\byoung (?:person|people|adult)s?\b|"
        r"\bmyself\b.*\b(?:i'?m|i am)\s+(?:1[6-9]|2[0-5])\b|\bat college\b|\bsixth form\b", _I)),
    ("miss", re.compile(
        r"\bwhat (?:if|happens if|if they|about if)\b.*\b(?:miss|late|don'?t|do not|doesn'?t|does not|won'?t|refuse|"
        r"ignore|say no|said no|fail|not)\w*|\b(?:they|council|kcc|school|la)\b.*\b(?:miss(?:ed|es)?|late|ignor\w+|"
        r"refus\w+|overdue|(?:run|ran|go|went|gone) over)\b.*\?|\bwhat if i miss\b|\bmiss(?:ed)? (?:it|the deadline)\b|"
        r"\b(?:are|is|they'?re|it'?s) (?:late|overdue)\b|\bnot happy with how\b|\bnot (?:been )?(?:sorted|resolved)\b", _I)),
    ("challenge", re.compile(
        r"\bchall[ae]nge?\w*|\bappeal\w*|\bdisagree\w*|\bdispute\w*|\bfight\w*\b|\bcontest\w*|\boverturn\w*|"
        r"\bcomplain\w*|\bunhappy\b|\bnot happy\b|\bwrong (?:decision|school)\b|\bdifferent (?:school|college|"
        r"placement)\b|\bdo anything about\b|\bany way (?:to|round|around)\b|\bpush back\b|\bquestion (?:it|that|"
        r"the decision)\b", _I)),
    ("must", re.compile(
        r"\b(?:do|does|did|must|will|would)\s+(?:i|we|he|she|they|you|my \w+)\s+(?:have|need|got)\s+to\b|"
        r"\bhave to\b|\bhas to\b|\bneed to\b.*\?|\bcompulsory\b|\bmandatory\b|\bobliged\b|\brequired\b|"
        r"\bis it (?:necessary|optional|a must)\b|\bmust i\b|\bmust we\b|\bcan i (?:refuse|say no|skip|opt out)\b|"
        r"\bcan they make\b|\bforce\b", _I)),
    ("contact", re.compile(
        r"\b(?:phone|telephone|helpline|contact|email|e-mail|website|web site|webpage|address|number)\b|"
        r"\bring\b|\bcall (?:them|someone|you)\b|\bwho (?:do|should|can) (?:i|we)\s+(?:speak|talk|ring|call|"
        r"contact|write|email|ask|go)\b|\bget (?:in touch|hold)\b|\bhow do (?:i|we) (?:join|reach|find them|sign up)\b|"
        r"\bjoin\b|\bwhere (?:do|can) (?:i|we) (?:find|get|go)\b", _I)),
    ("next", re.compile(
        r"\bwhat (?:happens )?(?:next|now|then|after(?:wards)?)\b|\bnext steps?\b|\bthen what\b|\bafter that\b|"
        r"\bwhat do (?:i|we) do (?:now|next|then)\b|\bwhat should (?:i|we) do (?:now|next)\b|\bwhere do (?:i|we) go from", _I)),
    ("when", re.compile(
        r"\bhow long\b|\bhow (?:soon|quick(?:ly)?|many (?:weeks|days|months))\b|\bwhen\b|\bwhens\b|\bby when\b|"
        r"\btime ?(?:limit|scale|frame|line)s?\b|\bdeadline\b|\bhear back\b|\bget back\b|\bwait(?:ing)?\b|"
        r"\bhow much time\b|\blast (?:day|date)\b|\bdue\b|\btill\b|\buntil\b|\bb4\b|\bbefore they\b", _I)),
    ("local", re.compile(r"\bkent\b|\bkcc\b|\bmy area\b|\blocal(?:ly)?\b|\bwhere i live\b|\bin my county\b|"
                         r"\bmedway\b", _I)),
)


def follow_up_kind(text: str, kinds: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """Return the follow-up kind the message asks, or None; only kinds in `kinds` (when given) count."""
    for kind, pattern in KIND_CUES:
        if (kinds is None or kind in kinds) and pattern.search(text):
            return kind
    return None


_WORD_EDGE = r"(?<![\w-]){}(?![\w-])"


def _name_pattern(name: str) -> Pattern[str]:
    words = [re.escape(w) for w in name.split()]
    return re.compile(_WORD_EDGE.format(r"[\s-]+".join(words)), _I)


class TopicNames:
    """Find which topics a message names, preferring the longest name ("draft ehcp" over "ehcp")."""

    def __init__(self, follow_ups: FollowUps) -> None:
        pairs = [(name, topic.id) for topic in follow_ups.topics.values() for name in topic.names]
        pairs.sort(key=lambda pair: -len(pair[0]))
        self._patterns = [(_name_pattern(name), kb_id) for name, kb_id in pairs]

    def named(self, text: str) -> Sequence[str]:
        """Return the topics named in the text, longest name first, each once; a span is claimed once."""
        taken: list[Tuple[int, int]] = []
        found: list[str] = []
        for pattern, kb_id in self._patterns:
            for match in pattern.finditer(text):
                span = match.span()
                if any(span[0] < end and start < span[1] for start, end in taken):
                    continue
                taken.append(span)
                if kb_id not in found:
                    found.append(kb_id)
        return found
