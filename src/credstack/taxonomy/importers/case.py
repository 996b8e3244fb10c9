"""1EdTech CASE 1.1 packages (CFPackage JSON): import and export.

A package holds ``CFDocument`` (the framework), ``CFItems`` (the competencies) and
``CFAssociations`` (``isChildOf`` gives the hierarchy). Every association must point at
an item of the package or at the document itself (CASE 1.1 §4.x CFAssociation,
originNodeURI / destinationNodeURI); a dangling reference rejects the whole package.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from credstack.errors import InvalidInput, Problem
from credstack.registry.files import MAX_FRAMEWORK_BYTES, read_data
from credstack.taxonomy.model import (
    Competency,
    CompetencyType,
    Framework,
    FrameworkInfo,
    parse_type,
)
from credstack.taxonomy.scales import BUILTIN_SCALES

CASE_ITEM_TYPES = {
    "knowledge": CompetencyType.KNOWLEDGE,
    "skill": CompetencyType.SKILL,
    "ability": CompetencyType.SKILL,
    "attitude": CompetencyType.ATTITUDE,
    "disposition": CompetencyType.ATTITUDE,
    "competency": CompetencyType.COMPETENCE,
    "competence": CompetencyType.COMPETENCE,
}


def _text(node: dict[str, Any], key: str) -> str:
    value = node.get(key)
    return value.strip() if isinstance(value, str) else ""


def _node_uri(node: dict[str, Any], source: str, location: str) -> str:
    uri = _text(node, "uri") or _text(node, "identifier")
    if not uri:
        raise InvalidInput([Problem(location, "expected a 'uri' or 'identifier'", source)])
    return uri


def read_case(path: Path, *, framework_id: str | None = None) -> Framework:
    """The framework in the CASE 1.1 package at ``path`` (dangling references rejected)."""
    document = read_data(path, max_bytes=MAX_FRAMEWORK_BYTES, syntax=".json")
    return parse_case(document, source=str(path), framework_id=framework_id)


def parse_case(document: Any, *, source: str, framework_id: str | None = None) -> Framework:
    """The framework in a parsed CASE 1.1 package."""
    if not isinstance(document, dict) or not isinstance(document.get("CFDocument"), dict):
        raise InvalidInput(
            [Problem("CFDocument", "expected a CASE package with a CFDocument object", source)]
        )
    cf_document: dict[str, Any] = document["CFDocument"]
    items = document.get("CFItems", [])
    associations = document.get("CFAssociations", [])
    problems: list[Problem] = []
    if not isinstance(items, list):
        problems.append(Problem("CFItems", "expected a list", source))
        items = []
    if not isinstance(associations, list):
        problems.append(Problem("CFAssociations", "expected a list", source))
        associations = []
    document_uri = _node_uri(cf_document, source, "CFDocument")
    title = _text(cf_document, "title")
    if not title:
        problems.append(Problem("CFDocument.title", "must not be empty", source))

    nodes: dict[str, dict[str, Any]] = {}
    identifiers: dict[str, str] = {_text(cf_document, "identifier"): document_uri}
    for index, item in enumerate(items):
        location = f"CFItems[{index}]"
        if not isinstance(item, dict):
            problems.append(Problem(location, "expected an object", source))
            continue
        uri = _node_uri(item, source, location)
        if not _text(item, "fullStatement"):
            problems.append(Problem(f"{location}.fullStatement", "must not be empty", source))
        nodes[uri] = item
        if _text(item, "identifier"):
            identifiers[_text(item, "identifier")] = uri

    broader: dict[str, list[str]] = {}
    known = set(nodes) | {document_uri}
    for index, association in enumerate(associations):
        location = f"CFAssociations[{index}]"
        if not isinstance(association, dict):
            problems.append(Problem(location, "expected an object", source))
            continue
        ends = {}
        for end in ("originNodeURI", "destinationNodeURI"):
            link = association.get(end)
            ref = ""
            if isinstance(link, dict):
                ref = _text(link, "uri")
                if ref not in known:
                    ref = identifiers.get(_text(link, "identifier"), ref)
            if ref not in known:
                shown = json.dumps(link) if link is not None else "nothing"
                problems.append(
                    Problem(
                        f"{location}.{end}",
                        f"dangling reference: {shown} is not in the package",
                        source,
                    )
                )
            ends[end] = ref
        if (
            _text(association, "associationType") == "isChildOf"
            and ends["destinationNodeURI"] != document_uri
        ):
            broader.setdefault(ends["originNodeURI"], []).append(ends["destinationNodeURI"])
    if problems:
        raise InvalidInput(problems)

    competencies = tuple(
        Competency(
            uri=uri,
            preferred_label=_text(item, "abbreviatedStatement") or _text(item, "fullStatement"),
            code=_text(item, "humanCodingScheme") or None,
            alt_labels=tuple(
                label
                for label in [_text(item, "fullStatement")]
                if label
                and label != _text(item, "abbreviatedStatement")
                and _text(item, "abbreviatedStatement")
            ),
            description=_text(item, "notes") or None,
            type=CASE_ITEM_TYPES.get(_text(item, "CFItemType").lower())
            or parse_type(_text(item, "CFItemType")),
            broader=tuple(broader.get(uri, ())),
        )
        for uri, item in nodes.items()
    )
    info = FrameworkInfo(
        id=framework_id or _slug(title),
        name=title,
        publisher=_text(cf_document, "creator") or _text(cf_document, "publisher") or "unknown",
        version=_text(cf_document, "version") or _text(cf_document, "lastChangeDateTime") or "1",
        licence=_text(cf_document, "licenseURI")
        if isinstance(cf_document.get("licenseURI"), str)
        else "",
        source_uri=document_uri,
        language=_text(cf_document, "language") or "en",
        kind="case",
    )
    return Framework(info=info, competencies=competencies, scales=BUILTIN_SCALES)


def _slug(title: str) -> str:
    slug = "".join(char if char.isalnum() else "-" for char in title.lower()).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    return slug[:64] or "case-framework"


def export_case(framework: Framework, *, last_change: str) -> dict[str, Any]:
    """A CASE 1.1 package for ``framework`` (items, isChildOf associations)."""
    info = framework.info

    def link(uri: str, title: str) -> dict[str, str]:
        return {"title": title, "identifier": _identifier(uri), "uri": uri}

    document_uri = info.source_uri or f"urn:credstack:framework:{info.id}"
    doc_identifier = _identifier(document_uri)
    items = [
        {
            "identifier": _identifier(c.uri),
            "uri": c.uri,
            "fullStatement": c.preferred_label,
            **({"humanCodingScheme": c.code} if c.code else {}),
            **({"notes": c.description} if c.description else {}),
            **({"CFItemType": c.type.value} if c.type else {}),
            "lastChangeDateTime": last_change,
        }
        for c in framework.competencies
    ]
    associations = []
    for c in framework.competencies:
        parents = c.broader or (document_uri,)
        for parent in parents:
            parent_item = framework.competency(parent)
            associations.append(
                {
                    "identifier": _identifier(f"{c.uri} isChildOf {parent}"),
                    "uri": f"urn:credstack:association:{_identifier(c.uri + parent)}",
                    "associationType": "isChildOf",
                    "originNodeURI": link(c.uri, c.preferred_label),
                    "destinationNodeURI": link(
                        parent, parent_item.preferred_label if parent_item else info.name
                    ),
                    "lastChangeDateTime": last_change,
                }
            )
    return {
        "CFDocument": {
            "identifier": doc_identifier,
            "uri": document_uri,
            "creator": info.publisher,
            "title": info.name,
            "version": info.version,
            "language": info.language,
            "lastChangeDateTime": last_change,
        },
        "CFItems": items,
        "CFAssociations": associations,
    }


def _identifier(text: str) -> str:
    # CASE identifiers are UUIDs; derive a stable one from the URI (RFC 4122 name-based).
    return str(uuid.uuid5(uuid.NAMESPACE_URL, text))
