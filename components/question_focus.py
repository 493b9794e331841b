"""NLU component: read the question at the end of a long post as well as the whole post.

A forum-style post tells the story first and asks at the end. The pipeline's
classifier reads the whole post, so the story (a CAMHS waiting list, an
exclusion) often outweighs the question ("can we apply for an EHCP
ourselves?"). This component runs after LogisticRegressionClassifier and
before the FallbackClassifier:

- at training it fits its own small classifier (word 1-2-grams and character
  2-5-grams, TF-IDF, logistic regression) on the same intent examples; the
  examples are single questions, which is what the question part of a post
  looks like. The pipeline's featurizers cannot be re-run on part of a
  message inside the graph, hence a model of its own;
- for a message of `min_words` words or more it finds the question part
  (`bot.conversation.focus.question_part`), ranks it with that classifier and
  blends the two rankings: (1 - `weight`) x the whole post's + `weight` x the
  question's. Shorter messages are left exactly as they were.

The whole post's other topics stay in the ranking, so the answer can still
offer them as "You also asked about ...". The weight and the bar were tuned
on bench/dev/forum_posts.yml (a development set, not the held-out one):
bench/long_posts.py prints the table. Each changed message gets
`question_focus` in its parse data: the intent and ranking it had before
(intent names and numbers, never text), so the blend can be re-tuned.

The model is saved with skops, as Rasa saves its own logistic regression, and
loaded only if it holds no types beyond the ones this component writes.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.conversation.focus import LONG_POST_WORDS, blend, question_part
from bot.conversation.requests import is_button

logger = logging.getLogger(__name__)

FOCUS_KEY = "question_focus"
FILE_NAME = "question_focus.skops"
RANKING_LENGTH = 10
# What the saved pipeline may contain, beyond skops' default trusted types (checked on load).
TRUSTED = frozenset({
    "sklearn.feature_extraction.text.TfidfVectorizer", "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.pipeline.FeatureUnion", "sklearn.pipeline.Pipeline", "sklearn.linear_model._logistic.LogisticRegression",
    "builtins.dict", "builtins.list", "builtins.str", "builtins.int", "builtins.float", "builtins.tuple",
    "numpy.float64", "numpy.int64", "numpy.dtype", "numpy.ndarray", "scipy.sparse._csr.csr_matrix",
    "scipy.sparse._dia.dia_matrix", "numpy.core.multiarray._reconstruct", "numpy.core.multiarray.scalar",
})


def build_classifier(c: float, random_state: int) -> Any:
    """Return the untrained question classifier: word and character n-grams, then logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion([
        ("words", TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        ("chars", TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                  min_df=2)),
    ])
    return Pipeline([("features", features),
                     ("classifier", LogisticRegression(C=c, max_iter=1000, class_weight="balanced",
                                                       random_state=random_state))])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class QuestionFocus(GraphComponent, IntentClassifier):
    """Blend the ranking of a long post's closing question into the whole post's ranking."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Return the default config: the blend weight, the length bar, the classifier's C and seed."""
        return {"weight": 0.5, "min_words": LONG_POST_WORDS, "c": 10.0, "random_state": 42}

    def __init__(self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 classifier: Optional[Any] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self.weight = float(self.config["weight"])
        self.min_words = int(self.config["min_words"])
        if not 0.0 <= self.weight <= 1.0:
            raise ValueError(f"QuestionFocus weight must be between 0 and 1, not {self.weight}")
        self._model_storage = model_storage
        self._resource = resource
        self.classifier = classifier

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "QuestionFocus":
        """Create an untrained component."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the question classifier on the intent examples and save it."""
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if len({e.get(INTENT) for e in examples}) < 2:
            logger.debug("QuestionFocus: fewer than two intents to learn; long posts are left as they are.")
            return self._resource
        classifier = build_classifier(float(self.config["c"]), int(self.config["random_state"]))
        classifier.fit([str(e.get(TEXT)) for e in examples], [str(e.get(INTENT)) for e in examples])
        self.classifier = classifier
        self.persist()
        return self._resource

    def persist(self) -> None:
        """Save the classifier with skops."""
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as model_dir:
            sio.dump(self.classifier, model_dir / FILE_NAME)

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "QuestionFocus":
        """Load the saved classifier; refuse a file that holds types this component never writes."""
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as model_dir:
                path = model_dir / FILE_NAME
                untrusted = set(sio.get_untrusted_types(file=path))
                if untrusted - TRUSTED:
                    raise ValueError(f"QuestionFocus model holds unexpected types: {sorted(untrusted - TRUSTED)}")
                classifier = sio.load(path, trusted=sorted(untrusted))
        except ValueError as error:
            if "unexpected types" in str(error):
                raise
            logger.debug("QuestionFocus: no trained classifier in the model; long posts are left as they are.")
            return cls.create(config, model_storage, resource, execution_context)
        return cls(config, model_storage, resource, classifier)

    def process(self, messages: List[Message]) -> List[Message]:
        """Blend in the closing question's ranking for long messages; leave others untouched."""
        if self.classifier is None or self.weight == 0.0:
            return messages
        for message in messages:
            text = str(message.get(TEXT) or "")
            ranking = message.get(INTENT_RANKING_KEY) or []
            if not ranking or is_button(text):
                continue
            question = question_part(text, self.min_words)
            if question is None:
                continue
            probabilities = self.classifier.predict_proba([question])[0]
            asked = dict(zip((str(name) for name in self.classifier.classes_), (float(p) for p in probabilities)))
            whole = [(str(r.get("name")), float(r.get("confidence") or 0.0)) for r in ranking]
            blended = blend(whole, asked, self.weight, keep=RANKING_LENGTH)
            new_ranking = [{"name": name, "confidence": confidence} for name, confidence in blended]
            message.set(FOCUS_KEY, {"was": whole[0][0], "whole": [{"name": n, "confidence": c} for n, c in whole]},
                        add_to_output=True)
            message.set(INTENT, new_ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, new_ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leave the training data as it is (later components learn nothing from intents)."""
        return training_data
