"""Europass ELM import: ``LearningOpportunity`` documents into draft records.

Reads the opportunity and its learning achievement specification (or qualification):
title, description, provider, languages, learning outcomes with their ESCO and other
skills, price, ECTS credit points, EQF level and entry requirements. Every member left
out is reported (``Dropped``), and the record is checked as a YAML record is.
"""

from __future__ import annotations

from typing import Any

from credstack.errors import Problem
from credstack.interop.ctdl_import import slug
from credstack.interop.ctdl_read import objects, text
from credstack.interop.elm import AUTHORITY, ECTS_CONCEPT, ESCO_SKILL, SNB, URN, codes
from credstack.interop.report import Dropped, ImportedRecord, Reading

OPPORTUNITY_READ = {
    "@context",
    "id",
    "type",
    "title",
    "description",
    "homepage",
    "providedBy",
    "elm:defaultLanguage",
    "learningAchievementSpecification",
    "priceDetail",
}
SPECIFICATION_READ = {
    "id",
    "type",
    "title",
    "description",
    "language",
    "learningOutcome",
    "creditPoint",
    "educationLevel",
    "EQFLevel",
    "entryRequirement",
    "thematicArea",
}


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("type")
    return {value} if isinstance(value, str) else {v for v in value or [] if isinstance(v, str)}


def _tail(uri: Any, prefix: str) -> str | None:
    return uri.removeprefix(prefix) if isinstance(uri, str) and uri.startswith(prefix) else None


def _first(value: Any) -> dict[str, Any]:
    found = objects(value)
    return found[0] if found else {}


def _provider(node: dict[str, Any], item: ImportedRecord) -> dict[str, Any] | None:
    organisation = _first(node.get("providedBy"))
    name = text(organisation.get("legalName"))
    address = _first(_first(organisation.get("location")).get("address"))
    alpha3 = _tail(_first(address.get("countryCode")).get("id"), f"{AUTHORITY}country/")
    country = {v: k for k, v in codes()["countries"].items()}.get(alpha3 or "")
    if not name or not country:
        item.problems.append(
            Problem(
                "providedBy",
                "expected an organisation with a legal name and an address with a country",
                item.source,
            )
        )
        return None
    identifier = _tail(organisation.get("id"), f"{URN}organisation:") or slug(name)
    return {"issuer": {"id": identifier, "name": name, "country": country}}


def _language(concept: dict[str, Any]) -> str | None:
    label = text(concept.get("prefLabel"))
    alpha3 = _tail(concept.get("id"), f"{AUTHORITY}language/")
    by_alpha3 = {v: k for k, v in codes()["languages"].items()}
    if label and alpha3 and by_alpha3.get(alpha3) == label.split("-")[0].lower():
        return label
    return by_alpha3.get(alpha3 or "")


def _outcomes(specification: dict[str, Any], record_id: str) -> list[dict[str, Any]]:
    outcomes = []
    for index, node in enumerate(objects(specification.get("learningOutcome")), start=1):
        statement = text(node.get("title"))
        if not statement:
            continue
        code = _tail(node.get("id"), f"{URN}learningOutcome:{record_id}:") or f"LO{index}"
        alignments = [
            {
                "uri": skill["id"],
                "label": text(skill.get("prefLabel")) or skill["id"],
                "framework": "ESCO"
                if skill["id"].startswith(ESCO_SKILL)
                else skill["id"].split("/")[2]
                if "//" in skill["id"]
                else skill["id"],
            }
            for member in ("relatedESCOSkill", "relatedSkill")
            for skill in objects(node.get(member))
            if isinstance(skill.get("id"), str)
        ]
        outcomes.append(
            {
                "id": code,
                "statement": statement,
                **({"alignments": alignments} if alignments else {}),
            }
        )
    return outcomes


def _details(node: dict[str, Any], specification: dict[str, Any], document: dict[str, Any]) -> None:
    amount = _first(_first(node.get("priceDetail")).get("amount"))
    value = amount.get("rdf:value")
    value = value.get("@value") if isinstance(value, dict) else value
    currency = _tail(_first(amount.get("unit")).get("id"), f"{AUTHORITY}currency/")
    if isinstance(value, str | int | float) and currency:
        document["price"] = {"amount": float(value), "currency": currency, "tax_included": False}
    for credit in objects(specification.get("creditPoint")):
        if _first(credit.get("framework")).get("id") == ECTS_CONCEPT:
            document["credits"] = [{"system": "ects", "value": credit.get("point")}]
    for level in objects(specification.get("educationLevel")) + objects(
        specification.get("EQFLevel")
    ):
        eqf = _tail(level.get("id"), f"{SNB}eqf/")
        if eqf and eqf.isdigit():
            document["qualification_levels"] = [{"framework": "eqf", "level": int(eqf)}]
    requirement = text(_first(specification.get("entryRequirement")).get("noteLiteral"))
    if requirement:
        document["prerequisites"] = {"experience": requirement}


def read_opportunity(source: str, location: str, node: dict[str, Any]) -> ImportedRecord:
    """One learning opportunity as a record and a report of what was left out."""
    item = ImportedRecord(source=source, location=location, ctid=None)
    specification = _first(node.get("learningAchievementSpecification"))
    title = text(node.get("title")) or text(specification.get("title"))
    summary = text(node.get("description")) or text(specification.get("description"))
    for member, value in (("title", title), ("description", summary)):
        if value is None:
            item.problems.append(Problem(f"{location}{member}", "required", source))
    record_id = _tail(node.get("id"), f"{URN}learningOpportunity:") or slug(title or "elm")
    document: dict[str, Any] = {
        "id": record_id,
        "title": title,
        "description": {"summary": summary},
    }
    provider = _provider(node, item)
    if provider:
        document["provider"] = provider
    languages = [tag for c in objects(specification.get("language")) if (tag := _language(c))]
    if languages:
        document["language"] = languages
    outcomes = _outcomes(specification, record_id)
    if outcomes:
        document["learning_outcomes"] = outcomes
    _details(node, specification, document)
    for member in sorted(set(node) - OPPORTUNITY_READ):
        item.dropped.append(Dropped(f"{location}{member}", "no CIS element holds it"))
    for member in sorted(set(specification) - SPECIFICATION_READ):
        item.dropped.append(
            Dropped(
                f"{location}learningAchievementSpecification.{member}", "no CIS element holds it"
            )
        )
    return item.finish(document, prefix=location)


def read_elm(documents: list[tuple[str, Any]]) -> Reading:
    """Every learning opportunity in ``documents`` read as a record (others listed)."""
    reading = Reading()
    for source, data in documents:
        nodes = data if isinstance(data, list) else [data]
        for index, node in enumerate(nodes):
            location = f"[{index}]." if isinstance(data, list) else ""
            if isinstance(node, dict) and "LearningOpportunity" in _types(node):
                reading.records.append(read_opportunity(source, location, node))
            else:
                kind = sorted(_types(node)) if isinstance(node, dict) else type(node).__name__
                reading.not_imported.append(
                    {
                        "source": source,
                        "location": location,
                        "type": str(kind),
                        "reason": "not a learning opportunity",
                    }
                )
    return reading
