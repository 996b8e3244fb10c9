"""Ranking competencies for a statement: BM25 and embedding similarity, fused.

Semantic similarity is field-wise: ``cos = s * cos(statement, labels) + (1 - s) *
cos(statement, description)`` for a competency with a description, the label cosine
alone for one without. Fusion: BM25 scores are divided by the best BM25 score of the
query (so 1.0 is the best lexical match), then mixed with the semantic similarity:
``score = w * bm25 + (1 - w) * cos``. Both weights were chosen on ESCO texts disjoint
from the benchmark's measurement queries (bucket 1 of ``bench/align.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from credstack.align.bm25 import matched_terms
from credstack.align.index import CompetencyIndex, competency_text
from credstack.errors import InvalidInput, Problem
from credstack.taxonomy.model import Competency

# Chosen on bucket 1 of bench/align.py with the shipped model: a label share of 0.6 beat
# 0.5 and 0.7; with the trained model any lexical weight above 0 costs a little there
# (0.02: same recall@5, MRR -0.006; 0.1: recall@5 -0.01), so BM25 keeps a small weight:
# enough to order near-ties by shared words, which the explanations show.
LEXICAL_WEIGHT = 0.02
LABEL_SHARE = 0.6
BATCH = 256


@dataclass(frozen=True)
class Suggestion:
    """One suggested competency for a statement, with why it was suggested."""

    competency: Competency
    score: float
    lexical: float
    semantic: float
    matched_terms: tuple[str, ...]
    nearest_label: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields (the shape of ``align --json``)."""
        return {
            "uri": self.competency.uri,
            "label": self.competency.preferred_label,
            "code": self.competency.code,
            "type": self.competency.type.value if self.competency.type else None,
            "score": round(self.score, 4),
            "lexical": round(self.lexical, 4),
            "semantic": round(self.semantic, 4),
            "matched_terms": list(self.matched_terms),
            "nearest_label": self.nearest_label,
        }


def semantic_scores(
    index: CompetencyIndex, queries: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """Field-wise cosine of embedded statements with every competency (one row each)."""
    labels = queries @ index.vectors.T
    descriptions = queries @ index.description_vectors.T
    mixed = LABEL_SHARE * labels + (1.0 - LABEL_SHARE) * descriptions
    return np.where(index.has_description[None, :], mixed, labels).astype(np.float32)


def fused_scores(
    index: CompetencyIndex, statements: Sequence[str]
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """(fused, lexical, semantic) score matrices, one row per statement."""
    lexical = np.stack([index.bm25.score(text) for text in statements]).astype(np.float32)
    best = lexical.max(axis=1, keepdims=True)
    np.divide(lexical, best, out=lexical, where=best > 0)
    queries = index.model.embed(statements, index.token_weights)
    semantic = semantic_scores(index, queries)
    fused = LEXICAL_WEIGHT * lexical + (1.0 - LEXICAL_WEIGHT) * semantic
    return fused, lexical, semantic


def top_k(scores: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.intp]:
    """Indices of the ``k`` best scores per row, best first."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.take_along_axis(scores, part, axis=1).argsort(axis=1)[:, ::-1]
    return np.take_along_axis(part, order, axis=1)


def check_statements(statements: Sequence[str], source: str = "statements") -> None:
    """Reject empty statements (nothing to align) with their position."""
    problems = [
        Problem(f"{source}[{position}]", "statement must not be empty", None)
        for position, text in enumerate(statements)
        if not text.strip()
    ]
    if problems:
        raise InvalidInput(problems)


def rank_uris(index: CompetencyIndex, statements: Sequence[str], k: int) -> list[list[str]]:
    """The top-``k`` competency URIs per statement (no explanations: the fast path)."""
    uris = index.uris
    ranked: list[list[str]] = []
    for start in range(0, len(statements), BATCH):
        fused, _, _ = fused_scores(index, statements[start : start + BATCH])
        ranked.extend([uris[j] for j in row] for row in top_k(fused, k))
    return ranked


def suggest(
    index: CompetencyIndex, statements: Sequence[str], k: int = 5
) -> list[list[Suggestion]]:
    """The top-``k`` competencies for each statement, with score and explanation."""
    check_statements(statements)
    if k < 1:
        raise InvalidInput([Problem("top", "must be at least 1", None)])
    results: list[list[Suggestion]] = []
    for start in range(0, len(statements), BATCH):
        batch = statements[start : start + BATCH]
        fused, lexical, semantic = fused_scores(index, batch)
        for row, best in enumerate(top_k(fused, k)):
            results.append(
                [
                    _explain(
                        index, batch[row], int(j), fused[row, j], lexical[row, j], semantic[row, j]
                    )
                    for j in best
                ]
            )
    return results


def _explain(
    index: CompetencyIndex, statement: str, doc: int, score: float, lexical: float, semantic: float
) -> Suggestion:
    competency = index.competencies[doc]
    labels = list(competency.labels())
    label_vectors = index.model.embed(labels, index.token_weights)
    query = index.model.embed([statement], index.token_weights)[0]
    nearest = labels[int(np.argmax(label_vectors @ query))]
    return Suggestion(
        competency=competency,
        score=float(score),
        lexical=float(lexical),
        semantic=float(semantic),
        matched_terms=tuple(matched_terms(statement, competency_text(competency))),
        nearest_label=nearest,
    )
