"""schema.org JSON-LD of a published micro-credential, so search engines can index it.

A ``Course`` (https://schema.org/Course) with the credential it awards
(``EducationalOccupationalCredential`` in ``occupationalCredentialAwarded`` and
``educationalCredentialAwarded``), its price (``offers``), a ``CourseInstance`` with the
delivery mode (``courseMode``), dates and workload, ``timeRequired``, the provider, the
outcomes taught and the competencies aligned. ``vocabulary_problems`` checks a document
against the schema.org vocabulary (types, and each property's domain and range).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from credstack.domain.credential import MicroCredential, Provider
from credstack.domain.vocabulary import DeliveryMode, ProviderType
from credstack.interop.ctdl_sections import iso_hours

Node = dict[str, Any]
COURSE_MODE = {
    DeliveryMode.ONLINE: "online",
    DeliveryMode.ONSITE: "onsite",
    DeliveryMode.BLENDED: "blended",
}
_ORGANIZATION_TYPE = {
    ProviderType.UNIVERSITY: "CollegeOrUniversity",
    ProviderType.TEACHING_UNIVERSITY: "CollegeOrUniversity",
    ProviderType.COLLEGE: "CollegeOrUniversity",
    ProviderType.POLYTECHNIC: "CollegeOrUniversity",
    ProviderType.INSTITUTE_OF_TECHNOLOGY: "CollegeOrUniversity",
    ProviderType.GOVERNMENT: "GovernmentOrganization",
    ProviderType.NON_PROFIT: "NGO",
    ProviderType.EMPLOYER: "Corporation",
    ProviderType.VENDOR: "Corporation",
}
# Types whose values are text-like literals in JSON-LD.
_DATA_TYPES = {
    "Text",
    "URL",
    "Date",
    "DateTime",
    "Time",
    "Number",
    "Integer",
    "Float",
    "Boolean",
    "Duration",
    "DataType",
    "CssSelectorType",
    "XPathType",
    "PronounceableText",
}


def _organization(provider: Provider) -> Node:
    node: Node = {
        "@type": _ORGANIZATION_TYPE.get(provider.type, "EducationalOrganization"),
        "name": provider.name,
        "address": {
            "@type": "PostalAddress",
            "addressCountry": provider.country,
            **({"addressRegion": provider.region} if provider.region else {}),
        },
    }
    if provider.url:
        node["url"] = provider.url
    return node


def _credential(record: MicroCredential) -> Node:
    node: Node = {
        "@type": "EducationalOccupationalCredential",
        "name": record.title,
        "credentialCategory": (
            record.certification.type.value.replace("_", " ")
            if record.certification
            else "micro-credential"
        ),
        "recognizedBy": _organization(record.provider.issuer),
    }
    competencies = [
        {
            "@type": "DefinedTerm",
            "name": a.label,
            "url": a.uri,
            "inDefinedTermSet": a.framework,
            **({"termCode": a.code} if a.code else {}),
        }
        for outcome in record.learning_outcomes
        for a in outcome.alignments
        if a.status.value in ("accepted", "manual")
    ]
    if competencies:
        node["competencyRequired"] = competencies
    if record.eqf_level is not None:
        node["educationalLevel"] = f"EQF level {record.eqf_level}"
    return node


def _instance(record: MicroCredential) -> Node:
    instance: Node = {"@type": "CourseInstance"}
    if record.delivery_mode is not None:
        instance["courseMode"] = COURSE_MODE[record.delivery_mode.mode]
        if record.delivery_mode.locations:
            instance["location"] = [
                {"@type": "Place", "name": place} for place in record.delivery_mode.locations
            ]
    if record.total_hours:
        instance["courseWorkload"] = iso_hours(record.total_hours)
    dates = record.delivery_dates
    if dates is not None and dates.start:
        instance["startDate"] = dates.start.isoformat()
    if dates is not None and dates.end:
        instance["endDate"] = dates.end.isoformat()
    if dates is not None and dates.schedule:
        instance["courseSchedule"] = {"@type": "Schedule", "description": dates.schedule}
    return instance


def course_json_ld(record: MicroCredential, *, page_url: str) -> Node:
    """The schema.org ``Course`` of a record whose page is at ``page_url``."""
    credential = _credential(record)
    course: Node = {
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": page_url,
        "url": page_url,
        "name": record.title,
        "description": record.description.summary,
        "courseCode": record.id,
        "provider": _organization(record.provider.issuer),
        "occupationalCredentialAwarded": credential,
        "educationalCredentialAwarded": credential,
        "hasCourseInstance": [_instance(record)],
    }
    if record.language:
        course["inLanguage"] = record.language[0] if len(record.language) == 1 else record.language
    if record.total_hours:
        course["timeRequired"] = iso_hours(record.total_hours)
    if record.price is not None:
        course["offers"] = {
            "@type": "Offer",
            "url": page_url,
            "category": "Paid" if record.price.amount else "Free",
            "price": f"{record.price.amount:.2f}",
            "priceCurrency": record.price.currency,
        }
    if record.learning_outcomes:
        course["teaches"] = [outcome.statement for outcome in record.learning_outcomes]
    if record.description.topics:
        course["keywords"] = ", ".join(record.description.topics)
    if record.ects is not None:
        course["numberOfCredits"] = {
            "@type": "QuantitativeValue",
            "value": record.ects,
            "unitText": "ECTS",
        }
    if record.prerequisites is not None and not record.prerequisites.none:
        course["coursePrerequisites"] = [
            *record.prerequisites.credentials,
            *([record.prerequisites.experience] if record.prerequisites.experience else []),
        ]
    return course


def script_text(document: Node) -> str:
    """JSON for a ``<script type="application/ld+json">`` element: ``<``, ``>`` and ``&``
    escaped, so no text in a record can close the element."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _vocabulary() -> dict[str, Any]:
    text = (
        resources.files("credstack.interop")
        .joinpath("schemas/schema_org/vocabulary.json")
        .read_text(encoding="utf-8")
    )
    return dict(json.loads(text))


def _ancestors(type_name: str) -> set[str]:
    types: dict[str, list[str]] = _vocabulary()["types"]
    found, pending = set(), [type_name]
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending.extend(types.get(current, []))
    return found


def vocabulary_problems(node: Any, path: str = "$") -> list[str]:
    """Every type, property, domain or range in ``node`` the schema.org vocabulary denies."""
    if isinstance(node, list):
        return [p for i, item in enumerate(node) for p in vocabulary_problems(item, f"{path}[{i}]")]
    if not isinstance(node, dict):
        return []
    vocabulary = _vocabulary()
    node_type = node.get("@type")
    if not isinstance(node_type, str) or node_type not in vocabulary["types"]:
        return [f"{path}: '{node_type}' is not a schema.org type"]
    problems: list[str] = []
    ancestors = _ancestors(node_type)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        definition = vocabulary["properties"].get(key)
        if definition is None:
            problems.append(f"{path}.{key}: not a schema.org property")
            continue
        if not ancestors & set(definition["domain"]):
            problems.append(f"{path}.{key}: not a property of {node_type}")
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            where = f"{path}.{key}" + (f"[{index}]" if isinstance(value, list) else "")
            if isinstance(item, dict):
                item_type = item.get("@type")
                if isinstance(item_type, str) and not _ancestors(item_type) & set(
                    definition["range"]
                ):
                    problems.append(f"{where}: {item_type} is not in the range of {key}")
                problems.extend(vocabulary_problems(item, where))
            elif not set(definition["range"]) & _DATA_TYPES and not isinstance(item, str):
                problems.append(f"{where}: a literal where {key} expects a thing")
    return problems
