"""The API's error bodies, the handlers that produce them, and their OpenAPI entries.

Every 4xx body has one of two shapes:

- 422: FastAPI's ``HTTPValidationError`` (``detail``: a list of ``{loc, msg, type}``,
  ``loc`` a list such as ``["body", "learning_outcomes", 2, "statement"]``), also for
  the problems credstack's own validation finds;
- 400, 401, 403, 404, 409, 413, 503: ``{"detail": str}`` (a 409 on a versioned record adds
  ``current_version``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError, OperationalError

from credstack.api.bodies import schema_of
from credstack.errors import Conflict, InvalidInput, NotFound, Problem, VersionConflict

# The sections a location may start with, as FastAPI names them.
SECTIONS = ("body", "query", "path", "header", "cookie")
BODY_SOURCES = ("request body", "body")
RETRY_AFTER_SECONDS = 1
_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
# A field path (``learning_outcomes[2].statement``); anything else, such as a CSV
# problem's "row 2, column 'price.currency'", is one location part as written.
_FIELD_PATH = re.compile(r"[^.\[\]\s',]+(\[\d+\])*(\.[^.\[\]\s',]+(\[\d+\])*)*")


class ErrorMessage(BaseModel):
    """An error that is not about one field: what went wrong, in words."""

    detail: str


class VersionConflictMessage(ErrorMessage):
    """A write that lost to another: the record's version now (send it in ``If-Match``)."""

    current_version: int


class PublishBlockedMessage(ErrorMessage):
    """Publishing refused by the quality gate: the standard and its failing rules."""

    standard: str
    failures: list[dict[str, Any]]


def location_parts(problem: Problem) -> list[str | int]:
    """A problem's location as FastAPI writes ``loc``: section first, then keys and indexes.

    ``learning_outcomes[2].statement`` in the request body is
    ``["body", "learning_outcomes", 2, "statement"]``; ``query.framework`` stays
    ``["query", "framework"]``.
    """
    if not _FIELD_PATH.fullmatch(problem.location):
        return ["body", problem.location] if problem.location else ["body"]
    parts: list[str | int] = [
        int(index) if index else key for index, key in _PART.findall(problem.location)
    ]
    if parts and parts[0] in SECTIONS:
        return parts
    return ["body", *parts]


def located(error: InvalidInput, section: str) -> InvalidInput:
    """``error`` with its problems placed in ``section`` ("query", "path", ...)."""
    return InvalidInput(
        [
            replace(problem, location=f"{section}.{problem.location}", source=None)
            for problem in error.problems
        ]
    )


def validation_body(problems: list[Problem]) -> dict[str, Any]:
    """The ``HTTPValidationError`` body for ``problems``."""
    return {
        "detail": [
            {"loc": location_parts(problem), "msg": problem.message, "type": "value_error"}
            for problem in problems
        ]
    }


def _message(status: int, detail: str, **extra: Any) -> JSONResponse:
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None
    return JSONResponse(status_code=status, content={"detail": detail, **extra}, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Map credstack's errors (and the database's refusals) to documented responses."""

    @app.exception_handler(InvalidInput)
    async def _invalid(_request: Request, error: InvalidInput) -> JSONResponse:
        return JSONResponse(status_code=422, content=validation_body(error.problems))

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, error: NotFound) -> JSONResponse:
        return _message(404, str(error))

    @app.exception_handler(VersionConflict)
    async def _version_conflict(_request: Request, error: VersionConflict) -> JSONResponse:
        response = _message(409, str(error), current_version=error.current_version)
        response.headers["ETag"] = etag(error.current_version)
        return response

    @app.exception_handler(Conflict)
    async def _conflict(_request: Request, error: Conflict) -> JSONResponse:
        return _message(409, str(error))

    @app.exception_handler(IntegrityError)
    async def _integrity(_request: Request, _error: IntegrityError) -> JSONResponse:
        # Another request stored the same key first; this one was rolled back whole.
        return _message(409, "a concurrent request changed the same data first; retry")

    @app.exception_handler(OperationalError)
    async def _unavailable(_request: Request, _error: OperationalError) -> JSONResponse:
        # Locked past the timeout, or the server went away: nothing was stored.
        return _message(503, "the database is busy or unavailable; nothing was stored, retry")


def etag(version: int) -> str:
    """The entity tag of a record version (RFC 9110 section 8.8.3): its number, quoted."""
    return f'"{version}"'


_DESCRIPTIONS = {
    400: "The body cannot be read as JSON text (e.g. not UTF-8).",
    401: "No valid credentials: sign in or send an API token (Authorization: Bearer).",
    403: "Signed in, but the role (or the token's scope) does not allow this.",
    404: "Not found: no such item (or not visible to the caller).",
    409: "Conflict with what is stored (a duplicate id, a forbidden transition).",
    413: "Request body larger than the documented limit.",
    503: "The database is busy or unavailable; nothing was stored. Retry after a second.",
}


def responses(*codes: int, conflict: type[BaseModel] = ErrorMessage) -> dict[int | str, Any]:
    """OpenAPI entries for the error statuses an operation can answer besides 422."""
    return {
        code: {
            "model": conflict if code == 409 else ErrorMessage,
            "description": _DESCRIPTIONS[code],
        }
        for code in codes
    }


def either_validation_or(model: type[BaseModel], description: str) -> dict[str, Any]:
    """A 422 entry whose body is FastAPI's validation error or ``model``."""
    either = {"anyOf": [{"$ref": "#/components/schemas/HTTPValidationError"}, schema_of(model)]}
    return {"description": description, "content": {"application/json": {"schema": either}}}
