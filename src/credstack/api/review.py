"""The review workflow: the queue of submitted records and the reviewer's decisions."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from credstack.api.auth import ActorDep, client_address
from credstack.api.deps import SessionDep
from credstack.api.problems import PublishBlockedMessage, either_validation_or, responses
from credstack.api.registry import publish_blocked
from credstack.api.routing import CheckedRoute
from credstack.config import Settings
from credstack.registry import records
from credstack.registry.gate import quality_gate
from credstack.registry.service import PublishBlocked

router = APIRouter(tags=["review"], route_class=CheckedRoute,
                   responses=responses(401, 403, 503))


class ReviewDecision(StrEnum):
    """What the reviewer decides."""

    APPROVE = "approve"  # publish, through the registry's quality gate
    RETURN = "return"  # back to draft, with comments for the editors


class RecordReview(BaseModel):
    """The reviewer's decision on a submitted record."""

    model_config = ConfigDict(extra="forbid")

    decision: ReviewDecision
    comments: str | None = Field(
        default=None, max_length=records.MAX_COMMENTS,
        description="What the editors should change (required to return).",
    )


@router.get("/review-queue")
def review_queue(request: Request, session: SessionDep, actor: ActorDep
                 ) -> list[dict[str, Any]]:
    """Submitted records, oldest first, each with the result of the registry's publishing
    standard (registry reviewers and admins)."""
    settings: Settings = request.app.state.settings
    standard = settings.publish_standard
    return [item.to_dict() for item in records.review_queue(
        session, actor=actor, gate=quality_gate(standard), standard=standard)]


@router.post(
    "/credentials/{credential_id}/review",
    response_model=None,
    responses={
        **responses(404, 409, 400, 413),
        422: either_validation_or(
            PublishBlockedMessage, "Invalid request, or approval blocked by the quality gate."
        ),
    },
)
def review_credential(credential_id: str, body: RecordReview, request: Request,
                      session: SessionDep, actor: ActorDep) -> dict[str, Any] | JSONResponse:
    """Approve (publish) or return a submitted record (the registry reviewer); 409 if it
    is not submitted."""
    settings: Settings = request.app.state.settings
    standard = settings.publish_standard
    try:
        stored = records.review(
            session, actor=actor, credential_id=credential_id,
            approve=body.decision is ReviewDecision.APPROVE, comments=body.comments,
            gate=quality_gate(standard), standard=standard, address=client_address(request),
        )
    except PublishBlocked as blocked:
        return publish_blocked(blocked)
    return {"id": credential_id, "status": stored.status.value, "version": stored.version}
