"""The competency decision: non-compensatory, with the achieved proficiency kept.

A learner is competent only when every required criterion reaches its threshold
level, with the evidence that criterion asks for; a high level on one criterion never
makes up for a low one on another. Optional criteria are reported but never change the
decision. When the micro-credential's CIS promises identity verification (EU 2022
Annex I: "supervised ... with identity verification"), an attempt whose identity was
not verified cannot be judged competent either.

The achieved proficiency is kept per criterion, and overall as the lowest level reached
on a required criterion: the weakest link is what the learner has shown throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from credstack.assess.record import AssessmentRecord, CriterionResult
from credstack.assess.rubric import Criterion, Rubric


@dataclass(frozen=True)
class CriterionOutcome:
    """How one criterion went: the level reached, against its threshold."""

    criterion: str
    required: bool
    threshold: str
    level: str | None
    reached: bool
    evidence_missing: bool

    @property
    def met(self) -> bool:
        """The threshold is reached and the required evidence is there."""
        return self.reached and not self.evidence_missing

    @property
    def reason(self) -> str | None:
        """Why the criterion is not met, or ``None`` when it is."""
        if self.level is None:
            return f"{self.criterion}: no result recorded"
        if not self.reached:
            return f"{self.criterion}: reached '{self.level}', threshold is '{self.threshold}'"
        if self.evidence_missing:
            return f"{self.criterion}: the required evidence is missing"
        return None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "criterion": self.criterion,
            "required": self.required,
            "threshold": self.threshold,
            "level": self.level,
            "met": self.met,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Decision:
    """Competent or not yet competent, why, and the proficiency reached."""

    competent: bool
    outcomes: tuple[CriterionOutcome, ...]
    achieved_level: str | None
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "competent": self.competent,
            "decision": "competent" if self.competent else "not_yet_competent",
            "achieved_level": self.achieved_level,
            "reasons": list(self.reasons),
            "criteria": [outcome.to_dict() for outcome in self.outcomes],
        }


def _outcome(
    rubric: Rubric, criterion: Criterion, result: CriterionResult | None
) -> CriterionOutcome:
    threshold_rank = rubric.scale.rank(criterion.threshold)
    if result is None:
        return CriterionOutcome(
            criterion.id, criterion.required, criterion.threshold, None, False, False
        )
    reached = rubric.scale.rank(result.level) >= threshold_rank
    evidence_missing = bool(criterion.evidence_required) and not result.evidence
    return CriterionOutcome(
        criterion.id, criterion.required, criterion.threshold, result.level, reached,
        evidence_missing,
    )


def decide(
    rubric: Rubric, record: AssessmentRecord, *, identity_verification_required: bool = False
) -> Decision:
    """The decision for ``record`` under ``rubric`` (the record must fit the rubric).

    Results for criteria the rubric does not have, or levels off its scale, are input
    errors caught by ``record.problems_against`` before deciding; here they raise
    ``KeyError``.
    """
    results = {result.criterion: result for result in record.results}
    unknown = set(results) - {criterion.id for criterion in rubric.criteria}
    if unknown:
        raise KeyError(f"criteria not in rubric {rubric.id}: {', '.join(sorted(unknown))}")
    outcomes = tuple(
        _outcome(rubric, criterion, results.get(criterion.id)) for criterion in rubric.criteria
    )
    reasons = [
        outcome.reason for outcome in outcomes if outcome.required and outcome.reason is not None
    ]
    if identity_verification_required and not record.identity_verified:
        reasons.append("the learner's identity was not verified, which the CIS requires")
    required_levels = [outcome.level for outcome in outcomes if outcome.required]
    achieved: str | None = None
    if required_levels and all(level is not None for level in required_levels):
        achieved = min(
            (level for level in required_levels if level is not None), key=rubric.scale.rank
        )
    return Decision(
        competent=not reasons,
        outcomes=outcomes,
        achieved_level=achieved,
        reasons=tuple(reasons),
    )
