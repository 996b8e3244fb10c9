"""BM25 over a fixed set of documents, with an inverted index of numpy postings.

Each document is a competency; its fields are weighted by repeating term frequencies
(preferred label x3, alternative labels x2, description x1), a simple form of BM25F.
Per posting the whole BM25 contribution (idf x saturated tf) is precomputed, so scoring
a query is one vectorised add per query term.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from credstack.align.text import terms

K1 = 1.2
B = 0.75

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]


@dataclass(frozen=True)
class Document:
    """The fields of one indexed document, each a list of texts, with field weights."""

    fields: tuple[tuple[Sequence[str], int], ...]


class BM25Index:
    """An inverted index over documents for BM25 ranking."""

    def __init__(
        self, size: int, term_ids: dict[str, int], docs: list[IntArray], weights: list[FloatArray]
    ) -> None:
        self.size = size
        self.term_ids = term_ids
        self.docs = docs
        self.weights = weights

    @classmethod
    def build(cls, documents: Sequence[Document]) -> BM25Index:
        """Index ``documents`` (document ids are their positions)."""
        counts: list[Counter[str]] = []
        for document in documents:
            counter: Counter[str] = Counter()
            for texts, weight in document.fields:
                for text in texts:
                    for term in terms(text):
                        counter[term] += weight
            counts.append(counter)
        size = len(documents)
        lengths = np.array([sum(counter.values()) for counter in counts], dtype=np.float32)
        average = float(lengths.mean()) if size and lengths.mean() > 0 else 1.0
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for doc_id, counter in enumerate(counts):
            for term, frequency in counter.items():
                docs, freqs = postings.setdefault(term, ([], []))
                docs.append(doc_id)
                freqs.append(frequency)
        term_ids: dict[str, int] = {}
        doc_arrays: list[IntArray] = []
        weight_arrays: list[FloatArray] = []
        for term, (docs, freqs) in postings.items():
            idf = math.log(1.0 + (size - len(docs) + 0.5) / (len(docs) + 0.5))
            doc_array = np.array(docs, dtype=np.int32)
            tf = np.array(freqs, dtype=np.float32)
            norm = K1 * (1.0 - B + B * lengths[doc_array] / average)
            term_ids[term] = len(doc_arrays)
            doc_arrays.append(doc_array)
            weight_arrays.append((idf * tf * (K1 + 1.0) / (tf + norm)).astype(np.float32))
        return cls(size, term_ids, doc_arrays, weight_arrays)

    def to_arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        """The index as flat arrays (for an ``.npz`` cache)."""
        vocabulary = "\n".join(self.term_ids).encode("utf-8")
        lengths = np.array([len(docs) for docs in self.docs], dtype=np.int64)
        empty_i, empty_f = np.zeros(0, np.int32), np.zeros(0, np.float32)
        return {
            "bm25_size": np.array([self.size], dtype=np.int64),
            "bm25_terms": np.frombuffer(vocabulary, dtype=np.uint8),
            "bm25_offsets": np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
            "bm25_docs": np.concatenate(self.docs) if self.docs else empty_i,
            "bm25_weights": np.concatenate(self.weights) if self.weights else empty_f,
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, npt.NDArray[np.generic]]) -> BM25Index:
        """The index stored by :meth:`to_arrays`."""
        text = bytes(arrays["bm25_terms"]).decode("utf-8")
        vocabulary = text.split("\n") if text else []
        offsets = arrays["bm25_offsets"]
        docs = arrays["bm25_docs"].astype(np.int32)
        weights = arrays["bm25_weights"].astype(np.float32)
        return cls(
            int(arrays["bm25_size"][0]),
            {term: position for position, term in enumerate(vocabulary)},
            [docs[offsets[i] : offsets[i + 1]] for i in range(len(vocabulary))],
            [weights[offsets[i] : offsets[i + 1]] for i in range(len(vocabulary))],
        )

    def score(self, query: str) -> FloatArray:
        """BM25 scores of every document for ``query`` (zeros when nothing matches)."""
        scores = np.zeros(self.size, dtype=np.float32)
        for term in set(terms(query)):
            term_id = self.term_ids.get(term)
            if term_id is not None:
                scores[self.docs[term_id]] += self.weights[term_id]
        return scores


def matched_terms(query: str, document_text: str) -> list[str]:
    """The query's index terms that occur in ``document_text``, in query order."""
    present = set(terms(document_text))
    return list(dict.fromkeys(term for term in terms(query) if term in present))
