"""NLU component: a form starts only when the parent asks for it, never on a passing word.

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

Each message gets `tool_guard` in its parse data: the intent it had and why
it changed (never the text).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.conversation.requests import TOOL_INTENTS, is_button, tool_asked

FALLBACK_INTENT = "nlu_fallback"
GUARD_KEY = "tool_guard"
LETTER_INTENT = "request_letter"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ToolGuard(GraphComponent):
    """Keep a tool intent only when the words ask for the tool."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Return the default config: the FallbackClassifier's threshold, for a demoted intent."""
        return {"fallback_threshold": 0.4}

    def __init__(self, config: Dict[str, Any]) -> None:
        self.fallback_threshold = float(config.get("fallback_threshold", 0.4))

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ToolGuard":
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
            asked = tool_asked(model_top, text)
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
            else:
                continue
            message.set(GUARD_KEY, {"was": model_top, "why": reason}, add_to_output=True)
            message.set(INTENT, top, add_to_output=True)
            rest = [r for r in ranking if r.get("name") != top.get("name")]
            message.set(INTENT_RANKING_KEY, [top] + rest, add_to_output=True)
        return messages
