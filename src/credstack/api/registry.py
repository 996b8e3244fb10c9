"""Registry endpoints: credentials (search, create, versions, lifecycle) and providers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from credstack.accounts.model import Actor
from credstack.api.auth import ActorDep, client_address
from credstack.api.bodies import json_body, schema_of
from credstack.api.deps import SessionDep
from credstack.api.params import (
    JURISDICTION_PATTERN,
    AmountQuery,
    IfMatchHeader,
    OffsetQuery,
    VersionQuery,
    expected_version,
)
from credstack.api.problems import (
    PublishBlockedMessage,
    VersionConflictMessage,
    either_validation_or,
    etag,
    located,
    responses,
)
from credstack.api.routing import CheckedRoute
from credstack.config import Settings
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus
from credstack.errors import InvalidInput, Problem
from credstack.registry import records, service
from credstack.registry.files import validate_document
from credstack.registry.gate import quality_gate
from credstack.registry.query import SearchRequest, SortOrder, facet_filters
from credstack.registry.search import MAX_LIMIT
from credstack.registry.service import PublishBlocked

router = APIRouter(tags=["registry"], route_class=CheckedRoute, responses=responses(503))
RECORD_BODY = json_body(
    schema_of(MicroCredential), "A micro-credential in the file format (a complete CIS)."
)
ETAG_HEADER = {
    "ETag": {
        "description": "The version of the record shown, quoted (send it in If-Match).",
        "schema": {"type": "string"},
    }
}


class SearchPage(BaseModel):
    """A page of search results with the total and facet counts."""

    items: list[dict[str, Any]]
    total: int
    facets: dict[str, dict[str, int]]


class TransitionRequest(BaseModel):
    """Move a record to another lifecycle status."""

    status: LifecycleStatus
    note: str | None = Field(
        default=None, max_length=records.MAX_COMMENTS,
        description="Why; required when returning a submitted record to draft (the "
                    "reviewer's comments, shown to the record's organization).",
    )


@router.get("/credentials", response_model=SearchPage, responses=responses(401))
def search_credentials(
    session: SessionDep,
    actor: ActorDep,
    q: str = "",
    provider: Annotated[list[str] | None, Query()] = None,
    jurisdiction: Annotated[
        list[Annotated[str, Field(pattern=JURISDICTION_PATTERN)]] | None,
        Query(description="ISO 3166 codes: a country (IE) or a subdivision (CA-BC)."),
    ] = None,
    level: Annotated[list[str] | None, Query()] = None,
    delivery_mode: Annotated[list[str] | None, Query()] = None,
    language: Annotated[list[str] | None, Query()] = None,
    assessment_method: Annotated[list[str] | None, Query()] = None,
    credit_system: Annotated[list[str] | None, Query()] = None,
    currency: Annotated[list[str] | None, Query()] = None,
    competency: Annotated[list[str] | None, Query()] = None,
    status: Annotated[list[LifecycleStatus] | None, Query()] = None,
    hours_min: AmountQuery = None,
    hours_max: AmountQuery = None,
    price_min: AmountQuery = None,
    price_max: AmountQuery = None,
    ects_min: AmountQuery = None,
    ects_max: AmountQuery = None,
    sort: SortOrder = SortOrder.RELEVANCE,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    offset: OffsetQuery = 0,
) -> SearchPage:
    """Search micro-credentials (published only unless ``status`` says otherwise).

    Unpublished records are found only by their organization's staff and the registry's
    reviewers and admins; for anyone else they count nowhere, facets included."""
    facets = facet_filters(
        provider=provider,
        jurisdiction=jurisdiction,
        level=level,
        delivery_mode=delivery_mode,
        language=language,
        assessment_method=assessment_method,
        credit_system=credit_system,
        currency=currency,
        competency=competency,
    )
    request = SearchRequest(
        text=q,
        facets=facets,
        statuses=tuple(status) if status else (LifecycleStatus.PUBLISHED,),
        hours_min=hours_min,
        hours_max=hours_max,
        price_min=price_min,
        price_max=price_max,
        ects_min=ects_min,
        ects_max=ects_max,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    try:
        result = records.search_records(session, actor=actor, request=request)
    except InvalidInput as error:
        raise located(error, "query") from None
    return SearchPage(
        items=[item.summary() for item in result.items], total=result.total, facets=result.facets
    )


def _record_body(document: Any) -> MicroCredential:
    return validate_document(document, source="request body")


@router.post(
    "/credentials",
    status_code=201,
    openapi_extra=RECORD_BODY,
    responses={201: {"headers": ETAG_HEADER}, **responses(401, 403, 409, 400, 413)},
)
def create_credential(
    session: SessionDep,
    actor: ActorDep,
    request: Request,
    response: Response,
    document: Annotated[dict[str, Any], Body()],
) -> dict[str, Any]:
    """Store a new record as a draft (409 if the id exists: use PUT to add a version).

    Editors and org admins of the record's provider, and registry admins."""
    stored = records.create(session, actor=actor, record=_record_body(document),
                            address=client_address(request))
    response.headers["ETag"] = etag(stored.version)
    return _full(session, actor, stored)


@router.put(
    "/credentials/{credential_id}",
    openapi_extra=RECORD_BODY,
    responses={
        200: {"headers": ETAG_HEADER},
        **responses(401, 403, 404, 409, 400, 413, conflict=VersionConflictMessage),
    },
)
def update_credential(
    credential_id: str,
    session: SessionDep,
    actor: ActorDep,
    request: Request,
    response: Response,
    document: Annotated[dict[str, Any], Body()],
    if_match: IfMatchHeader = None,
) -> dict[str, Any]:
    """Store a new version of a record (the id in the body must match the path).

    Concurrent writers each get a new version; with ``If-Match`` a writer whose version
    is no longer current gets 409 and the current version instead. Editors and org
    admins of the record's provider; the version records its author.
    """
    record = _record_body(document)
    if record.id != credential_id:
        raise InvalidInput(
            [Problem("body.id", f"'{record.id}' does not match the path id '{credential_id}'")]
        )
    stored = records.new_version(
        session, actor=actor, record=record, if_version=expected_version(if_match),
        address=client_address(request),
    )
    response.headers["ETag"] = etag(stored.version)
    return _full(session, actor, stored)


@router.get(
    "/credentials/{credential_id}",
    responses={200: {"headers": ETAG_HEADER}, **responses(401, 404)},
)
def get_credential(
    credential_id: str,
    session: SessionDep,
    actor: ActorDep,
    response: Response,
    version: VersionQuery = None,
) -> dict[str, Any]:
    """One record's whole CIS (current version, or ``version``).

    A draft or submitted record is 404 but for its organization's staff and the
    registry's reviewers; they also see ``review_comments`` of a record returned to draft.
    """
    stored = records.read_record(
        session, actor=actor, credential_id=credential_id, version=version
    )
    response.headers["ETag"] = etag(stored.version)
    return _full(session, actor, stored)


def _full(session: Session, actor: Actor, stored: service.StoredCredential) -> dict[str, Any]:
    comments = records.returned_comments(session, actor=actor, stored=stored)
    return {
        **stored.summary(),
        "version": stored.version,
        "current_version": stored.current_version,
        "version_author": stored.version_created_by,
        "review_comments": comments.to_dict() if comments else None,
        "record": stored.record.to_document(),
    }


@router.get("/credentials/{credential_id}/versions", responses=responses(401, 404))
def get_versions(credential_id: str, session: SessionDep, actor: ActorDep
                 ) -> list[dict[str, Any]]:
    """Every version of a record, oldest first, with its author."""
    return [
        {
            "version": v.version,
            "created_at": v.created_at.isoformat(),
            "created_by": v.created_by,
            "content_hash": v.content_hash,
        }
        for v in records.read_versions(session, actor=actor, credential_id=credential_id)
    ]


@router.get("/credentials/{credential_id}/status", responses=responses(401, 404))
def get_status(credential_id: str, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """A record's lifecycle status and its history (the notes of returns to draft, the
    reviewer's comments, only for its organization's staff and the reviewers)."""
    stored, history = records.read_history(session, actor=actor, credential_id=credential_id)
    return {
        "id": credential_id,
        "status": stored.status.value,
        "review_due": stored.review_due,
        "history": [{**event, "at": event["at"].isoformat()} for event in history],
    }


@router.post(
    "/credentials/{credential_id}/status",
    response_model=None,
    responses={
        **responses(401, 403, 404, 409, 400, 413),
        422: either_validation_or(
            PublishBlockedMessage, "Invalid request, or publishing blocked by the quality gate."
        ),
    },
)
def change_status(
    credential_id: str,
    body: TransitionRequest,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
) -> dict[str, Any] | JSONResponse:
    """Move a record through the lifecycle; publishing answers 422 with failing rules.

    submitted: editors and org admins of its provider; published (approve) or draft
    from submitted (return, with a note): the registry reviewer; retired, or back to
    draft from published or retired: org admins and registry admins.
    """
    settings: Settings = request.app.state.settings
    try:
        stored = records.move(
            session,
            actor=actor,
            credential_id=credential_id,
            target=body.status,
            note=body.note,
            publish_gate=quality_gate(settings.publish_standard),
            standard=settings.publish_standard,
            address=client_address(request),
        )
    except PublishBlocked as blocked:
        return publish_blocked(blocked)
    return {"id": credential_id, "status": stored.status.value}


def publish_blocked(blocked: PublishBlocked) -> JSONResponse:
    """The 422 answer of a publication the quality gate refuses."""
    return JSONResponse(
        status_code=422,
        content={"detail": str(blocked), "standard": blocked.standard,
                 "failures": blocked.failures},
    )


@router.get("/providers", responses=responses(401))
def get_providers(session: SessionDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Every provider with the number of its records the caller may see (published and
    retired ones; every status for the provider's own staff and the reviewers)."""
    return records.list_providers(session, actor=actor)


@router.get("/providers/{provider_id}", responses=responses(401, 404))
def get_provider(provider_id: str, session: SessionDep) -> dict[str, Any]:
    """One provider."""
    return service.get_provider(session, provider_id=provider_id)
