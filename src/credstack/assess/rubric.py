"""Rubrics: criteria linked to learning outcomes, a proficiency scale, thresholds.

A rubric belongs to one micro-credential. Its proficiency ``scale`` lists levels from
lowest to highest, each with a descriptor; every criterion names the learning outcomes
it assesses, the assessment method (the registry's ``AssessmentMethod`` vocabulary),
the threshold level a learner must reach, whether it is required, the evidence it asks
for, and optionally what each level means for that criterion. OB 3.0 carries the same
structure as ``ResultDescription`` (``resultType`` RubricCriterion) with
``rubricCriterionLevel`` entries and a ``requiredLevel`` (OB 3.0 section B.1.15).
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, ValidationInfo, model_validator

from credstack.domain.credential import ID_PATTERN, Alignment, MicroCredential, Record
from credstack.domain.vocabulary import AssessmentMethod
from credstack.errors import Problem

DEFER_STRUCTURE = "defer_structure"
LEVEL_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
NonEmptyStr = Annotated[str, Field(min_length=1)]


class ScaleLevel(Record):
    """One level of a proficiency scale, with what it means in general."""

    id: Annotated[str, Field(pattern=LEVEL_ID)]
    name: NonEmptyStr
    descriptor: NonEmptyStr


class ProficiencyScale(Record):
    """An ordered proficiency scale: ``levels`` run from lowest to highest."""

    name: NonEmptyStr
    levels: Annotated[list[ScaleLevel], Field(min_length=2, max_length=20)]

    @model_validator(mode="after")
    def _unique_levels(self) -> Self:
        ids = [level.id for level in self.levels]
        duplicated = sorted({level for level in ids if ids.count(level) > 1})
        if duplicated:
            raise ValueError(f"levels: duplicate level id(s) {', '.join(duplicated)}")
        return self

    def rank(self, level_id: str) -> int:
        """The position of ``level_id`` on the scale (0 = lowest); ``KeyError`` if absent."""
        for position, level in enumerate(self.levels):
            if level.id == level_id:
                return position
        raise KeyError(level_id)

    def has(self, level_id: str) -> bool:
        """Whether ``level_id`` is a level of this scale."""
        return any(level.id == level_id for level in self.levels)

    def level(self, level_id: str) -> ScaleLevel:
        """The level named ``level_id``; ``KeyError`` if absent."""
        return self.levels[self.rank(level_id)]


class Criterion(Record):
    """One rubric criterion: what is assessed, how, and the level a learner must reach."""

    id: Annotated[str, Field(pattern=LEVEL_ID)]
    name: NonEmptyStr
    description: str | None = None
    learning_outcomes: Annotated[list[NonEmptyStr], Field(min_length=1)]
    method: AssessmentMethod
    threshold: NonEmptyStr
    required: bool = True
    evidence_required: list[NonEmptyStr] = Field(default_factory=list)
    level_descriptors: dict[str, NonEmptyStr] = Field(default_factory=dict)
    alignments: list[Alignment] = Field(default_factory=list)


class Rubric(Record):
    """A rubric for one micro-credential: a proficiency scale and its criteria."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    micro_credential: Annotated[str, Field(pattern=ID_PATTERN)]
    title: NonEmptyStr
    description: str | None = None
    scale: ProficiencyScale
    criteria: Annotated[list[Criterion], Field(min_length=1, max_length=200)]

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Self:
        # File loaders ask to defer this check so each problem keeps its own field path.
        if info.context and info.context.get(DEFER_STRUCTURE):
            return self
        problems = [str(problem) for problem in self.structural_problems()]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def structural_problems(self) -> list[Problem]:
        """What is inconsistent inside the rubric (thresholds, descriptors, ids)."""
        problems: list[Problem] = []
        seen: set[str] = set()
        for index, criterion in enumerate(self.criteria):
            where = f"criteria[{index}]"
            if criterion.id in seen:
                problems.append(Problem(f"{where}.id", f"duplicate criterion id '{criterion.id}'"))
            seen.add(criterion.id)
            if not self.scale.has(criterion.threshold):
                problems.append(
                    Problem(
                        f"{where}.threshold",
                        f"'{criterion.threshold}' is not a level of the scale "
                        f"(expected one of: {', '.join(self.level_ids)})",
                    )
                )
            for level_id in criterion.level_descriptors:
                if not self.scale.has(level_id):
                    problems.append(
                        Problem(
                            f"{where}.level_descriptors.{level_id}",
                            f"'{level_id}' is not a level of the scale "
                            f"(expected one of: {', '.join(self.level_ids)})",
                        )
                    )
        if not any(criterion.required for criterion in self.criteria):
            problems.append(
                Problem("criteria", "at least one criterion must be required (required: true)")
            )
        return problems

    @property
    def level_ids(self) -> list[str]:
        """The scale's level ids, lowest first."""
        return [level.id for level in self.scale.levels]

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion named ``criterion_id``; ``KeyError`` if absent."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def descriptor(self, criterion: Criterion, level_id: str) -> str:
        """What ``level_id`` means for ``criterion``: its own descriptor, else the scale's."""
        return criterion.level_descriptors.get(level_id) or self.scale.level(level_id).descriptor


def problems_against(rubric: Rubric, record: MicroCredential) -> list[Problem]:
    """What does not fit between a rubric and the micro-credential it assesses.

    The rubric must name the record, link only to its learning outcomes, use only the
    assessment methods its CIS declares, and assess every learning outcome with at
    least one required criterion (competency-based: nothing promised goes unassessed).
    """
    problems: list[Problem] = []
    if rubric.micro_credential != record.id:
        problems.append(
            Problem("micro_credential", f"'{rubric.micro_credential}' is not '{record.id}'")
        )
    outcome_ids = [outcome.id for outcome in record.learning_outcomes]
    declared = set(record.assessment.methods) if record.assessment else set()
    for index, criterion in enumerate(rubric.criteria):
        for position, outcome in enumerate(criterion.learning_outcomes):
            if outcome not in outcome_ids:
                problems.append(
                    Problem(
                        f"criteria[{index}].learning_outcomes[{position}]",
                        f"'{outcome}' is not a learning outcome of {record.id} "
                        f"(expected one of: {', '.join(outcome_ids) or 'none defined'})",
                    )
                )
        if declared and criterion.method not in declared:
            problems.append(
                Problem(
                    f"criteria[{index}].method",
                    f"'{criterion.method.value}' is not an assessment method of {record.id} "
                    f"(its CIS declares: {', '.join(sorted(m.value for m in declared))})",
                )
            )
    assessed = {
        outcome
        for criterion in rubric.criteria
        if criterion.required
        for outcome in criterion.learning_outcomes
    }
    for outcome in outcome_ids:
        if outcome not in assessed:
            problems.append(
                Problem(
                    "criteria",
                    f"learning outcome {outcome} is not assessed by a required criterion",
                )
            )
    return problems


def criterion_alignments(criterion: Criterion, record: MicroCredential) -> list[Alignment]:
    """The competencies a criterion assesses: its own alignments, then its outcomes'.

    Rejected suggestions are left out; duplicates (same URI) appear once.
    """
    found: dict[str, Alignment] = {}
    by_outcome = {outcome.id: outcome for outcome in record.learning_outcomes}
    candidates = list(criterion.alignments)
    for outcome_id in criterion.learning_outcomes:
        outcome = by_outcome.get(outcome_id)
        if outcome is not None:
            candidates.extend(outcome.alignments)
    for alignment in candidates:
        if alignment.status.value == "rejected":
            continue
        found.setdefault(alignment.uri, alignment)
    return list(found.values())
