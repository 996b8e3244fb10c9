"""CTDL import: Credential Engine resources into draft micro-credentials.

Each credential (any ``ceterms:`` credential class) or ``ceterms:LearningOpportunityProfile``
becomes one CIS record. Members that map are mapped; every member that does not is
reported, property by property, with the reason (``Dropped``); values the CIS needs and
CTDL does not state are reported as ``assumed``. The record is then checked exactly as a
YAML record is (``registry.files.validate_document``), so problems name the CIS field.
Organizations, competencies and frameworks in the same input are read to resolve
references; other resource types are listed as not imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from credstack.domain.codes import COUNTRIES, SUBDIVISIONS
from credstack.domain.credential import check_language_tag
from credstack.errors import Problem
from credstack.interop import ctdl_terms as terms
from credstack.interop.ctdl import RECORD_ID_TYPE
from credstack.interop.ctdl_read import (
    Node,
    Pool,
    is_empty,
    language_of,
    nodes_of,
    objects,
    refs,
    text,
)
from credstack.interop.ctdl_recognise import map_credential_members
from credstack.interop.ctdl_schema import schema_for
from credstack.interop.report import Dropped, ImportedRecord, Reading

IMPORTED_TYPES = {"ceterms:LearningOpportunityProfile", "ceterms:Course", "ceterms:Credential"}
CONTEXT_TYPES = {
    "ceterms:CredentialOrganization",
    "ceterms:Organization",
    "ceterms:QACredentialOrganization",
    "ceasn:Competency",
    "ceasn:CompetencyFramework",
    "ceterms:TransferValueProfile",
}
IDENTITY_MEMBERS = {
    "@context",
    "@id",
    "@type",
    "ceterms:ctid",
    "ceterms:identifier",
    "ceterms:subjectWebpage",
    "ceterms:credentialStatusType",
}


@dataclass(frozen=True)
class Defaults:
    """What to use where a CTDL record does not say what the CIS needs."""

    country: str | None = None
    issuer_name: str | None = None


def slug(value: str, limit: int = 100) -> str:
    """A record id made from a name: lower case, words joined by hyphens."""
    found = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:limit].strip("-")
    return found if len(found) >= 2 else f"x-{found}"


def is_credential_type(node_type: str) -> bool:
    """Whether resources of ``node_type`` are imported as records."""
    return node_type in IMPORTED_TYPES or schema_for(node_type) == "credential"


def read_documents(documents: list[tuple[str, Any]], defaults: Defaults) -> Reading:
    """Map every credential in ``documents`` ((source, parsed JSON) pairs) to a record."""
    pool = Pool()
    found: list[tuple[str, str, Node]] = []
    for source, data in documents:
        for location, node in nodes_of(data):
            pool.add(node)
            found.append((source, location, node))
    reading = Reading()
    for source, location, node in found:
        node_type = node.get("@type")
        if isinstance(node_type, str) and is_credential_type(node_type):
            reading.records.append(_read_one(source, location, node, pool, defaults))
        elif node_type not in CONTEXT_TYPES:
            reading.not_imported.append(
                {
                    "source": source,
                    "location": location,
                    "type": str(node_type),
                    "reason": "not a credential or learning opportunity",
                }
            )
    _check_unique_ids(reading)
    return reading


def _check_unique_ids(reading: Reading) -> None:
    seen: dict[str, ImportedRecord] = {}
    for item in reading.records:
        if item.record is None:
            continue
        first = seen.setdefault(item.record.id, item)
        if first is not item:
            item.problems.append(
                Problem(
                    item.location or "id",
                    f"record id '{item.record.id}' is also made by {first.source} {first.location}",
                    item.source,
                )
            )


def _read_one(
    source: str, location: str, node: Node, pool: Pool, defaults: Defaults
) -> ImportedRecord:
    where = f"{location}." if location else ""
    item = ImportedRecord(
        source=source,
        location=location,
        ctid=node.get("ceterms:ctid") if isinstance(node.get("ceterms:ctid"), str) else None,
    )
    lang = language_of(node.get("ceterms:name"))
    document: dict[str, Any] = {}
    handled = set(IDENTITY_MEMBERS)
    name = text(node.get("ceterms:name"), lang)
    if name is None:
        item.problems.append(
            Problem(f"{where}ceterms:name", "required: the record's title", source)
        )
    document["title"] = name
    document["id"] = _record_id(node, name)
    summary = text(node.get("ceterms:description"), lang)
    if summary is None:
        item.problems.append(
            Problem(f"{where}ceterms:description", "required: the CIS description summary", source)
        )
    document["description"] = {"summary": summary}
    handled |= {"ceterms:name", "ceterms:description"}
    provider, provider_members = _provider(node, pool, defaults, item, where)
    handled |= provider_members
    if provider is not None:
        document["provider"] = provider
    languages = _languages(node, item, where)
    if languages:
        document["language"] = languages
    handled.add("ceterms:inLanguage")
    handled |= map_credential_members(
        node,
        document,
        lang=lang,
        pool=pool,
        note=lambda member, reason: item.dropped.append(Dropped(f"{where}{member}", reason)),
        assume=lambda member, reason: item.assumed.append(Dropped(f"{where}{member}", reason)),
    )
    for member, value in node.items():
        if member not in handled and not is_empty(value):
            item.dropped.append(Dropped(f"{where}{member}", "no CIS element holds it"))
    return item.finish(document, prefix=where)


def _record_id(node: Node, name: str | None) -> str:
    for identifier in objects(node.get("ceterms:identifier")):
        if text(identifier.get("ceterms:identifierTypeName")) == RECORD_ID_TYPE:
            value = text(identifier.get("ceterms:identifierValue"))
            if value:
                return value
    ctid_value = node.get("ceterms:ctid")
    # Draft-era CTIDs are "urn:ctid:<uuid>", current ones "ce-<uuid>": take the UUID's start.
    uuid_part = (
        ctid_value.rsplit(":", 1)[-1].removeprefix("ce-") if isinstance(ctid_value, str) else ""
    )
    suffix = re.sub(r"[^a-z0-9]", "", uuid_part.lower())[:8]
    base = slug(name or "ctdl-record", 100 - len(suffix) - 1)
    return f"{base}-{suffix}" if suffix else base


def _languages(node: Node, item: ImportedRecord, where: str) -> list[str]:
    found: list[str] = []
    for value in node.get("ceterms:inLanguage") or []:
        if not isinstance(value, str):
            continue
        try:
            check_language_tag(value)
        except ValueError:
            item.dropped.append(
                Dropped(f"{where}ceterms:inLanguage", f"'{value}' is not a BCP 47 language tag")
            )
            continue
        if value not in found:
            found.append(value)
    return found


def _provider(
    node: Node, pool: Pool, defaults: Defaults, item: ImportedRecord, where: str
) -> tuple[dict[str, Any] | None, set[str]]:
    owners = refs(node.get("ceterms:ownedBy")) + refs(node.get("ceterms:offeredBy"))
    members = {"ceterms:ownedBy", "ceterms:offeredBy", "ceterms:recognizedBy"}
    issuer: dict[str, Any] | None = None
    others: list[dict[str, Any]] = []
    seen: set[str] = set()
    for uri in owners:
        if uri in seen:
            continue
        seen.add(uri)
        organization = pool.get(uri)
        if organization is None:
            item.dropped.append(
                Dropped(f"{where}ceterms:ownedBy", f"organization {uri} is not in the input")
            )
            continue
        provider = _organization(organization, defaults, item, where)
        if provider is None:
            continue
        if issuer is None:
            issuer = provider
        elif provider["id"] != issuer["id"]:
            others.append({"role": "partner", "provider": provider})
    for uri in refs(node.get("ceterms:recognizedBy")):
        organization = pool.get(uri)
        provider = _organization(organization, defaults, item, where) if organization else None
        if provider is None:
            item.dropped.append(
                Dropped(f"{where}ceterms:recognizedBy", f"organization {uri} is not in the input")
            )
            continue
        others.append({"role": "endorser", "provider": provider})
    if issuer is None and defaults.issuer_name and defaults.country:
        issuer = {
            "id": slug(defaults.issuer_name),
            "name": defaults.issuer_name,
            "country": defaults.country,
        }
        item.assumed.append(
            Dropped(
                f"{where}ceterms:ownedBy",
                f"no organization given; issuer set to '{defaults.issuer_name}'",
            )
        )
    if issuer is None:
        item.problems.append(
            Problem(
                f"{where}ceterms:ownedBy",
                "expected the owning organization in the input (or --issuer-name and --country)",
                item.source,
            )
        )
        return None, members
    return {"issuer": issuer, "others": others}, members


def _organization(
    node: Node, defaults: Defaults, item: ImportedRecord, where: str
) -> dict[str, Any] | None:
    name = text(node.get("ceterms:name"))
    if name is None:
        return None
    identifier = (
        _record_id(node, name)
        if any(
            text(i.get("ceterms:identifierTypeName")) == RECORD_ID_TYPE
            for i in objects(node.get("ceterms:identifier"))
        )
        else slug(name)
    )
    country, region = _address(node)
    if country is None:
        if defaults.country is None:
            item.problems.append(
                Problem(
                    f"{where}ceterms:ownedBy",
                    f"organization '{name}' has no ISO 3166 country in ceterms:address "
                    "(give --country)",
                    item.source,
                )
            )
            return None
        country = defaults.country
        item.assumed.append(
            Dropped(f"{where}ceterms:ownedBy", f"country of '{name}' set to {country}")
        )
    provider: dict[str, Any] = {"id": identifier, "name": name, "country": country}
    if region:
        provider["region"] = region
    kind = _provider_type(node)
    if kind:
        provider["type"] = kind
    url = text(node.get("ceterms:subjectWebpage"))
    if url and not url.rstrip("/").endswith(f"/providers/{identifier}"):
        provider["url"] = url
    others = [
        {
            "scheme": text(i.get("ceterms:identifierTypeName")),
            "value": text(i.get("ceterms:identifierValue")),
        }
        for i in objects(node.get("ceterms:identifier"))
        if text(i.get("ceterms:identifierTypeName")) not in (None, RECORD_ID_TYPE)
        and text(i.get("ceterms:identifierValue"))
    ]
    if others:
        provider["identifiers"] = others
    return provider


def _address(node: Node) -> tuple[str | None, str | None]:
    for place in objects(node.get("ceterms:address")):
        country = text(place.get("ceterms:addressCountry"))
        region = text(place.get("ceterms:addressRegion"))
        if country and country.upper() in COUNTRIES:
            country = country.upper()
            if region and region.upper() in SUBDIVISIONS and region.upper().startswith(country):
                return country, region.upper()
            if region and f"{country}-{region.upper()}" in SUBDIVISIONS:
                return country, f"{country}-{region.upper()}"
            return country, None
    return None, None


def _provider_type(node: Node) -> str | None:
    from credstack.domain.vocabulary import ProviderType

    for concept in objects(node.get("ceterms:agentType")):
        code = text(concept.get("ceterms:codedNotation"))
        if code in {kind.value for kind in ProviderType}:
            return code
        target = text(concept.get("ceterms:targetNode"))
        if target in terms.ORG_TYPE_FROM_NODE:
            return terms.ORG_TYPE_FROM_NODE[target].value
    return None
