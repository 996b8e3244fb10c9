"""The OB 3.0 ``Achievement`` of a micro-credential, built from its CIS record.

Mapping (OB 3.0 section B.1.1 Achievement; CIS = scan Appendix 1):
name <- title; description <- description.summary; criteria.narrative <- the learning
outcomes (and the assessment description); alignment <- accepted outcome alignments and
``industry_alignment``; creditsAvailable <- ECTS; inLanguage <- first language;
resultDescription <- rubric criteria and their levels; tag <- topics. CIS fields with no
OB property (form of participation, quality assurance type, hours, EQF level,
assessment) use the terms of the bundled credstack context (OB 3.0 ``extending.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from credstack.domain.credential import Alignment, MicroCredential
from credstack.domain.vocabulary import AlignmentStatus

ALIGNMENT_KEPT = (AlignmentStatus.ACCEPTED, AlignmentStatus.MANUAL)


@dataclass(frozen=True)
class Profile:
    """An OB 3.0 ``Profile`` (issuer, creator or endorser): a DID or URL and a name."""

    id: str
    name: str
    url: str | None = None
    email: str | None = None
    description: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The Profile as JSON-LD."""
        data: dict[str, Any] = {"id": self.id, "type": ["Profile"], "name": self.name}
        for key in ("url", "email", "description"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return data


@dataclass(frozen=True)
class RubricLevel:
    """One level of a rubric criterion (OB ``RubricCriterionLevel``); ``id`` is an IRI."""

    id: str
    name: str
    description: str | None = None
    points: str | None = None


@dataclass(frozen=True)
class RubricCriterion:
    """A rubric criterion (OB ``ResultDescription`` of type RubricCriterionLevel).

    ``levels`` are ordered from lowest to highest; ``required_level`` is the id of the
    threshold level; ``outcome_ids`` name the learning outcomes it assesses, whose
    accepted alignments are attached to it.
    """

    id: str
    name: str
    levels: tuple[RubricLevel, ...]
    required_level: str | None = None
    outcome_ids: tuple[str, ...] = field(default_factory=tuple)


def number(value: float) -> int | float:
    """An integral float as int, so 1.0 serializes as ``1`` in every JSON-LD stack."""
    return int(value) if float(value).is_integer() else value


def _is_absolute_url(text: str) -> bool:
    return text.startswith(("https://", "http://", "urn:", "did:"))


def alignment_json(alignment: Alignment) -> dict[str, Any] | None:
    """An OB ``Alignment`` (targetName, targetUrl required) or None if no usable URL."""
    if not _is_absolute_url(alignment.uri):
        return None
    data: dict[str, Any] = {
        "type": ["Alignment"],
        "targetName": alignment.label,
        "targetUrl": alignment.uri,
        "targetFramework": alignment.framework,
        "targetType": "ceasn:Competency",
    }
    if alignment.code:
        data["targetCode"] = alignment.code
    return data


def _alignments(items: Sequence[Alignment]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    result = []
    for alignment in items:
        if alignment.status not in ALIGNMENT_KEPT or alignment.uri in seen:
            continue
        data = alignment_json(alignment)
        if data is not None:
            seen.add(alignment.uri)
            result.append(data)
    return result


def criteria_narrative(record: MicroCredential) -> str:
    """Markdown criteria: the learning outcomes a holder has demonstrated."""
    lines = ["Demonstrated each learning outcome of this micro-credential:", ""]
    lines += [f"- **{outcome.id}**: {outcome.statement}" for outcome in record.learning_outcomes]
    if record.assessment and record.assessment.description:
        lines += ["", f"Assessment: {record.assessment.description}"]
    return "\n".join(lines)


def result_description(
    criterion: RubricCriterion, alignments: list[dict[str, Any]]
) -> dict[str, Any]:
    """An OB ``ResultDescription`` for one rubric criterion."""
    levels = []
    for level in criterion.levels:
        item: dict[str, Any] = {
            "id": level.id, "type": ["RubricCriterionLevel"], "name": level.name
        }
        if level.description:
            item["description"] = level.description
        if level.points is not None:
            item["points"] = level.points
        levels.append(item)
    data: dict[str, Any] = {
        "id": criterion.id,
        "type": ["ResultDescription"],
        "name": criterion.name,
        "resultType": "RubricCriterionLevel",
        "allowedValue": [level.name for level in criterion.levels],
        "rubricCriterionLevel": levels,
    }
    if criterion.required_level:
        data["requiredLevel"] = criterion.required_level
    if alignments:
        data["alignment"] = alignments
    return data


def _cis_extension(record: MicroCredential) -> dict[str, Any]:
    data: dict[str, Any] = {"microCredentialId": record.id}
    if record.delivery_mode:
        data["formOfParticipation"] = record.delivery_mode.mode.value
        data["deliveryEngagement"] = record.delivery_mode.engagement.value
    if record.quality_assurance:
        data["qualityAssuranceType"] = record.quality_assurance.type.value
        data["qualityAssuranceStatement"] = record.quality_assurance.statement
    if record.total_hours is not None:
        data["volumeOfLearningHours"] = number(record.total_hours)
    if record.eqf_level is not None:
        data["eqfLevel"] = record.eqf_level
    if record.assessment:
        data["assessmentType"] = record.assessment.type.value
        data["assessmentMethod"] = [method.value for method in record.assessment.methods]
        if record.assessment.identity_verification:
            data["identityVerification"] = record.assessment.identity_verification.value
    return data


def build_achievement(
    record: MicroCredential,
    *,
    achievement_id: str,
    creator: Profile | None = None,
    rubric: Sequence[RubricCriterion] = (),
    version: str | None = None,
) -> dict[str, Any]:
    """The OB 3.0 Achievement (achievementType MicroCredential) for ``record``."""
    outcomes = {outcome.id: outcome for outcome in record.learning_outcomes}
    data: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": record.title,
        "description": record.description.summary,
        "criteria": {"narrative": criteria_narrative(record)},
        "humanCode": record.id,
    }
    outcome_alignments = [a for outcome in record.learning_outcomes for a in outcome.alignments]
    alignments = _alignments([*outcome_alignments, *(record.industry_alignment or [])])
    if alignments:
        data["alignment"] = alignments
    if creator is not None:
        data["creator"] = creator.to_json()
    if record.ects is not None:
        data["creditsAvailable"] = number(record.ects)
    if record.language:
        data["inLanguage"] = record.language[0]
    if rubric:
        data["resultDescription"] = [
            result_description(
                criterion,
                _alignments(
                    [a for oid in criterion.outcome_ids if oid in outcomes
                     for a in outcomes[oid].alignments]
                ),
            )
            for criterion in rubric
        ]
    if record.description.topics:
        data["tag"] = list(record.description.topics)
    if version is not None:
        data["version"] = version
    data.update(_cis_extension(record))
    return data
