"""Validation of ELM documents against the published SHACL shapes (LOQ profile).

Needs the optional ``pyshacl`` and ``rdflib`` packages (``pip install 'credstack[elm]'``).
The document's remote contexts are replaced by the shipped copy of the ELM context, so
validation never touches the network.
"""

from __future__ import annotations

import copy
import json
import re
import warnings
from functools import cache
from importlib import resources
from typing import Any

from credstack.errors import InvalidInput, Problem
from credstack.interop.elm import CONTEXT

# What the W3C credentials v1 context contributes to these documents: the aliases.
_CREDENTIALS_V1_TERMS = {"@version": 1.1, "id": "@id", "type": "@type"}


def _text(name: str) -> str:
    return (
        resources.files("credstack.interop")
        .joinpath(f"schemas/elm/{name}")
        .read_text(encoding="utf-8")
    )


PROFILES = {"loq": "LOQ-constraints.ttl", "edc": "EDC-generic-no-cv.ttl"}


@cache
def _shapes(profile: str) -> Any:
    rdflib = _import("rdflib")
    # One published pattern starts "^(?i)"; Python's re needs global flags first.
    shapes = _text(PROFILES[profile]).replace('"^(?i)', '"(?i)^')
    graph = rdflib.Graph().parse(data=shapes, format="turtle")
    pattern = rdflib.URIRef("http://www.w3.org/ns/shacl#pattern")
    for subject, _, value in list(graph.triples((None, pattern, None))):
        if not _readable(str(value)):
            graph.remove((subject, pattern, value))
    return graph


def unreadable_patterns(profile: str = "loq") -> list[str]:
    """The published ``sh:pattern`` expressions Python cannot compile (XPath ``\\p{..}``
    classes): they are left out of validation, everything else is checked."""
    text = _text(PROFILES[profile]).replace('"^(?i)', '"(?i)^')
    rdflib = _import("rdflib")
    graph = rdflib.Graph().parse(data=text, format="turtle")
    pattern = rdflib.URIRef("http://www.w3.org/ns/shacl#pattern")
    return sorted({str(v) for v in graph.objects(None, pattern) if not _readable(str(v))})


def _readable(expression: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            re.compile(expression)
    except re.error:
        return False
    return True


def _import(name: str) -> Any:
    try:
        return __import__(name)
    except ImportError:
        raise InvalidInput(
            [
                Problem(
                    "", f"ELM validation needs the '{name}' package (pip install 'credstack[elm]')"
                )
            ]
        ) from None


def _offline(document: dict[str, Any]) -> dict[str, Any]:
    local = copy.deepcopy(document)
    context = json.loads(_text("edc-ap-context.jsonld"))["@context"]
    stated = local.get("@context")
    if stated != CONTEXT:
        raise InvalidInput([Problem("@context", f"expected {CONTEXT}")])
    local["@context"] = [_CREDENTIALS_V1_TERMS, context]
    return local


def shape_problems(document: dict[str, Any], profile: str = "loq") -> list[str]:
    """Every SHACL violation of ``document`` against a profile's shapes: ``loq`` (learning
    opportunities) or ``edc`` (credentials and achievements). Empty: it conforms."""
    rdflib = _import("rdflib")
    pyshacl = _import("pyshacl")
    data = rdflib.Graph().parse(data=json.dumps(_offline(document)), format="json-ld")
    if len(data) == 0:
        return ["the document holds no statements"]
    with warnings.catch_warnings():
        # The published patterns hold nested sets Python warns about (and reads as sets).
        warnings.simplefilter("ignore", FutureWarning)
        conforms, report, _ = pyshacl.validate(
            data, shacl_graph=_shapes(profile), inference="none", advanced=True
        )
    if conforms:
        return []
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    found = []
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        path = report.value(result, sh.resultPath)
        focus = report.value(result, sh.focusNode)
        message = report.value(result, sh.resultMessage)
        found.append(f"{focus} {path}: {message}")
    return sorted(found)
