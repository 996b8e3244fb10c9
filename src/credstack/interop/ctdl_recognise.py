"""The CIS elements read back from a CTDL credential's members (the inverse of
``ctdl_sections``), tolerant of the forms other publishers use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from credstack.domain.codes import CURRENCIES
from credstack.domain.credits import CreditSystem
from credstack.domain.levels import QualificationFramework
from credstack.domain.vocabulary import (
    AssessmentMethod,
    AssessmentType,
    DeliveryMode,
    DepthOfLearning,
    Engagement,
    QualityAssuranceType,
    RecognitionType,
    StackingDirection,
)
from credstack.interop import ctdl_terms as terms
from credstack.interop.ctdl_read import Node, Pool, hours, is_empty, objects, refs, text, texts
from credstack.interop.ctdl_sections import (
    ASSESSMENT,
    COMPETENCIES,
    DEPTH_FRAMEWORK,
    EFFORT_PARTS,
    INHERENT,
    PREREQUISITES,
    QUALITY,
    RECOGNITION_NAMES,
    STACKING,
)

Note = Callable[[str, str], None]
_EFFORT_FIELDS = {label: field for field, label in EFFORT_PARTS.items()}
_RECOGNITION = {label: kind for kind, label in RECOGNITION_NAMES.items()}
# Older publishers' names for the same member.
_ALSO = {"ceterms:learningDeliveryType": ("ceterms:deliveryType",)}


class _Reader:
    def __init__(
        self,
        node: Node,
        document: dict[str, Any],
        lang: str | None,
        pool: Pool,
        note: Note,
        assume: Note,
    ) -> None:
        self.node, self.document, self.lang, self.pool = node, document, lang, pool
        self.note, self.assume = note, assume

    def text(self, value: Any) -> str | None:
        return text(value, self.lang)

    def values(self, member: str) -> list[Node]:
        return objects(self.node.get(member))


def _enum_value(value: str | None, values: set[str]) -> str | None:
    return value if value in values else None


def map_credential_members(
    node: Node, document: dict[str, Any], *, lang: str | None, pool: Pool, note: Note, assume: Note
) -> set[str]:
    """Fill ``document`` from ``node``; returns the members read (reported ones included)."""
    reader = _Reader(node, document, lang, pool, note, assume)
    handlers: dict[str, Callable[[_Reader], None]] = {
        "ceterms:keyword": _keywords,
        "ceterms:estimatedDuration": _duration,
        "ceterms:estimatedCost": _cost,
        "ceterms:learningDeliveryType": _delivery,
        "ceterms:requires": _requires,
        "ceterms:teaches": _teaches,
        "ceterms:isPreparationFor": _recognition,
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


def _keywords(reader: _Reader) -> None:
    reader.document["description"]["topics"] = texts(reader.node["ceterms:keyword"])


def _duration(reader: _Reader) -> None:
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


def _cost(reader: _Reader) -> None:
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


def _delivery(reader: _Reader) -> None:
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
    engagement = _enum_value(
        description.removeprefix("Engagement: "), {e.value for e in Engagement}
    )
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


def _competency_alignments(
    reader: _Reader, competency: Node, cao_by_uri: dict[str, Node]
) -> list[dict[str, Any]]:
    found = []
    for uri in refs(competency.get("ceasn:exactAlignment")):
        cao = cao_by_uri.get(uri, {})
        found.append(
            {
                "uri": uri,
                "label": text(cao.get("ceterms:targetNodeName")) or uri,
                "framework": text(cao.get("ceterms:frameworkName"))
                or text(cao.get("ceterms:framework"))
                or uri.split("/")[2]
                if "//" in uri
                else uri,
                **({"code": code} if (code := text(cao.get("ceterms:codedNotation"))) else {}),
            }
        )
    return found


def _outcomes(reader: _Reader, caos: list[Node], member: str) -> None:
    cao_by_uri = {uri: cao for cao in caos if (uri := text(cao.get("ceterms:targetNode")))}
    aligned = {
        uri
        for cao in caos
        if (target := reader.pool.get(text(cao.get("ceterms:targetNode")) or ""))
        for uri in refs(target.get("ceasn:exactAlignment"))
    }
    outcomes = reader.document.setdefault("learning_outcomes", [])
    for cao in caos:
        uri = text(cao.get("ceterms:targetNode")) or ""
        if uri in aligned:
            continue
        competency = reader.pool.get(uri) if uri else None
        statement = (
            reader.text(competency.get("ceasn:competencyText")) if competency else None
        ) or reader.text(cao.get("ceterms:targetNodeName"))
        if not statement:
            reader.note(member, "a competency without text")
            continue
        code = text(competency.get("ceasn:codedNotation")) if competency else None
        outcome: dict[str, Any] = {
            "id": code or text(cao.get("ceterms:codedNotation")) or f"LO{len(outcomes) + 1}",
            "statement": statement,
        }
        if competency and (alignments := _competency_alignments(reader, competency, cao_by_uri)):
            outcome["alignments"] = alignments
        outcomes.append(outcome)


def _teaches(reader: _Reader) -> None:
    _outcomes(reader, reader.values("ceterms:teaches"), "ceterms:teaches")


def _requires(reader: _Reader) -> None:
    for index, profile in enumerate(reader.values("ceterms:requires")):
        name = reader.text(profile.get("ceterms:name"))
        where = f"ceterms:requires[{index}]"
        if name == COMPETENCIES or (name is None and profile.get("ceterms:targetCompetency")):
            _outcomes(reader, objects(profile.get("ceterms:targetCompetency")), where)
        elif name == ASSESSMENT:
            _assessment(reader, profile, where)
        elif name == INHERENT:
            reader.document["inherent_requirements"] = texts(profile.get("ceterms:condition"))
        elif name == PREREQUISITES or name is None or "prerequisites" not in reader.document:
            _prerequisites(reader, profile, where, named=name == PREREQUISITES)
        else:
            reader.note(where, "a further condition with no CIS element")


def _assessment(reader: _Reader, profile: Node, where: str) -> None:
    methods: list[str] = []
    for concept in objects(profile.get("ceterms:assessmentMethodType")):
        code = text(concept.get("ceterms:codedNotation"))
        node = text(concept.get("ceterms:targetNode")) or ""
        method = _enum_value(code, {m.value for m in AssessmentMethod}) or (
            terms.ASSESSMENT_FROM_NODE[node].value if node in terms.ASSESSMENT_FROM_NODE else None
        )
        if method and method not in methods:
            methods.append(method)
    kinds = [c.removeprefix("type: ") for c in texts(profile.get("ceterms:condition"))]
    kind = next((k for k in kinds if k in {t.value for t in AssessmentType}), None)
    if not methods or kind is None:
        reader.note(where, "an assessment needs its methods and type (competency or proficiency)")
        return
    description = reader.text(profile.get("ceterms:description"))
    reader.document["assessment"] = {
        "methods": methods,
        "type": kind,
        **(
            {"description": description}
            if description and description != f"{kind} assessment"
            else {}
        ),
    }


def _prerequisites(reader: _Reader, profile: Node, where: str, *, named: bool) -> None:
    credentials = texts(profile.get("ceterms:condition"))
    experience = text(profile.get("ceterms:experience"))
    description = reader.text(profile.get("ceterms:description"))
    if named and description == "None." and not credentials and not experience:
        reader.document["prerequisites"] = {"none": True}
        return
    if not named and not experience:
        experience = description
    if not credentials and not experience:
        reader.note(where, "a condition with no requirement text")
        return
    reader.document["prerequisites"] = {
        "credentials": credentials,
        **({"experience": experience} if experience else {}),
    }


def _recognition(reader: _Reader) -> None:
    recognitions = []
    for index, profile in enumerate(reader.values("ceterms:isPreparationFor")):
        name = reader.text(profile.get("ceterms:name")) or ""
        description = reader.text(profile.get("ceterms:description"))
        targets = texts(profile.get("ceterms:condition"))
        if name.startswith(STACKING):
            direction = name.removeprefix(STACKING).strip(" ()")
            if direction not in {d.value for d in StackingDirection}:
                reader.note(f"ceterms:isPreparationFor[{index}]", f"unknown stacking '{direction}'")
                continue
            reader.document["stackability"] = {
                "direction": direction,
                "stacks_into": [{"title": t} for t in targets],
                **(
                    {"description": description}
                    if description and description != f"{direction} stacking"
                    else {}
                ),
            }
            continue
        kind = _RECOGNITION.get(name, RecognitionType.OTHER)
        if not description:
            reader.note(f"ceterms:isPreparationFor[{index}]", "a recognition needs a description")
            continue
        item: dict[str, Any] = {"type": kind.value, "description": description}
        if targets:
            item["towards"] = targets[0]
        if isinstance(credits := profile.get("ceterms:creditUnitValue"), int | float):
            item["credits"] = credits
        recognitions.append(item)
    if recognitions:
        reader.document["credit_recognition"] = recognitions


def _credits(reader: _Reader) -> None:
    found = []
    for index, value in enumerate(reader.values("ceterms:creditValue")):
        amount = value.get("schema:value")
        system = None
        for concept in objects(value.get("ceterms:creditUnitType")):
            code = text(concept.get("ceterms:codedNotation"))
            node = text(concept.get("ceterms:targetNode")) or ""
            system = _enum_value(code, {s.value for s in CreditSystem}) or (
                terms.CREDIT_FROM_NODE[node].value if node in terms.CREDIT_FROM_NODE else None
            )
        if system is None or not isinstance(amount, int | float):
            reader.note(f"ceterms:creditValue[{index}]", "no credit system credstack knows")
            continue
        found.append({"system": system, "value": amount})
    if found:
        reader.document["credits"] = found


def _levels(reader: _Reader) -> None:
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


def _jurisdiction(reader: _Reader) -> None:
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


def _occupations(reader: _Reader) -> None:
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


def _industries(reader: _Reader) -> None:
    names = [
        name
        for c in reader.values("ceterms:industryType")
        if (name := text(c.get("ceterms:targetNodeName")))
    ]
    if names:
        reader.document.setdefault("industry_occupation", {})["industries"] = names


def _industry_alignment(reader: _Reader) -> None:
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


def _quality(reader: _Reader) -> None:
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
