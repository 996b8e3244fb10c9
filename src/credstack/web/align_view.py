"""The alignment review page as data: suggestions per outcome and the decisions so far (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from credstack.align.occupations import OccupationSuggestion
from credstack.align.rank import Suggestion
from credstack.align.service import RecordSuggestions
from credstack.domain.credential import Alignment, MicroCredential
from credstack.domain.vocabulary import AlignmentStatus
from credstack.taxonomy.scales import BUILTIN_SCALES
from credstack.web import labels
from credstack.web.credential_view import Item, linked


@dataclass(frozen=True)
class SuggestionRow:
    """A suggested competency with why it was suggested."""

    uri: str
    label: Item
    code: str
    score: str
    score_value: float
    why: str


def suggestion_row(suggestion: Suggestion) -> SuggestionRow:
    """One suggestion: score, matched terms and the nearest label explain it."""
    why = []
    if suggestion.matched_terms:
        why.append("matched: " + ", ".join(suggestion.matched_terms))
    nearest = suggestion.nearest_label
    if nearest and nearest != suggestion.competency.preferred_label:
        why.append(f"nearest label: {suggestion.nearest_label}")
    why.append(f"lexical {suggestion.lexical:.2f} · semantic {suggestion.semantic:.2f}")
    return SuggestionRow(
        uri=suggestion.competency.uri,
        label=linked(suggestion.competency.preferred_label, suggestion.competency.uri),
        code=suggestion.competency.code or "",
        score=f"{suggestion.score:.2f}",
        score_value=round(suggestion.score, 4),
        why="; ".join(why),
    )


@dataclass(frozen=True)
class DecisionRow:
    """An alignment already reviewed (accepted, manual or rejected), with who and when."""

    label: Item
    framework: str
    status: str
    proficiency_level: str
    reviewed: str


def decision_row(alignment: Alignment) -> DecisionRow:
    """How a reviewed alignment reads."""
    who = alignment.reviewed_by or ""
    when = (alignment.reviewed_at or "")[:10]
    return DecisionRow(
        label=linked(alignment.label, alignment.uri),
        framework=alignment.framework,
        status=alignment.status.value,
        proficiency_level=alignment.proficiency_level or "",
        reviewed=" on ".join(part for part in (who, when) if part),
    )


@dataclass(frozen=True)
class OutcomeReview:
    """One learning outcome: its decisions and new suggestions."""

    id: str
    statement: str
    decisions: tuple[DecisionRow, ...]
    suggestions: tuple[SuggestionRow, ...]


def _decisions(alignments: list[Alignment]) -> tuple[DecisionRow, ...]:
    return tuple(decision_row(a) for a in alignments if a.status is not AlignmentStatus.SUGGESTED)


def outcome_reviews(record: MicroCredential,
                    suggestions: RecordSuggestions | None) -> list[OutcomeReview]:
    """Every outcome with its decisions; suggestions already decided on are left out."""
    by_outcome = {o.outcome_id: o.suggestions for o in suggestions.outcomes} if suggestions else {}
    reviews = []
    for outcome in record.learning_outcomes:
        decided = {a.uri for a in outcome.alignments if a.status is not AlignmentStatus.SUGGESTED}
        rows = tuple(suggestion_row(s) for s in by_outcome.get(outcome.id, [])
                     if s.competency.uri not in decided)
        reviews.append(OutcomeReview(outcome.id, outcome.statement,
                                     _decisions(outcome.alignments), rows))
    return reviews


def record_decisions(record: MicroCredential) -> tuple[DecisionRow, ...]:
    """The record-level (industry alignment) decisions."""
    return _decisions(list(record.industry_alignment or []))


@dataclass(frozen=True)
class OccupationRow:
    """An occupation the micro-credential may lead to, and the competencies linking them."""

    label: Item
    code: str
    score: str
    via: str


def occupation_row(suggestion: OccupationSuggestion) -> OccupationRow:
    """How one occupation suggestion reads."""
    return OccupationRow(
        label=linked(suggestion.occupation.preferred_label, suggestion.occupation.uri),
        code=suggestion.occupation.code or "",
        score=f"{suggestion.score:.2f}",
        via=", ".join(suggestion.via[:5]),
    )


# Proficiency levels offered when accepting: (scale name, ((code, label), ...)).
def proficiency_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The levels of the built-in proficiency scales, grouped by scale."""
    return [
        (scale.name, [(level.code, labels.humanize(level.label)) for level in scale.levels])
        for scale in BUILTIN_SCALES
    ]
