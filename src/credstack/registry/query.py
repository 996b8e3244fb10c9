"""Search requests as data, and turning free text into index terms (pure functions).

Both engines get the same terms: lower-cased word tokens without English stop words
(PostgreSQL's 'english' configuration drops them; SQLite FTS5 would not), all required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from credstack.domain.vocabulary import LifecycleStatus

MAX_TERMS = 16
_TOKEN = re.compile(r"\w+", re.UNICODE)

# The Snowball English stop-word list that PostgreSQL's 'english' configuration uses.
STOP_WORDS = frozenset(
    [
        "i",
        "me",
        "my",
        "myself",
        "we",
        "our",
        "ours",
        "ourselves",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "he",
        "him",
        "his",
        "himself",
        "she",
        "her",
        "hers",
        "herself",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "theirs",
        "themselves",
        "what",
        "which",
        "who",
        "whom",
        "this",
        "that",
        "these",
        "those",
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "doing",
        "a",
        "an",
        "the",
        "and",
        "but",
        "if",
        "or",
        "because",
        "as",
        "until",
        "while",
        "of",
        "at",
        "by",
        "for",
        "with",
        "about",
        "against",
        "between",
        "into",
        "through",
        "during",
        "before",
        "after",
        "above",
        "below",
        "to",
        "from",
        "up",
        "down",
        "in",
        "out",
        "on",
        "off",
        "over",
        "under",
        "again",
        "further",
        "then",
        "once",
        "here",
        "there",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
        "nor",
        "not",
        "only",
        "own",
        "same",
        "so",
        "than",
        "too",
        "very",
        "s",
        "t",
        "can",
        "will",
        "just",
        "don",
        "should",
        "now",
    ]
)


def terms(text: str) -> list[str]:
    """The index terms of a free-text query, in order, without duplicates."""
    seen: list[str] = []
    for token in _TOKEN.findall(text.lower()):
        token = token.strip("_")
        if token and token not in STOP_WORDS and token not in seen:
            seen.append(token)
    return seen[:MAX_TERMS]


class SortOrder(StrEnum):
    """How results are ordered."""

    RELEVANCE = "relevance"
    TITLE = "title"
    HOURS = "hours"
    PRICE = "price"
    NEWEST = "newest"


@dataclass(frozen=True)
class SearchRequest:
    """A search: free text, facet filters, ranges, lifecycle status, order and page."""

    text: str = ""
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    statuses: tuple[LifecycleStatus, ...] = (LifecycleStatus.PUBLISHED,)
    hours_min: float | None = None
    hours_max: float | None = None
    price_min: float | None = None
    price_max: float | None = None
    ects_min: float | None = None
    ects_max: float | None = None
    sort: SortOrder = SortOrder.RELEVANCE
    limit: int = 20
    offset: int = 0
    with_facets: bool = True
