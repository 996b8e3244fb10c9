"""The CIS elements of a credential node in CTDL: duration, cost, delivery, conditions,
credits, levels, jurisdiction, occupations, alignments, stacking, quality assurance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import RecognitionType
from credstack.interop import ctdl_terms as terms
from credstack.interop.ids import ctid, resource_uri

Node = dict[str, Any]
Text = Callable[[str], dict[str, str]]

COMPETENCIES = "Competencies"
ASSESSMENT = "Assessment"
PREREQUISITES = "Prerequisites"
INHERENT = "Inherent requirements"
QUALITY = "Quality assurance"
STACKING = "Stacks into"
DEPTH_FRAMEWORK = "Depth of learning"
EFFORT_PARTS = {
    "face_to_face_hours": "Face-to-face hours",
    "synchronous_online_hours": "Synchronous online hours",
    "peer_to_peer_hours": "Peer-to-peer hours",
    "asynchronous_hours": "Asynchronous hours",
    "assessment_hours": "Assessment hours",
    "total_hours": "Total learner effort",
}
RECOGNITION_PROPERTY = "ceterms:isPreparationFor"
RECOGNITION_NAMES = {
    RecognitionType.CREDIT_TOWARDS_AWARD: "Credit towards an award",
    RecognitionType.INDUSTRY_CERTIFICATION: "Industry certification",
    RecognitionType.PATHWAY: "Pathway",
    RecognitionType.ADVANCED_STANDING: "Advanced standing",
    RecognitionType.PROFESSIONAL_DEVELOPMENT: "Professional development",
    RecognitionType.OTHER: "Other recognition",
}


def iso_hours(hours: float) -> str:
    """An ISO 8601 duration of ``hours`` (``PT28H``, ``PT1H30M``)."""
    minutes = round(hours * 60)
    whole, rest = divmod(minutes, 60)
    return f"PT{whole}H{rest}M" if rest else f"PT{whole}H"


def credential_sections(record: MicroCredential, text: Text, page: str) -> list[tuple[str, Any]]:
    """(CTDL property, value) for every CIS element that has a CTDL term; empty ones skipped."""
    return [
        ("ceterms:estimatedDuration", _duration(record, text)),
        ("ceterms:estimatedCost", _cost(record, text, page)),
        ("ceterms:financialAssistance", _assistance(record, text)),
        *_delivery(record, text),
        ("ceterms:requires", _requires(record, text)),
        (RECOGNITION_PROPERTY, _recognition(record, text)),
        ("ceterms:isPartOf", _stack_targets(record)),
        ("ceterms:creditValue", _credits(record)),
        ("ceterms:audienceLevelType", _levels(record)),
        ("ceterms:jurisdiction", _jurisdiction(record)),
        ("ceterms:occupationType", _occupations(record)),
        ("ceterms:industryType", _industries(record)),
        ("ceterms:exactAlignment", _industry_alignment(record)),
        ("ceterms:reviewProcess", _quality(record, text)),
    ]


def _duration(record: MicroCredential, text: Text) -> list[Node]:
    effort = record.learner_effort
    if effort is None:
        return []
    found = []
    for field, label in EFFORT_PARTS.items():
        hours = getattr(effort, field)
        if hours:
            found.append(
                {
                    "@type": "ceterms:DurationProfile",
                    "ceterms:description": text(label),
                    "ceterms:exactDuration": iso_hours(hours),
                }
            )
    return found


def _cost(record: MicroCredential, text: Text, page: str) -> list[Node]:
    if record.price is None:
        return []
    return [
        {
            "@type": "ceterms:CostProfile",
            "ceterms:costDetails": page,
            "ceterms:description": text(f"Price of {record.title}"),
            "ceterms:currency": record.price.currency,
            "ceterms:price": float(record.price.amount),
            "ceterms:directCostType": [
                terms.alignment(
                    "costType:AggregateCost", "Aggregate Cost", framework=f"{terms.TERMS}CostType"
                )
            ],
        }
    ]


def _assistance(record: MicroCredential, text: Text) -> list[Node]:
    if record.price is None:
        return []
    found = []
    for item in record.price.financial_assistance:
        # The registry's schema types financial assistance as an alignment object.
        node: Node = {
            "@type": "ceterms:FinancialAlignmentObject",
            "ceterms:targetNodeName": text(item.name),
        }
        if item.description:
            node["ceterms:targetNodeDescription"] = text(item.description)
        found.append(node)
    return found


def _delivery(record: MicroCredential, text: Text) -> list[tuple[str, Any]]:
    mode = record.delivery_mode
    if mode is None:
        return []
    node, label = terms.DELIVERY[mode.mode]
    return [
        (
            "ceterms:learningDeliveryType",
            [terms.alignment(node, label, framework=f"{terms.TERMS}Delivery")],
        ),
        ("ceterms:deliveryTypeDescription", text(f"Engagement: {mode.engagement.value}")),
        (
            "ceterms:availableAt",
            [{"@type": "ceterms:Place", "ceterms:name": place} for place in mode.locations],
        ),
    ]


def _condition(name: str, description: str, text: Text, **members: Any) -> Node:
    node: Node = {
        "@type": "ceterms:ConditionProfile",
        "ceterms:name": text(name),
        "ceterms:description": text(description),
    }
    node.update({f"ceterms:{key}": value for key, value in members.items() if value})
    return node


def _requires(record: MicroCredential, text: Text) -> list[Node]:
    found = []
    if record.learning_outcomes:
        targets = []
        for outcome in record.learning_outcomes:
            uri = resource_uri(ctid("competency", f"{record.id}#{outcome.id}"))
            targets.append(terms.alignment(uri, outcome.statement, code=outcome.id))
            targets += [
                terms.alignment(a.uri, a.label, framework_name=a.framework, code=a.code)
                for a in outcome.alignments
                if a.status.value != "rejected"
            ]
        found.append(
            _condition(
                COMPETENCIES, "Demonstrate every learning outcome.", text, targetCompetency=targets
            )
        )
    if record.assessment is not None:
        assessment = record.assessment
        methods = [
            terms.alignment(
                *terms.assessment_node(m), framework=f"{terms.TERMS}AssessmentMethod", code=m.value
            )
            for m in assessment.methods
        ]
        found.append(
            _condition(
                ASSESSMENT,
                assessment.description or f"{assessment.type.value} assessment",
                text,
                assessmentMethodType=methods,
                condition=[f"type: {assessment.type.value}"],
            )
        )
    if record.prerequisites is not None:
        prerequisites = record.prerequisites
        description = "None." if prerequisites.none else "Entry requirements."
        found.append(
            _condition(
                PREREQUISITES,
                description,
                text,
                condition=list(prerequisites.credentials),
                experience=prerequisites.experience,
            )
        )
    if record.inherent_requirements:
        found.append(
            _condition(
                INHERENT,
                "Inherent requirements of the learning.",
                text,
                condition=list(record.inherent_requirements),
            )
        )
    return found


def _recognition(record: MicroCredential, text: Text) -> list[Node]:
    found = []
    for item in record.credit_recognition or []:
        node = _condition(
            RECOGNITION_NAMES[item.type],
            item.description,
            text,
            condition=[item.towards] if item.towards else [],
        )
        if item.credits is not None:
            node["ceterms:creditUnitValue"] = item.credits
        found.append(node)
    stacking = record.stackability
    if stacking is not None:
        description = stacking.description or f"{stacking.direction.value} stacking"
        found.append(
            _condition(
                f"{STACKING} ({stacking.direction.value})",
                description,
                text,
                condition=[target.title for target in stacking.stacks_into],
            )
        )
    return found


def _stack_targets(record: MicroCredential) -> list[str]:
    if record.stackability is None:
        return []
    return [
        resource_uri(ctid("credential", target.credential_id))
        for target in record.stackability.stacks_into
        if target.credential_id
    ]


def _credits(record: MicroCredential) -> list[Node]:
    return [
        {
            "@type": "ceterms:ValueProfile",
            "schema:value": credit.value,
            "ceterms:creditUnitType": [
                terms.alignment(
                    terms.credit_unit_node(credit.system),
                    credit.system.value,
                    framework=f"{terms.TERMS}CreditUnit",
                    code=credit.system.value,
                )
            ],
        }
        for credit in record.credits
    ]


def _levels(record: MicroCredential) -> list[Node]:
    found = [
        terms.alignment(
            None,
            f"{level.framework.value} level {level.level}",
            framework_name=level.framework.value,
            code=str(level.level),
        )
        for level in record.qualification_levels
    ]
    if record.depth_of_learning is not None:
        found.append(
            terms.alignment(
                None,
                record.depth_of_learning.level.value,
                framework_name=DEPTH_FRAMEWORK,
                code=record.depth_of_learning.level.value,
            )
        )
    return found


def _jurisdiction(record: MicroCredential) -> list[Node]:
    places = []
    for code in record.jurisdiction or []:
        country, _, _ = code.partition("-")
        place: Node = {"@type": "ceterms:Place", "ceterms:addressCountry": country}
        if "-" in code:
            place["ceterms:addressRegion"] = code
        places.append(place)
    if not places:
        return []
    return [{"@type": "ceterms:JurisdictionProfile", "ceterms:mainJurisdiction": places}]


def _occupations(record: MicroCredential) -> list[Node]:
    if record.industry_occupation is None:
        return []
    return [
        terms.alignment(o.uri, o.label, framework_name=o.classification, code=o.code)
        for o in record.industry_occupation.occupations
    ]


def _industries(record: MicroCredential) -> list[Node]:
    if record.industry_occupation is None:
        return []
    return [terms.alignment(None, name) for name in record.industry_occupation.industries]


def _industry_alignment(record: MicroCredential) -> list[Node]:
    return [
        terms.alignment(a.uri, a.label, framework_name=a.framework, code=a.code)
        for a in record.industry_alignment or []
        if a.status.value != "rejected"
    ]


def _quality(record: MicroCredential, text: Text) -> list[Node]:
    quality = record.quality_assurance
    if quality is None:
        return []
    return [
        {
            "@type": "ceterms:ProcessProfile",
            "ceterms:name": text(QUALITY),
            "ceterms:description": text(quality.statement),
            "ceterms:processMethodDescription": text(f"type: {quality.type.value}"),
        }
    ]
