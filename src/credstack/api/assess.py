"""Assessment endpoints: rubrics, learners, assessment records with their decisions.

The services ask the policy: rubrics are their organization's editors' and assessors';
learners and assessments are the learner's, the assessing organization's and the
registry admins' (others: 404).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from pydantic import Field, ValidationError

from credstack.api.auth import ActorDep, client_address
from credstack.api.bodies import json_body, schema_of
from credstack.api.deps import SessionDep
from credstack.api.params import VersionQuery
from credstack.api.problems import responses
from credstack.api.refusals import GUARDED
from credstack.api.routing import CheckedRoute
from credstack.assess import service
from credstack.assess.files import parse_assessment, parse_rubric, problems_from
from credstack.assess.learner import LearnerInput
from credstack.assess.record import AssessmentRecord
from credstack.assess.rubric import Rubric
from credstack.errors import InvalidInput

router = APIRouter(
    tags=["assessment"], route_class=CheckedRoute, responses={**responses(503), **GUARDED}
)

BODY = "request body"


class LearnerRequest(LearnerInput):
    """A new learner: id, display_name?, email?, account? and the organization it is
    registered for (default: the caller's only assessing organization)."""

    organization: Annotated[str, Field(min_length=1, max_length=128)] | None = None


@router.post(
    "/rubrics",
    status_code=201,
    openapi_extra=json_body(schema_of(Rubric), "A rubric in the file format."),
    responses=responses(404, 409, 400, 413),
)
def import_rubric(
    session: SessionDep, actor: ActorDep, request: Request,
    document: Annotated[dict[str, Any], Body()],
) -> dict[str, Any]:
    """Store a rubric (a new version when it changed); it must fit its micro-credential."""
    rubric = parse_rubric(document, source=BODY)
    stored, changed = service.save_rubric(
        session, rubric=rubric, actor=actor, source=BODY, address=client_address(request)
    )
    return {"id": rubric.id, "version": stored.version, "changed": changed}


@router.get("/rubrics")
def list_rubrics(
    session: SessionDep, actor: ActorDep, credential: Annotated[str | None, Query()] = None
) -> list[dict[str, Any]]:
    """The latest version of every rubric the caller may read, optionally of one
    micro-credential."""
    return service.list_rubrics(session, actor=actor, credential_id=credential)


@router.get("/rubrics/{rubric_id}", responses=responses(404))
def get_rubric(
    rubric_id: str, session: SessionDep, actor: ActorDep, version: VersionQuery = None
) -> dict[str, Any]:
    """A rubric at a version (default: latest)."""
    return service.get_rubric(
        session, rubric_id=rubric_id, version=version, actor=actor
    ).to_dict()


@router.post(
    "/learners",
    status_code=201,
    openapi_extra=json_body(
        schema_of(LearnerRequest), "id, display_name?, email?, account?, organization?"
    ),
    responses=responses(409, 400, 413),
)
def add_learner(
    session: SessionDep, actor: ActorDep, request: Request,
    document: Annotated[dict[str, Any], Body()],
) -> dict[str, Any]:
    """Add a learner; an email is kept only as a salted hash; ``account`` (a user's email)
    links the learner to that user's wallet."""
    try:
        given = LearnerRequest.model_validate(document)
    except ValidationError as error:
        raise InvalidInput(problems_from(error, BODY)) from None
    learner = LearnerInput.model_validate(given.model_dump(exclude={"organization"}))
    return service.add_learner(
        session, learner=learner, actor=actor, organization_id=given.organization,
        address=client_address(request),
    ).summary()


@router.get("/learners/{learner_id}", responses=responses(404))
def get_learner(learner_id: str, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """A learner's facts (for the learner, their organizations and registry admins)."""
    return service.get_learner(session, learner_id=learner_id, actor=actor).summary()


@router.post(
    "/assessments",
    status_code=201,
    openapi_extra=json_body(schema_of(AssessmentRecord), "An assessment record."),
    responses=responses(404, 409, 400, 413),
)
def record_assessment(
    session: SessionDep, actor: ActorDep, request: Request,
    document: Annotated[dict[str, Any], Body()],
) -> dict[str, Any]:
    """Record an assessment and return it with its decision (file evidence needs sha256)."""
    record = parse_assessment(document, source=BODY)
    return service.record_assessment(
        session, record=record, actor=actor, source=BODY, address=client_address(request)
    ).to_dict()


@router.get("/assessments")
def list_assessments(
    session: SessionDep,
    actor: ActorDep,
    learner: Annotated[str | None, Query()] = None,
    credential: Annotated[str | None, Query()] = None,
    competent: Annotated[bool | None, Query()] = None,
) -> list[dict[str, Any]]:
    """The assessments the caller may read, newest first, filtered by learner,
    micro-credential or decision."""
    return service.list_assessments(
        session, actor=actor, learner_id=learner, credential_id=credential, competent=competent
    )


@router.get("/assessments/{assessment_id}", responses=responses(404))
def get_assessment(assessment_id: str, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """An assessment with its decision per criterion."""
    return service.get_assessment(session, assessment_id=assessment_id, actor=actor).to_dict()
