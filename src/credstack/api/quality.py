"""Quality endpoints: frameworks, compliance of stored records and of uploaded drafts.

Only shipped rule sets can be named over HTTP: a file path would let a caller read
files on the server.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request

from credstack.api.auth import ActorDep
from credstack.api.bodies import json_body, schema_of
from credstack.api.deps import SessionDep
from credstack.api.params import VersionQuery
from credstack.api.problems import responses
from credstack.api.routing import CheckedRoute
from credstack.config import Settings
from credstack.domain.credential import MicroCredential
from credstack.errors import InvalidInput, NotFound, Problem
from credstack.quality import service
from credstack.quality.engine import ComplianceReport
from credstack.quality.loader import looks_like_path, shipped
from credstack.registry.files import validate_document

router = APIRouter(tags=["quality"], route_class=CheckedRoute)

FrameworkQuery = Annotated[
    str | None,
    Query(
        description="Rule set ids, comma-separated (default: the publishing standard).",
        examples=["au-nmf,eu-2022"],
    ),
]


def _references(request: Request, framework: str | None) -> list[str]:
    if not framework:
        settings: Settings | None = getattr(request.app.state, "settings", None)
        standard = settings.publish_standard if settings else Settings.resolve().publish_standard
        return [standard]
    references = service.parse_references(framework)
    for reference in references:
        if looks_like_path(reference):
            raise InvalidInput(
                [Problem("query.framework", f"'{reference}': name a shipped rule set id")]
            )
        try:
            shipped(reference)
        except NotFound as error:
            raise InvalidInput([Problem("query.framework", str(error))]) from None
    return references


def _body(reports: list[ComplianceReport]) -> dict[str, Any]:
    return {
        "compliant": all(report.compliant for report in reports),
        "reports": [report.to_dict() for report in reports],
    }


@router.get("/frameworks")
def list_frameworks() -> dict[str, Any]:
    """Every shipped rule set: id, name, jurisdiction, version, source and rule counts."""
    return {"frameworks": [rule_set.summary() for rule_set in service.frameworks()]}


@router.get("/frameworks/{framework_id}", responses=responses(404))
def get_framework(framework_id: str) -> dict[str, Any]:
    """One shipped rule set with every rule (check in words, message, citation)."""
    return shipped(framework_id).to_dict()


@router.get("/credentials/{credential_id}/compliance", responses=responses(401, 404, 503))
def credential_compliance(
    credential_id: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    framework: FrameworkQuery = None,
    version: VersionQuery = None,
) -> dict[str, Any]:
    """A stored record checked against rule sets: per rule outcome, message and citation
    (an unpublished record: its organization's staff and the registry's reviewers)."""
    references = _references(request, framework)
    reports = service.check_stored(
        session, actor=actor, credential_id=credential_id, references=references, version=version
    )
    return {"credential": credential_id, "version": version, **_body(reports)}


@router.post(
    "/compliance",
    openapi_extra=json_body(schema_of(MicroCredential), "A micro-credential record (CIS)."),
    responses=responses(401, 400, 413),
)
def check_upload(
    request: Request,
    document: Annotated[dict[str, Any], Body()],
    actor: ActorDep,
    framework: FrameworkQuery = None,
) -> dict[str, Any]:
    """An uploaded record checked without storing it (a designer's draft); signed-in
    users only."""
    references = _references(request, framework)
    record = validate_document(document, source="request body")
    return _body(service.check_upload(record, references, actor=actor))
