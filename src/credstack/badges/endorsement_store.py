"""Industry endorsements in storage: a signed EndorsementCredential about an Achievement.

The scan's "industry endorsements": an industry body (a registry provider set up as an
issuer) vouches for a micro-credential's Achievement (OB 3.0 section B.2,
EndorsementCredential whose subject id is the Achievement id). Endorsements are served
with the Achievement and shown on the credential page.

An endorser (a user with the ``endorser`` role in an employer or industry organization)
endorses as that organization, signed with its key; a draft that the endorser may not
see is not found. Functions take the session as a keyword and never commit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from credstack.accounts import audit
from credstack.accounts.model import Action, Actor, ActorKind, OrgRole, Resource, ResourceKind
from credstack.accounts.policy import require
from credstack.badges.credential import build_endorsement_credential
from credstack.badges.issuer_store import KeyRing, get_issuer
from credstack.badges.proof import sign_data_integrity
from credstack.badges.service import achievement_url
from credstack.errors import InvalidInput, Problem
from credstack.registry import service as registry
from credstack.store.tables.badges import EndorsementRow

MAX_COMMENT = 5000


def endorse(
    session: Session,
    *,
    credential_id: str,
    endorser_id: str | None,
    comment: str,
    keys: KeyRing,
    actor: Actor,
    version: int | None = None,
    address: str | None = None,
) -> dict[str, Any]:
    """Sign and store an endorsement by ``endorser_id`` of a micro-credential's Achievement.

    ``endorser_id`` defaults to the actor's only endorsing organization; the actor must
    hold the endorser role in it.
    """
    endorser_id = _endorsing_organization(actor, endorser_id)
    require(actor, Action.ENDORSE, Resource(ResourceKind.ENDORSEMENT, organization_id=endorser_id))
    if not comment.strip() or len(comment) > MAX_COMMENT:
        raise InvalidInput(
            [Problem("comment", f"expected 1 to {MAX_COMMENT} characters of endorsement text")]
        )
    stored = registry.get_record(session, credential_id=credential_id, version=version)
    require(actor, Action.READ_RECORD, Resource(
        ResourceKind.RECORD, credential_id, organization_id=stored.record.provider.issuer.id,
        status=stored.status.value,
    ))
    issuer = get_issuer(session, provider_id=stored.record.provider.issuer.id)
    endorser = get_issuer(session, provider_id=endorser_id)
    unsigned = build_endorsement_credential(
        endorser=endorser.profile(),
        endorsed_id=achievement_url(issuer.base_url, credential_id, stored.version),
        comment=comment.strip(),
        valid_from=datetime.now(UTC),
    )
    signed = sign_data_integrity(unsigned, keys.signing_key(session, provider_id=endorser_id))
    session.add(
        EndorsementRow(
            id=signed["id"],
            credential_id=credential_id,
            endorser_id=endorser_id,
            document=signed,
            created_at=datetime.now(UTC),
        )
    )
    session.flush()
    audit.append(
        session, actor=actor, action="endorsement.create", resource_type="endorsement",
        resource_id=signed["id"], organization_id=endorser_id, after=stored.version,
        detail={"micro_credential": credential_id}, address=address,
    )
    return signed


def _endorsing_organization(actor: Actor, given: str | None) -> str:
    if given is not None:
        return given
    mine = sorted(actor.organizations(OrgRole.ENDORSER)) if actor.kind is ActorKind.USER else []
    if len(mine) == 1:
        return mine[0]
    if not mine:  # no endorsing organization at all: the policy's refusal (401 or 403)
        require(actor, Action.ENDORSE, Resource(ResourceKind.ENDORSEMENT))
    expected = f"one of {', '.join(mine)}" if mine else "the endorsing organization's id"
    raise InvalidInput([Problem("endorser", f"name the organization: {expected}")])


def endorsements_of(session: Session, *, credential_id: str) -> list[dict[str, Any]]:
    """The signed endorsements of a micro-credential, oldest first."""
    rows = session.scalars(
        select(EndorsementRow)
        .where(EndorsementRow.credential_id == credential_id)
        .order_by(EndorsementRow.created_at, EndorsementRow.id)
    )
    return [dict(row.document) for row in rows]
