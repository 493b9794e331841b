"""NLU component: rank long, forum-style posts with a classifier that has learnt from them.

A forum-style post tells the story first and asks at the end. The
pipeline's classifier counts words, so a long story (a CAMHS waiting list,
an exclusion) outweighs the question ("can we apply for an EHCP
ourselves?"), and its confidence saturates near 1.0 on long texts. Teaching
it long posts helped them but cost short questions (held-out single
messages 96.9% -> 96.0%). So this component runs after
LogisticRegressionClassifier and before the FallbackClassifier, and for a
message of `min_words` words or more only:

- at training it fits its own classifier (word 1-2-grams and character
  2-5-grams, TF-IDF with sublinear counts, logistic regression) on the
  intent examples plus the long posts of `long_posts` (data/long_posts/, a
  file Rasa does not read, so the pipeline's classifier never sees them);
- it ranks the whole post with that classifier and blends in its ranking of
  the question the post ends on (`bot.conversation.focus.question_part`):
  (1 - `weight`) x the post's + `weight` x the question's. The result replaces
  the pipeline's ranking. Shorter messages are left exactly as they were.

The whole post's other topics stay in the ranking, so the answer can still
offer them as "You also asked about ...". C and the weight were chosen on
the development sets bench/dev/forum_posts*.yml (never the held-out one):
bench/long_posts.py prints the table. Each changed message gets `long_post`
in its parse data: the pipeline's intent and ranking before (intent names
and numbers, never text).

The model is saved with skops, as Rasa saves its own logistic regression, and
loaded only if it holds no types beyond the ones this component writes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.conversation.focus import LONG_POST_WORDS, rank_long_post, read_long_posts
from bot.conversation.requests import is_button

logger = logging.getLogger(__name__)

FOCUS_KEY = "long_post"
FILE_NAME = "long_posts.skops"
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
    """Return the untrained classifier: word and character n-grams (TF-IDF), then logistic regression."""
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
class LongPostClassifier(GraphComponent, IntentClassifier):
    """Rank long posts with a classifier trained on long posts, weighing the question they end on."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Return the default config: the long posts, the question's weight, the length bar, C and the seed."""
        return {"long_posts": "data/long_posts", "weight": 0.2, "min_words": LONG_POST_WORDS, "c": 100.0,
                "random_state": 42}

    def __init__(self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 classifier: Optional[Any] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self.weight = float(self.config["weight"])
        self.min_words = int(self.config["min_words"])
        if not 0.0 <= self.weight <= 1.0:
            raise ValueError(f"LongPostClassifier weight must be between 0 and 1, not {self.weight}")
        self._model_storage = model_storage
        self._resource = resource
        self.classifier = classifier

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LongPostClassifier":
        """Create an untrained component."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the classifier on the intent examples and the long posts, and save it."""
        pairs = [(str(e.get(TEXT)), str(e.get(INTENT))) for e in training_data.intent_examples
                 if e.get(INTENT) and e.get(TEXT)]
        known = {intent for _, intent in pairs}
        posts = read_long_posts(Path(str(self.config["long_posts"])))
        unknown = sorted({intent for _, intent in posts} - known)
        if unknown:
            raise ValueError(f"long posts are labelled with intents the NLU data does not have: {unknown}")
        pairs += posts
        if len(known) < 2:
            logger.debug("LongPostClassifier: fewer than two intents to learn; long posts are left as they are.")
            return self._resource
        classifier = build_classifier(float(self.config["c"]), int(self.config["random_state"]))
        classifier.fit([text for text, _ in pairs], [intent for _, intent in pairs])
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
             execution_context: ExecutionContext, **kwargs: Any) -> "LongPostClassifier":
        """Load the saved classifier; refuse a file that holds types this component never writes."""
        import skops.io as sio

        try:
            with model_storage.read_from(resource) as model_dir:
                path = model_dir / FILE_NAME
                untrusted = set(sio.get_untrusted_types(file=path))
                if untrusted - TRUSTED:
                    raise ValueError(f"LongPostClassifier model holds unexpected types: {sorted(untrusted - TRUSTED)}")
                classifier = sio.load(path, trusted=sorted(untrusted))
        except ValueError as error:
            if "unexpected types" in str(error):
                raise
            logger.debug("LongPostClassifier: no trained classifier in the model; long posts are left as they are.")
            return cls.create(config, model_storage, resource, execution_context)
        return cls(config, model_storage, resource, classifier)

    def process(self, messages: List[Message]) -> List[Message]:
        """Rank long messages with this classifier (the question blended in); leave others untouched."""
        if self.classifier is None:
            return messages
        for message in messages:
            text = str(message.get(TEXT) or "")
            ranking = message.get(INTENT_RANKING_KEY) or []
            if not ranking or is_button(text) or len(text.split()) < self.min_words:
                continue
            ranked = rank_long_post(text, self._ranked, self.weight, self.min_words, keep=RANKING_LENGTH)
            before = [{"name": str(r.get("name")), "confidence": float(r.get("confidence") or 0.0)} for r in ranking]
            new_ranking = [{"name": name, "confidence": confidence} for name, confidence in ranked]
            message.set(FOCUS_KEY, {"was": before[0]["name"], "whole": before}, add_to_output=True)
            message.set(INTENT, new_ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, new_ranking, add_to_output=True)
        return messages

    def _ranked(self, text: str) -> Dict[str, float]:
        probabilities = self.classifier.predict_proba([text])[0]
        return dict(zip((str(name) for name in self.classifier.classes_), (float(p) for p in probabilities)))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leave the training data as it is (later components learn nothing from intents)."""
        return training_data
