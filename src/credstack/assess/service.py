"""Assessment use cases: store rubrics, learners and assessment records with decisions.

Functions take the session as a keyword and never commit: the caller's unit of work
does. The micro-credential comes from the registry's service, never its tables. Every
public operation takes the acting ``Actor`` and asks the policy once (``assess.access``);
every change is written to the audit log.
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

from credstack.accounts import audit
from credstack.accounts import service as accounts
from credstack.accounts.errors import Unauthenticated
from credstack.accounts.model import Action, Actor, ActorKind, OrgRole, Resource, ResourceKind
from credstack.accounts.policy import require
from credstack.assess import access
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
    session: Session,
    *,
    rubric: Rubric,
    actor: Actor,
    source: str | None = None,
    address: str | None = None,
) -> tuple[StoredRubric, bool]:
    """Store ``rubric`` as a new version (unless unchanged); returns it and whether it changed.

    The rubric must fit the current version of its micro-credential (``InvalidInput``);
    the actor must edit or assess for the micro-credential's organization.
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
    organization = stored.record.provider.issuer.id
    require(actor, Action.MANAGE_RUBRICS, access.rubric_resource(rubric.id, organization))
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
        created_by=actor.label,
    )
    session.add(row)
    session.flush()
    audit.append(
        session, actor=actor, action="rubric.save", resource_type="rubric",
        resource_id=rubric.id, organization_id=organization,
        before=None if latest is None else latest.version, after=row.version,
        detail={"micro_credential": rubric.micro_credential}, address=address,
    )
    return _stored_rubric(row), True


def _stored_rubric(row: RubricRow) -> StoredRubric:
    rubric = Rubric.model_validate(row.document)
    return StoredRubric(rubric, row.version, as_utc(row.created_at), row.created_by)


def get_rubric(
    session: Session, *, rubric_id: str, actor: Actor, version: int | None = None
) -> StoredRubric:
    """A rubric at ``version`` (default: its latest); ``NotFound`` if absent or hidden."""
    stored = load_rubric(session, rubric_id=rubric_id, version=version)
    organization = access.organization_of(session, stored.rubric.micro_credential)
    require(actor, Action.READ_RUBRICS, access.rubric_resource(rubric_id, organization))
    return stored


def load_rubric(session: Session, *, rubric_id: str, version: int | None = None) -> StoredRubric:
    """A rubric at ``version`` (default: its latest) for another service; no policy check."""
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


def list_rubrics(
    session: Session, *, actor: Actor, credential_id: str | None = None
) -> list[dict[str, Any]]:
    """The latest version of every rubric the actor may read (optionally of one
    micro-credential); anonymous visitors are refused."""
    _require_signed_in(actor)
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
    organizations = access.Organizations(session)
    return [
        {
            "id": row.id,
            "version": row.version,
            "micro_credential": row.credential_id,
            "title": row.title,
            "criteria": len(row.document.get("criteria", [])),
        }
        for row in session.scalars(query.order_by(RubricRow.id))
        if access.allowed(actor, Action.READ_RUBRICS, access.rubric_resource(
            row.id, organizations.of(row.credential_id)))
    ]


def _require_signed_in(actor: Actor) -> None:
    # Listings of learner data answer anonymous visitors 401, not an empty list.
    if actor.kind is ActorKind.ANONYMOUS:
        raise Unauthenticated("sign in or send an API token (Authorization: Bearer)")


# --- learners ----------------------------------------------------------------------------


def _registering_organization(actor: Actor, given: str | None) -> str | None:
    """The organization a learner is registered for: as given, else the actor's only
    assessing organization (the operator may leave it open)."""
    if given is not None or actor.kind is not ActorKind.USER:
        return given
    mine = sorted(actor.organizations(OrgRole.ASSESSOR) | actor.organizations(OrgRole.ORG_ADMIN))
    if len(mine) == 1:
        return mine[0]
    expected = f"one of {', '.join(mine)}" if mine else "an organization you assess for"
    raise InvalidInput([Problem("organization", f"name the organization: {expected}")])


def _account_id(session: Session, email: str, location: str) -> str:
    try:
        user = accounts.get_user(session, email=email)
    except NotFound:
        raise InvalidInput([Problem(location, f"no user account '{email}'")]) from None
    owner = session.scalars(select(LearnerRow.id).where(LearnerRow.user_id == user.id)).first()
    if owner is not None:
        raise Conflict(f"user account '{email}' is already learner '{owner}'")
    return user.id


def add_learner(
    session: Session,
    *,
    learner: LearnerInput,
    actor: Actor,
    organization_id: str | None = None,
    address: str | None = None,
) -> Learner:
    """Add a learner for an organization; the email is kept only as a salted hash.

    ``learner.account`` links the learner to that user account, whose wallet then holds
    the learner's badges. ``Conflict`` if the id exists or the account has a learner.
    """
    organization = _registering_organization(actor, organization_id)
    # A new learner joins the organization's learners: nothing exists yet to hide.
    require(actor, Action.MANAGE_LEARNERS, Resource(
        ResourceKind.ORGANIZATION, organization, organization_id=organization))
    if session.get(LearnerRow, learner.id) is not None:
        raise Conflict(f"learner '{learner.id}' already exists")
    user_id = _account_id(session, learner.account, "account") if learner.account else None
    created = Learner.create(learner)
    session.add(
        LearnerRow(
            id=created.id,
            display_name=created.display_name,
            salt=created.salt,
            identity_hash=created.identity_hash,
            created_at=_now(),
            user_id=user_id,
            organization_id=organization,
        )
    )
    session.flush()
    audit.append(
        session, actor=actor, action="learner.add", resource_type="learner",
        resource_id=created.id, organization_id=organization, after=1,
        detail={"linked_account": user_id is not None}, address=address,
    )
    return created


def link_account(
    session: Session, *, learner_id: str, email: str, actor: Actor, address: str | None = None
) -> Learner:
    """Link an existing learner to a user account (their wallet); ``Conflict`` if either
    is already linked."""
    row = _learner_row(session, learner_id)
    require(actor, Action.MANAGE_LEARNERS, _learner_resources(session, row)[0])
    if row.user_id is not None:
        raise Conflict(f"learner '{learner_id}' is already linked to an account")
    row.user_id = _account_id(session, email, "email")
    session.flush()
    audit.append(
        session, actor=actor, action="learner.link", resource_type="learner",
        resource_id=learner_id, organization_id=row.organization_id,
        detail={"user_id": row.user_id}, address=address,
    )
    return _learner(row)


def _learner_row(session: Session, learner_id: str) -> LearnerRow:
    row = session.get(LearnerRow, learner_id)
    if row is None:
        raise NotFound(f"no learner '{learner_id}'")
    return row


def _learner(row: LearnerRow) -> Learner:
    return Learner(row.id, row.display_name, row.salt, row.identity_hash)


def _learner_resources(session: Session, row: LearnerRow) -> list[Resource]:
    assessed = access.Organizations(session)
    credentials = session.scalars(
        select(AssessmentRow.credential_id).where(AssessmentRow.learner_id == row.id).distinct()
    )
    organizations = [row.organization_id, *(assessed.of(c) for c in credentials)]
    return access.learner_resources(row.id, row.user_id, organizations)


def get_learner(session: Session, *, learner_id: str, actor: Actor) -> Learner:
    """The learner ``learner_id``: for the learner, the organizations that registered or
    assessed them and registry admins; ``NotFound`` if absent or hidden."""
    row = _learner_row(session, learner_id)
    access.require_any(actor, Action.READ_LEARNER, _learner_resources(session, row))
    return _learner(row)


def load_learner(session: Session, *, learner_id: str) -> Learner:
    """The learner ``learner_id`` for another service; no policy check."""
    return _learner(_learner_row(session, learner_id))


def learner_user(session: Session, *, learner_id: str) -> str | None:
    """The user account linked to a learner, if any (``NotFound`` for no learner)."""
    return _learner_row(session, learner_id).user_id


def learner_of_user(session: Session, *, user_id: str) -> str | None:
    """The learner id linked to a user account, if any."""
    return session.scalars(select(LearnerRow.id).where(LearnerRow.user_id == user_id)).first()


def learner_for_user(session: Session, *, user_id: str, email: str) -> str:
    """The learner id of a user account, made on first use: every user is a learner who
    owns a wallet (empty until an assessment of theirs is recorded under this id)."""
    existing = learner_of_user(session, user_id=user_id)
    if existing is not None:
        return existing
    created = Learner.create(LearnerInput(id=f"user-{user_id.lower()}", email=email))
    session.add(
        LearnerRow(
            id=created.id,
            display_name=None,
            salt=created.salt,
            identity_hash=created.identity_hash,
            created_at=_now(),
            user_id=user_id,
            organization_id=None,
        )
    )
    session.flush()
    return created.id


def list_learners(session: Session, *, actor: Actor) -> list[Learner]:
    """Every learner the actor may read, by id."""
    _require_signed_in(actor)
    return [
        _learner(row)
        for row in session.scalars(select(LearnerRow).order_by(LearnerRow.id))
        if any(access.allowed(actor, Action.READ_LEARNER, resource)
               for resource in _learner_resources(session, row))
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
    session: Session,
    *,
    record: AssessmentRecord,
    actor: Actor,
    source: str | None = None,
    address: str | None = None,
) -> StoredAssessment:
    """Check ``record`` against the learner, micro-credential and rubric, decide, and store.

    The actor must be an assessor of the micro-credential's organization.

    Unknown learner, micro-credential, version or rubric, and results that do not fit
    the rubric, are ``InvalidInput`` naming the field; a repeated attempt number for the
    same learner and micro-credential is a ``Conflict``.
    """
    try:
        stored = registry.get_record(
            session, credential_id=record.micro_credential, version=record.version
        )
    except NotFound as error:
        field = "version" if record.version is not None else "micro_credential"
        raise _field_problem(field, str(error), source) from None
    organization = stored.record.provider.issuer.id
    require(actor, Action.RECORD_ASSESSMENT, access.assessment_resource(None, organization, None))
    try:
        learner = load_learner(session, learner_id=record.learner)
    except NotFound:
        message = f"no learner '{record.learner}'; add it first"
        raise _field_problem("learner", message, source) from None
    try:
        rubric = (
            load_rubric(session, rubric_id=record.rubric)
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
        recorded_by=actor.label,
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
    audit.append(
        session, actor=actor, action="assessment.record", resource_type="assessment",
        resource_id=row.id, organization_id=organization, after=stored.version,
        detail={"learner": learner.id, "micro_credential": record.micro_credential,
                "attempt": record.attempt, "competent": decision.competent},
        address=address,
    )
    return StoredAssessment(
        row.id, resolved, rubric.rubric.id, rubric.version, decision, as_utc(row.recorded_at),
        actor.label,
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
    rubric = load_rubric(session, rubric_id=row.rubric_id, version=row.rubric_version)
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


def _assessment_resource(
    session: Session, row: AssessmentRow, organizations: access.Organizations
) -> Resource:
    return access.assessment_resource(
        row.id, organizations.of(row.credential_id),
        learner_user(session, learner_id=row.learner_id),
    )


def get_assessment(session: Session, *, assessment_id: str, actor: Actor) -> StoredAssessment:
    """An assessment with its decision, for its learner, the assessing organization and
    registry admins; ``NotFound`` if absent or hidden."""
    row = session.get(AssessmentRow, assessment_id)
    if row is None:
        raise NotFound(f"no assessment '{assessment_id}'")
    require(actor, Action.READ_ASSESSMENT,
            _assessment_resource(session, row, access.Organizations(session)))
    return _rebuild(session, row)


def load_assessment(session: Session, *, assessment_id: str) -> StoredAssessment:
    """An assessment for another service (badge issuing); no policy check."""
    row = session.get(AssessmentRow, assessment_id)
    if row is None:
        raise NotFound(f"no assessment '{assessment_id}'")
    return _rebuild(session, row)


def list_assessments(
    session: Session,
    *,
    actor: Actor,
    learner_id: str | None = None,
    credential_id: str | None = None,
    competent: bool | None = None,
) -> list[dict[str, Any]]:
    """Summaries of the assessments the actor may read, newest first, filtered by learner /
    micro-credential."""
    _require_signed_in(actor)
    organizations = access.Organizations(session)
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
        if access.allowed(actor, Action.READ_ASSESSMENT,
                          _assessment_resource(session, row, organizations))
    ]


def competent_attempts(session: Session, *, credential_id: str) -> list[tuple[str, str]]:
    """(assessment id, learner id) of a micro-credential's competent assessments, newest
    first, for the badge service (which checks the policy); no policy check."""
    rows = session.execute(
        select(AssessmentRow.id, AssessmentRow.learner_id)
        .where(AssessmentRow.credential_id == credential_id, AssessmentRow.competent.is_(True))
        .order_by(AssessmentRow.recorded_at.desc(), AssessmentRow.id)
    )
    return [(row.id, row.learner_id) for row in rows]
