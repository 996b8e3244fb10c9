"""A whole micro-credential -> occupations, through the competencies occupations require.

An occupation scores by how much of what it requires the credential's outcomes cover:
each outcome's suggested competencies vote for the occupations that list them (essential
relations count 1.0, optional 0.5, per ESCO's occupation–skill relation types), weighted
by the suggestion score, plus a lexical match of the title and summary on the
occupation's labels. Scores are normalised so the best occupation is 1.0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from credstack.align.bm25 import BM25Index, Document
from credstack.align.rank import Suggestion
from credstack.taxonomy.model import Framework, OccupationConcept

ESSENTIAL_WEIGHT = 1.0
OPTIONAL_WEIGHT = 0.5
LABEL_WEIGHT = 0.5


@dataclass(frozen=True)
class OccupationSuggestion:
    """An occupation a micro-credential may lead to, with the competencies that link them."""

    occupation: OccupationConcept
    score: float
    via: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields."""
        return {
            "uri": self.occupation.uri,
            "code": self.occupation.code,
            "label": self.occupation.preferred_label,
            "score": round(self.score, 4),
            "via": list(self.via),
        }


def suggest_occupations(
    framework: Framework,
    suggestions: Sequence[Sequence[Suggestion]],
    *,
    title: str = "",
    k: int = 5,
) -> list[OccupationSuggestion]:
    """The top-``k`` occupations for outcomes' competency suggestions and a title."""
    occupations = list(framework.occupations)
    if not occupations:
        return []
    votes: dict[str, float] = defaultdict(float)
    via: dict[str, list[str]] = defaultdict(list)
    needed_by: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for position, occupation in enumerate(occupations):
        for uri in occupation.essential:
            needed_by[uri].append((position, ESSENTIAL_WEIGHT))
        for uri in occupation.optional:
            needed_by[uri].append((position, OPTIONAL_WEIGHT))
    for outcome in suggestions:
        for suggestion in outcome:
            for position, weight in needed_by.get(suggestion.competency.uri, []):
                key = occupations[position].uri
                votes[key] += weight * suggestion.score
                if suggestion.competency.preferred_label not in via[key]:
                    via[key].append(suggestion.competency.preferred_label)
    if title.strip():
        labels = BM25Index.build(
            [Document(fields=(([o.preferred_label], 2), (o.alt_labels, 1))) for o in occupations]
        )
        lexical = labels.score(title)
        best = float(lexical.max())
        if best > 0:
            for position, value in enumerate(lexical):
                if value > 0:
                    votes[occupations[position].uri] += LABEL_WEIGHT * float(value) / best
    if not votes:
        return []
    top = max(votes.values())
    by_uri = {occupation.uri: occupation for occupation in occupations}
    ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0]))[:k]
    return [
        OccupationSuggestion(by_uri[uri], score / top, tuple(via.get(uri, [])[:5]))
        for uri, score in ranked
    ]
