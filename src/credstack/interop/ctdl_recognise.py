"""The CIS elements read back from a CTDL credential's members (the inverse of
``ctdl_sections``), tolerant of the forms other publishers use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from credstack.domain.codes import CURRENCIES
from credstack.domain.credits import CreditSystem
from credstack.domain.levels import QualificationFramework
from credstack.domain.vocabulary import (
    DeliveryMode,
    DepthOfLearning,
    Engagement,
    QualityAssuranceType,
)
from credstack.interop import ctdl_conditions as conditions
from credstack.interop import ctdl_terms as terms
from credstack.interop.ctdl_read import (
    Node,
    Note,
    Pool,
    Reader,
    enum_value,
    hours,
    is_empty,
    objects,
    text,
    texts,
)
from credstack.interop.ctdl_sections import DEPTH_FRAMEWORK, EFFORT_PARTS, QUALITY

_EFFORT_FIELDS = {label: field for field, label in EFFORT_PARTS.items()}
# Older publishers' names for the same member.
_ALSO = {"ceterms:learningDeliveryType": ("ceterms:deliveryType",)}


def map_credential_members(
    node: Node, document: dict[str, Any], *, lang: str | None, pool: Pool, note: Note, assume: Note
) -> set[str]:
    """Fill ``document`` from ``node``; returns the members read (reported ones included)."""
    reader = Reader(node, document, lang, pool, note, assume)
    handlers: dict[str, Callable[[Reader], None]] = {
        "ceterms:keyword": _keywords,
        "ceterms:estimatedDuration": _duration,
        "ceterms:estimatedCost": _cost,
        "ceterms:learningDeliveryType": _delivery,
        "ceterms:requires": conditions.requires,
        "ceterms:teaches": conditions.teaches,
        "ceterms:isPreparationFor": conditions.recognition,
        "ceterms:creditValue": _credits,
        "ceterms:audienceLevelType": _levels,
        "ceterms:jurisdiction": _jurisdiction,
        "ceterms:occupationType": _occupations,
        "ceterms:industryType": _industries,
        "ceterms:exactAlignment": _industry_alignment,
        "ceterms:reviewProcess": _quality,
    }
    for member, handler in handlers.items():
        present = [m for m in (member, *_ALSO.get(member, ())) if not is_empty(node.get(m))]
        if present:
            handler(reader)
    read = set(handlers) | {
        "ceterms:deliveryType",
        "ceterms:deliveryTypeDescription",
        "ceterms:availableAt",
        "ceterms:financialAssistance",
        "ceterms:isPartOf",
    }
    if "ceterms:isPartOf" in node:
        note("ceterms:isPartOf", "stack targets are read from the 'Stacks into' condition")
    return read


def _keywords(reader: Reader) -> None:
    reader.document["description"]["topics"] = texts(reader.node["ceterms:keyword"])


def _duration(reader: Reader) -> None:
    effort: dict[str, float] = {}
    for index, profile in enumerate(reader.values("ceterms:estimatedDuration")):
        label = reader.text(profile.get("ceterms:description"))
        value = hours(text(profile.get("ceterms:exactDuration")) or "")
        field = _EFFORT_FIELDS.get(label or "") or (
            "total_hours" if "total_hours" not in effort else None
        )
        if value is None or field is None:
            reader.note(
                f"ceterms:estimatedDuration[{index}]",
                "not an exact duration in hours, or a second total",
            )
            continue
        effort[field] = value
    if "total_hours" not in effort:
        return
    if len(effort) == 1:
        reader.note(
            "ceterms:estimatedDuration",
            "CTDL gives only a total; the CIS needs its five components",
        )
        return
    reader.document["learner_effort"] = effort


def _cost(reader: Reader) -> None:
    profiles = reader.values("ceterms:estimatedCost")
    for index, profile in enumerate(profiles):
        currency = text(profile.get("ceterms:currency"))
        price = profile.get("ceterms:price")
        if "price" in reader.document or not isinstance(price, int | float) or not currency:
            reader.note(f"ceterms:estimatedCost[{index}]", "one price with a currency is kept")
            continue
        if currency.upper() not in CURRENCIES:
            reader.note(
                f"ceterms:estimatedCost[{index}]", f"currency '{currency}' is not an ISO 4217 code"
            )
            continue
        reader.document["price"] = {"amount": price, "currency": currency, "tax_included": False}
        reader.assume(
            f"ceterms:estimatedCost[{index}]", "CTDL states no tax; tax_included is false"
        )
    assistance = [
        {
            "name": name,
            **(
                {"description": d}
                if (
                    d := reader.text(
                        a.get("ceterms:targetNodeDescription") or a.get("ceterms:description")
                    )
                )
                else {}
            ),
        }
        for a in reader.values("ceterms:financialAssistance")
        if (name := reader.text(a.get("ceterms:targetNodeName") or a.get("ceterms:name")))
    ]
    if assistance and "price" in reader.document:
        reader.document["price"]["financial_assistance"] = assistance


def _delivery(reader: Reader) -> None:
    concepts = reader.values("ceterms:learningDeliveryType") + reader.values("ceterms:deliveryType")
    modes = {
        terms.DELIVERY_FROM_NODE[node]
        for c in concepts
        if (node := text(c.get("ceterms:targetNode"))) in terms.DELIVERY_FROM_NODE
    }
    if not modes:
        reader.note("ceterms:learningDeliveryType", "no delivery concept credstack knows")
        return
    mode = modes.pop() if len(modes) == 1 else DeliveryMode.BLENDED
    description = reader.text(reader.node.get("ceterms:deliveryTypeDescription")) or ""
    engagement = enum_value(description.removeprefix("Engagement: "), {e.value for e in Engagement})
    if engagement is None:
        engagement = Engagement.MIXED.value
        reader.assume("ceterms:deliveryTypeDescription", "engagement not stated; set to mixed")
    locations = [
        name
        for place in reader.values("ceterms:availableAt")
        if (name := text(place.get("ceterms:name")) or text(place.get("ceterms:addressLocality")))
    ]
    if mode is not DeliveryMode.ONLINE and not locations:
        reader.note(
            "ceterms:learningDeliveryType",
            f"{mode.value} delivery needs a place in ceterms:availableAt",
        )
        return
    reader.document["delivery_mode"] = {
        "mode": mode.value,
        "engagement": engagement,
        "locations": locations,
    }


def _credits(reader: Reader) -> None:
    found = []
    for index, value in enumerate(reader.values("ceterms:creditValue")):
        amount = value.get("schema:value")
        system = None
        for concept in objects(value.get("ceterms:creditUnitType")):
            code = text(concept.get("ceterms:codedNotation"))
            node = text(concept.get("ceterms:targetNode")) or ""
            system = enum_value(code, {s.value for s in CreditSystem}) or (
                terms.CREDIT_FROM_NODE[node].value if node in terms.CREDIT_FROM_NODE else None
            )
        if system is None or not isinstance(amount, int | float):
            reader.note(f"ceterms:creditValue[{index}]", "no credit system credstack knows")
            continue
        found.append({"system": system, "value": amount})
    if found:
        reader.document["credits"] = found


def _levels(reader: Reader) -> None:
    levels = []
    frameworks = {f.value for f in QualificationFramework}
    for index, concept in enumerate(reader.values("ceterms:audienceLevelType")):
        framework = text(concept.get("ceterms:frameworkName"))
        code = text(concept.get("ceterms:codedNotation"))
        if framework == DEPTH_FRAMEWORK and code in {d.value for d in DepthOfLearning}:
            reader.document["depth_of_learning"] = {"level": code}
        elif framework in frameworks and code and code.isdigit():
            levels.append({"framework": framework, "level": int(code)})
        else:
            reader.note(
                f"ceterms:audienceLevelType[{index}]", "not a level of a framework credstack knows"
            )
    if levels:
        reader.document["qualification_levels"] = levels


def _jurisdiction(reader: Reader) -> None:
    codes = []
    for profile in reader.values("ceterms:jurisdiction"):
        for place in objects(profile.get("ceterms:mainJurisdiction")):
            code = text(place.get("ceterms:addressRegion")) or text(
                place.get("ceterms:addressCountry")
            )
            if code and code not in codes:
                codes.append(code)
    if codes:
        reader.document["jurisdiction"] = codes
    else:
        reader.note("ceterms:jurisdiction", "no place with a country or region code")


def _occupations(reader: Reader) -> None:
    occupations = []
    for index, concept in enumerate(reader.values("ceterms:occupationType")):
        label = text(concept.get("ceterms:targetNodeName"))
        code = text(concept.get("ceterms:codedNotation"))
        classification = text(concept.get("ceterms:frameworkName")) or text(
            concept.get("ceterms:framework")
        )
        if not (label and code and classification):
            reader.note(
                f"ceterms:occupationType[{index}]",
                "an occupation needs a label, code and classification",
            )
            continue
        occupation = {"classification": classification, "code": code, "label": label}
        if uri := text(concept.get("ceterms:targetNode")):
            occupation["uri"] = uri
        occupations.append(occupation)
    if occupations:
        reader.document.setdefault("industry_occupation", {})["occupations"] = occupations


def _industries(reader: Reader) -> None:
    names = [
        name
        for c in reader.values("ceterms:industryType")
        if (name := text(c.get("ceterms:targetNodeName")))
    ]
    if names:
        reader.document.setdefault("industry_occupation", {})["industries"] = names


def _industry_alignment(reader: Reader) -> None:
    found = []
    for index, concept in enumerate(reader.values("ceterms:exactAlignment")):
        uri = text(concept.get("ceterms:targetNode"))
        label = text(concept.get("ceterms:targetNodeName"))
        framework = text(concept.get("ceterms:frameworkName")) or text(
            concept.get("ceterms:framework")
        )
        if not (uri and label and framework):
            reader.note(
                f"ceterms:exactAlignment[{index}]", "an alignment needs a URI, label and framework"
            )
            continue
        found.append(
            {
                "uri": uri,
                "label": label,
                "framework": framework,
                **({"code": code} if (code := text(concept.get("ceterms:codedNotation"))) else {}),
            }
        )
    if found:
        reader.document["industry_alignment"] = found


def _quality(reader: Reader) -> None:
    for index, profile in enumerate(reader.values("ceterms:reviewProcess")):
        statement = reader.text(profile.get("ceterms:description"))
        kind = (reader.text(profile.get("ceterms:processMethodDescription")) or "").removeprefix(
            "type: "
        )
        if (
            reader.text(profile.get("ceterms:name")) == QUALITY
            and statement
            and kind in {q.value for q in QualityAssuranceType}
        ):
            reader.document["quality_assurance"] = {"type": kind, "statement": statement}
        else:
            reader.note(
                f"ceterms:reviewProcess[{index}]", "a review process with no quality assurance type"
            )
