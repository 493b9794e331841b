"""NLU component: a form starts only when the parent asks for it, and a follow-up is not small talk.

The classifier reads "the letter was dated 2 November" as `request_letter`
and "what date do I appeal by?" as `ask_deadline`, and the rules then start a
form. This guard runs after the FallbackClassifier and before the crisis
guard (which still wins):

- a tool intent (`request_letter`, `ask_deadline`, `ask_timeline`) stays only
  if the words ask for the tool (bot.conversation.requests) or the message is
  a button's payload; otherwise the message becomes the next intent in the
  ranking if that is confident enough, else `nlu_fallback`, and the
  conversation reads it against its topic (actions/answers.py);
- an explicit letter request ("can you do the letter for me") becomes
  `request_letter` whatever topic the classifier read in it.

A short message that asks a follow-up ("is it compulsory?", "is there a way
to challenge this?", "what if they don't do it by then?") is not small talk or
an escalation command, whatever the classifier guessed: such an intent below
`sure` becomes `nlu_fallback`, so the conversation reads the message against
its live topic (actions/answers.py), or says honestly it does not know.

Each message gets `conversation_guard` in its parse data: the intent it had
and why it changed (never the text).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.conversation.kinds import follow_up_kind
from bot.conversation.requests import TOOL_INTENTS, is_button, short_and_undated, tool_asked

FALLBACK_INTENT = "nlu_fallback"
GUARD_KEY = "conversation_guard"
LETTER_INTENT = "request_letter"
# Intents a short follow-up is often mistaken for; none of them answers a question about a topic.
# (out_of_scope needs no help: its rule already goes to action_answer, which reads it against the topic.)
SMALL_TALK = frozenset({"greet", "goodbye", "thank", "bot_challenge", "affirm", "deny", "cancel_escalation",
                        "check_escalation", "show_topics"})
FOLLOW_UP_WORDS = 15


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ConversationGuard(GraphComponent):
    """Keep a tool intent only when the words ask for the tool; read short follow-ups as questions."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Return the default config: the FallbackClassifier's threshold, and how sure a guess must be to stand."""
        return {"fallback_threshold": 0.4, "sure": 0.9}

    def __init__(self, config: Dict[str, Any]) -> None:
        self.fallback_threshold = float(config.get("fallback_threshold", 0.4))
        self.sure = float(config.get("sure", 0.9))

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ConversationGuard":
        """Create the component (it has no state and nothing to train)."""
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message]) -> List[Message]:
        """Demote tool intents the words do not back; promote explicit letter requests."""
        for message in messages:
            text = str(message.get(TEXT) or "")
            if is_button(text):
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK_INTENT]
            model_top = str(ranking[0].get("name")) if ranking else ""
            model_conf = float(ranking[0].get("confidence") or 0.0) if ranking else 0.0
            asked = tool_asked(model_top, text)
            if asked is None and model_top in ("ask_deadline", "ask_timeline") and model_conf >= self.sure and \
                    short_and_undated(text):
                continue  # "where we're up to with the ehc process": the classifier is sure, and nothing argues
            if asked is not None:
                intent = next(name for name, (tool, _) in TOOL_INTENTS.items() if tool == asked)
                if intent == (message.get(INTENT) or {}).get("name"):
                    continue
                top = next((r for r in ranking if r.get("name") == intent), {"name": intent, "confidence": 0.0})
                top = {"name": intent, "confidence": max(float(top.get("confidence") or 0.0), self.fallback_threshold)}
                reason = "asked"
            elif model_top in TOOL_INTENTS:
                others = [r for r in ranking if r.get("name") not in TOOL_INTENTS]
                confident = others and float(others[0].get("confidence") or 0.0) >= self.fallback_threshold
                top = others[0] if confident else {"name": FALLBACK_INTENT, "confidence": self.fallback_threshold}
                reason = "not_asked"
            elif model_top in SMALL_TALK and model_conf < self.sure and len(text.split()) <= FOLLOW_UP_WORDS \
                    and follow_up_kind(text) is not None:
                top, reason = {"name": FALLBACK_INTENT, "confidence": self.fallback_threshold}, "follow_up"
            else:
                continue
            message.set(GUARD_KEY, {"was": model_top, "why": reason}, add_to_output=True)
            message.set(INTENT, top, add_to_output=True)
            rest = [r for r in ranking if r.get("name") != top.get("name")]
            message.set(INTENT_RANKING_KEY, [top] + rest, add_to_output=True)
        return messages
