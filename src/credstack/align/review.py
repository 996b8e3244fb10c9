"""The review workflow on a record (pure): accept, reject or add alignments by hand.

Decisions are kept in the record itself (``learning_outcomes[].alignments`` and
``industry_alignment``) with who decided and when, so they are versioned and exported
with it. Accepted and manual alignments carry a proficiency level; a rejected one stays
in the record as ``rejected`` so it is not suggested again.
"""

from __future__ import annotations

from datetime import UTC, datetime

from credstack.domain.credential import Alignment, MicroCredential
from credstack.domain.vocabulary import AlignmentStatus
from credstack.errors import InvalidInput, Problem
from credstack.taxonomy.model import Competency
from credstack.taxonomy.scales import BUILTIN_SCALES, find_level

RECORD_TARGET = "record"


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _alignments(record: MicroCredential, outcome_id: str) -> list[Alignment]:
    if outcome_id == RECORD_TARGET:
        if record.industry_alignment is None:
            record.industry_alignment = []
        return record.industry_alignment
    for outcome in record.learning_outcomes:
        if outcome.id == outcome_id:
            return outcome.alignments
    known = ", ".join(outcome.id for outcome in record.learning_outcomes) or "none"
    raise InvalidInput(
        [
            Problem(
                "outcome",
                f"'{outcome_id}' is not a learning outcome of '{record.id}' (known: {known}; "
                f"or '{RECORD_TARGET}' for the record's industry alignment)",
                None,
            )
        ]
    )


def decide(
    record: MicroCredential,
    *,
    outcome_id: str,
    framework_id: str,
    competency: Competency,
    status: AlignmentStatus,
    reviewer: str,
    proficiency_level: str | None = None,
    score: float | None = None,
    when: str | None = None,
) -> MicroCredential:
    """A copy of ``record`` with the decision on ``competency`` for ``outcome_id``."""
    if not reviewer.strip():
        raise InvalidInput([Problem("reviewer", "must name who reviewed", None)])
    if status in (AlignmentStatus.ACCEPTED, AlignmentStatus.MANUAL):
        if not proficiency_level or not proficiency_level.strip():
            raise InvalidInput(
                [
                    Problem(
                        "proficiency_level", "an accepted alignment needs a proficiency level", None
                    )
                ]
            )
        if find_level(proficiency_level, BUILTIN_SCALES) is None:
            known = ", ".join(level.code for scale in BUILTIN_SCALES for level in scale.levels)
            raise InvalidInput(
                [
                    Problem(
                        "proficiency_level",
                        f"'{proficiency_level}' is not a level of a known scale ({known})",
                        None,
                    )
                ]
            )
    elif status == AlignmentStatus.SUGGESTED:
        raise InvalidInput(
            [Problem("status", "a review decides: accepted, rejected or manual", None)]
        )
    updated = record.model_copy(deep=True)
    alignments = _alignments(updated, outcome_id)
    alignments[:] = [
        a for a in alignments if not (a.framework == framework_id and a.uri == competency.uri)
    ]
    alignments.append(
        Alignment(
            framework=framework_id,
            uri=competency.uri,
            label=competency.preferred_label,
            code=competency.code,
            proficiency_level=proficiency_level if status != AlignmentStatus.REJECTED else None,
            status=status,
            score=round(score, 4) if score is not None else None,
            reviewed_by=reviewer.strip(),
            reviewed_at=when or _now(),
        )
    )
    return updated


def accepted_uris(record: MicroCredential) -> list[str]:
    """URIs of every accepted or manual alignment of the record (what search indexes)."""
    found: list[str] = []
    groups = [outcome.alignments for outcome in record.learning_outcomes]
    groups.append(record.industry_alignment or [])
    for alignments in groups:
        for alignment in alignments:
            if alignment.status in (AlignmentStatus.ACCEPTED, AlignmentStatus.MANUAL):
                found.append(alignment.uri)
    return list(dict.fromkeys(found))


def rejected_uris(record: MicroCredential, outcome_id: str) -> set[str]:
    """URIs rejected for an outcome (left out of new suggestions)."""
    alignments = (
        record.industry_alignment or []
        if outcome_id == RECORD_TARGET
        else next((o.alignments for o in record.learning_outcomes if o.id == outcome_id), [])
    )
    return {a.uri for a in alignments if a.status == AlignmentStatus.REJECTED}
