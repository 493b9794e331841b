"""Crisis rules for a missing child and for violence or abuse happening now.

A child who is missing is often autistic, non-verbal or without a sense of danger, so
"walked out", "didn't get off the bus" or "climbed out of the window" count when the
message also shows that nobody knows where they are. Violence counts when it is to a
person and now; harm to "his education" or "her chances" does not, and neither does a
child hitting out in a meltdown (a SEND question about support). See `crisis_rules.Rule`.
"""

from __future__ import annotations

from typing import List

from bot.safety.crisis_rules import KID, Rule, rule

PERSON = rf"(?:{KID}|he|she|they|grandson|granddaughter)"
# "he is missing lessons" is about school, not a missing child.
_NOT_AN_OBJECT = (r"\s+(?:lesson|lessons|school|class|classes|out|education|days|weeks|work|homework|his|her|the|a|an|"
                  r"some|lots|so|from\s+class|from\s+lessons|me|us|them|you|him|friends|mum|dad|home|it|that|this)\b")
_LOST_TRAIL = (r"\b(?:cant|can\s+not|cannot|couldnt)\s+find\b|\b(?:nobody|no\s+one|noone)\s+(?:knows|can\s+find|has\s+seen)|"
               r"\bpolice\b|no\s+sense\s+of\s+danger|\bhours?\s+ago\b|\bnot\s+(?:back|answering|picking)|"
               r"\bphone\s+(?:is\s+|goes\s+|went\s+)?(?:straight\s+)?(?:off|dead|to\s+voicemail)|\bvoicemail\b|\bsearching\b|"
               r"looking\s+everywhere|no\s+idea\s+where|dont\s+know\s+where|never\s+been\s+anywhere|\bgone\s+\d+\s*(?:pm|am)?\b|"
               r"\b(?:bed|room)\s+(?:is\s+|was\s+)?empty\b|\bin\s+the\s+dark\b|middle\s+of\s+the\s+night")
# "hurting her chances", "hit his confidence": harm to something other than the body.
_NOT_BODILY = (r"\s(?:\w+\s+)?(?:feelings|chances|education|confidence|self\s+esteem|progress|prospects|case|learning|"
               r"application|grades|future|attendance|reputation)\b|\s+back\b")
_HARM_NOW = (r"\b(?:tonight|now|just|earlier|today|scared|terrified|hiding|police|help|bleeding|blood|kids|children|baby|"
             r"threaten\w*|drunk)\b")
_VIOLENT = r"\b(?:drunk|violent|kill|hit|beat\w*|hurt|screaming|threat\w*|police|smash\w*|broken|broke|attack\w*|knife)\b"
_MELTDOWN = (r"\b(?:meltdowns?|melt\s+downs?|overwhelmed|dysregulated|sensory\s+overload|when\s+(?:he|she|they)\s+(?:gets|is|are)\s+"
             r"(?:angry|upset|frustrated|overwhelmed))\b")

MISSING: List[Rule] = [
    rule("missing", "missing away", rf"\b{PERSON}\s+(?:is|has\s+gone|has\s+been|went|gone|has\s+run|has\s+ran|ran|run)\s+"
                                    rf"(?:missing|away)\b(?!{_NOT_AN_OBJECT})"),
    rule("missing", "away", r"\b(?:ran|run|running)\s+away\s+from\s+home\b"),
    rule("missing", "find", rf"\b(?:cant|can\s+not|cannot|couldnt)\s+find\s+(?:him|her|them|(?:my|our)\s+(?:\w+\s+){{0,2}}?"
                            rf"(?:{KID}|kids|children|husband|wife|partner|mum|dad|grandson|granddaughter|\d+\s+year\s+old))\b",
         not_after=r"\s(?:a\s+(?:school|place|placement)|any\s+\w+|an?\s+\w+\s+(?:place|school)|the\s+(?:support|help|right))\b"),
    rule("missing", "home", r"\b(?:hasnt|has\s+not|havent|have\s+not|didnt|did\s+not|not)\s+(?:come|came|been|got|gotten|arrived)\s+"
                            r"(?:back\s+)?home\b",
         not_after=r"\s(?:for\s+(?:the|a)|from\s+(?:hospital|respite|residential)\s+yet)\b"),
    rule("missing", "lost missing reported", rf"\b(?:lost|missing)\s+(?:my|our)\s+{KID}\b(?!\s+(?:\w+\s+)?(?:equipment|"
                                             rf"coat|bag|shoes|plan|place|report|letter|form|uniform|glasses|aids?|stuff))|\bmissing\s+(?:child|person|since)\b|"
                                             r"\breported\s+(?:him|her|them|my\s+\w+)\s+missing\b"),
    rule("missing", "where", r"\b(?:nobody|no\s+one|noone)\s+knows\s+where\s+(?:he|she|they|my|our)\b|"
                             r"\b(?:dont|do\s+not|no\s+idea)\s+(?:know\s+)?where\s+(?:he|she|they)\s+(?:is|are|has\s+gone|"
                             r"have\s+gone|went)\b",
         not_after=r"\s(?:in|on|with|up\s+to)\b"),
    rule("missing", "police helicopter", r"\b(?:police|helicopter)\s+(?:are|is|have|has)\s+(?:\w+\s+)?(?:looking|searching|"
                                         r"out\s+looking)\b"),
    rule("missing", "disappear vanish awol", rf"\b(?:he|she|they|{KID})\s+(?:has\s+|have\s+|had\s+|just\s+)?(?:disappeared|"
                                             r"vanished|gone\s+awol)\b",
         not_after=r"\s(?:in\s*to|to)\s+(?:his|her|their|the)\s+(?:room|bedroom|shell|games?)\b"),
    rule("missing", "wander walk run ran gone went bolt escape slip got left climb snuck sneak crept didnt did never",
         r"\b(?:wandered|walked|run|ran|gone|went|bolted|escaped|slipped|got|climbed|snuck|sneaked|crept)\s+(?:off|out|away)\b|"
         r"\b(?:left|walked\s+out\s+of|ran\s+out\s+of|got\s+out\s+of)\s+(?:the\s+)?(?:house|home|school|flat)\b|"
         r"\b(?:didnt|did\s+not|never)\s+(?:get\s+off|got\s+off|come\s+off|came\s+off|arrive|arrived|turn\s+up|turned\s+up|show\s+up|"
         r"showed\s+up|make\s+it\s+home|made\s+it\s+home)\b",
         near=_LOST_TRAIL),
    rule("missing", "bed", r"\bbed\s+(?:is\s+|was\s+)?empty\b"),
]

VIOLENCE: List[Rule] = [
    rule("violence", "hit beat punch kick chok abus molest touch hurt",
         r"\b(?:hits|hit|beats|beat|beating|hitting|punches|punched|kicks|kicked|chokes|choked|abuses|abused|abusing|molest\w*|"
         r"touching|touched|hurts|hurting|hurt)\s+(?:him|her|them|my\s+(?:son|daughter|child|kids|children|boy|girl))\b",
         not_after=_NOT_BODILY),
    rule("violence", "husband wife partner boyfriend girlfriend ex stepdad stepfather dad father mum mother",
         r"\b(?:husband|wife|partner|boyfriend|girlfriend|ex|stepdad|stepfather|dad|father|mum|mother)\s+(?:\w+\s+)?(?:hits|beats|"
         r"hurts|punches|kicks|chokes|strangles|attacks|abuses|has\s+hit|has\s+beaten|has\s+hurt|hit|beat|punched|kicked|choked|"
         r"attacked|gets\s+violent|is\s+violent|becomes\s+violent)\b",
         not_after=_NOT_BODILY),
    rule("violence", "scared afraid frightened terrified", r"\b(?:scared|afraid|frightened|terrified)\s+(?:of|for)\s+(?:my|her|his|our)\s+"
                                                           r"(?:husband|wife|partner|boyfriend|girlfriend|ex|stepdad|stepfather)\b|"
                                                           r"\b(?:scared|afraid|frightened|terrified)\s+for\s+(?:his|her|their|my)\s+"
                                                           r"(?:sister|brother|siblings)\b"),
    rule("violence", "exploit county drugs", r"\bexploit\w*\s+(?:him|her|them|my)\b|\bcounty\s+lines\b|\b(?:making|forcing|made|"
                                             r"forced|got)\s+(?:him|her|them)\s+(?:to\s+)?(?:carry|sell|deal|hold|move)\s+drugs\b"),
    rule("violence", "shut pinned held dragged grabbed yanked shoved pushed came come",
         r"\bshut\s+(?:him|her|them|my\s+\w+)\s+in\b|\b(?:pinned|held|holding)\s+(?:him|her|them|my\s+\w+)\s+down\b|"
         r"\b(?:dragged|grabbed|yanked|shoved|pushed)\s+(?:him|her|them|my\s+\w+)\s+(?:by|across|along|down|into|against|"
         r"to\s+the\s+floor)\b|\b(?:came|come|comes|coming)\s+(?:back\s+)?home\s+(?:from\s+\w+\s+)?with\s+(?:\w+\s+){0,2}?"
         r"(?:bruises|bruising|marks|scratches|welts|burns|injuries)\b"),
    rule("violence", "being", r"\bbeing\s+(?:abused|hurt|hit|beaten|groomed|assaulted|attacked|threatened)\b"),
    rule("violence", "sexual physical emotional domestic", r"\b(?:sexual(?:ly)?|physical(?:ly)?|emotional(?:ly)?)\s+(?:abuse|abused|"
                                                           r"assault\w*)\b|\bdomestic\s+(?:abuse|violence)\b"),
    rule("violence", "threat", r"\bthreaten\w*\s+to\s+(?:kill|hurt|stab)\b"),
    rule("violence", "kill", r"\b(?:going\s+to|gonna|says?\s+(?:he|she)(?:ll|\s+will|s\s+going\s+to)|will)\s+kill\s+(?:me|us|you|her|"
                             r"him|them|the\s+(?:kids|children|baby)|my\s+\w+|everyone|all)\b",
         not_after=r"\s+(?:when|if|for|once)\b"),
    rule("violence", "afraid scared frightened terrified fear", r"\b(?:afraid|scared|frightened|terrified|fear)\s+for\s+(?:my|his|her|"
                                                                r"their|our)\s+(?:\w+\s+)?(?:life|lives|safety)\b"),
    rule("violence", "danger unsafe", r"\b(?:is|are|am|feel|feels)\s+(?:in\s+danger|unsafe)\b|\bunsafe\s+at\s+home\b"),
    rule("violence", "someone", r"\bsomeone\s+is\s+(?:hurting|harming|abusing)\b"),
    rule("violence", "stab", r"\bstab(?:bed|bing)?\s+(?:him|her|me|them|my)\b"),
    rule("violence", "knife knives blade gun weapon hammer machete",
         r"\b(?:has|got|holding|waving|pulled|pulling|grabbed|picked\s+up|with)\s+(?:a\s+|the\s+)?(?:knife|knives|blade|gun|weapon|"
         r"hammer|machete)\b",
         not_before=r"\b(?:caught|found|excluded|suspended|was|for|taking|took|brought|bringing)\b"),
    rule("violence", "attack hit beat strangl chok punch kick hurt threat stab batter",
         r"\b(?:is|are|hes|shes|theyre)\s+(?:attacking|hitting|beating|strangling|choking|punching|kicking|hurting|threatening|"
         r"stabbing|battering)\s+(?:me|us|him|her|them|my|the\s+(?:kids|children|baby))\b",
         not_after=_NOT_BODILY, unless=_MELTDOWN),
    rule("violence", "beat punch kick attack assault rape hurt strangl chok slap",
         r"\b(?:beaten|beat|punched|kicked|attacked|assaulted|raped|hurt|strangled|choked|slapped)\s+me\b",
         near=_HARM_NOW, unless=_MELTDOWN),
    rule("violence", "strangl throttl suffocat", r"\b(?:strangl\w*|throttl\w*|suffocat\w*)\s+(?:me|him|her|them|my|the\s+(?:baby|kids))\b"),
    rule("violence", "had grabbed got held holding pinned hand arm",
         r"\b(?:had|grabbed|got|held|holding|pinned)\s+me\s+(?:by|round|around)\s+(?:the|my)\s+(?:neck|throat)\b|"
         r"\b(?:hands?|arms?)\s+(?:round|around)\s+my\s+(?:neck|throat)\b"),
    rule("violence", "drive crash drove driving", r"\b(?:drive|crash|drove|driving)\s+(?:us|them|the\s+(?:car|kids|children)|"
                                                  r"all\s+of\s+us|himself|herself)\s+(?:all\s+)?(?:into|off)\b"),
    rule("violence", "hiding hid", r"\b(?:hiding|hid)\s+(?:from|at|in|under|upstairs)\b", near=_VIOLENT, unless=_MELTDOWN),
    rule("violence", "locked", r"\blocked\s+(?:myself|ourselves|us|me)\s+in\b"),
    rule("violence", "lock", r"\block(?:s|ed|ing)?\s+(?:him|her|them|my\s+\w+)\s+in\s+(?:a|the|his|her)\s+(?:\w+\s+)?(?:room|cupboard|"
                             r"cell|toilet|office|shed|cage)\b"),
    rule("violence", "marks bruis scratches welts burns", r"\b(?:marks|bruises|bruising|scratches|welts|burns)\s+(?:on|all\s+over|up)\s+"
                                                          r"(?:his|her|their)\s+(?:arms?|legs?|body|face|neck|back|wrists?|chest|"
                                                          r"throat)\b"),
]
