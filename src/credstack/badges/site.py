"""Public URLs that badges point to: DID documents, status lists, achievements, issuers.

- ``/.well-known/did.json`` and ``/<path>/did.json``: did:web documents
  (did-method-web section 3.2: ``did:web:host`` at ``/.well-known/did.json``,
  ``did:web:host:a:b`` at ``/a/b/did.json``), matched on the request's host; when no
  issuer has that host, a unique issuer with that path answers (useful behind a proxy).
- ``/status/{list_id}``: signed Bitstring Status List credentials.
- ``/achievements/{credential_id}[/{version}]``: the OB 3.0 Achievement, with its
  industry endorsements.
- ``/issuers/{provider_id}``: the issuer Profile with its DIDs.
- ``/badges/{badge_id}``: a badge's download for whoever may read it (its learner, its
  issuer, registry admins); everyone else sees what the learner shares by link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy.orm import Session

from credstack.api.auth import ActorDep
from credstack.api.deps import SessionDep
from credstack.assess import service as assess
from credstack.badges import endorsement_store, issuer_store, status_store
from credstack.badges import service as badges
from credstack.badges.issuer_store import IssuerInfo
from credstack.badges.service import IssuedBadge
from credstack.errors import NotFound
from credstack.registry import service as registry

router = APIRouter(tags=["badges site"], include_in_schema=False)
JSON_LD = "application/ld+json"
DID_JSON = "application/did+json"


def _json(data: Any, media_type: str = JSON_LD) -> JSONResponse:
    return JSONResponse(data, media_type=media_type)


def _did_web(host: str, port: int | None, path: str) -> str:
    authority = host.lower() + (f"%3A{port}" if port else "")
    segments = [quote(segment, safe="") for segment in path.split("/") if segment]
    return ":".join(["did", "web", authority, *segments])


def _issuer_for_did_path(session: Session, request: Request, path: str) -> IssuerInfo:
    host = request.url.hostname or ""
    wanted = _did_web(host, request.url.port, path)
    issuers = [issuer for issuer in issuer_store.list_issuers(session) if issuer.did_web]
    for issuer in issuers:
        if issuer.did_web == wanted:
            return issuer
    # did:web:<authority>:<segment>...: compare the path segments only.
    segments = wanted.split(":")[3:]
    same_path = [issuer for issuer in issuers if (issuer.did_web or "").split(":")[3:] == segments]
    if len(same_path) == 1:
        return same_path[0]
    raise NotFound(f"no issuer publishes {wanted}")


@router.get("/.well-known/did.json")
def well_known_did(request: Request, session: SessionDep) -> JSONResponse:
    """The did:web document of the issuer at this host."""
    issuer = _issuer_for_did_path(session, request, "")
    return _json(issuer.did_web_document(), DID_JSON)


@router.get("/status/{list_id}")
def status_list(list_id: str, session: SessionDep) -> JSONResponse:
    """A signed Bitstring Status List credential."""
    return _json(status_store.list_credential(session, list_id=list_id))


def _achievement(session: Session, credential_id: str, version: int | None) -> dict[str, Any]:
    stored = registry.get_record(session, credential_id=credential_id, version=version)
    issuer = issuer_store.get_issuer(session, provider_id=stored.record.provider.issuer.id)
    try:
        rubric = assess.rubric_for_credential(session, credential_id=credential_id).rubric
    except NotFound:
        rubric = None
    achievement = badges.build_achievement_for(
        record=stored.record, version=stored.version, issuer=issuer, rubric=rubric
    )
    endorsements = endorsement_store.endorsements_of(session, credential_id=credential_id)
    if endorsements:
        achievement["endorsement"] = endorsements
    return achievement


@router.get("/achievements/{credential_id}")
def achievement_current(credential_id: str, session: SessionDep) -> JSONResponse:
    """The Achievement of a micro-credential's current version, with endorsements."""
    return _json(_achievement(session, credential_id, None))


@router.get("/achievements/{credential_id}/{version}")
def achievement_version(credential_id: str, version: int, session: SessionDep) -> JSONResponse:
    """The Achievement of one version of a micro-credential, with endorsements."""
    return _json(_achievement(session, credential_id, version))


@router.get("/issuers/{provider_id}")
def issuer_profile(provider_id: str, session: SessionDep) -> JSONResponse:
    """The issuer's OB 3.0 Profile and the DIDs it signs under."""
    issuer = issuer_store.get_issuer(session, provider_id=provider_id)
    profile = issuer.profile().to_json()
    profile["otherIdentifier"] = [
        {"type": "IdentifierEntry", "identifier": did, "identifierType": "identifier"}
        for did in sorted(issuer.dids)
    ]
    return _json(profile)


def badge_download(badge: IssuedBadge) -> Response:
    """A badge as a verifier receives it: the signed JSON, or the VC-JWT as text."""
    if badge.jwt is not None:
        return PlainTextResponse(badge.jwt, media_type="application/vc+jwt")
    return _json(badge.document)


@router.get("/badges/{badge_id}")
def download_badge(badge_id: str, session: SessionDep, actor: ActorDep) -> Response:
    """A badge for its learner, its issuer and registry admins (others: 404); what the
    learner shares with others goes through a share link or their public profile."""
    return badge_download(badges.get_badge(session, badge_id=badge_id, actor=actor))


@router.get("/{path:path}/did.json")
def path_did(path: str, request: Request, session: SessionDep) -> JSONResponse:
    """The did:web document of an issuer whose did:web has a path."""
    issuer = _issuer_for_did_path(session, request, path)
    return _json(issuer.did_web_document(), DID_JSON)
