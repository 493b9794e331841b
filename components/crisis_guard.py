"""NLU component that puts crisis messages first, whatever the model predicted.

It runs after the intent classifier and the FallbackClassifier. When
`bot.safety.crisis` spots signs that someone is at risk, the intent becomes
`ask_crisis` with full confidence, and the model's own ranking is kept below
it so the answer can also offer the topic the parent asked about.

Errors here are not symmetric: missing a crisis is far worse than showing
crisis contacts to someone who did not need them. So when the model's own
best guess is `ask_crisis`, a lower bar (`model_threshold`) applies than the
FallbackClassifier's.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety.crisis import is_crisis

CRISIS_INTENT = "ask_crisis"
FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(GraphComponent):
    """Override the intent with `ask_crisis` when the text signals risk."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Return the default config: the model confidence that counts as a crisis."""
        return {"model_threshold": 0.3}

    def __init__(self, config: Dict[str, Any]) -> None:
        self.model_threshold = float(config.get("model_threshold", 0.3))

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisGuard":
        """Create the component (it has no state and nothing to train)."""
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message]) -> List[Message]:
        """Mark each message that signals risk as a crisis."""
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            if is_crisis(message.get(TEXT)):
                crisis = {"name": CRISIS_INTENT, "confidence": 1.0}
            elif self._model_confidence(ranking) >= self.model_threshold:
                crisis = {"name": CRISIS_INTENT, "confidence": self._model_confidence(ranking)}
            else:
                continue
            others = [r for r in ranking if r.get("name") not in (CRISIS_INTENT, FALLBACK_INTENT)]
            message.set(INTENT, crisis, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [crisis] + others, add_to_output=True)
        return messages

    @staticmethod
    def _model_confidence(ranking: List[Dict[str, Any]]) -> float:
        """Return the model's confidence in a crisis if it is its best guess, else 0."""
        model = [r for r in ranking if r.get("name") != FALLBACK_INTENT]
        if model and model[0].get("name") == CRISIS_INTENT:
            return float(model[0].get("confidence") or 0.0)
        return 0.0
