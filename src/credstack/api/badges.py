"""Badge endpoints: issue, revoke, wallet, share links, CLR, endorsements, verification.

The services ask the policy: issuers of the micro-credential's organization issue and
revoke (with that organization's key); a badge, a wallet and a CLR are the learner's
(and the registry admins'; the issuing organization reads its badges); endorsers endorse
as their organization. What a learner shared (``/shared/{secret}``,
``/profiles/{handle}``) and verification are public.

Signing endpoints load issuer keys from their files with the passphrase named by
``$CREDSTACK_KEY_PASSPHRASE_FILE``; no response ever carries private key material.
``POST /verify`` reads at most ``MAX_VERIFY_BYTES`` of body (413 beyond) and answers
with a report: hostile input (repeated keys, members no signature covers, a document
too costly to verify) is a failed check, never a server error. Verification runs in a
bounded pool (``badges.verify_pool``); when it is full the answer is 503 with
``Retry-After``.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from credstack.accounts.secret_values import parse_lifetime
from credstack.api.auth import ActorDep, client_address
from credstack.api.deps import SessionDep, get_database
from credstack.api.problems import responses
from credstack.api.refusals import GUARDED, refusals
from credstack.api.routing import CheckedRoute
from credstack.badges import endorsement_store, service, sharing, verify_pool
from credstack.badges.canonical import DEFAULT_LIMITS
from credstack.badges.issuer_store import KeyRing
from credstack.badges.verify_pool import PoolBusy
from credstack.badges.verify_service import verify
from credstack.errors import InvalidInput, Problem

router = APIRouter(tags=["badges"], route_class=CheckedRoute, responses=responses(503))

MAX_VERIFY_BYTES = DEFAULT_LIMITS.max_json_bytes


class IssueRequest(BaseModel):
    """Issue a badge for one competent assessment."""

    assessment_id: str = Field(min_length=1, max_length=64)
    format: str = Field(default="di", pattern="^(di|jwt)$")
    suspendable: bool = False
    valid_days: int | None = Field(default=None, ge=1, le=36_500)


class CohortRequest(BaseModel):
    """Issue badges to every competent learner of a micro-credential without one."""

    credential_id: str = Field(min_length=1, max_length=128)
    format: str = Field(default="di", pattern="^(di|jwt)$")
    suspendable: bool = False


class StateRequest(BaseModel):
    """Revoke (default), suspend or reinstate a badge."""

    suspend: bool = False
    reinstate: bool = False
    reason: str | None = Field(default=None, max_length=2000)


class EndorseRequest(BaseModel):
    """An employer's or industry body's endorsement of a micro-credential's Achievement,
    as the caller's organization (default: the caller's only endorsing organization)."""

    credential_id: str = Field(min_length=1, max_length=128)
    endorser: str | None = Field(default=None, min_length=1, max_length=128)
    comment: str = Field(min_length=1, max_length=5000)


class ShareRequest(BaseModel):
    """A share link for one badge or a chosen set of the caller's wallet."""

    model_config = ConfigDict(extra="forbid")

    badge_ids: list[str] = Field(min_length=1, max_length=sharing.MAX_BADGES)
    expires: str | None = Field(
        default=None, max_length=16, description="Lifetime such as 30d, 12h, 2w; none: never."
    )


class ProfileRequest(BaseModel):
    """Switch the caller's public profile on or off."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool


def _keys() -> KeyRing:
    return KeyRing.from_environment()


def _purpose(suspendable: bool) -> str:
    return "suspension" if suspendable else "revocation"


def _valid_for(days: int | None) -> timedelta | None:
    return timedelta(days=days) if days else None


@router.post("/badges", status_code=201, responses={**responses(404, 409, 400, 413), **GUARDED})
def issue_badge(
    session: SessionDep, actor: ActorDep, request: IssueRequest, http: Request
) -> dict[str, Any]:
    """Issue a signed OpenBadgeCredential (409 if not competent or already issued)."""
    badge = service.issue_badge(
        session,
        assessment_id=request.assessment_id,
        keys=_keys(),
        actor=actor,
        address=client_address(http),
        fmt=request.format,
        status_purpose=_purpose(request.suspendable),
        valid_for=_valid_for(request.valid_days),
    )
    return {"badge": badge.summary(), "credential": badge.credential}


@router.post(
    "/badges/cohort", status_code=201, responses={**responses(404, 409, 400, 413), **GUARDED}
)
def issue_cohort(
    session: SessionDep, actor: ActorDep, request: CohortRequest, http: Request
) -> list[dict[str, Any]]:
    """Issue badges to a micro-credential's competent learners who have none yet."""
    ids = service.cohort_assessments(session, credential_id=request.credential_id, actor=actor)
    badges = service.issue_badges(
        session,
        assessment_ids=ids,
        keys=_keys(),
        actor=actor,
        address=client_address(http),
        fmt=request.format,
        status_purpose=_purpose(request.suspendable),
    )
    return [badge.summary() for badge in badges]


@router.get("/badges/{badge_id}", responses={**responses(404), **GUARDED})
def get_badge(badge_id: str, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """A badge: its summary and the credential (signed JSON or VC-JWT)."""
    badge = service.get_badge(session, badge_id=badge_id, actor=actor)
    return {"badge": badge.summary(), "credential": badge.credential}


@router.post(
    "/badges/{badge_id}/status", responses={**responses(404, 409, 400, 413), **GUARDED}
)
def change_status(
    badge_id: str, session: SessionDep, actor: ActorDep, request: StateRequest, http: Request
) -> dict[str, Any]:
    """Revoke, suspend or reinstate a badge by flipping its status list bit."""
    if request.suspend and request.reinstate:
        raise InvalidInput([Problem("suspend", "choose suspend or reinstate, not both", "body")])
    badge = service.change_state(
        session,
        badge_id=badge_id,
        keys=_keys(),
        actor=actor,
        suspend=request.suspend,
        reinstate=request.reinstate,
        reason=request.reason,
        address=client_address(http),
    )
    return badge.summary()


@router.get("/learners/{learner_id}/badges", responses={**responses(404), **GUARDED})
def wallet(learner_id: str, session: SessionDep, actor: ActorDep) -> list[dict[str, Any]]:
    """A learner's wallet: every badge with its state, newest first."""
    badges = service.wallet(session, learner_id=learner_id, actor=actor)
    return [badge.summary() for badge in badges]


@router.get("/learners/{learner_id}/clr", responses={**responses(404, 400), **GUARDED})
def clr(
    learner_id: str,
    session: SessionDep,
    actor: ActorDep,
    issuer: Annotated[str | None, Query(max_length=128)] = None,
) -> dict[str, Any]:
    """A signed CLR 2.0 ClrCredential of the learner's active badges."""
    return service.build_clr(
        session, learner_id=learner_id, keys=_keys(), actor=actor, issuer_provider=issuer
    )


@router.get("/wallet", responses={**responses(404), **refusals(401)})
def my_wallet(session: SessionDep, actor: ActorDep) -> list[dict[str, Any]]:
    """The signed-in user's wallet (404 if their account has no learner record)."""
    learner = sharing.own_learner(session, actor)
    return [b.summary() for b in service.wallet(session, learner_id=learner, actor=actor)]


@router.get("/wallet/share-links", responses={**responses(404), **GUARDED})
def list_share_links(session: SessionDep, actor: ActorDep) -> list[dict[str, Any]]:
    """The signed-in learner's share links and public profile (never their secrets)."""
    return [link.to_dict() for link in sharing.list_links(session, actor=actor)]


@router.post(
    "/wallet/share-links", status_code=201, responses={**responses(404, 400, 413), **GUARDED}
)
def create_share_link(
    session: SessionDep, actor: ActorDep, body: ShareRequest, http: Request
) -> dict[str, Any]:
    """A share link for badges of the caller's wallet; its secret is shown only here."""
    lifetime = parse_lifetime(body.expires, location="expires") if body.expires else None
    link, secret = sharing.create_link(
        session, actor=actor, badge_ids=body.badge_ids, lifetime=lifetime,
        address=client_address(http),
    )
    return {**link.to_dict(), "secret": secret, "path": f"/shared/{secret}"}


@router.post("/wallet/share-links/{link_id}/revoke", responses={**responses(404), **GUARDED})
def revoke_share_link(
    link_id: str, session: SessionDep, actor: ActorDep, http: Request
) -> dict[str, Any]:
    """Revoke one of the caller's share links: it shows nothing from now on."""
    return sharing.revoke_link(
        session, actor=actor, link_id=link_id, address=client_address(http)
    ).to_dict()


@router.put("/wallet/profile", responses={**responses(404, 400, 413), **GUARDED})
def set_profile(
    session: SessionDep, actor: ActorDep, body: ProfileRequest, http: Request
) -> dict[str, Any]:
    """Switch the caller's public profile (every active badge) on or off."""
    link = sharing.set_profile(
        session, actor=actor, enabled=body.enabled, address=client_address(http)
    )
    return {"enabled": link is not None, "path": f"/profiles/{link.id}" if link else None}


def _shared_json(shared: sharing.SharedWallet) -> dict[str, Any]:
    return {
        "learner": shared.learner_name,
        "expires_at": shared.expires_at.isoformat() if shared.expires_at else None,
        "badges": [
            {"badge": badge.summary() | {"learner": None, "assessment": None},
             "credential": badge.credential}
            for badge in shared.badges
        ],
    }


@router.get("/shared/{secret}", responses={**responses(404), **refusals(401)})
def open_share_link(secret: str, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """What a learner shared by link (public); 404 once revoked or expired."""
    return _shared_json(sharing.open_link(session, secret=secret, actor=actor))


@router.get("/profiles/{handle}", responses={**responses(404), **refusals(401)})
def open_profile(handle: str, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """A learner's public profile: their active badges (public); 404 when switched off."""
    return _shared_json(sharing.open_profile(session, handle=handle, actor=actor))


@router.post(
    "/endorsements", status_code=201, responses={**responses(404, 409, 400, 413), **GUARDED}
)
def endorse(
    session: SessionDep, actor: ActorDep, request: EndorseRequest, http: Request
) -> dict[str, Any]:
    """Sign and store an EndorsementCredential as the caller's organization."""
    return endorsement_store.endorse(
        session,
        credential_id=request.credential_id,
        endorser_id=request.endorser,
        comment=request.comment,
        keys=_keys(),
        actor=actor,
        address=client_address(http),
    )


@router.get("/endorsements", responses=responses(404))
def endorsements(
    session: SessionDep, credential: Annotated[str, Query(max_length=128)]
) -> list[dict[str, Any]]:
    """The signed endorsements of a micro-credential."""
    return endorsement_store.endorsements_of(session, credential_id=credential)


async def _bounded_body(request: Request) -> bytes | None:
    """The body, or None when it is larger than ``MAX_VERIFY_BYTES``."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_VERIFY_BYTES:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_VERIFY_BYTES:
            return None
    return bytes(body)


def _unwrap(body: bytes) -> bytes | str:
    # A JWT may arrive as a JSON string ("eyJ..."); a credential as a JSON object.
    stripped = body.strip()
    if stripped.startswith(b'"'):
        try:
            value = json.loads(stripped)
        except ValueError:
            return body
        if isinstance(value, str):
            return value
    return body


def _failed(reason: str) -> dict[str, Any]:
    return {
        "verified": False,
        "format": None,
        "checks": [{"name": "input", "passed": False, "result": "failed", "reason": reason}],
    }


VERIFY_BODY = {
    "responses": {
        "413": {"description": "Body larger than the verifier's limit; a failed report"},
        "503": {"description": "Verification is busy; retry after the Retry-After seconds"},
    },
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object", "description": "A credential"}},
            "text/plain": {"schema": {"type": "string", "description": "A compact VC-JWT"}},
        },
    }
}


REPORT = {
    "description": "Verification report: every check with whether it passed and why not.",
    "content": {
        "application/json": {
            "schema": {
                "title": "VerificationReport",
                "type": "object",
                "required": ["verified", "checks"],
                "properties": {
                    "verified": {"type": "boolean"},
                    "format": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    "checks": {"type": "array", "items": {"type": "object"}},
                },
            }
        }
    },
}
VERIFY_RESPONSES: dict[int | str, Any] = {
    200: REPORT,
    413: {**REPORT, "description": f"Body over {MAX_VERIFY_BYTES} bytes: a failed report."},
}


@router.post("/verify", openapi_extra=VERIFY_BODY, responses=VERIFY_RESPONSES)
async def verify_credential(request: Request) -> JSONResponse:
    """Verify a credential (JSON) or a VC-JWT; every check is reported separately."""
    body = await _bounded_body(request)
    if body is None:
        return JSONResponse(_failed(f"body larger than {MAX_VERIFY_BYTES} bytes"), status_code=413)
    database = get_database(request)

    def run() -> dict[str, Any]:
        with database.read() as session:
            return verify(session, credential=_unwrap(body)).to_json()

    try:
        report = await asyncio.wrap_future(verify_pool.POOL.submit(run, size=len(body)))
    except PoolBusy as busy:
        return JSONResponse(_failed(str(busy)), status_code=503,
                            headers={"Retry-After": str(busy.retry_after)})
    except Exception as error:  # the contract: a report, never a crash
        report = _failed(f"could not be verified: {type(error).__name__}")
    return JSONResponse(report)
