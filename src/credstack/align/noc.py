"""A whole micro-credential -> NOC 2021 unit groups, when the NOC framework is imported.

NOC has no competency relations to vote through (unlike ESCO occupations), so unit groups
are ranked on text alone, with the machinery outcomes are ranked with: each unit group is
indexed as a document with three BM25 fields (title 3, job titles 2, definition 1) and a
label and a definition embedding from the shipped static model (``align.index``, cached
on disk by content hash). The record's title, summary and each outcome are scored
separately (``rank.fused_scores``: BM25 divided by the text's best, and the field-wise
cosine) and their scores mixed with fixed weights (title 0.4, summary 0.2, outcomes 0.4
shared equally), so a record with many outcomes does not drown what its title says.
Scores are not normalised: they stay comparable across records.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from credstack.align.bm25 import matched_terms
from credstack.align.index import CompetencyIndex, competency_text, index_for
from credstack.align.rank import fused_scores, top_k
from credstack.domain.credential import MicroCredential
from credstack.taxonomy.errors import UnknownFramework
from credstack.taxonomy.importers.noc import NOC_FRAMEWORK_ID
from credstack.taxonomy.model import Competency, Framework, OccupationConcept
from credstack.taxonomy.service import load_framework

TITLE_WEIGHT = 0.4
SUMMARY_WEIGHT = 0.2
OUTCOMES_WEIGHT = 0.4
# Job titles make shared words a stronger signal than for ESCO skills (rank.LEXICAL_WEIGHT,
# 0.02). Chosen by hand on twelve short hand-written records (electrical wiring, Python
# for data analysis, practical nursing, forklift, baking, welding, early childhood,
# bookkeeping, heavy equipment, medical office, cybersecurity; climate adaptation):
# 0.2 put the expected unit group first for 10 of the 11 with an obvious answer (nursing
# second), 0.02 for 9, 0.3 for 8. No benchmark measures it: a sensible default, not a
# tuned value.
NOC_LEXICAL_WEIGHT = 0.2


@dataclass(frozen=True)
class NocSuggestion:
    """A NOC unit group a micro-credential may lead to, with why it was suggested."""

    occupation: OccupationConcept
    score: float
    matched_terms: tuple[str, ...]
    nearest_title: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields: code, title, score and the explanation."""
        return {
            "uri": self.occupation.uri,
            "code": self.occupation.code,
            "title": self.occupation.preferred_label,
            "score": round(self.score, 4),
            "matched_terms": list(self.matched_terms),
            "nearest_title": self.nearest_title,
        }


def load_noc(session: Session) -> Framework | None:
    """The imported NOC 2021 framework, or None when it has not been imported."""
    try:
        return load_framework(session, framework_id=NOC_FRAMEWORK_ID)
    except UnknownFramework:
        return None


def noc_index(framework: Framework) -> CompetencyIndex:
    """The text index of the framework's unit groups (kept in memory and cached on disk)."""
    # Unit groups are indexed as competencies so that BM25 fields, embeddings and the
    # disk cache are exactly the ones outcomes are ranked with.
    documents = Framework(
        info=framework.info,
        competencies=tuple(
            Competency(
                uri=o.uri,
                preferred_label=o.preferred_label,
                code=o.code,
                alt_labels=o.alt_labels,
                description=o.description,
            )
            for o in framework.occupations
        ),
    )
    return index_for(documents)


def record_texts(record: MicroCredential) -> tuple[list[str], list[float]]:
    """The record's texts to match (title, summary, outcomes) and the weight of each."""
    texts: list[str] = []
    weights: list[float] = []
    if record.title.strip():
        texts.append(record.title)
        weights.append(TITLE_WEIGHT)
    if record.description.summary.strip():
        texts.append(record.description.summary)
        weights.append(SUMMARY_WEIGHT)
    outcomes = [o.statement for o in record.learning_outcomes if o.statement.strip()]
    texts.extend(outcomes)
    weights.extend(OUTCOMES_WEIGHT / len(outcomes) for _ in outcomes)
    total = sum(weights)
    return texts, [weight / total for weight in weights]


def suggest_noc(framework: Framework, record: MicroCredential, k: int = 5) -> list[NocSuggestion]:
    """The top-``k`` NOC unit groups for ``record``, best first."""
    texts, weights = record_texts(record)
    if not framework.occupations or not texts:
        return []
    index = noc_index(framework)
    _, lexical, semantic = fused_scores(index, texts)
    mix = np.asarray(weights, dtype=np.float32)
    fused = NOC_LEXICAL_WEIGHT * lexical + (1.0 - NOC_LEXICAL_WEIGHT) * semantic
    scores = (mix @ fused)[None, :]
    # The query embedding the explanation's nearest job title is measured against.
    query = mix @ index.model.embed(texts, index.token_weights)
    everything = " ".join(texts)
    return [
        _explain(index, int(j), float(scores[0, j]), everything, query) for j in top_k(scores, k)[0]
    ]


def _explain(
    index: CompetencyIndex, doc: int, score: float, text: str, query: np.ndarray
) -> NocSuggestion:
    unit = index.competencies[doc]
    labels = list(unit.labels())
    vectors = index.model.embed(labels, index.token_weights)
    nearest = labels[int(np.argmax(vectors @ query))]
    occupation = OccupationConcept(
        uri=unit.uri,
        preferred_label=unit.preferred_label,
        code=unit.code,
        alt_labels=unit.alt_labels,
        description=unit.description,
    )
    return NocSuggestion(
        occupation=occupation,
        score=score,
        matched_terms=tuple(matched_terms(text, competency_text(unit))[:10]),
        nearest_title=nearest,
    )
