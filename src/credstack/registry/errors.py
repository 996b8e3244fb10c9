"""Turning parser and validation failures into :class:`~credstack.errors.Problem` lists."""

from __future__ import annotations

import difflib
import re
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from credstack.domain.credential import MicroCredential


def format_location(location: tuple[int | str, ...]) -> str:
    """A field path as users write it: ``learning_outcomes[2].statement``."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _model_at(location: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the field at ``location`` (for key suggestions)."""
    model: Any = MicroCredential
    for part in location:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    # Reach the model inside Optional[...], list[...] and Annotated[...].
    while get_origin(annotation) is not None:
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        models = [arg for arg in args if isinstance(arg, type) and issubclass(arg, BaseModel)]
        if models:
            return models[0]
        if not args:
            return None
        annotation = args[0]
    return annotation


def _unknown_key_message(location: tuple[int | str, ...]) -> str:
    if not location:
        return "unknown key"
    key = str(location[-1])
    owner = _model_at(location[:-1]) if len(location) > 1 else MicroCredential
    if owner is None:
        return f"unknown key '{key}'"
    valid = list(owner.model_fields)
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown key '{key}'{hint} (expected one of: {', '.join(valid)})"


# Tags pydantic puts in locations for wrapped validators and union branches.
_VALIDATOR_TAG = re.compile(
    r"^(function-(after|before|wrap|plain)|lax-or-strict|json-or-python|nullable|union"
    r"|tagged-union|chain|constrained-str)(\[.*\])?$"
)
# Model-level rules name the field they concern first: "total_hours: ...".
_FIELD_PREFIX = re.compile(
    r"^(?P<path>[A-Za-z_][\w]*(\[\d+\])?(\.[A-Za-z_]\w*(\[\d+\])?)*): (?P<rest>.+)$"
)


def problems_from_validation(error: ValidationError) -> list[tuple[str, str]]:
    """(field path, message) for every error pydantic found, in document order."""
    found: list[tuple[str, str]] = []
    for item in error.errors(include_url=False):
        location = tuple(part for part in item["loc"] if not _is_validator_tag(part))
        if item["type"] == "extra_forbidden":
            message = _unknown_key_message(location)
        else:
            message = _clean_message(item["msg"], item.get("input"))
            prefixed = _FIELD_PREFIX.match(message) if item["type"] == "value_error" else None
            if prefixed:
                path = format_location(location)
                inner = prefixed.group("path")
                joined = (
                    f"{path}{inner}"
                    if inner.startswith("[")
                    else ".".join(part for part in (path, inner) if part)
                )
                found.append((joined, prefixed.group("rest")))
                continue
        found.append((format_location(location), message))
    return found


def _is_validator_tag(part: int | str) -> bool:
    return isinstance(part, str) and _VALIDATOR_TAG.match(part) is not None


def _clean_message(message: str, value: Any) -> str:
    message = message.removeprefix("Value error, ")
    if message == "String should have at least 1 character":
        return "must not be empty"
    if message.startswith("Input should be") or message.startswith("Field required"):
        shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
        if message == "Field required":
            return "required field is missing"
        return f"{message[0].lower()}{message[1:]} (got {shown})"
    return message
