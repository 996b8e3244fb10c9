"""Alignment endpoints: suggestions for statements or a stored record, and review.

The portal review page calls ``GET /credentials/{id}/alignment-suggestions`` to show
suggestions per outcome and ``POST /credentials/{id}/alignments`` to record a decision.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from credstack.align import service
from credstack.api.auth import ActorDep, client_address
from credstack.api.deps import SessionDep
from credstack.api.problems import responses
from credstack.api.routing import CheckedRoute
from credstack.domain.vocabulary import AlignmentStatus
from credstack.registry import records

router = APIRouter(tags=["align"], route_class=CheckedRoute, responses=responses(503))
FrameworkId = Annotated[str, Field(min_length=1, max_length=200)]


class StatementsRequest(BaseModel):
    """Statements to align (e.g. outcomes not yet in a record)."""

    statements: list[Annotated[str, Field(max_length=10_000)]] = Field(
        min_length=1, max_length=1000
    )
    framework: FrameworkId = "esco"
    top: int = Field(default=5, ge=1, le=100)


class ReviewRequest(BaseModel):
    """A review decision on one competency for one outcome (or 'record')."""

    outcome_id: str = Field(min_length=1, max_length=200)
    uri: str = Field(min_length=1, max_length=2000)
    status: AlignmentStatus
    framework: FrameworkId = "esco"
    proficiency_level: str | None = Field(default=None, max_length=200)
    score: float | None = Field(default=None, allow_inf_nan=False)


@router.post("/align", responses=responses(401, 404, 400, 413))
def align_statements(request: StatementsRequest, session: SessionDep, actor: ActorDep
                     ) -> list[dict[str, Any]]:
    """Ranked competencies for each statement: ``[{statement, competencies: [...]}]``;
    signed-in users only."""
    ranked = service.suggest_statements(
        session, actor=actor, statements=request.statements, framework_id=request.framework,
        top=request.top,
    )
    return [
        {"statement": statement, "competencies": [s.to_dict() for s in suggestions]}
        for statement, suggestions in zip(request.statements, ranked, strict=True)
    ]


@router.get("/credentials/{credential_id}/alignment-suggestions",
            responses=responses(401, 404))
def record_suggestions(
    credential_id: str,
    session: SessionDep,
    actor: ActorDep,
    framework: str = "esco",
    top: Annotated[int, Query(ge=1, le=100)] = 5,
) -> dict[str, Any]:
    """Suggestions for each outcome of a stored record, and occupations for the record.

    ``noc_occupations`` (NOC 2021 unit groups) is present when NOC 2021 is imported.
    """
    record = records.read_record(session, actor=actor, credential_id=credential_id).record
    result = service.suggest_for_record(session, record=record, framework_id=framework, top=top)
    return result.to_dict()


@router.post("/credentials/{credential_id}/alignments",
             responses=responses(401, 403, 404, 409, 400, 413))
def review_alignment(
    credential_id: str, request: ReviewRequest, session: SessionDep, actor: ActorDep,
    http: Request,
) -> dict[str, Any]:
    """Accept, reject or add (manual) an alignment; saved as a new version of the record
    (editors and org admins of its provider; the decision names them)."""
    stored = service.review(
        session,
        actor=actor,
        address=client_address(http),
        credential_id=credential_id,
        outcome_id=request.outcome_id,
        framework_id=request.framework,
        uri=request.uri,
        status=request.status,
        proficiency_level=request.proficiency_level,
        score=request.score,
    )
    return {
        "credential_id": credential_id,
        "version": stored.version,
        "record": stored.record.model_dump(mode="json", exclude_none=True),
    }
