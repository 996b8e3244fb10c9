"""Request bodies credstack validates itself, documented in OpenAPI with their real schemas.

Handlers take these bodies as plain JSON and validate them with the capability's own
parser (every problem at once, with field paths users know from files); the document
still says exactly what is accepted, from the same pydantic models.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

REF = "#/components/schemas/{model}"
# Component schemas the documented bodies refer to, added to the OpenAPI document.
_COMPONENTS: dict[str, dict[str, Any]] = {}


def _register(name: str, schema: dict[str, Any]) -> None:
    known = _COMPONENTS.setdefault(name, schema)
    if known != schema:
        raise ValueError(f"two different schemas are both named {name}")


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    """A reference to ``model``'s schema, registered (with what it uses) as components."""
    schema = model.model_json_schema(ref_template=REF)
    for name, definition in schema.pop("$defs", {}).items():
        _register(name, definition)
    _register(model.__name__, schema)
    return {"$ref": REF.format(model=model.__name__)}


def json_body(schema: dict[str, Any], description: str, *, required: bool = True) -> dict[str, Any]:
    """``openapi_extra`` documenting a JSON request body with ``schema``."""
    return {
        "requestBody": {
            "required": required,
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    }


def add_components(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (an OpenAPI document) with the registered schemas among its components."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in _COMPONENTS.items():
        schemas.setdefault(name, schema)
    return document
