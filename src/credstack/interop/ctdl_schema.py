"""Validation of CTDL documents against Credential Engine's published JSON Schemas.

The schemas are the registry's own (``schemas/ctdl/``, Apache-2.0, see SOURCE.md). Each
node of a graph is checked against the schema of its class; classes without a shipped
schema are checked for the members every CTDL resource needs (``@type``, ``ceterms:ctid``).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft4Validator

from credstack.errors import Problem
from credstack.interop.ids import CTID_PATTERN

SCHEMA_OF_TYPE = {
    "ceterms:CredentialOrganization": "organization",
    "ceterms:Organization": "organization",
    "ceterms:QACredentialOrganization": "organization",
    "ceasn:Competency": "competency",
    "ceasn:CompetencyFramework": "competency_framework",
}
_LANGUAGE_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
_LANGUAGE_MAP_MULTI = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


@cache
def _schema(name: str) -> dict[str, Any]:
    text = (
        resources.files("credstack.interop")
        .joinpath(f"schemas/ctdl/{name}.json")
        .read_text(encoding="utf-8")
    )
    schema = json.loads(text)
    definitions = schema.get("definitions", {})
    for key, widened in (
        ("meta:langstring", _LANGUAGE_MAP),
        ("meta:langstring_multi", _LANGUAGE_MAP_MULTI),
    ):
        if key in definitions:
            definitions[key] = {"anyOf": [definitions[key], copy.deepcopy(widened)]}
    return dict(schema)


@cache
def validator(name: str, node_type: str) -> Draft4Validator:
    """The validator of ``node_type`` in one shipped schema, language maps allowed (SOURCE.md).

    Checking the class's own definition, not the schema's ``anyOf`` of every class, makes
    each error name the member at fault.
    """
    schema = _schema(name)
    focused = {
        "$schema": schema["$schema"],
        "$ref": f"#/definitions/{node_type}",
        "definitions": schema["definitions"],
    }
    return Draft4Validator(focused, format_checker=Draft4Validator.FORMAT_CHECKER)


def schema_for(node_type: str) -> str | None:
    """The shipped schema that validates nodes of ``node_type`` (None: no schema)."""
    if node_type in SCHEMA_OF_TYPE:
        return SCHEMA_OF_TYPE[node_type]
    classes = {ref["$ref"].rsplit("/", 1)[-1] for ref in _schema("credential")["anyOf"]}
    return "credential" if node_type in classes else None


def validate_graph(document: dict[str, Any], *, source: str = "ctdl") -> list[Problem]:
    """Every schema violation in a CTDL graph document (empty when it is valid)."""
    problems: list[Problem] = []
    graph = document.get("@graph")
    if not isinstance(graph, list) or not graph:
        return [Problem("@graph", "expected a non-empty list of CTDL resources", source)]
    for index, node in enumerate(graph):
        problems.extend(validate_node(node, location=f"@graph[{index}]", source=source))
    return problems


def validate_node(node: Any, *, location: str, source: str) -> list[Problem]:
    """Schema violations of one CTDL resource."""
    if not isinstance(node, dict) or not isinstance(node.get("@type"), str):
        return [Problem(location, "expected a CTDL resource with an @type", source)]
    found = []
    ctid_value = node.get("ceterms:ctid")
    if not isinstance(ctid_value, str) or not CTID_PATTERN.match(ctid_value):
        found.append(Problem(f"{location}.ceterms:ctid", "expected 'ce-' and a UUID", source))
    name = schema_for(node["@type"])
    if name is None:
        return found
    for error in sorted(
        validator(name, node["@type"]).iter_errors(node), key=lambda e: list(e.path)
    ):
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)
        found.append(Problem(f"{location}{path}", f"{name} schema: {error.message}", source))
    return found
