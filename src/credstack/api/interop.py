"""Interop endpoints: records as CTDL / ELM JSON-LD, CTDL and CSV imports, the CSV template.

Reads follow record visibility (a draft of another organization is 404). Imports are
writes: ``interop.service`` asks the policy for every record (editors and org admins of
each record's provider, or a registry admin) and refuses the whole request, nothing
stored, if any record is not theirs to write.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from credstack.api.auth import ActorDep, client_address
from credstack.api.deps import SessionDep
from credstack.api.params import VersionQuery
from credstack.api.problems import responses
from credstack.api.routing import CheckedRoute
from credstack.errors import InvalidInput, Problem
from credstack.interop import service
from credstack.interop.ctdl_import import Defaults

router = APIRouter(tags=["interop"], route_class=CheckedRoute, responses=responses(503))
READ_RESPONSES = responses(401, 404)
IMPORT_RESPONSES = responses(401, 403, 404, 400, 413)
JSON_LD = "application/ld+json"
MAX_BODY_BYTES = 10 * 1024 * 1024


def _json_ld(document: dict[str, Any]) -> JSONResponse:
    return JSONResponse(document, media_type=JSON_LD)


@router.get("/interop/ctdl/credentials/{credential_id}", response_class=JSONResponse,
            responses=READ_RESPONSES)
def ctdl_credential(
    credential_id: str,
    session: SessionDep,
    actor: ActorDep,
    version: VersionQuery = None,
) -> JSONResponse:
    """A record as a CTDL registry graph (valid by Credential Engine's schemas)."""
    return _json_ld(
        service.export_record(
            session, actor=actor, credential_id=credential_id, fmt="ctdl", version=version
        )
    )


@router.get("/interop/elm/credentials/{credential_id}", response_class=JSONResponse,
            responses=READ_RESPONSES)
def elm_credential(
    credential_id: str,
    session: SessionDep,
    actor: ActorDep,
    version: VersionQuery = None,
) -> JSONResponse:
    """A record as a Europass ELM 3 learning opportunity with its qualification."""
    return _json_ld(
        service.export_record(
            session, actor=actor, credential_id=credential_id, fmt="elm", version=version
        )
    )


@router.post("/interop/ctdl/import", response_model=None, responses=IMPORT_RESPONSES)
def ctdl_import(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    document: Annotated[
        dict[str, Any] | list[Any],
        Body(description="CTDL JSON-LD: a graph, a list or one resource."),
    ],
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    issuer_name: Annotated[str | None, Query(max_length=200)] = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> dict[str, Any]:
    """Import CTDL credentials as drafts; 422 with every problem, nothing stored, unless
    ``skip_invalid``; 403 (nothing stored) if a record is not the caller's to write.
    The answer lists, per record, each member left out and why."""
    defaults = Defaults(country=country.upper() if country else None, issuer_name=issuer_name)
    outcome = service.import_ctdl(
        session,
        documents=[("request body", document)],
        actor=actor,
        address=client_address(request),
        defaults=defaults,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    return outcome.summary()


@router.post("/interop/elm/import", response_model=None, responses=IMPORT_RESPONSES)
def elm_import(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    document: Annotated[
        dict[str, Any] | list[Any], Body(description="ELM learning opportunities.")
    ],
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> dict[str, Any]:
    """Import ELM learning opportunities as drafts, as the CTDL import does."""
    outcome = service.import_elm(
        session,
        documents=[("request body", document)],
        actor=actor,
        address=client_address(request),
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    return outcome.summary()


@router.get("/interop/csv/template", response_class=Response)
def csv_template() -> Response:
    """The CSV catalogue template: the documented header and one example row."""
    from credstack.interop.csv_catalogue import template_text

    return Response(
        template_text(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="catalogue.csv"'},
    )


@router.post("/interop/csv/import", response_model=None, responses=IMPORT_RESPONSES)
async def csv_import(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> Any:
    """Import a CSV catalogue (``text/csv`` body): every row checked like a YAML record.

    Any bad row: 422 listing row, column and what was expected, and nothing stored;
    with ``skip_invalid`` the good rows are stored and the rest returned as fixable CSV.
    """
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return JSONResponse(status_code=413, content={"detail": "CSV larger than 10 MB"})
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput([Problem("", "expected UTF-8 text", "request body")]) from None
    # The database work runs off the event loop, as a plain handler's would.
    outcome = await run_in_threadpool(
        service.import_csv,
        session,
        text=text,
        source="request body",
        actor=actor,
        address=client_address(request),
        skip_invalid=skip_invalid,
        dry_run=dry_run,
    )
    return outcome.summary()
