"""BERT's uncased WordPiece tokenizer (basic split, then greedy longest-match pieces).

Matches the tokenizer all-MiniLM-L6-v2 was trained with (``do_lower_case``, accents
stripped, punctuation split, Chinese characters isolated), so that static token vectors
distilled from the model line up with the tokens seen here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_WORD_CHARS = 100


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0xF900 <= code <= 0xFAFF
    )


# In ASCII, every printable character that is not a letter or digit is punctuation to
# BERT, so a regular expression gives the same split as the general path, much faster.
_ASCII_SPLIT = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")


def basic_words(text: str) -> list[str]:
    """Lower-cased, accent-stripped words with punctuation split off (BERT's basic step)."""
    if text.isascii():
        return [word for word in _ASCII_SPLIT.findall(text.lower()) if word.isprintable()]
    cleaned = []
    for char in unicodedata.normalize("NFD", text.lower()):
        code = ord(char)
        if code == 0 or code == 0xFFFD or unicodedata.category(char) in ("Cc", "Cf"):
            if char in "\t\n\r":
                cleaned.append(" ")
            continue
        if unicodedata.category(char) == "Mn":
            continue
        if _is_cjk(code) or _is_punctuation(char):
            cleaned.append(f" {char} ")
        elif char.isspace():
            cleaned.append(" ")
        else:
            cleaned.append(char)
    return "".join(cleaned).split()


class WordPiece:
    """Greedy longest-match-first WordPiece over a fixed vocabulary."""

    def __init__(self, vocab: list[str], unknown: str = "[UNK]") -> None:
        self.ids = {token: index for index, token in enumerate(vocab)}
        self.unknown_id = self.ids.get(unknown, -1)
        self.pieces = lru_cache(maxsize=100_000)(self._pieces)

    def _pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > MAX_WORD_CHARS:
            return (self.unknown_id,)
        found: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            piece_id = -1
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                piece_id = self.ids.get(piece, -1)
                if piece_id >= 0:
                    break
                end -= 1
            if piece_id < 0:
                return (self.unknown_id,)
            found.append(piece_id)
            start = end
        return tuple(found)

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text`` (unknown words become the [UNK] id, -1 if absent)."""
        ids: list[int] = []
        for word in basic_words(text):
            ids.extend(self.pieces(word))
        return ids
