"""Assessment records: who was assessed on what, by whom, and the level per criterion.

Evidence is either a URI (absolute http/https/urn, so a badge never carries a relative
IRI) or a file identified by its name and SHA-256 digest; the file itself stays with
the provider, and the digest lets anyone check a copy later.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Self
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from credstack.assess.rubric import LEVEL_ID, Rubric
from credstack.domain.credential import ID_PATTERN, Record
from credstack.errors import Problem

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
URI_SCHEMES = ("http", "https", "urn")
# Controls break N-Quads canonicalization in some libraries; they have no place in a URI.
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def check_uri(value: str) -> str:
    """``value`` if it is an absolute http(s) or urn URI without spaces or controls."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in URI_SCHEMES or _CONTROL.search(value):
        raise ValueError(f"'{value}' is not an absolute http(s) or urn URI")
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        raise ValueError(f"'{value}' has no host")
    return value


class Evidence(Record):
    """One piece of evidence: a URI, or a file with its SHA-256 digest."""

    uri: Annotated[str, Field(max_length=2048)] | None = None
    file: Annotated[str, Field(min_length=1, max_length=255)] | None = None
    sha256: str | None = None
    name: Annotated[str, Field(max_length=500)] | None = None

    @field_validator("uri")
    @classmethod
    def _uri(cls, value: str | None) -> str | None:
        return check_uri(value) if value is not None else None

    @field_validator("sha256")
    @classmethod
    def _digest(cls, value: str | None) -> str | None:
        if value is not None and not SHA256_HEX.match(value.lower()):
            raise ValueError("expected 64 hexadecimal characters (a SHA-256 digest)")
        return value.lower() if value is not None else None

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        if (self.uri is None) == (self.file is None):
            raise ValueError("give either uri or file (with its sha256), not both or neither")
        if self.file is not None and self.sha256 is None:
            raise ValueError("sha256: required with file (the file's SHA-256 digest)")
        return self


class CriterionResult(Record):
    """The level a learner reached on one criterion, with evidence and a comment."""

    criterion: Annotated[str, Field(pattern=LEVEL_ID)]
    level: Annotated[str, Field(pattern=LEVEL_ID)]
    evidence: list[Evidence] = Field(default_factory=list, max_length=50)
    comment: Annotated[str, Field(max_length=5000)] | None = None


class AssessmentRecord(Record):
    """One assessment attempt of one learner on one version of a micro-credential."""

    learner: Annotated[str, Field(pattern=ID_PATTERN)]
    micro_credential: Annotated[str, Field(pattern=ID_PATTERN)]
    version: Annotated[int, Field(ge=1)] | None = None
    rubric: Annotated[str, Field(pattern=ID_PATTERN)] | None = None
    assessor: Annotated[str, Field(min_length=1, max_length=256)]
    date: dt.date
    attempt: Annotated[int, Field(ge=1, le=100)] = 1
    identity_verified: bool = False
    results: Annotated[list[CriterionResult], Field(min_length=1, max_length=200)]

    @model_validator(mode="after")
    def _criteria_once(self) -> Self:
        names = [result.criterion for result in self.results]
        duplicated = sorted({name for name in names if names.count(name) > 1})
        if duplicated:
            raise ValueError(f"results: criterion given more than once: {', '.join(duplicated)}")
        return self


def problems_against(record: AssessmentRecord, rubric: Rubric) -> list[Problem]:
    """Results that do not fit the rubric: unknown criteria or levels off the scale.

    A required criterion with no result is not an input error: the decision counts it
    as not reached (an assessor may record a partial attempt).
    """
    problems: list[Problem] = []
    criteria = {criterion.id for criterion in rubric.criteria}
    for index, result in enumerate(record.results):
        if result.criterion not in criteria:
            problems.append(
                Problem(
                    f"results[{index}].criterion",
                    f"'{result.criterion}' is not a criterion of rubric {rubric.id} "
                    f"(expected one of: {', '.join(sorted(criteria))})",
                )
            )
        if not rubric.scale.has(result.level):
            problems.append(
                Problem(
                    f"results[{index}].level",
                    f"'{result.level}' is not a level of the scale "
                    f"(expected one of: {', '.join(rubric.level_ids)})",
                )
            )
    return problems
