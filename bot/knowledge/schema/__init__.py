"""One declarative schema mechanism for every YAML file in knowledge/ (core.py explains the design)."""

from bot.knowledge.schema.containers import DictOf, Items, Map, by_key
from bot.knowledge.schema.core import INVALID, Check, KnowledgeBaseError, Report, Spec, Where, kind_of, show
from bot.knowledge.schema.leaves import ID, ID_MEANS, ByType, Date, Enum, Id, Int, Ref, Str, id_spec, placeholders

__all__ = [
    "INVALID", "Check", "DictOf", "Items", "KnowledgeBaseError", "Map", "Report", "Spec", "Where", "by_key", "kind_of",
    "show", "ID", "ID_MEANS", "ByType", "Date", "Enum", "Id", "Int", "Ref", "Str", "id_spec", "placeholders",
]
