"""Lexical analysis for BM25: lower-case words, accents folded, light English stemming."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:[+#]+|(?:\.[a-z0-9]+)+)?")
STOPWORDS = frozenset(
    """a an and are as at be by for from has have in into is it its of on or that the their
    this to was were will with within without use using used able ability can including
    such e g etc other others""".split()  # noqa: SIM905 - a word list reads best as text
)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents (NFKD, combining marks dropped)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix-stripping stem (plural, -ing, -ed, -ly), enough to match inflections."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement, minimum in (
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ing", "", 6),
        ("ed", "", 5),
        ("ly", "", 6),
        ("es", "e", 5),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= minimum and not word.endswith("ss"):
            base = word[: len(word) - len(suffix)] + replacement
            if (
                suffix in ("ing", "ed")
                and len(base) > 2
                and base[-1] == base[-2]
                and base[-1] not in "lsz"
            ):
                base = base[:-1]  # running -> run, planned -> plan
            return base
    return word


def terms(text: str) -> list[str]:
    """The index terms of ``text``: folded words, stop words dropped, stemmed."""
    return [stem(word) for word in _WORD.findall(fold(text)) if word not in STOPWORDS]
