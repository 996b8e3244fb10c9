"""Registry endpoints: credentials (search, create, versions, lifecycle) and providers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

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
from credstack.registry import service
from credstack.registry.files import validate_document
from credstack.registry.query import SearchRequest, SortOrder, facet_filters
from credstack.registry.search import MAX_LIMIT, search
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
    actor: str = Field(default="api", min_length=1, max_length=200)
    note: str | None = Field(default=None, max_length=5000)


@router.get("/credentials", response_model=SearchPage)
def search_credentials(
    session: SessionDep,
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
    """Search micro-credentials (published only unless ``status`` says otherwise)."""
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
        result = search(session, request)
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
    responses={201: {"headers": ETAG_HEADER}, **responses(409, 400, 413)},
)
def create_credential(
    session: SessionDep, response: Response, document: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Store a new record as a draft (409 if the id exists: use PUT to add a version)."""
    stored = service.create_record(session, record=_record_body(document), actor="api")
    response.headers["ETag"] = etag(stored.version)
    return _full(stored)


@router.put(
    "/credentials/{credential_id}",
    openapi_extra=RECORD_BODY,
    responses={
        200: {"headers": ETAG_HEADER},
        **responses(404, 409, 400, 413, conflict=VersionConflictMessage),
    },
)
def update_credential(
    credential_id: str,
    session: SessionDep,
    response: Response,
    document: Annotated[dict[str, Any], Body()],
    if_match: IfMatchHeader = None,
) -> dict[str, Any]:
    """Store a new version of a record (the id in the body must match the path).

    Concurrent writers each get a new version; with ``If-Match`` a writer whose version
    is no longer current gets 409 and the current version instead.
    """
    record = _record_body(document)
    if record.id != credential_id:
        raise InvalidInput(
            [Problem("body.id", f"'{record.id}' does not match the path id '{credential_id}'")]
        )
    stored = service.update_record(
        session, record=record, actor="api", if_version=expected_version(if_match)
    )
    response.headers["ETag"] = etag(stored.version)
    return _full(stored)


@router.get(
    "/credentials/{credential_id}",
    responses={200: {"headers": ETAG_HEADER}, **responses(404)},
)
def get_credential(
    credential_id: str, session: SessionDep, response: Response, version: VersionQuery = None
) -> dict[str, Any]:
    """One record's whole CIS (current version, or ``version``)."""
    stored = service.get_record(session, credential_id=credential_id, version=version)
    response.headers["ETag"] = etag(stored.version)
    return _full(stored)


def _full(stored: service.StoredCredential) -> dict[str, Any]:
    return {
        **stored.summary(),
        "version": stored.version,
        "current_version": stored.current_version,
        "record": stored.record.to_document(),
    }


@router.get("/credentials/{credential_id}/versions", responses=responses(404))
def get_versions(credential_id: str, session: SessionDep) -> list[dict[str, Any]]:
    """Every version of a record, oldest first."""
    return [
        {
            "version": v.version,
            "created_at": v.created_at.isoformat(),
            "created_by": v.created_by,
            "content_hash": v.content_hash,
        }
        for v in service.list_versions(session, credential_id=credential_id)
    ]


@router.get("/credentials/{credential_id}/status", responses=responses(404))
def get_status(credential_id: str, session: SessionDep) -> dict[str, Any]:
    """A record's lifecycle status and its history."""
    stored = service.get_record(session, credential_id=credential_id)
    history = service.status_history(session, credential_id=credential_id)
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
        **responses(404, 409, 400, 413),
        422: either_validation_or(
            PublishBlockedMessage, "Invalid request, or publishing blocked by the quality gate."
        ),
    },
)
def change_status(
    credential_id: str, body: TransitionRequest, request: Request, session: SessionDep
) -> dict[str, Any] | JSONResponse:
    """Move a record through the lifecycle; publishing answers 422 with failing rules."""
    from credstack.registry.gate import quality_gate

    settings: Settings = request.app.state.settings
    try:
        stored = service.transition(
            session,
            credential_id=credential_id,
            target=body.status,
            actor=body.actor,
            note=body.note,
            publish_gate=quality_gate(settings.publish_standard),
            standard=settings.publish_standard,
        )
    except PublishBlocked as blocked:
        return JSONResponse(
            status_code=422,
            content={
                "detail": str(blocked),
                "standard": blocked.standard,
                "failures": blocked.failures,
            },
        )
    return {"id": credential_id, "status": stored.status.value}


@router.get("/providers")
def get_providers(session: SessionDep) -> list[dict[str, Any]]:
    """Every provider with its number of records."""
    return service.list_providers(session)


@router.get("/providers/{provider_id}", responses=responses(404))
def get_provider(provider_id: str, session: SessionDep) -> dict[str, Any]:
    """One provider."""
    return service.get_provider(session, provider_id=provider_id)
