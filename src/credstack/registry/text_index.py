"""Text normalisation shared by indexing and querying, identical on every engine.

Both engines index text that this module has already reduced to index terms: folded
accents, lower case, letters and digits only, English stop words dropped, Snowball
English stems. The engines then only split on spaces (SQLite FTS5 ``unicode61``,
PostgreSQL's ``simple`` configuration), so a query matches the same records on both.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

MAX_QUERY_TERMS = 16
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("english")

# The Snowball English stop-word list (PostgreSQL's 'english' configuration uses it).
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


def fold(text: str) -> str:
    """Lower case without accents: 'Māori' -> 'maori'."""
    if text.isascii():  # the common case needs no Unicode decomposition
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball English stem of a folded word."""
    return str(_stemmer.stemWord(word))


def words(text: str) -> list[str]:
    """The folded words of ``text`` that are not stop words, in order."""
    return [word for word in _WORD.findall(fold(text)) if word not in STOP_WORDS]


def index_text(text: str) -> str:
    """``text`` as the space-separated index terms stored in the full-text index."""
    return " ".join(map(stem, words(text)))


def query_terms(text: str) -> list[str]:
    """The distinct index terms of a free-text query, in order (at most 16)."""
    found: list[str] = []
    for word in words(text):
        term = stem(word)
        if term not in found:
            found.append(term)
    return found[:MAX_QUERY_TERMS]
