"""Badge endpoints: issue, revoke, wallet, CLR, endorsements, and verification.

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
from pydantic import BaseModel, Field

from credstack.api.deps import SessionDep, get_database
from credstack.api.problems import responses
from credstack.api.routing import CheckedRoute
from credstack.badges import endorsement_store, service, verify_pool
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
    """An industry body's endorsement of a micro-credential's Achievement."""

    credential_id: str = Field(min_length=1, max_length=128)
    endorser: str = Field(min_length=1, max_length=128)
    comment: str = Field(min_length=1, max_length=5000)


def _keys() -> KeyRing:
    return KeyRing.from_environment()


def _purpose(suspendable: bool) -> str:
    return "suspension" if suspendable else "revocation"


def _valid_for(days: int | None) -> timedelta | None:
    return timedelta(days=days) if days else None


@router.post("/badges", status_code=201, responses=responses(404, 409, 400, 413))
def issue_badge(session: SessionDep, request: IssueRequest) -> dict[str, Any]:
    """Issue a signed OpenBadgeCredential (409 if not competent or already issued)."""
    badge = service.issue_badge(
        session,
        assessment_id=request.assessment_id,
        keys=_keys(),
        fmt=request.format,
        status_purpose=_purpose(request.suspendable),
        valid_for=_valid_for(request.valid_days),
    )
    return {"badge": badge.summary(), "credential": badge.credential}


@router.post("/badges/cohort", status_code=201, responses=responses(404, 409, 400, 413))
def issue_cohort(session: SessionDep, request: CohortRequest) -> list[dict[str, Any]]:
    """Issue badges to a micro-credential's competent learners who have none yet."""
    ids = service.cohort_assessments(session, credential_id=request.credential_id)
    badges = service.issue_badges(
        session,
        assessment_ids=ids,
        keys=_keys(),
        fmt=request.format,
        status_purpose=_purpose(request.suspendable),
    )
    return [badge.summary() for badge in badges]


@router.get("/badges/{badge_id}", responses=responses(404))
def get_badge(badge_id: str, session: SessionDep) -> dict[str, Any]:
    """A badge: its summary and the credential (signed JSON or VC-JWT)."""
    badge = service.get_badge(session, badge_id=badge_id)
    return {"badge": badge.summary(), "credential": badge.credential}


@router.post("/badges/{badge_id}/status", responses=responses(404, 409, 400, 413))
def change_status(badge_id: str, session: SessionDep, request: StateRequest) -> dict[str, Any]:
    """Revoke, suspend or reinstate a badge by flipping its status list bit."""
    if request.suspend and request.reinstate:
        raise InvalidInput([Problem("suspend", "choose suspend or reinstate, not both", "body")])
    badge = service.change_state(
        session,
        badge_id=badge_id,
        keys=_keys(),
        suspend=request.suspend,
        reinstate=request.reinstate,
        reason=request.reason,
    )
    return badge.summary()


@router.get("/learners/{learner_id}/badges", responses=responses(404))
def wallet(learner_id: str, session: SessionDep) -> list[dict[str, Any]]:
    """A learner's wallet: every badge with its state, newest first."""
    return [badge.summary() for badge in service.wallet(session, learner_id=learner_id)]


@router.get("/learners/{learner_id}/clr", responses=responses(404))
def clr(
    learner_id: str,
    session: SessionDep,
    issuer: Annotated[str | None, Query(max_length=128)] = None,
) -> dict[str, Any]:
    """A signed CLR 2.0 ClrCredential of the learner's active badges."""
    return service.build_clr(session, learner_id=learner_id, keys=_keys(), issuer_provider=issuer)


@router.post("/endorsements", status_code=201, responses=responses(404, 409, 400, 413))
def endorse(session: SessionDep, request: EndorseRequest) -> dict[str, Any]:
    """Sign and store an EndorsementCredential by an industry body."""
    return endorsement_store.endorse(
        session,
        credential_id=request.credential_id,
        endorser_id=request.endorser,
        comment=request.comment,
        keys=_keys(),
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
