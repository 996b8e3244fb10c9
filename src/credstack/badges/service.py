"""Badge use cases: issue for competent assessments, revoke or suspend, wallet, CLR.

Everything cryptographic is the badges library's; this module joins it to storage:
the assessment and the registry record (through their services), the issuer's keys,
and the status lists. Functions take the session as a keyword and never commit.

Every public operation takes the acting ``Actor`` and asks the policy once: issuers
issue and revoke with their own organization's keys only (a badge is always signed by
the key of the provider of its micro-credential, and the actor must be an issuer of that
provider); a badge and a wallet are the learner's, the issuing organization's and the
registry admins'. Issue and status changes are written to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from credstack.accounts import audit
from credstack.accounts.model import Action, Actor, Resource, ResourceKind
from credstack.accounts.policy import require
from credstack.assess import service as assess
from credstack.assess.errors import NotCompetent
from credstack.assess.learner import Learner
from credstack.assess.rubric import Rubric
from credstack.assess.service import StoredAssessment, as_utc
from credstack.badges.achievement import RubricCriterion, RubricLevel, build_achievement
from credstack.badges.credential import (
    Association,
    Award,
    CriterionResult,
    EvidenceItem,
    Recipient,
    build_clr_credential,
    build_open_badge_credential,
    new_credential_id,
)
from credstack.badges.issuer_store import IssuerInfo, KeyRing, get_issuer
from credstack.badges.jwt import sign_jwt
from credstack.badges.proof import sign_data_integrity
from credstack.badges.status import status_entry
from credstack.badges.status_store import allocate, set_bit
from credstack.domain.credential import MicroCredential
from credstack.errors import Conflict, InvalidInput, NotFound, Problem
from credstack.registry import service as registry
from credstack.store.tables.badges import IssuedBadgeRow, StatusListRow

FORMATS = ("di", "jwt")
ACTIVE, REVOKED, SUSPENDED = "active", "revoked", "suspended"
ProgressCallback = Callable[[int, int], None]


def _now() -> datetime:
    return datetime.now(UTC)


def achievement_url(base_url: str, credential_id: str, version: int) -> str:
    """The Achievement id of one version of a micro-credential (served by the site)."""
    return f"{base_url}/achievements/{credential_id}/{version}"


def rubric_criteria(rubric: Rubric, achievement_id: str) -> list[RubricCriterion]:
    """The rubric as OB ``ResultDescription`` inputs, with IRIs under the achievement."""
    criteria = []
    for criterion in rubric.criteria:
        base = f"{achievement_id}#criterion-{criterion.id}"
        levels = tuple(
            RubricLevel(f"{base}-{level.id}", level.name, rubric.descriptor(criterion, level.id))
            for level in rubric.scale.levels
        )
        criteria.append(
            RubricCriterion(
                id=base,
                name=criterion.name,
                levels=levels,
                required_level=f"{base}-{criterion.threshold}" if criterion.required else None,
                outcome_ids=tuple(criterion.learning_outcomes),
            )
        )
    return criteria


def build_achievement_for(
    *, record: MicroCredential, version: int, issuer: IssuerInfo, rubric: Rubric | None
) -> dict[str, Any]:
    """The OB 3.0 Achievement of one version of ``record``, with its rubric."""
    identifier = achievement_url(issuer.base_url, record.id, version)
    return build_achievement(
        record,
        achievement_id=identifier,
        creator=issuer.profile(),
        rubric=rubric_criteria(rubric, identifier) if rubric else (),
        version=str(version),
    )


def _results_and_evidence(
    assessment: StoredAssessment, rubric: Rubric, achievement_id: str
) -> tuple[list[CriterionResult], list[EvidenceItem]]:
    results: list[CriterionResult] = []
    evidence: list[EvidenceItem] = []
    met = {outcome.criterion: outcome.met for outcome in assessment.decision.outcomes}
    for result in assessment.record.results:
        criterion = rubric.criterion(result.criterion)
        base = f"{achievement_id}#criterion-{criterion.id}"
        results.append(
            CriterionResult(
                result_description=base,
                achieved_level=f"{base}-{result.level}",
                status="Completed" if met.get(criterion.id) else None,
            )
        )
        for item in result.evidence:
            if item.uri is not None:
                evidence.append(
                    EvidenceItem(
                        id=item.uri, name=item.name or criterion.name, genre=criterion.method.value
                    )
                )
            else:
                evidence.append(
                    EvidenceItem(
                        name=item.name or item.file,
                        description=f"File {item.file}, SHA-256 {item.sha256}",
                        genre=criterion.method.value,
                    )
                )
    return results, evidence


def _recipient(learner: Learner) -> tuple[Recipient, dict[str, Any]]:
    # The library hashes an identifier it is given; credstack keeps only the hash, so the
    # stored IdentityObject replaces the one the builder computes.
    identity = learner.identity_object()
    return Recipient(learner.id, identity["identityType"], identity["salt"]), identity


@dataclass(frozen=True)
class IssuedBadge:
    """A badge as issued and its current state."""

    id: str
    learner_id: str
    credential_id: str
    credential_version: int
    provider_id: str
    issuer_did: str
    format: str
    document: dict[str, Any]
    jwt: str | None
    state: str
    state_reason: str | None
    issued_at: datetime
    status_list_id: str
    status_index: int
    assessment_id: str

    @property
    def credential(self) -> dict[str, Any] | str:
        """What a verifier receives: the signed JSON, or the compact VC-JWT."""
        return self.jwt if self.jwt is not None else self.document

    def summary(self) -> dict[str, Any]:
        """Plain data for listings (no credential body)."""
        subject = self.document.get("credentialSubject", {})
        achievement = subject.get("achievement", {}) if isinstance(subject, dict) else {}
        return {
            "id": self.id,
            "learner": self.learner_id,
            "micro_credential": self.credential_id,
            "version": self.credential_version,
            "name": achievement.get("name"),
            "issuer": self.issuer_did,
            "provider": self.provider_id,
            "format": self.format,
            "state": self.state,
            "reason": self.state_reason,
            "issued_at": self.issued_at.isoformat(),
            "assessment": self.assessment_id,
        }


def _badge(row: IssuedBadgeRow) -> IssuedBadge:
    return IssuedBadge(
        row.id,
        row.learner_id,
        row.credential_id,
        row.credential_version,
        row.provider_id,
        row.issuer_did,
        row.format,
        row.document,
        row.jwt,
        row.state,
        row.state_reason,
        as_utc(row.issued_at),
        row.status_list_id,
        row.status_index,
        row.assessment_id,
    )


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput([Problem("--format", f"expected 'di' or 'jwt', got '{fmt}'")])


@dataclass
class _IssueContext:
    """What badges for one micro-credential version share (built once per cohort)."""

    record: MicroCredential
    version: int
    issuer: IssuerInfo
    rubric: Rubric
    achievement: dict[str, Any]


def _context(
    session: Session, assessment: StoredAssessment, cache: dict[tuple[str, int, str, int], Any]
) -> _IssueContext:
    key = (
        assessment.record.micro_credential,
        assessment.credential_version,
        assessment.rubric_id,
        assessment.rubric_version,
    )
    if key not in cache:
        stored = registry.get_record(
            session, credential_id=key[0], version=assessment.credential_version
        )
        issuer = get_issuer(session, provider_id=stored.record.provider.issuer.id)
        rubric = assess.load_rubric(
            session, rubric_id=assessment.rubric_id, version=assessment.rubric_version
        ).rubric
        achievement = build_achievement_for(
            record=stored.record, version=stored.version, issuer=issuer, rubric=rubric
        )
        cache[key] = _IssueContext(stored.record, stored.version, issuer, rubric, achievement)
    context: _IssueContext = cache[key]
    return context


def _active_badge_for(session: Session, assessment_id: str) -> str | None:
    return session.scalars(
        select(IssuedBadgeRow.id).where(
            IssuedBadgeRow.assessment_id == assessment_id, IssuedBadgeRow.state != REVOKED
        )
    ).first()


def _issue_one(
    session: Session,
    *,
    assessment: StoredAssessment,
    context: _IssueContext,
    slot: tuple[StatusListRow, int],
    keys: KeyRing,
    fmt: str,
    valid_for: timedelta | None,
    now: datetime,
) -> IssuedBadge:
    learner = assess.load_learner(session, learner_id=assessment.record.learner)
    recipient, identity = _recipient(learner)
    results, evidence = _results_and_evidence(assessment, context.rubric, context.achievement["id"])
    row, index = slot
    award = Award(
        recipient=recipient,
        valid_from=now,
        valid_until=now + valid_for if valid_for else None,
        awarded_date=now,
        credential_id=new_credential_id(),
        results=results,
        evidence=evidence,
        credential_status=status_entry(row.url, index, row.purpose),
    )
    unsigned = build_open_badge_credential(context.achievement, context.issuer.profile(), award)
    unsigned["credentialSubject"]["identifier"] = [identity]
    key = keys.signing_key(session, provider_id=context.issuer.provider_id)
    document, token = (
        (sign_data_integrity(unsigned, key, created=now), None)
        if fmt == "di"
        else (unsigned, sign_jwt(unsigned, key))
    )
    badge = IssuedBadgeRow(
        id=award.credential_id,
        assessment_id=assessment.id,
        learner_id=learner.id,
        credential_id=context.record.id,
        credential_version=context.version,
        provider_id=context.issuer.provider_id,
        issuer_did=context.issuer.did,
        format=fmt,
        document=document,
        jwt=token,
        status_list_id=row.id,
        status_index=index,
        state=ACTIVE,
        issued_at=now,
    )
    session.add(badge)
    return _badge(badge)


def issue_badges(
    session: Session,
    *,
    assessment_ids: Sequence[str],
    keys: KeyRing,
    actor: Actor,
    address: str | None = None,
    fmt: str = "di",
    status_purpose: str = "revocation",
    valid_for: timedelta | None = None,
    on_progress: ProgressCallback | None = None,
) -> list[IssuedBadge]:
    """Issue one OpenBadgeCredential per competent assessment (all or nothing).

    ``NotCompetent`` if any assessment is not competent; ``Conflict`` if one already has
    a badge that is not revoked. ``status_purpose`` ``suspension`` makes badges that can
    be suspended and reinstated instead of revoked (OB 3.0 allows one status entry).
    The actor must be an issuer of every micro-credential's provider, whose key signs.
    """
    _check_format(fmt)
    if status_purpose not in ("revocation", "suspension"):
        raise InvalidInput([Problem("status_purpose", "expected 'revocation' or 'suspension'")])
    assessments = [assess.load_assessment(session, assessment_id=i) for i in assessment_ids]
    cache: dict[tuple[str, int, str, int], Any] = {}
    contexts = [_context(session, assessment, cache) for assessment in assessments]
    for provider in sorted({context.issuer.provider_id for context in contexts}):
        require(actor, Action.ISSUE_BADGE, _issuing(provider))
    for assessment in assessments:
        if not assessment.decision.competent:
            raise NotCompetent(
                f"assessment {assessment.id} is not competent: "
                + "; ".join(assessment.decision.reasons)
            )
        existing = _active_badge_for(session, assessment.id)
        if existing is not None:
            raise Conflict(f"assessment {assessment.id} already has badge {existing}")
    slots_by_issuer: dict[str, list[tuple[StatusListRow, int]]] = {}
    for context in contexts:
        provider = context.issuer.provider_id
        if provider not in slots_by_issuer:
            wanted = sum(1 for c in contexts if c.issuer.provider_id == provider)
            slots_by_issuer[provider] = allocate(
                session, issuer=context.issuer, purpose=status_purpose, keys=keys, count=wanted
            )
    now = _now()
    issued = []
    for position, (assessment, context) in enumerate(zip(assessments, contexts, strict=True)):
        slot = slots_by_issuer[context.issuer.provider_id].pop()
        issued.append(
            _issue_one(
                session,
                assessment=assessment,
                context=context,
                slot=slot,
                keys=keys,
                fmt=fmt,
                valid_for=valid_for,
                now=now,
            )
        )
        audit.append(
            session, actor=actor, action="badge.issue", resource_type="badge",
            resource_id=issued[-1].id, organization_id=context.issuer.provider_id, after=ACTIVE,
            detail={"assessment": assessment.id, "learner": assessment.record.learner,
                    "micro_credential": context.record.id, "format": fmt},
            address=address,
        )
        if on_progress is not None:
            on_progress(position + 1, len(assessments))
    session.flush()
    return issued


def _issuing(provider_id: str) -> Resource:
    """A new badge of ``provider_id`` (signed with that provider's key)."""
    return Resource(ResourceKind.BADGE, organization_id=provider_id)


def badge_resource(session: Session, badge: IssuedBadge, *, shared: bool = False) -> Resource:
    """An issued badge: its learner's, its issuing organization's; ``shared`` when the
    learner shared it (a share link or their public profile)."""
    return Resource(
        ResourceKind.BADGE, badge.id, organization_id=badge.provider_id,
        owner_id=assess.learner_user(session, learner_id=badge.learner_id), shared=shared,
    )


def wallet_resource(session: Session, learner_id: str) -> Resource:
    """A learner's wallet (``NotFound`` for an unknown learner)."""
    return Resource(
        ResourceKind.WALLET, learner_id,
        owner_id=assess.learner_user(session, learner_id=learner_id),
    )


def issue_badge(
    session: Session,
    *,
    assessment_id: str,
    keys: KeyRing,
    actor: Actor,
    address: str | None = None,
    fmt: str = "di",
    status_purpose: str = "revocation",
    valid_for: timedelta | None = None,
) -> IssuedBadge:
    """Issue the badge of one competent assessment."""
    (badge,) = issue_badges(
        session,
        assessment_ids=[assessment_id],
        keys=keys,
        actor=actor,
        address=address,
        fmt=fmt,
        status_purpose=status_purpose,
        valid_for=valid_for,
    )
    return badge


def cohort_assessments(session: Session, *, credential_id: str, actor: Actor) -> list[str]:
    """Competent assessments of a micro-credential whose learner has no live badge for it.

    One per learner: their latest competent attempt. For the provider's issuers.
    """
    stored = registry.get_record(session, credential_id=credential_id)  # NotFound if unknown
    require(actor, Action.ISSUE_BADGE, _issuing(stored.record.provider.issuer.id))
    holders = set(
        session.scalars(
            select(IssuedBadgeRow.learner_id).where(
                IssuedBadgeRow.credential_id == credential_id, IssuedBadgeRow.state != REVOKED
            )
        )
    )
    chosen: dict[str, str] = {}
    for assessment_id, learner in assess.competent_attempts(session, credential_id=credential_id):
        if learner not in holders and learner not in chosen:
            chosen[learner] = assessment_id  # newest first: the latest attempt wins
    return sorted(chosen.values())


def get_badge(session: Session, *, badge_id: str, actor: Actor) -> IssuedBadge:
    """An issued badge, for its learner, its issuing organization and registry admins;
    ``NotFound`` if absent or hidden."""
    badge = load_badge(session, badge_id=badge_id)
    require(actor, Action.READ_BADGE, badge_resource(session, badge))
    return badge


def load_badge(session: Session, *, badge_id: str) -> IssuedBadge:
    """An issued badge for another service (verification, share links); no policy check."""
    row = session.get(IssuedBadgeRow, badge_id)
    if row is None:
        raise NotFound(f"no badge '{badge_id}'")
    return _badge(row)


def recorded_reason(session: Session, *, credential_id: str) -> str | None:
    """The reason stored when this registry revoked or suspended the credential, if any."""
    row = session.get(IssuedBadgeRow, credential_id)
    if row is None or row.state == ACTIVE:
        return None
    return row.state_reason


def change_state(
    session: Session,
    *,
    badge_id: str,
    keys: KeyRing,
    actor: Actor,
    suspend: bool = False,
    reinstate: bool = False,
    reason: str | None = None,
    address: str | None = None,
) -> IssuedBadge:
    """Revoke, suspend or reinstate a badge by flipping its status list bit.

    A badge's single status entry fixes what can happen to it: a revocation entry can
    only be revoked (for good), a suspension entry suspended and reinstated.
    """
    row = session.get(IssuedBadgeRow, badge_id)
    if row is None:
        raise NotFound(f"no badge '{badge_id}'")
    require(actor, Action.REVOKE_BADGE, badge_resource(session, _badge(row)))
    status_list = session.get(StatusListRow, row.status_list_id)
    assert status_list is not None
    purpose = status_list.purpose
    if purpose == "revocation" and (suspend or reinstate):
        raise Conflict(f"badge {badge_id} has a revocation entry: it can be revoked, not suspended")
    if purpose == "suspension" and not (suspend or reinstate):
        raise Conflict(f"badge {badge_id} has a suspension entry: suspend or reinstate it")
    if row.state == REVOKED:
        raise Conflict(f"badge {badge_id} is already revoked")
    target = ACTIVE if reinstate else SUSPENDED if suspend else REVOKED
    if row.state == target:
        raise Conflict(f"badge {badge_id} is already {target}")
    set_bit(
        session, list_id=row.status_list_id, index=row.status_index, value=not reinstate, keys=keys
    )
    before = row.state
    row.state = target
    row.state_reason = reason
    row.state_changed_at = _now()
    session.flush()
    verb = "reinstate" if reinstate else "suspend" if suspend else "revoke"
    audit.append(
        session, actor=actor, action=f"badge.{verb}", resource_type="badge",
        resource_id=badge_id, organization_id=row.provider_id, before=before, after=target,
        detail={"reason": reason} if reason else {}, address=address,
    )
    return _badge(row)


def wallet(session: Session, *, learner_id: str, actor: Actor) -> list[IssuedBadge]:
    """Every badge of a learner, newest first, for the learner and registry admins;
    ``NotFound`` for an unknown or hidden learner."""
    require(actor, Action.READ_WALLET, wallet_resource(session, learner_id))
    return learner_badges(session, learner_id=learner_id)


def learner_badges(session: Session, *, learner_id: str) -> list[IssuedBadge]:
    """Every badge of a learner, newest first, for another service; no policy check."""
    rows = session.scalars(
        select(IssuedBadgeRow)
        .where(IssuedBadgeRow.learner_id == learner_id)
        .order_by(IssuedBadgeRow.issued_at.desc(), IssuedBadgeRow.id)
    )
    return [_badge(row) for row in rows]


def _associations(session: Session, badges: Sequence[IssuedBadge]) -> list[Association]:
    # CIS stackability: micro-credentials that combine are peers in the learner's record.
    achievement_of = {
        badge.credential_id: badge.document["credentialSubject"]["achievement"]["id"]
        for badge in badges
    }
    found = []
    for badge in badges:
        record = registry.get_record(
            session, credential_id=badge.credential_id, version=badge.credential_version
        ).record
        partners = record.stackability.combines_with if record.stackability else []
        for partner in partners:
            if partner in achievement_of and partner != badge.credential_id:
                found.append(
                    Association(
                        "isPeerOf", achievement_of[badge.credential_id], achievement_of[partner]
                    )
                )
    return found


def build_clr(
    session: Session,
    *,
    learner_id: str,
    keys: KeyRing,
    actor: Actor,
    issuer_provider: str | None = None,
) -> dict[str, Any]:
    """A signed CLR 2.0 ``ClrCredential`` of a learner's live Data Integrity badges.

    The CLR is signed by ``issuer_provider`` (default: the provider of all the badges,
    when there is one). VC-JWT badges are left out: a ClrSubject embeds JSON credentials.
    For whoever may read the learner's wallet.
    """
    badges = [
        b for b in wallet(session, learner_id=learner_id, actor=actor)
        if b.state == ACTIVE and b.jwt is None
    ]
    learner = assess.load_learner(session, learner_id=learner_id)
    if not badges:
        raise NotFound(f"learner '{learner_id}' has no active Data Integrity badge")
    providers = sorted({badge.provider_id for badge in badges})
    if issuer_provider is None:
        if len(providers) > 1:
            raise InvalidInput(
                [
                    Problem(
                        "--issuer", f"badges come from {', '.join(providers)}; name the CLR issuer"
                    )
                ]
            )
        issuer_provider = providers[0]
    elif issuer_provider not in providers:
        # Only an organization that issued one of the badges signs the learner's record.
        raise InvalidInput(
            [Problem("--issuer", f"expected one of {', '.join(providers)}, the badges' issuers")]
        )
    issuer = get_issuer(session, provider_id=issuer_provider)
    recipient, identity = _recipient(learner)
    unsigned = build_clr_credential(
        issuer=issuer.profile(),
        recipient=recipient,
        credentials=[badge.document for badge in badges],
        valid_from=_now(),
        name=f"Comprehensive Learner Record of {learner.display_name or learner.id}",
        associations=_associations(session, badges),
    )
    unsigned["credentialSubject"]["identifier"] = [identity]
    return sign_data_integrity(unsigned, keys.signing_key(session, provider_id=issuer_provider))
