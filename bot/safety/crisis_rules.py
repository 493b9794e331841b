"""The shape of a crisis rule, and the rules for suicide, self-harm and "can't keep safe".

Each `Rule` is one phrase pattern over text from `crisis_text.normalise` (lower case, no
apostrophes, "|" between sentences), with optional guards:
- `anchors`: word stems, one of which every match contains; a rule runs only when a word of
  the message starts with one of them (a pattern that begins with \\b cannot use the regex
  engine's literal-prefix search, so this keeps a message to well under a millisecond);
- `near`: a second cue that must occur within a short window (a head injury AND vomiting);
- `not_before` / `not_after`: the words around the match that make it ordinary ("the
  placement collapsed", "cutting class", "hurt his chances");
- `unless`: words anywhere in the sentence that make it ordinary ("in a meltdown").
Every rule is also discounted by negation, past history and care-plan "what if" questions
(`crisis._counts`).
Patterns use bounded repetition only ({0,3}), never nested open-ended quantifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Pattern, Tuple


@dataclass(frozen=True)
class Rule:
    """One crisis pattern with the guards that keep it from firing on ordinary wording."""

    kind: str
    anchors: Tuple[str, ...]
    pattern: Pattern[str]
    near: Optional[Pattern[str]] = None
    not_before: Optional[Pattern[str]] = None
    not_after: Optional[Pattern[str]] = None
    unless: Optional[Pattern[str]] = None


def rule(kind: str, anchors: str, pattern: str, near: str = "", not_before: str = "", not_after: str = "",
         unless: str = "") -> Rule:
    """Compile one rule; `anchors` is a space-separated list of word stems."""
    def compiled(text: str) -> Optional[Pattern[str]]:
        return re.compile(text) if text else None

    return Rule(kind, tuple(anchors.split()), re.compile(pattern), compiled(near), compiled(not_before),
                compiled(not_after), compiled(unless))


SELF = r"(?:my|him|her|them|your|our|his|their)\s?sel(?:f|ves)"
SELF_ANCHORS = "self selves myself himself herself themselves yourself ourselves hisself theirselves"
KID = r"(?:son|daughter|child|kid|boy|girl|baby|toddler|teen|teenager|brother|sister|stepson|stepdaughter|lad|twin)"
MEDS = (r"(?:pills|tablets|paracetamol|ibuprofen|meds|medication|medicine|melatonin|antidepressants|painkillers|calpol|insulin|"
        r"tabs|gummies|capsules|sertraline|fluoxetine|citalopram|escitalopram|mirtazapine|amitriptyline|diazepam|lorazepam|"
        r"methylphenidate|ritalin|concerta|elvanse|lisdexamfetamine|dexamfetamine|atomoxetine|guanfacine|risperidone|"
        r"aripiprazole|quetiapine|olanzapine|lithium|epilim|valproate|lamotrigine|levetiracetam|keppra|carbamazepine|codeine|"
        r"codamol|tramadol|morphine|oramorph|aspirin|piriton|antihistamines?|sleeping\s+pills|iron\s+tablets)")
MEDS_ANCHORS = ("pill tablet paracetamol ibuprofen med melatonin antidepress painkiller calpol insulin tab gumm capsule "
                "sertraline fluoxetine citalopram escitalopram mirtazapine amitriptyline diazepam lorazepam methylphenidate "
                "ritalin concerta elvanse lisdex dexam atomoxetine guanfacine risperidone aripiprazole quetiapine olanzapine "
                "lithium epilim valproate lamotrigine levetiracetam keppra carbamazepine codeine codamol tramadol morphine "
                "oramorph aspirin piriton antihistamine sleeping iron")
_FAREWELL = (r"sorry\s+for\s+everything|not\s+answering|wont\s+answer|phone\s+(?:is\s+)?off|for\s*ever|love\s+you|look\s+after|"
             r"take\s+care\s+of|any\s?more|cant\s+go\s+on|wont\s+be\s+(?:here|around)|without\s+me|planning|end\s+it")
_ORG = r"\b(?:school|staff|teachers?|they|nursery|college|setting|council|senco|head|la|kcc)\b"

MIND: List[Rule] = [
    rule("suicide", "suicid", r"\bsuicid\w*",
         not_after=r"\s(?:prevention|awareness|policy|policies|training|rates?|statistics)\b"),
    rule("suicide", "kill unaliv kms", rf"\bkill(?:ing|ed|s)?\s+{SELF}|\bunaliv\w*|\bkms\b"),
    rule("suicide", "end", r"\b(?:end|ending|ended)\s+(?:it\s+all|(?:my|his|her|their|your)\s+(?:own\s+)?life|everything|"
                           r"it\s+(?:now|tonight|today))\b|\b(?:plan|planning|plans|decided|going|gonna|want|wants|ready)\s+to\s+"
                           r"end\s+it\b(?!\s+with)"),
    rule("suicide", "tak", r"\btak(?:e|ing)\s+(?:my|his|her|their)\s+(?:own\s+)?life\b"),
    rule("suicide", "die dead", r"\b(?:want|wants|wanted|wanting|wanna|wish|wishes|going|gonna|ready|about)\s+(?:to\s+)?"
                                r"(?:die|be\s+dead)\b",
         not_after=r"\s(?:of|from|laughing|for\s+(?:a|the)|in\s+a\s+ditch)\b"),
    rule("suicide", "wish", r"\bwish(?:es)?\s+(?:i|he|she|they)\s+(?:was|were|had|could)\s+(?:dead|never\s+been\s+born|die|disappear)"),
    rule("suicide", "better easier", r"\bbetter\s+off\s+(?:dead|without\s+(?:me|him|her|them|us)|with\s+someone\s+else)\b|\b(?:easier|better)\s+"
                                     r"(?:for\s+(?:\w+\s+){1,2})?if\s+(?:i|he|she)\s+(?:wasnt|werent|was\s+not|were\s+not|"
                                     r"was\s+gone|was\s+dead|didnt\s+exist|died|wasnt\s+alive)\b"),
    rule("suicide", "want", r"\b(?:dont|doesnt|do\s+not|does\s+not|didnt|not)\s+want(?:ing)?\s+to\s+(?:live|be\s+alive|"
                            r"be\s+here\s+any\s?more|exist|wake\s+up|carry\s+on)\b"),
    rule("suicide", "point reason whats see", r"\bno\s+(?:point|reason)\s+(?:in\s+)?(?:living|to\s+live|going\s+on|carrying\s+on|"
                                              r"being\s+alive|being\s+here|anything)\b|\bwhats\s+the\s+point\s+(?:of|in)\s+"
                                              r"(?:living|life|going\s+on|being\s+alive|carrying\s+on|anything)\b|\b(?:dont|cant|do\s+not)\s+"
                                              r"see\s+(?:the\s+|any\s+)?point\s+(?:in|of)\s+(?:anything|living|life|going\s+on|"
                                              r"carrying\s+on|being\s+here|it\s+all|any\s+of\s+it)\b",
         not_after=r"\s+(?:with|applying|appealing|because\s+(?:the|ehcps?|plans?|they|it|kent|the\s+council|school))\b"),
    # "can't go on" about life, not "can't go on the trip" nor "can't go on like this" (stress).
    rule("suicide", "can", r"\b(?:cant|can\s+not|cannot)\s+(?:go\s+on|carry\s+on|keep\s+going)\b|\bcant\s+live\s+(?:like\s+this|"
                           r"with\s+(?:this|myself))\s+any\s?(?:more|longer)\b|\bcant\s+face\s+(?:living|life|another\s+day|"
                           r"going\s+on)\b",
         not_after=r"\s(?:the|a|an|his|her|their|my|our|school|scho+l|trips?|holidays?|residentials?|visits?|outings?|rides?|camp|"
                   r"stage|with|like|at|to|in|about|for|without|bus|train|it|that|this|them|those|any\s+(?:trips?|rides?)|"
                   r"waiting|fighting|paying|working|doing)\b"),
    rule("suicide", "had sick tired giv", r"\b(?:had\s+enough|sick|tired)\s+of\s+(?:life|living|being\s+alive)\b|"
                                          r"\bgiv(?:e|ing)\s+up\s+on\s+(?:life|living|myself|everything\s*(?:\||$))"),
    rule("suicide", "how", r"\bhow\s+much\s+longer\s+i\s+can\s+(?:keep\s+going|go\s+on|carry\s+on|take\s+(?:it|this))\b"),
    rule("suicide", "burden", r"\b(?:feel|am|im|being|is|hes|shes)\s+(?:like\s+)?(?:such\s+)?a\s+burden\b",
         not_after=r"\s+(?:on|to)\s+(?:the\s+)?(?:school|system|council|staff|services|nhs)\b"),
    rule("suicide", "sleep", r"\bsleep\s+for\s*ever\b"),
    rule("unsafe", "crisis", r"\b(?:he|she|they|i|im|son|daughter|child|is|hes|shes|am|are)\s+(?:is\s+|are\s+|am\s+)?in\s+(?:a\s+)?"
                             r"(?:mental\s+health\s+)?crisis\b|\bmental\s+health\s+crisis\b(?!\s+(?:team|line|service|services|"
                             r"cafe|plan|pathway))"),
    rule("suicide", "no nobody everyone everybody", r"\b(?:nobody|no\s+one)\s+would\s+(?:miss|care\s+if)\b|"
                                                    r"\b(?:everyone|everybody)\s+would\s+be\s+better\s+off\b"),
    rule("suicide", "disappear", r"\bdisappear\s+(?:for\s+ever|forever|for\s+good)\b"),
    rule("suicide", "hang", rf"\bhang(?:ing|ed|s)?\s+{SELF}"),
    rule("suicide", "jump", r"\bjump(?:ing|ed|s)?\s+(?:off|in\s+front\s+of|from|out\s+of)\s+(?:a|the|his|her|their|my)\s+"
                            r"(?:\w+\s+)?(?:bridge|train|building|roof|cliff|window|balcony|car\s+park)"),
    rule("suicide", "jump", r"\b(?:will|going\s+to|gonna|wants?\s+to|threaten\w*\s+to|about\s+to|tried\s+to|trying\s+to|try\s+to|"
                            r"try\s+and)\s+jump\b",
         not_after=r"\s(?:through|the\s+queue|in\s+(?:the\s+)?(?:pool|puddles?|queue|with)|on\s+(?:the\s+|a\s+)?(?:trampoline|"
                   r"bed|sofa|bandwagon|bus|train)|up|ahead|at\s+(?:the|this|that)|about|around|over|for\s+joy|ship|in\s+with)\b"),
    rule("suicide", "edge ledge roof bridge railway train tracks cliff",
         r"\b(?:on|at|by|near|off)\s+(?:the|a)\s+(?:edge|ledge|roof|bridge|railway|train\s+tracks?|tracks|cliff)\b",
         near=r"\bjump\w*|\bend\s+it\b|\bdie\b|\bgoodbye\b|\bthreaten\w*|\b(?:wont|refus\w*|will\s+not)\s+(?:to\s+)?come\s+"
              r"(?:down|back|off|in)|\bstanding\b|\bedge\b"),
    rule("suicide", "ways how", r"\b(?:ways|how)\s+to\s+(?:die|kill\s+(?:my|him|her|them)sel\w*|end\s+(?:it|(?:my|his|her)\s+life))\b|"
                                r"\bhow\s+many\s+(?:\w+\s+)?(?:tablets|pills|paracetamol)\s+(?:\w+\s+){0,3}?(?:to\s+)?"
                                r"(?:die|kill|overdose|end)\b"),
    rule("suicide", "goodbye suicid farewell", r"\b(?:goodbye|suicide|farewell)\s+(?:note|letter|message|video)s?\b"),
    rule("suicide", "goodbye", r"\b(?:saying|said|says|say|text\w*|message\w*|note)\s+(?:\w+\s+){0,2}?goodbye\b", near=_FAREWELL),
    rule("suicide", "written wrote writing left leaving", r"\b(?:written|wrote|writing|left|leaving)\s+(?:\w+\s+)?(?:letters?|notes?)\s+"
                                                          r"(?:to|for)\s+(?:my|the|his|her|our)\s+(?:kids|children|family|husband|wife|"
                                                          r"partner|mum|dad|boys|girls|son|daughter|parents)\b",
         near=_FAREWELL + r"|\bgoodbye\b"),
    rule("suicide", "goodbye", r"\b(?:said|saying|say)\s+goodbye\s+to\s+(?:my|the|our)\s+(?:kids|children|family|boys|girls|husband|"
                               r"wife|partner|mum|dad|parents)\b",
         near=_FAREWELL + r"|\btonight\b|\blast\b|\bsorry\b"),
    rule("suicide", "can", r"\b(?:cant|can\s+not|cannot)\s+cope\s+any\s?more\b",
         near=r"\bwant\s+(?:it|everything|this)\s+(?:all\s+)?(?:to\s+)?(?:be\s+)?(?:over|end|stop)\b"),
    rule("suicide", "planning", r"\bplanning\s+(?:how|when|where)\s+(?:i|to|he|she)\s+(?:would\s+|will\s+|could\s+|might\s+)?"
                                r"(?:do\s+it|end\s+it|kill|die|go)\b"),
    rule("suicide", "sleep", r"\b(?:sleep|go\s+to\s+sleep)\s+and\s+(?:never|not)\s+wake\s+up\b"),
    rule("suicide", "worth", r"\b(?:life|living)\s+(?:is\s+)?(?:not|isnt|aint)\s+worth\b"),
    rule("suicide", "want", r"\bwant(?:s|ed)?\s+(?:it\s+all|everything|(?:my|his|her)\s+life|it)\s+to\s+(?:end|stop|be\s+over)\b",
         near=r"\b(?:life|living|alive|die|dead|worth|point|any\s?more|myself|himself|herself)\b"),
    rule("suicide", "thought thinking", r"\bthoughts?\s+(?:about|of)\s+(?:dying|death|ending\s+it|killing|hurting\s+(?:my|him|her)"
                                        r"sel\w*)\b|\bthinking\s+(?:about|of)\s+(?:dying|ending\s+it|killing\s+(?:my|him|her)sel\w*)\b"),
    rule("suicide", "wont", r"\bwont\s+be\s+(?:around|here)\s+(?:much\s+)?(?:longer|for\s+long)\b"),
    # The means at hand: tablets lined up, saved up, counted out.
    rule("suicide", MEDS_ANCHORS, rf"\b(?:thinking\s+(?:of|about)|going\s+to|gonna|want\s+to|about\s+to|tempted\s+to)\s+(?:take|"
                                  rf"taking|swallow|swallowing)\s+(?:all|a\s+lot|loads|lots|the\s+whole|every|too\s+many)\s+(?:of\s+)?"
                                  rf"(?:\w+\s+)?{MEDS}\b"),
    rule("suicide", MEDS_ANCHORS, rf"\b{MEDS}\s+(?:\w+\s+){{0,2}}?(?:in\s+front\s+of\s+(?:me|him|her)|lined\s+up|counted\s+out|"
                                  rf"laid\s+out|ready|saved\s+up|stockpiled|hidden|stashed|hoarded)\b|\b(?:saving|stockpiling|"
                                  rf"hoarding|hiding|got|have|lined|laid|counted)\s+(?:up\s+)?(?:all\s+)?(?:his|her|their|my|the)?\s?"
                                  rf"{MEDS}\s+(?:out|up)\b"),
    rule("self_harm", "self sel", r"\bsel?f\s*-?\s*har\w*",
         not_after=r"\s(?:policy|policies|training|awareness|team|service|services|leaflet|risk\s+assessment|protocol|course)\b"),
    rule("self_harm", SELF_ANCHORS, rf"\b(?:cut|cuts|cutting|burn|burns|burning|burnt|burned|hurt|hurts|hurting|harm|harms|"
                                    rf"harming|harmed|strangl\w*|scratch\w*|bit|bites|biting|punch\w*|starv\w*|poison\w*|injur\w*|"
                                    rf"stab\w*|chok\w*|suffocat\w*)\s+{SELF}",
         not_after=r"\s(?:in|at|during)\s+(?:pe|the\s+playground|football|games|sport|a\s+fall|the\s+park)\b|"
                   r"\s(?:playing|falling|tripping)\b"),
    rule("self_harm", "cut slash carv burn scratch", r"\b(?:cut|cuts|cutting|slash\w*|carv\w*|burn\w*|scratch\w*)\s+(?:his|her|"
                                                     r"their|my)\s+(?:own\s+)?(?:arms?|wrists?|legs?|thighs?|skin|stomach|"
                                                     r"tummy|face|body)\b",
         not_after=r"\s(?:on\s+(?:the|a)\s+(?:oven|stove|iron|fence|glass|kettle)|falling|playing|in\s+pe)\b"),
    rule("self_harm", "bit", r"\b(?:bit|bites|biting)\s+(?:his|her|their|my)\s+(?:own\s+)?(?:arms?|wrists?|hands?|fingers|skin|lips?)\b",
         near=r"\b(?:blood|bleed\w*|bled|wont\s+stop|cant\s+stop)\b"),
    rule("self_harm", "cutting", r"\b(?:started|is|hes|shes|im|am|been|keeps|keep|caught\s+(?:him|her|them)|found\s+(?:him|her|them)|"
                                 r"still|back\s+to)\s+cutting\b|\bcutting\s+(?:again|right\s+now|now|tonight)\b",
         not_after=r"\s(?:\w+\s+)?(?:hair|nails|food|foods|paper|class|classes|lessons?|school|out|back|down|up|corners|ties|"
                   r"contact|the\s+grass|cards|shapes|teeth)\b"),
    rule("self_harm", "fresh cuts slash burns blood", r"\b(?:fresh\s+)?(?:cuts|slashes|burns|blood)\s+(?:on|all\s+over|up)\s+"
                                                      r"(?:his|her|their|my(?:\s+\w+)?)\s+(?:arms?|wrists?|legs?|thighs?|body|stomach)\b"),
    rule("self_harm", "ligature", r"\bligature\b"),
    rule("unsafe", "safe", rf"\bnot\s+safe\s+(?:to\s+be\s+)?(?:around|with)\s+{SELF}|\bnot\s+safe\s+at\s+home\b|"
                           rf"\b(?:he|she|they|son|daughter|child)\s+(?:says\s+(?:he|she|they)\s+|said\s+(?:he|she|they)\s+)?(?:doesnt|dont|"
                           rf"does\s+not|do\s+not|didnt)\s+feel\s+safe\b|\b(?:dont|doesnt|do\s+not|does\s+not|not)\s+"
                           rf"feel\s+safe\s+(?:with|around)\s+{SELF}|\b(?:im|i\s+am)\s+not\s+safe\b|\bi\s+(?:dont|do\s+not)\s+"
                           rf"feel\s+safe\b",
         not_after=r"\s(?:leaving|sending|to\s+drive|driving|about|at\s+(?:the\s+)?school|with\s+(?:him|her|them)\s+at)\b"),
    rule("unsafe", "safe", r"\b(?:cant|can\s+not|cannot|couldnt|unable\s+to|not\s+able\s+to|struggling\s+to|dont\s+think\s+i\s+can)\s+"
                           r"keep\s+(?:myself|him|her|them|us|my\s+\w+|the\s+(?:kids|children))\s+safe\b",
         not_before=_ORG),
    rule("unsafe", "something", rf"\b(?:might|could|will|going\s+to|gonna|about\s+to)\s+do\s+something\s+(?:to|stupid\s+to)\s+{SELF}"),
    rule("unsafe", "hurt harm something", r"\b(?:scared|afraid|worried|frightened|terrified|feel\s+like|think)\s+(?:that\s+)?"
                                          r"(?:i\s+(?:will|might|could|am\s+going\s+to)|ill|im\s+going\s+to|im\s+gonna|"
                                          r"i\s+am\s+going\s+to)\s+(?:hurt|harm|do\s+something\s+to)\s+(?:myself|him|her|them|my|"
                                          r"the\s+(?:baby|kids))\b"),
    rule("unsafe", "scared afraid frightened terrified trust", r"\b(?:scared|afraid|frightened|terrified)\s+of\s+(?:myself|my\s+own\s+"
                                                               r"thoughts|my\s+thoughts|what\s+(?:i\s+(?:might|will|could|would)|"
                                                               r"ill|id)\s+do)\b|\b(?:dont|do\s+not|cant)\s+trust\s+(?:myself|"
                                                               r"what\s+(?:i|ill|id))\b"),
]
