"""Rubric and assessment-record files (YAML or JSON) with errors naming file and field.

Evidence files named in an assessment record are read relative to the record file's
folder to compute their SHA-256 digest when the record does not give one; when it does
and the file is there, the digest must match.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from credstack.assess.record import AssessmentRecord
from credstack.assess.rubric import DEFER_STRUCTURE, Rubric
from credstack.errors import InvalidInput, Problem
from credstack.registry.errors import format_location
from credstack.registry.files import read_data

Model = TypeVar("Model", bound=BaseModel)
CHUNK = 1 << 20


def problems_from(error: ValidationError, source: str) -> list[Problem]:
    """One :class:`Problem` per pydantic error, with the field path users write."""
    problems = []
    for item in error.errors(include_url=False):
        # Drop pydantic's validator tags ('function-after[...]'), keep real keys.
        location = format_location(
            tuple(part for part in item["loc"] if not str(part).startswith("function-"))
        )
        if item["type"] == "extra_forbidden":
            message = f"unknown key '{item['loc'][-1]}'"
        elif item["type"] == "missing":
            message = "required field is missing"
        else:
            message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(Problem(location, message, source))
    return problems


def _read(path: Path) -> Any:
    source = str(path)
    data = read_data(path)
    if not isinstance(data, dict):
        raise InvalidInput(
            [Problem("", f"expected a mapping at the top level, got {type(data).__name__}", source)]
        )
    return data


def validate(
    model: type[Model], data: Any, *, source: str, context: dict[str, Any] | None = None
) -> Model:
    """``data`` as ``model``, or ``InvalidInput`` naming ``source`` and every field."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        raise InvalidInput(problems_from(error, source)) from None


def parse_rubric(data: Any, *, source: str) -> Rubric:
    """A rubric from plain data; structural problems keep their own field paths."""
    if not isinstance(data, dict):
        raise InvalidInput([Problem("", "expected a rubric mapping", source)])
    rubric = validate(Rubric, data, source=source, context={DEFER_STRUCTURE: True})
    problems = [
        Problem(problem.location, problem.message, source)
        for problem in rubric.structural_problems()
    ]
    if problems:
        raise InvalidInput(problems)
    return rubric


def load_rubric(path: Path) -> Rubric:
    """The rubric in ``path``."""
    return parse_rubric(_read(path), source=str(path))


def file_sha256(path: Path) -> str:
    """The SHA-256 digest (hex) of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _hash_evidence_files(data: dict[str, Any], folder: Path, source: str) -> list[Problem]:
    problems: list[Problem] = []
    results = data.get("results")
    for index, result in enumerate(results if isinstance(results, list) else []):
        evidence = result.get("evidence") if isinstance(result, dict) else None
        for position, item in enumerate(evidence if isinstance(evidence, list) else []):
            if not isinstance(item, dict) or not isinstance(item.get("file"), str):
                continue
            where = f"results[{index}].evidence[{position}]"
            path = folder / item["file"]
            if not path.is_file():
                if item.get("sha256") is None:
                    problems.append(
                        Problem(
                            f"{where}.file",
                            f"no such file {path}; give the file or its sha256",
                            source,
                        )
                    )
                continue
            actual = file_sha256(path)
            given = item.get("sha256")
            if given is None:
                item["sha256"] = actual
            elif isinstance(given, str) and given.lower() != actual:
                problems.append(
                    Problem(
                        f"{where}.sha256",
                        f"does not match {path} (its SHA-256 is {actual})",
                        source,
                    )
                )
    return problems


def parse_assessment(data: Any, *, source: str, folder: Path | None = None) -> AssessmentRecord:
    """An assessment record from plain data; evidence files are hashed from ``folder``."""
    if not isinstance(data, dict):
        raise InvalidInput([Problem("", "expected an assessment record mapping", source)])
    if folder is not None:
        problems = _hash_evidence_files(data, folder, source)
        if problems:
            raise InvalidInput(problems)
    return validate(AssessmentRecord, data, source=source)


def load_assessment(path: Path) -> AssessmentRecord:
    """The assessment record in ``path``; evidence files are read next to it."""
    return parse_assessment(_read(path), source=str(path), folder=path.parent)
