"""Crisis patterns for medical emergencies: 999 or NHS 111 must come first.

Covered: not eating or drinking for days (with signs of dehydration), a seizure that will not
stop, swallowed pills or poison, unconscious or not breathing properly, blue lips, serious
injury and heavy bleeding, a head injury with vomiting or drowsiness, a severe allergic
reaction, choking, a bad hypo, a rash that does not fade, and calling an ambulance.

Most of these words also appear in ordinary SEND questions: care plans for epilepsy and
allergies, ARFID and school dinners, "the placement collapsed". So the signs that matter
come in pairs (`near`): refusing food AND days or dehydration; a seizure AND "won't stop",
minutes or turning blue; a head injury AND vomiting. See `crisis_rules.Rule`.
"""

from __future__ import annotations

from typing import List

from bot.safety.crisis_rules import MEDS, MEDS_ANCHORS, Rule, rule

_NUMBER = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|several|few|couple\s+of|many)"
_DAYS = (rf"\b{_NUMBER}\s+(?:whole\s+)?days?\b|\bdays?\s+(?:\d+|two|three|four|five|now)\b|\bday\s+and\s+night\b|"
         r"\b(?:for|in|since|over)\s+(?:\w+\s+)?(?:days|ages|yesterday|last\s+night|the\s+weekend|monday|tuesday|wednesday|"
         r"thursday|friday|saturday|sunday|a\s+week|a\s+whole\s+week)\b|\ball\s+day\b|\b(?:24|36|48|72)\s+hours\b")
_SIGNS = (r"\b(?:weak|weaker|dizzy|faint\w*|collaps\w*|floppy|lethargic|sunken|confused|confusion|sleepy|drowsy|grey|gray|pale|"
          r"clammy|vomit\w*|shaking|shivering|ambulance|hospital|unresponsive)\b|not\s+making\s+sense|no\s+wee|"
          r"\b(?:hasnt|havent|not)\s+(?:had\s+a\s+|done\s+a\s+|passed\s+)?(?:wee|weed|peed|pee|urine)\b|dry\s+nappy|"
          r"\bnapp(?:y|ies)\s+(?:\w+\s+){0,3}?dry\b|cracked\s+lips|lips\s+(?:are\s+)?(?:cracked|dry)|dry\s+(?:lips|mouth)|"
          r"mouth\s+(?:is\s+)?dry|heart\s+(?:is\s+)?(?:racing|pounding)|racing\s+heart|cant\s+(?:stand|get\s+up|walk)|"
          r"barely\s+(?:talking|moving|awake|conscious|responding)|lying\s+there|being\s+sick|been\s+sick|throwing\s+up|threw\s+up|"
          r"not\s+responding|wont\s+wake|passing\s+out|passed\s+out|blacking\s+out|\bae\b")
_STOPS = (r"\b(?:wont|isnt|not|hasnt|doesnt|didnt|cant|can\s+not|still\s+not)\s+(?:\w+\s+)?(?:stop\w*|end\w*|come\s+round|coming\s+round|"
          r"wak\w*|woken|breath\w*|respond\w*)\b|\b(?:over|more\s+than|nearly|almost|about|for|past|last)\s+(?:\d+|five|ten|"
          r"fifteen|twenty)\s+mi?n\w*|\b(?:\d+|five|ten|fifteen|twenty)\s+mi?n\w*\s+(?:now|already|ago|and)\b|\bback\s+to\s+back\b|"
          r"\bone\s+after\s+(?:another|the\s+other)\b|\b(?:\d+|two|three|four|five|several|multiple|lots\s+of)\s+(?:seizures|fits)\s+"
          r"(?:in|since|this|today|tonight)\b|\b(?:blue|purple)\b|\bgoing\s+on\s+(?:for\s+)?(?:ages|too\s+long)\b")
_SEVERE = (r"\b(?:wont|cant|can\s+not|not)\s+(?:wake|swallow|eat|drink)\w*|\bnot\s+waking\b|\bunconscious\b|\bunresponsive\b|"
           r"\b(?:not|isnt)\s+respond\w*|\bfitting\b|\bseiz\w*|\bfit\b|\bconfused\b|not\s+making\s+sense|\bglucagon\b|"
           r"\b(?:really|very)\s+bad\b|\bsevere\b|\bbad\s+hypo|\bpassed\s+out\b|\bcollapsed\b|\bdrowsy\b|\bfloppy\b|\bslurr\w*|"
           r"not\s+coming\s+(?:up|round)|wont\s+(?:come|go)\s+up|keeps?\s+dropping|still\s+low")
_HURT_HEAD = (r"\b(?:vomit\w*|drowsy|sleepy|confused|unconscious|seizure|fitting|bleed\w*|pupils|slurr\w*)\b|being\s+sick|"
              r"been\s+sick|keeps?\s+(?:being\s+)?sick|throwing\s+up|threw\s+up|not\s+making\s+sense|knocked\s+out|wont\s+wake|"
              r"cant\s+wake|\bblood\b|clear\s+fluid|\b(?:cant|cannot|can\s+not|wont)\s+stop\b|\buntil\s+(?:it|he|she)\s+bleeds\b")
_MEAL = (r"\s(?:his|her|their|the|school|lunch|breakfast|dinner|tea|packed|at\s+school|in\s+school|in\s+the\s+(?:canteen|dining|hall)|"
         r"properly|much|well|enough|veg\w*|fruit|meat|hot\s+food|new\s+foods?|in\s+front|from\s+the\s+school)\b")
_CARE_PLAN_ASKER = r"\b(?:can|could|will|would|who|should|trained|train|allowed|refuse\w*|how|to|staff|school|teachers?)\b"

MEDICAL: List[Rule] = [
    # Not eating or drinking: only with days, or with signs of dehydration or collapse.
    rule("medical", "eat ate drink drank drunk food water fluid liquid sip", r"\b(?:not|hasnt|has\s+not|havent|have\s+not|hadnt|wont|will\s+not|isnt|refus\w*|stopped|barely|hardly|cant|"
                    r"can\s+not|cannot|no|without|nothing\s+to)\s+(?:\w+\s+){0,3}?(?:eat|eaten|eating|ate|drink|drinking|drank|drunk|"
                    r"food|water|fluids?|liquids?|drinks?|sips?)\b",
         near=f"{_DAYS}|{_SIGNS}", not_after=_MEAL),
    rule("medical", "keep dehydrat", r"\b(?:cant|can\s+not|cannot|not|unable\s+to)\s+keep\s+(?:anything|any\s+\w+|\w+)\s+down\b|\bdehydrat\w*",
         near=f"{_DAYS}|{_SIGNS}"),
    # Seizures: happening now, or with "won't stop", minutes, one after another, turning blue.
    rule("medical", "having fitting fiting fitin seizing siezing convulsing jerking", r"\b(?:is|hes|shes|are|theyre|still|now|currently|started)\s+(?:having\s+(?:a|another)\s+(?:seizure|fit|convulsion|"
                    r"tonic\s+clonic)|fitting|fiting|fitin|seizing|siezing|convulsing|jerking)\b",
         not_after=r"\s(?:about|over|because|at\s+(?:me|the|him|her))\b"),
    rule("medical", "seiz siez sezi fit convuls status tonic", r"\b(?:seiz\w*|siez\w*|sezi\w*|fits?|fitting|fiting|fitin|convuls\w*|status\s+epilepticus|tonic\s+clonic)\b", near=_STOPS,
         not_after=r"\s(?:in\s+(?:with|well|ok|okay)|into|for\s+purpose|the\s+bill|the\s+criteria|together)\b"),
    # Pills and poison.
    rule("medical", "overdos od", r"\boverdos\w*|\b(?:taken|took|had|done)\s+an?\s+od\b"),
    rule("medical", MEDS_ANCHORS, rf"\b(?:took|taken|swallowed|swal+owd|swallow|ate|eaten|eat|drank|drunk|drink|had|necked|"
                                  rf"downed|done|got\s+into|into)\s+(?:\w+\s+){{0,4}}?(?:all|whole|hole|a\s+load|loads?|lots|a\s+lot|"
                                  rf"handfuls?|packets?|pack|box|boxes|bottle|tub|strips?|blister|too\s+many|several|a\s+bunch|"
                                  rf"\d\d+|[5-9]|five|six|seven|eight|nine|ten|twenty|thirty|dozen)\s+(?:\w+\s+){{0,4}}?{MEDS}\b",
         not_after=r"\s+(?:this\s+morning|today|at\s+school|fine|ok|okay|on\s+time|as\s+prescribed|every|each|a\s+day)\b"),
    rule("medical", "swal", rf"\bswal+ow?(?:ed|d)\s+(?:\w+\s+){{0,3}}?(?:{MEDS}|batter(?:y|ies)|magnets?|bleach|poison|coins?|"
                            rf"liquitabs?|detergent)\b"),
    rule("medical", "bleach detergent washing antifreeze weed cleaning liquitab dishwasher batter magnet poison spirit vape", r"\b(?:ate|eaten|drank|drunk|drink|swallowed|licked|had|taken|took)\s+(?:some\s+|a\s+|the\s+|my\s+|a\s+bit\s+of\s+|"
                    r"a\s+lot\s+of\s+)?(?:bleach|detergent|washing\s+(?:up\s+)?liquid|antifreeze|weed\s*killer|cleaning\s+(?:fluid|product|"
                    r"liquid|spray)|liquitabs?|washing\s+(?:tablets?|pods?|capsules?)|dishwasher\s+tablets?|button\s+batter(?:y|ies)|"
                    r"batter(?:y|ies)|magnets?|rat\s+poison|poison|white\s+spirit|vape\s+liquid)\b"),
    rule("medical", MEDS_ANCHORS, rf"\b(?:took|taken|swallowed|ate|eaten|got\s+into|had|into)\s+(?:some\s+of\s+)?(?:my|mums|dads|"
                                  rf"someones|nans|nanas|grans|grandmas|(?:his|her)\s+(?:mums|dads|nans|brothers|sisters))\s+(?:\w+\s+)?"
                                  rf"{MEDS}\b|\bgot\s+(?:in\s*to|hold\s+of)\s+(?:\w+\s+){{0,2}}?(?:{MEDS}|medicine\s+(?:cupboard|cabinet|box))\b|\bempty\s+"
                                  rf"(?:\w+\s+){{0,2}}?(?:packets?|blisters?|bottles?|boxes|box|tubs?|strips?)\s+(?:of\s+)?"
                                  rf"(?:\w+\s+){{0,3}}?{MEDS}\b|\b{MEDS}\s+(?:\w+\s+){{0,2}}?missing\s+from\s+(?:the|a)\s+(?:strip|packet|"
                                  rf"box|bottle|blister|tub)\b"),
    rule("medical", "vodka gin whisk rum spirits wine alcohol", r"\b(?:drank|drunk|downed|necked)\s+(?:a|half\s+a|the|most\s+of\s+a)\s+(?:whole\s+)?(?:bottle|litre)\s+of\s+"
                    r"(?:vodka|gin|whisky|whiskey|rum|spirits|wine|alcohol)\b"),
    # Breathing, consciousness, colour.
    rule("medical", "breath", r"\b(?:not|isnt|hasnt|wasnt|stopped|stops|struggling\s+to|struggles\s+to|struggling\s+for|cant|can\s+not|cannot|"
                    r"couldnt|unable\s+to|difficulty|trouble|fighting\s+(?:to|for)|gasping\s+(?:for|to)|hard\s+to|wont)\s+(?:\w+\s+)?"
                    r"breath(?:e|es|ing|in)?\b",
         not_after=r"\s(?:space|room|down|a\s+word)\b"),
    rule("medical", "trach airway tube", r"\b(?:trach|tracheostomy|airway|breathing\s+tube)\s+(?:\w+\s+)?(?:is\s+|has\s+)?"
                                         r"(?:blocked|come\s+out|fallen\s+out|pulled\s+out|out)\b|\b(?:i\s+think|think)\s+"
                                         r"(?:the\s+|his\s+|her\s+)?(?:trach|airway)\b"),
    rule("medical", "breath chest gasping", r"\bbreathing\s+(?:is\s+|has\s+gone\s+|sounds\s+|seems\s+|looks\s+)?(?:really\s+|very\s+|so\s+|a\s+bit\s+)?(?:weird|"
                    r"funny|strange|shallow|slow|noisy|fast|rattly|raspy|laboured|labored|wrong|odd|irregular|gurgl\w*)\b|"
                    r"\bchest\s+(?:is\s+)?(?:sucking|pulling)\s+in\b|\bgasping\b(?!\s+at)|\b(?:dont|cant|not\s+sure)\s+(?:think|tell|know)\s+(?:if\s+|"
                    r"whether\s+)?(?:he|she|they)(?:s|\s+is|\s+are)?\s+breathing\b"),
    rule("medical", "unconscious unresponsive knocked passed blacked collapsed wake waking come coming round respond rous", r"\b(?:unconscious|unresponsive|knocked\s+out|passed\s+out|blacked\s+out|collapsed|wont\s+wake|cant\s+wake|"
                    r"can\s+not\s+wake|cannot\s+wake|not\s+waking|wont\s+come\s+round|not\s+coming\s+round|hasnt\s+come\s+round|"
                    r"hard\s+to\s+(?:rouse|wake)|(?:not|isnt|wont|doesnt|hasnt|cant)\s+(?:\w+\s+)?(?:respond(?:ing|ed)?|rous\w*))\b",
         not_before=r"\b(?:school|council|la|kcc|senco|they|team|officer|placement|case|appeal|plan|system|talks|marriage|deal|service|"
                    r"nobody|tribunal|emails?|phone|it|process|website|panel|worker|caseworker|everything|has\s+been|have\s+been)\b",
         not_after=r"(?:\s+up)?\s(?:to\s+(?:my|our|the|any|emails?|calls?|letters?|messages?|texts?)|for\s+(?:school|the\s+bus)|"
                   r"in\s+the\s+morning|in\s+time|early|on\s+time|of\s+(?:the|his|her)|into\s+bed|on\s+the\s+sofa|well|when|"
                   r"to\s+(?:treatment|medication|change|requests?|anything\s+i\s+say))\b"),
    rule("medical", "lip face skin mouth finger tongue blue", r"\b(?:lips?|face|skin|mouth|fingers|fingertips|tongue)\s+(?:\w+\s+){0,2}?(?:blue|grey|gray|purple)\b|"
                    r"\b(?:going|gone|turned|turning|went|goes)\s+(?:\w+\s+)?blue\b|\bblue\s+(?:lips|round|around)\b"),
    # Injury and bleeding.
    rule("medical", "bleed blood deep cut stitches pour gush spurt pump", r"\b(?:wont|will\s+not|cant|can\s+not|cannot|not|isnt|doesnt|couldnt)\s+stop(?:ping)?\s+(?:the\s+)?bleed\w*|"
                    r"\bbleeding\s+(?:heavily|badly|a\s+lot|loads|everywhere|so\s+much|wont\s+stop|through|from\s+(?:his|her|their)\s+"
                    r"(?:head|ear|mouth|neck|wrists?))\b|\b(?:lots|loads|so\s+much|a\s+lot)\s+of\s+blood\b|\bblood\s+(?:everywhere|"
                    r"all\s+over|pouring|pumping|spurting|gushing)\b|\b(?:pouring|gushing|spurting|pumping)\s+(?:with\s+)?blood\b|"
                    r"\bdeep\s+(?:cut|cuts|wound|gash)\b|\bcut\s+(?:his|her|their|my)\s+(?:wrists?|throat|neck)\b|"
                    r"\bcut\s+(?:his|her|their|my)\s+\w+\s+open\b|\bneeds?\s+stitches\b"),
    rule("medical", "jump fell fallen thrown threw", r"\b(?:jumped|fell|fallen|thrown\s+(?:him|her)sel\w*|threw\s+(?:him|her)sel\w*)\s+(?:out\s+of|from|off)\s+(?:a|the|an|"
                    r"his|her|their|our)\s+(?:\w+\s+)?(?:window|roof|balcony|bridge|building|car\s+park)\b"),
    rule("medical", "bone arm leg wrist ankle neck broken", r"\b(?:bone|bones)\s+(?:is\s+|are\s+)?(?:sticking|poking)\s+out\b|\b(?:arm|leg|wrist|ankle|neck)\s+(?:is\s+)?"
                    r"(?:bent|twisted)\s+(?:the\s+)?wrong\s+way\b|\bbroken\s+(?:his|her|their|my)\s+(?:neck|back|skull)\b"),
    rule("medical", "hit knocked run struck ran", r"\b(?:hit|knocked\s+(?:down|over)|run\s+over|struck)\s+by\s+(?:a|the|an)\s+(?:car|van|bus|lorry|truck|train|vehicle|"
                    r"motorbike)\b|\bran\s+(?:out\s+)?(?:in\s*to|in\s+front\s+of)\s+(?:the\s+)?(?:road|traffic|a\s+car|the\s+car|"
                    r"a\s+train|the\s+train)\b"),
    rule("medical", "fell fel fall", r"\b(?:fell|fel|fallen|fall|falls)\s+(?:down|off|from|out\s+of)\s+(?:the|a|his|her|"
                                     r"their|my)\s+(?:\w+\s+)?(?:stairs|window|roof|bunk\s+bed|balcony|wall|tree|trampoline|chair|"
                                     r"climbing\s+frame|bed|horse|bike)\b",
         near=_HURT_HEAD + r"|cant\s+(?:see|move|feel)|wont\s+move|not\s+moving|bent|broken|sticking\s+out"),
    rule("medical", "head", r"\b(?:hit\w*|bang\w*|bumped|bashed|bashing|smacked|smashing|cracked|knocked|fell\s+on|"
                    r"landed\s+on|injured|hurt)\s+(?:his|her|their|my)\s+head\b|\bhead\s*(?:injury|injuries|wound|butt\w*)\b|"
                    r"\bheadbutt\w*",
         near=_HURT_HEAD),
    rule("medical", "badly severely seriously burnt burned scalded skin serious", r"\b(?:badly|severely|seriously|really\s+badly)\s+(?:burnt|burned|scalded|injured)\b|\b(?:burnt|burned|scalded)\s+"
                    r"(?:\w+\s+){0,4}?(?:badly|severely|blister\w*|skin\s+(?:is\s+)?(?:peeling|coming\s+off|falling\s+off))\b|"
                    r"\bskin\s+(?:is\s+)?(?:peeling|coming|falling)\s+off\b|\bserious\s+(?:injury|injuries|accident)\b"),
    # Allergy, choking, hypo, meningitis, ambulance.
    rule("medical", "anaphyla", r"\b(?:having|gone\s+into|going\s+into|in|into)\s+(?:an\s+)?anaphyla\w*|\banaphylactic\s+(?:shock|reaction)\b"),
    rule("medical", "throat wheez hoarse", r"\bthroat\s+(?:feels|is|felt|going)\s+(?:\w+\s+)?(?:funny|weird|strange|tight|"
                                           r"closing|swollen|itchy|scratchy)\b|\bwheez\w*|\bhoarse\b",
         near=r"\b(?:allerg\w*|reaction|nuts?|peanuts?|sesame|epi\s*pen\w*|piriton|antihistamine|hives|blotch\w*|swell\w*|"
              r"swollen|rash)\b"),
    rule("medical", "asthma inhaler", r"\basthma\s+attack\b|\binhalers?\s+(?:isnt|is\s+not|not|wont|doesnt|didnt|hasnt)\s+"
                                      r"(?:\w+\s+)?(?:working|work|helping|help|touching)\b",
         near=r"\binhaler\w*|\bbreath\w*|\bblue\b|\bwheez\w*|barely\s+(?:talk|speak)|cant\s+(?:talk|speak)|struggling|\bchest\b"),
    rule("medical", "allergic", r"\ballergic\s+reaction\b",
         near=r"\b(?:swell\w*|swollen|throat|tongue|breath\w*|epi\s*pen\w*|wheez\w*|hives|blotch\w*|lips|collaps\w*)\b"),
    rule("medical", "lip tongue throat face mouth", r"\b(?:lips?|tongue|throat|face|mouth)\s+(?:is\s+|are\s+|has\s+|have\s+|keeps?\s+)?(?:started\s+)?(?:swelling|swollen|"
                    r"swelled|closing|blowing\s+up|puffing\s+up)\b|\bthroat\s+(?:is\s+|feels\s+)?(?:closing|tight\w*)\b|"
                    r"\b(?:tongue|lips?)\s+and\s+(?:tongue|lips?|face|throat)\s+(?:are\s+|is\s+)?(?:swelling|swollen)\b"),
    rule("medical", "epi", r"\b(?:used|gave|given|give|giving|administered|jabbed|injected)\s+(?:him\s+|her\s+|them\s+)?(?:his\s+|her\s+|their\s+|"
                    r"the\s+|an\s+|my\s+)?epi\s*pens?\b|\bepi\s*pens?\s+(?:didnt|hasnt|has\s+not|isnt|not)\s+(?:work\w*|help\w*)\b",
         not_before=_CARE_PLAN_ASKER),
    rule("medical", "chok", r"\b(?:is|hes|shes|are|theyre|been|started|now)\s+chok(?:ing|in)\b|\bchok(?:ing|ed)\s+on\s+\w+",
         not_after=r"\s(?:all\s+)?(?:this|these|that|the|my)\s+(?:paperwork|forms?|admin|jargon|bureaucracy|words?|tears|emails?)\b|"
                   r"\s(?:risk|hazard|up|back)\b"),
    rule("medical", "stuck lodged", r"\b(?:stuck|lodged)\s+in\s+(?:his|her|their|my|the)\s+(?:throat|windpipe|airway)\b"),
    rule("medical", "hypo sugar glucose bm", r"\bhypo(?:s|glycaemi\w*|glycemi\w*)?\b|\b(?:blood\s+)?(?:sugars?|glucose|bms?)(?:\s+(?:is|are|of|at|reading|just|only|"
                    r"down|to|dropped|has|now|was|level|levels)){0,4}\s+[0-3]\b",
         near=_SEVERE),
    rule("medical", "rash blanch glass meningitis sepsis", r"\brash\s+(?:that\s+)?(?:doesnt|does\s+not|wont|didnt|dont|isnt|not)\s+(?:fade|go|disappear|blanch)\w*|"
                    r"\bnon\s+blanching\b|\bglass\s+test\b|\b(?:think|might|could|worried)\s+(?:\w+\s+){0,3}?(?:has|have|got)\s+"
                    r"(?:meningitis|sepsis)\b"),
    rule("medical", "call ring phone calling ringing called rang phoned dial ambulance waiting rush blue taking took way writing sat sitting here", r"\b(?:call|ring|phone|calling|ringing|called|rang|phoned|dial|dialled|dialed)\s+(?:for\s+)?(?:an\s+|the\s+)?"
                    r"(?:ambulance|999|paramedics?)\b|\bambulance\s+(?:is\s+)?(?:on\s+(?:its|the)\s+way|coming|here)\b|"
                    r"\bwaiting\s+for\s+(?:an\s+|the\s+)?(?:ambulance|paramedics)\b|\b(?:in|from)\s+(?:an\s+|the\s+)?ambulance\b|"
                    r"\b(?:rushed|rushing|blue\s+lighted|taking\s+(?:him|her|them)|took\s+(?:him|her|them)|on\s+(?:our|the)\s+way|"
                    r"writing\s+(?:this\s+)?from|sat\s+in|sitting\s+in|here\s+in)\s+(?:to\s+|in\s+|at\s+)?(?:ae|resus)\b",
         not_before=r"\b(?:school|staff|teachers?|they|nursery|college|policy|plan|would|will|trained|allowed|refuse\w*)\b"),
]
