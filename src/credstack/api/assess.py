"""Assessment endpoints: rubrics, learners, assessment records with their decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from pydantic import ValidationError

from credstack.api.bodies import json_body, schema_of
from credstack.api.deps import SessionDep
from credstack.api.params import VersionQuery
from credstack.api.problems import responses
from credstack.api.routing import CheckedRoute
from credstack.assess import service
from credstack.assess.files import parse_assessment, parse_rubric, problems_from
from credstack.assess.learner import LearnerInput
from credstack.assess.record import AssessmentRecord
from credstack.assess.rubric import Rubric
from credstack.errors import InvalidInput

router = APIRouter(tags=["assessment"], route_class=CheckedRoute, responses=responses(503))

BODY = "request body"
ACTOR = "api"


@router.post(
    "/rubrics",
    status_code=201,
    openapi_extra=json_body(schema_of(Rubric), "A rubric in the file format."),
    responses=responses(404, 409, 400, 413),
)
def import_rubric(
    session: SessionDep, document: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Store a rubric (a new version when it changed); it must fit its micro-credential."""
    rubric = parse_rubric(document, source=BODY)
    stored, changed = service.save_rubric(session, rubric=rubric, actor=ACTOR, source=BODY)
    return {"id": rubric.id, "version": stored.version, "changed": changed}


@router.get("/rubrics")
def list_rubrics(
    session: SessionDep, credential: Annotated[str | None, Query()] = None
) -> list[dict[str, Any]]:
    """The latest version of every rubric, optionally of one micro-credential."""
    return service.list_rubrics(session, credential_id=credential)


@router.get("/rubrics/{rubric_id}", responses=responses(404))
def get_rubric(rubric_id: str, session: SessionDep, version: VersionQuery = None) -> dict[str, Any]:
    """A rubric at a version (default: latest)."""
    return service.get_rubric(session, rubric_id=rubric_id, version=version).to_dict()


@router.post(
    "/learners",
    status_code=201,
    openapi_extra=json_body(schema_of(LearnerInput), "id, display_name?, email?"),
    responses=responses(409, 400, 413),
)
def add_learner(session: SessionDep, document: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """Add a learner; an email is kept only as a salted hash."""
    try:
        given = LearnerInput.model_validate(document)
    except ValidationError as error:
        raise InvalidInput(problems_from(error, BODY)) from None
    return service.add_learner(session, learner=given).summary()


@router.get("/learners/{learner_id}", responses=responses(404))
def get_learner(learner_id: str, session: SessionDep) -> dict[str, Any]:
    """A learner's public facts."""
    return service.get_learner(session, learner_id=learner_id).summary()


@router.post(
    "/assessments",
    status_code=201,
    openapi_extra=json_body(schema_of(AssessmentRecord), "An assessment record."),
    responses=responses(404, 409, 400, 413),
)
def record_assessment(
    session: SessionDep, document: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Record an assessment and return it with its decision (file evidence needs sha256)."""
    record = parse_assessment(document, source=BODY)
    return service.record_assessment(session, record=record, actor=ACTOR, source=BODY).to_dict()


@router.get("/assessments")
def list_assessments(
    session: SessionDep,
    learner: Annotated[str | None, Query()] = None,
    credential: Annotated[str | None, Query()] = None,
    competent: Annotated[bool | None, Query()] = None,
) -> list[dict[str, Any]]:
    """Assessments, newest first, filtered by learner, micro-credential or decision."""
    return service.list_assessments(
        session, learner_id=learner, credential_id=credential, competent=competent
    )


@router.get("/assessments/{assessment_id}", responses=responses(404))
def get_assessment(assessment_id: str, session: SessionDep) -> dict[str, Any]:
    """An assessment with its decision per criterion."""
    return service.get_assessment(session, assessment_id=assessment_id).to_dict()
