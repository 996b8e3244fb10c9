"""Framework endpoints: list, show, import (CASE JSON or custom YAML/JSON body), export."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request

from credstack.api.auth import ActorDep, client_address
from credstack.api.bodies import json_body
from credstack.api.deps import SessionDep
from credstack.api.params import OffsetQuery
from credstack.api.problems import responses
from credstack.api.routing import CheckedRoute
from credstack.errors import InvalidInput, Problem
from credstack.taxonomy.importers.case import export_case, parse_case
from credstack.taxonomy.importers.custom import parse_custom_document
from credstack.taxonomy.service import (
    get_framework_summary,
    import_framework,
    list_frameworks,
    load_framework,
    require_import,
)
from credstack.taxonomy.snapshot import load_bundled_esco

router = APIRouter(tags=["taxonomy"], route_class=CheckedRoute, responses=responses(503))


class FrameworkKind(StrEnum):
    """What an import body holds."""

    ESCO = "esco"
    CASE = "case"
    CUSTOM = "custom"


_TEXT = {"type": "string"}
_OBJECTS = {"type": "array", "items": {"type": "object"}}
# What the CASE and custom parsers check before reading items (they report the rest
# per item, with its path).
CASE_PACKAGE = {
    "title": "CasePackage",
    "description": "A CASE 1.1 package (1EdTech CASE, CFPackage).",
    "type": "object",
    "required": ["CFDocument"],
    "properties": {
        "CFDocument": {"type": "object"},
        "CFItems": _OBJECTS,
        "CFAssociations": _OBJECTS,
    },
}
CUSTOM_FRAMEWORK = {
    "title": "CustomFramework",
    "description": "The custom framework file format (as JSON).",
    "type": "object",
    "required": ["framework", "competencies"],
    "properties": {
        "framework": {
            "type": "object",
            "required": ["id", "name", "publisher", "version"],
            "properties": {
                key: {**_TEXT, "minLength": 1} for key in ("id", "name", "publisher", "version")
            },
        },
        "scales": _OBJECTS,
        "competencies": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["uri", "label"],
                "properties": {"uri": _TEXT, "label": _TEXT},
            },
        },
    },
}
IMPORT_BODY = json_body(
    {"anyOf": [CASE_PACKAGE, CUSTOM_FRAMEWORK]},
    "case: a CASE package; custom: a custom framework; esco: no body.",
    required=False,
)


@router.get("/competency-frameworks")
def get_frameworks(session: SessionDep) -> list[dict[str, Any]]:
    """Imported frameworks and the shipped ESCO snapshot."""
    return [summary.to_dict() for summary in list_frameworks(session)]


@router.get("/competency-frameworks/{framework_id}", responses=responses(404))
def get_framework(
    framework_id: str,
    session: SessionDep,
    limit: Annotated[int, Query(ge=0, le=1000)] = 20,
    offset: OffsetQuery = 0,
) -> dict[str, Any]:
    """A framework's metadata, scales and a page of its competencies."""
    summary = get_framework_summary(session, framework_id=framework_id)
    framework = load_framework(session, framework_id=framework_id)
    competencies = [c for c in framework.competencies if not c.is_group]
    return {
        **summary.to_dict(),
        "scales": [
            {"id": s.id, "name": s.name, "levels": [vars(level) for level in s.levels]}
            for s in framework.scales
        ],
        "competencies": [
            {
                "uri": c.uri,
                "code": c.code,
                "label": c.preferred_label,
                "alt_labels": list(c.alt_labels),
                "description": c.description,
                "type": c.type.value if c.type else None,
                "broader": list(c.broader),
            }
            for c in competencies[offset : offset + limit]
        ],
    }


@router.post(
    "/competency-frameworks/import/{kind}",
    status_code=201,
    openapi_extra=IMPORT_BODY,
    responses=responses(401, 403, 409, 400, 413),
)
def post_framework(
    kind: FrameworkKind, session: SessionDep, actor: ActorDep, request: Request,
    document: Annotated[Any, Body()] = None,
) -> dict[str, Any]:
    """Import a framework: ``case`` (a CASE 1.1 package), ``custom`` (the YAML shape as
    JSON), or ``esco`` (no body: the shipped snapshot). Registry admins."""
    require_import(actor)  # before reading a large body
    if kind is FrameworkKind.ESCO:
        framework = load_bundled_esco()
    elif document is None:
        raise InvalidInput([Problem("body", f"a {kind.value} import needs a body")])
    elif kind is FrameworkKind.CASE:
        framework = parse_case(document, source="request body")
    else:
        framework = parse_custom_document(document, source="request body")
    return vars(import_framework(session, framework=framework, actor=actor,
                                 address=client_address(request)))


@router.get("/competency-frameworks/{framework_id}/case", responses=responses(404))
def get_framework_case(framework_id: str, session: SessionDep) -> dict[str, Any]:
    """The framework as a CASE 1.1 package."""
    framework = load_framework(session, framework_id=framework_id)
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
    return export_case(framework, last_change=stamp)
