"""NLU component that puts crisis messages first, whatever the model predicted.

It runs after the intent classifier and the FallbackClassifier. When
`bot.crisis` spots signs that someone is at risk, the intent becomes
`ask_crisis` with full confidence, and the model's own ranking is kept below
it so the answer can also offer the topic the parent asked about.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.crisis import is_crisis

CRISIS_INTENT = "ask_crisis"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(GraphComponent):
    """Override the intent with `ask_crisis` when the text signals risk."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisGuard":
        """Create the component (it has no state and nothing to train)."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Mark each message that signals risk as a crisis."""
        for message in messages:
            if is_crisis(message.get(TEXT)):
                crisis = {"name": CRISIS_INTENT, "confidence": 1.0}
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
                message.set(INTENT, crisis, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [crisis] + ranking, add_to_output=True)
        return messages
