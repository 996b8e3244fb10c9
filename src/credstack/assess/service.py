"""Assessment use cases: store rubrics, learners and assessment records with decisions.

Functions take the session as a keyword and never commit: the caller's unit of work
does. The micro-credential comes from the registry's service, never its tables.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from credstack.assess.decision import Decision, decide
from credstack.assess.learner import Learner, LearnerInput
from credstack.assess.record import AssessmentRecord, problems_against
from credstack.assess.rubric import Rubric
from credstack.assess.rubric import problems_against as rubric_problems
from credstack.domain.vocabulary import IdentityVerification
from credstack.errors import Conflict, InvalidInput, NotFound, Problem
from credstack.registry import service as registry
from credstack.store.tables.assess import AssessmentRow, CriterionResultRow, LearnerRow, RubricRow

# EU 2022 Annex I: these forms of assessment promise that the learner's identity is checked.
IDENTITY_CHECKED = (
    IdentityVerification.SUPERVISED_ONLINE_WITH_ID,
    IdentityVerification.SUPERVISED_ONSITE_WITH_ID,
)


def _now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """``moment`` with its UTC zone (SQLite returns stored times without one)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- rubrics -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredRubric:
    """A rubric at one stored version."""

    rubric: Rubric
    version: int
    created_at: datetime
    created_by: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the rubric's document with its version."""
        return {
            "version": self.version,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            **self.rubric.model_dump(mode="json", exclude_none=True),
        }


def rubric_hash(rubric: Rubric) -> str:
    """SHA-256 of the rubric's canonical JSON: equal rubrics hash alike."""
    document = rubric.model_dump(mode="json", exclude_none=True)
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def save_rubric(
    session: Session, *, rubric: Rubric, actor: str, source: str | None = None
) -> tuple[StoredRubric, bool]:
    """Store ``rubric`` as a new version (unless unchanged); returns it and whether it changed.

    The rubric must fit the current version of its micro-credential (``InvalidInput``).
    """
    try:
        stored = registry.get_record(session, credential_id=rubric.micro_credential)
    except NotFound:
        raise InvalidInput(
            [
                Problem(
                    "micro_credential",
                    f"'{rubric.micro_credential}' is not in the registry",
                    source,
                )
            ]
        ) from None
    problems = rubric_problems(rubric, stored.record)
    if problems:
        raise InvalidInput([Problem(p.location, p.message, source) for p in problems])
    digest = rubric_hash(rubric)
    latest = session.scalars(
        select(RubricRow).where(RubricRow.id == rubric.id).order_by(RubricRow.version.desc())
    ).first()
    if latest is not None and latest.credential_id != rubric.micro_credential:
        raise Conflict(
            f"rubric '{rubric.id}' belongs to '{latest.credential_id}', "
            f"not '{rubric.micro_credential}'"
        )
    if latest is not None and latest.content_hash == digest:
        return _stored_rubric(latest), False
    row = RubricRow(
        id=rubric.id,
        version=1 if latest is None else latest.version + 1,
        credential_id=rubric.micro_credential,
        title=rubric.title,
        document=rubric.model_dump(mode="json", exclude_none=True),
        content_hash=digest,
        created_at=_now(),
        created_by=actor,
    )
    session.add(row)
    session.flush()
    return _stored_rubric(row), True


def _stored_rubric(row: RubricRow) -> StoredRubric:
    rubric = Rubric.model_validate(row.document)
    return StoredRubric(rubric, row.version, as_utc(row.created_at), row.created_by)


def get_rubric(session: Session, *, rubric_id: str, version: int | None = None) -> StoredRubric:
    """A rubric at ``version`` (default: its latest); ``NotFound`` if absent."""
    query = select(RubricRow).where(RubricRow.id == rubric_id)
    if version is not None:
        query = query.where(RubricRow.version == version)
    row = session.scalars(query.order_by(RubricRow.version.desc())).first()
    if row is None:
        at = f" version {version}" if version is not None else ""
        raise NotFound(f"no rubric '{rubric_id}'{at}")
    return _stored_rubric(row)


def rubric_for_credential(session: Session, *, credential_id: str) -> StoredRubric:
    """The most recently stored rubric of a micro-credential; ``NotFound`` if none."""
    row = session.scalars(
        select(RubricRow)
        .where(RubricRow.credential_id == credential_id)
        .order_by(RubricRow.created_at.desc(), RubricRow.version.desc())
    ).first()
    if row is None:
        raise NotFound(f"micro-credential '{credential_id}' has no rubric; import one first")
    return _stored_rubric(row)


def list_rubrics(session: Session, *, credential_id: str | None = None) -> list[dict[str, Any]]:
    """The latest version of every rubric (optionally of one micro-credential)."""
    latest = (
        select(RubricRow.id, func.max(RubricRow.version).label("version"))
        .group_by(RubricRow.id)
        .subquery()
    )
    query = select(RubricRow).join(
        latest, (RubricRow.id == latest.c.id) & (RubricRow.version == latest.c.version)
    )
    if credential_id is not None:
        query = query.where(RubricRow.credential_id == credential_id)
    return [
        {
            "id": row.id,
            "version": row.version,
            "micro_credential": row.credential_id,
            "title": row.title,
            "criteria": len(row.document.get("criteria", [])),
        }
        for row in session.scalars(query.order_by(RubricRow.id))
    ]


# --- learners ----------------------------------------------------------------------------


def add_learner(session: Session, *, learner: LearnerInput) -> Learner:
    """Add a learner; the email is kept only as a salted hash. ``Conflict`` if the id exists."""
    if session.get(LearnerRow, learner.id) is not None:
        raise Conflict(f"learner '{learner.id}' already exists")
    created = Learner.create(learner)
    session.add(
        LearnerRow(
            id=created.id,
            display_name=created.display_name,
            salt=created.salt,
            identity_hash=created.identity_hash,
            created_at=_now(),
        )
    )
    session.flush()
    return created


def get_learner(session: Session, *, learner_id: str) -> Learner:
    """The learner ``learner_id``; ``NotFound`` if absent."""
    row = session.get(LearnerRow, learner_id)
    if row is None:
        raise NotFound(f"no learner '{learner_id}'")
    return Learner(row.id, row.display_name, row.salt, row.identity_hash)


def list_learners(session: Session) -> list[Learner]:
    """Every learner, by id."""
    return [
        Learner(row.id, row.display_name, row.salt, row.identity_hash)
        for row in session.scalars(select(LearnerRow).order_by(LearnerRow.id))
    ]


# --- assessments -------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredAssessment:
    """An assessment as stored: the record (version resolved), its rubric and decision."""

    id: str
    record: AssessmentRecord
    rubric_id: str
    rubric_version: int
    decision: Decision
    recorded_at: datetime
    recorded_by: str

    @property
    def credential_version(self) -> int:
        """The version of the micro-credential assessed."""
        assert self.record.version is not None
        return self.record.version

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output and the API."""
        record = self.record.model_dump(mode="json", exclude_none=True)
        return {
            "id": self.id,
            **record,
            "rubric": self.rubric_id,
            "rubric_version": self.rubric_version,
            "recorded_at": self.recorded_at.isoformat(),
            "recorded_by": self.recorded_by,
            "decision": self.decision.to_dict(),
        }


def _field_problem(field: str, message: str, source: str | None) -> InvalidInput:
    return InvalidInput([Problem(field, message, source)])


def record_assessment(
    session: Session, *, record: AssessmentRecord, actor: str, source: str | None = None
) -> StoredAssessment:
    """Check ``record`` against the learner, micro-credential and rubric, decide, and store.

    Unknown learner, micro-credential, version or rubric, and results that do not fit
    the rubric, are ``InvalidInput`` naming the field; a repeated attempt number for the
    same learner and micro-credential is a ``Conflict``.
    """
    try:
        learner = get_learner(session, learner_id=record.learner)
    except NotFound:
        message = f"no learner '{record.learner}'; add it first"
        raise _field_problem("learner", message, source) from None
    try:
        stored = registry.get_record(
            session, credential_id=record.micro_credential, version=record.version
        )
    except NotFound as error:
        field = "version" if record.version is not None else "micro_credential"
        raise _field_problem(field, str(error), source) from None
    try:
        rubric = (
            get_rubric(session, rubric_id=record.rubric)
            if record.rubric
            else rubric_for_credential(session, credential_id=record.micro_credential)
        )
    except NotFound as error:
        raise _field_problem("rubric", str(error), source) from None
    if rubric.rubric.micro_credential != record.micro_credential:
        raise _field_problem(
            "rubric",
            f"rubric '{rubric.rubric.id}' assesses '{rubric.rubric.micro_credential}', "
            f"not '{record.micro_credential}'",
            source,
        )
    problems = problems_against(record, rubric.rubric)
    if problems:
        raise InvalidInput([Problem(p.location, p.message, source) for p in problems])
    duplicate = session.scalars(
        select(AssessmentRow.id).where(
            AssessmentRow.learner_id == learner.id,
            AssessmentRow.credential_id == record.micro_credential,
            AssessmentRow.attempt == record.attempt,
        )
    ).first()
    if duplicate is not None:
        raise Conflict(
            f"attempt {record.attempt} of '{learner.id}' on '{record.micro_credential}' "
            f"is already recorded as {duplicate}; record the next attempt number"
        )
    assessment = stored.record.assessment
    identity_required = bool(assessment and assessment.identity_verification in IDENTITY_CHECKED)
    decision = decide(rubric.rubric, record, identity_verification_required=identity_required)
    resolved = record.model_copy(update={"version": stored.version, "rubric": rubric.rubric.id})
    row = AssessmentRow(
        id=f"asm-{uuid.uuid4().hex}",
        learner_id=learner.id,
        credential_id=record.micro_credential,
        credential_version=stored.version,
        rubric_id=rubric.rubric.id,
        rubric_version=rubric.version,
        assessor=record.assessor,
        assessed_on=record.date,
        attempt=record.attempt,
        identity_verified=record.identity_verified,
        competent=decision.competent,
        achieved_level=decision.achieved_level,
        reasons=list(decision.reasons),
        recorded_at=_now(),
        recorded_by=actor,
    )
    session.add(row)
    session.flush()
    met = {outcome.criterion: outcome.met for outcome in decision.outcomes}
    session.add_all(
        CriterionResultRow(
            assessment_id=row.id,
            criterion_id=result.criterion,
            position=position,
            level=result.level,
            met=met[result.criterion],
            evidence=[item.model_dump(mode="json", exclude_none=True) for item in result.evidence],
            comment=result.comment,
        )
        for position, result in enumerate(record.results)
    )
    session.flush()
    return StoredAssessment(
        row.id, resolved, rubric.rubric.id, rubric.version, decision, as_utc(row.recorded_at), actor
    )


def _rebuild(session: Session, row: AssessmentRow) -> StoredAssessment:
    results = session.scalars(
        select(CriterionResultRow)
        .where(CriterionResultRow.assessment_id == row.id)
        .order_by(CriterionResultRow.position)
    )
    record = AssessmentRecord.model_validate(
        {
            "learner": row.learner_id,
            "micro_credential": row.credential_id,
            "version": row.credential_version,
            "rubric": row.rubric_id,
            "assessor": row.assessor,
            "date": row.assessed_on,
            "attempt": row.attempt,
            "identity_verified": row.identity_verified,
            "results": [
                {
                    "criterion": r.criterion_id,
                    "level": r.level,
                    "evidence": r.evidence,
                    "comment": r.comment,
                }
                for r in results
            ],
        }
    )
    rubric = get_rubric(session, rubric_id=row.rubric_id, version=row.rubric_version)
    stored = registry.get_record(
        session, credential_id=row.credential_id, version=row.credential_version
    )
    assessment = stored.record.assessment
    identity_required = bool(assessment and assessment.identity_verification in IDENTITY_CHECKED)
    decision = decide(rubric.rubric, record, identity_verification_required=identity_required)
    return StoredAssessment(
        row.id,
        record,
        row.rubric_id,
        row.rubric_version,
        decision,
        as_utc(row.recorded_at),
        row.recorded_by,
    )


def get_assessment(session: Session, *, assessment_id: str) -> StoredAssessment:
    """An assessment with its decision; ``NotFound`` if absent."""
    row = session.get(AssessmentRow, assessment_id)
    if row is None:
        raise NotFound(f"no assessment '{assessment_id}'")
    return _rebuild(session, row)


def list_assessments(
    session: Session,
    *,
    learner_id: str | None = None,
    credential_id: str | None = None,
    competent: bool | None = None,
) -> list[dict[str, Any]]:
    """Summaries of assessments, newest first, filtered by learner / micro-credential."""
    query = select(AssessmentRow)
    if learner_id is not None:
        query = query.where(AssessmentRow.learner_id == learner_id)
    if credential_id is not None:
        query = query.where(AssessmentRow.credential_id == credential_id)
    if competent is not None:
        query = query.where(AssessmentRow.competent == competent)
    rows = session.scalars(query.order_by(AssessmentRow.recorded_at.desc(), AssessmentRow.id))
    return [
        {
            "id": row.id,
            "learner": row.learner_id,
            "micro_credential": row.credential_id,
            "version": row.credential_version,
            "attempt": row.attempt,
            "date": row.assessed_on.isoformat(),
            "assessor": row.assessor,
            "decision": "competent" if row.competent else "not_yet_competent",
            "achieved_level": row.achieved_level,
        }
        for row in rows
    ]
