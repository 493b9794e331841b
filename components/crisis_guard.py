"""NLU component that puts crisis messages first, whatever the model predicted.

It runs after the intent classifier and the FallbackClassifier. When
`bot.safety.crisis` spots signs that someone is at risk, the intent becomes
`ask_crisis` with full confidence, and the model's own ranking is kept below
it so the answer can also offer the topic the parent asked about.

The model's own crisis guess (its top intent is `ask_crisis`) does not decide
alone: by default (`trust_model: false`) a guess that no rule backs is demoted
to the next intent if that is confident enough, else to `nlu_fallback`. With
`trust_model: true` it counts at `model_threshold` and, if `require_evidence`,
only with a word of risk in the text (`bot.safety.crisis.risk_evidence`).

Why (bench/crisis.py on all 1,123 held-out texts: 105 crisis, 1,018 not):
the rules alone catch 105/105 with 0 false alarms (after one round of fixes,
by category, to the misses of crisis.yml). Adding the model's guess
caught nothing more and added false crisis answers: 46 at the old bar of 0.3
(4.5%: "does my daughter have adhd", "my husbands visa is running out",
short follow-ups such as "can he appeal it himself"), 19 at 0.8, and still 7
at 0.8 with a word of risk (0.7%, over the 0.5% target). A false alarm is not
free: it replaces the answer a parent asked for and teaches them to skim the
crisis message. The model still learns `ask_crisis` (data/nlu/crisis.yml), and
a phrasing no rule covers belongs in the rules and their development tables.

Each message also gets `crisis_guard` in its parse data: which rule kind
fired (or None) and the model's own crisis confidence, so the trade-off can be
measured (bench/crisis.py). The text itself is never logged or stored here.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety.crisis import crisis_signal, risk_evidence

CRISIS_INTENT = "ask_crisis"
FALLBACK_INTENT = "nlu_fallback"
GUARD_KEY = "crisis_guard"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(GraphComponent):
    """Override the intent with `ask_crisis` when the text signals risk."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Return the default config: rules decide; the model's guess only if trusted, at a threshold, with evidence."""
        return {"trust_model": False, "model_threshold": 0.8, "require_evidence": True, "fallback_threshold": 0.4}

    def __init__(self, config: Dict[str, Any]) -> None:
        self.trust_model = bool(config.get("trust_model", False))
        self.model_threshold = float(config.get("model_threshold", 0.8))
        self.require_evidence = bool(config.get("require_evidence", True))
        # The FallbackClassifier's threshold (config.yml): a demoted guess falls back below it.
        self.fallback_threshold = float(config.get("fallback_threshold", 0.4))

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
            text = message.get(TEXT)
            ranking = message.get(INTENT_RANKING_KEY) or []
            signal = crisis_signal(text)
            model = self._model_confidence(ranking)
            message.set(GUARD_KEY, {"signal": signal, "model_confidence": model}, add_to_output=True)
            others = [r for r in ranking if r.get("name") not in (CRISIS_INTENT, FALLBACK_INTENT)]
            if signal is not None:
                top = {"name": CRISIS_INTENT, "confidence": 1.0}
            elif model and self.model_guess_counts(model, text):
                top = {"name": CRISIS_INTENT, "confidence": model}
            elif (message.get(INTENT) or {}).get("name") == CRISIS_INTENT:
                top = self._demoted(others)
            else:
                continue
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top] + [r for r in others if r is not top], add_to_output=True)
        return messages

    def _demoted(self, others: List[Dict[str, Any]]) -> Dict[str, Any]:
        """Return what a crisis guess the guard does not accept becomes: the next intent, if confident, else fallback."""
        if others and float(others[0].get("confidence") or 0.0) >= self.fallback_threshold:
            return others[0]
        return {"name": FALLBACK_INTENT, "confidence": self.fallback_threshold}

    def model_guess_counts(self, confidence: float, text: Any) -> bool:
        """Return True if the model is trusted and its crisis guess is confident enough, with a word of risk behind it."""
        if not self.trust_model or confidence < self.model_threshold:
            return False
        return not self.require_evidence or risk_evidence(text)

    @staticmethod
    def _model_confidence(ranking: List[Dict[str, Any]]) -> float:
        """Return the model's confidence in a crisis if it is its best guess, else 0."""
        model = [r for r in ranking if r.get("name") != FALLBACK_INTENT]
        if model and model[0].get("name") == CRISIS_INTENT:
            return float(model[0].get("confidence") or 0.0)
        return 0.0
