"""Europass ELM 3 export: a record as a ``LearningOpportunity`` (LOQ application profile).

The opportunity (``title``, ``homepage``, ``providedBy``, price, schedule) carries one
``LearningAchievementSpecification``: the learning outcomes (with ESCO and other skills
aligned), languages, volume of learning, ECTS credit points, EQF level and entry
requirements. Concepts use the EU vocabularies ELM names: Publications Office authority
tables for countries, languages and currencies, ``data.europa.eu/snb`` for EQF, ISCED-F
and credit systems. ``ELM_NOT_EXPORTED`` lists what ELM has no place for.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from credstack.domain.credential import Alignment, MicroCredential, Provider
from credstack.domain.credits import CreditSystem
from credstack.interop.ctdl_sections import iso_hours

Node = dict[str, Any]
CONTEXT = [
    "https://www.w3.org/2018/credentials/v1",
    "http://data.europa.eu/snb/model/context/edc-ap",
]
AUTHORITY = "http://publications.europa.eu/resource/authority/"
SNB = "http://data.europa.eu/snb/"
URN = "urn:credstack:"
ECTS_CONCEPT = f"{SNB}education-credit/6fcec5c5af"
# ISCED-F 2013 "field unknown": the CIS has no field of education, LOQ requires one.
ISCED_UNKNOWN = f"{SNB}isced-f/9999"
ESCO_SKILL = "http://data.europa.eu/esco/skill/"

ELM_NOT_EXPORTED: dict[str, str] = {
    "sample": "ELM has no flag for illustrative figures",
    "provider.others": "a learning opportunity names its providers, not their roles",
    "provider.issuer.type": "an ELM organisation type needs an EU vocabulary concept",
    "provider.issuer.region": "ELM addresses hold a country; regions need ATU concepts",
    "provider.issuer.url": "kept as the opportunity's homepage is the registry page",
    "provider.issuer.identifiers": "ELM identifiers are not read back",
    "description.structure": "ELM has one description",
    "description.topics": "ELM thematic areas are ISCED-F concepts, not free text",
    "delivery_mode": "ELM modes are EU vocabulary concepts with opaque identifiers",
    "delivery_dates": "the schedule is exported as a note; dates need an ELM period of time, "
    "and the CIS needs a start, so an import cannot rebuild it",
    "learner_effort": "exported as the volume of learning; the CIS needs its five "
    "components, so an import cannot rebuild it",
    "inherent_requirements": "ELM has no inherent requirements",
    "price.tax_included": "an ELM amount has no tax flag",
    "price.discounts": "ELM grants are funding, not discounts",
    "price.payment_methods": "ELM has no payment methods",
    "price.financial_assistance": "ELM grants need their own descriptions",
    "assessment": "an ELM assessment specification is a record of its own",
    "certification": "the credential issued is described by the EDC, not the opportunity",
    "credit_recognition": "ELM entitlements are records of their own",
    "quality_assurance": "ELM accreditations are records of their own",
    "prerequisites": "one entry requirement note holds credentials and experience; it is "
    "read back as experience, and 'none' as no note",
    "expiry": "ELM has no review date",
    "depth_of_learning": "ELM has no mastery scale",
    "jurisdiction": "ELM has no jurisdiction",
    "industry_support": "ELM has no endorsements",
    "stackability": "ELM parts are learning opportunities of their own",
    "industry_occupation": "ELM occupations need ESCO occupation concepts",
    "industry_alignment": "ELM aligns learning outcomes, not the opportunity",
    "learning_outcomes[].alignments[].framework": "an ELM skill is a concept, not a framework",
    "learning_outcomes[].alignments[].code": "an ELM skill concept has no code",
    "learning_outcomes[].alignments[].proficiency_level": "ELM skills carry no level",
    "learning_outcomes[].alignments[].status": "only accepted alignments are exported",
    "learning_outcomes[].alignments[].score": "review data stays in the registry",
    "learning_outcomes[].alignments[].reviewed_by": "review data stays in the registry",
    "learning_outcomes[].alignments[].reviewed_at": "review data stays in the registry",
    "credits": "only ECTS has an ELM credit concept",
    "qualification_levels": "ELM states the EQF level; national levels need NQF concepts",
}


@cache
def codes() -> dict[str, dict[str, str]]:
    """The two-letter to three-letter country and language tables (see schemas/elm)."""
    text = resources.files("credstack.interop").joinpath("schemas/elm/iso_alpha3.json")
    return dict(json.loads(text.read_text(encoding="utf-8")))


def concept(uri: str, label: str | None = None, lang: str = "en") -> Node:
    """A ``skos:Concept`` reference, labelled when a label helps a reader."""
    node: Node = {"id": uri, "type": "Concept"}
    if label:
        node["prefLabel"] = {lang: label}
    return node


def country_concept(country: str) -> Node:
    """The Publications Office concept of an ISO 3166 alpha-2 country."""
    alpha3 = codes()["countries"].get(country, country)
    return concept(f"{AUTHORITY}country/{alpha3}", country)


def language_concept(tag: str) -> Node:
    """The Publications Office concept of a BCP 47 tag's language."""
    primary = tag.split("-")[0].lower()
    alpha3 = codes()["languages"].get(primary, primary.upper())
    return concept(f"{AUTHORITY}language/{alpha3}", tag)


def organisation(provider: Provider, lang: str) -> Node:
    """An ELM organisation with its legal name and country."""
    return {
        "id": f"{URN}organisation:{provider.id}",
        "type": "Organisation",
        "legalName": {lang: provider.name},
        "location": [
            {
                "id": f"{URN}location:{provider.id}",
                "type": "Location",
                "address": [
                    {
                        "id": f"{URN}address:{provider.id}",
                        "type": "Address",
                        "countryCode": country_concept(provider.country),
                    }
                ],
            }
        ],
    }


def _skills(alignments: list[Alignment]) -> tuple[list[Node], list[Node]]:
    accepted = [a for a in alignments if a.status.value in ("accepted", "manual")]
    esco = [concept(a.uri, a.label) for a in accepted if a.uri.startswith(ESCO_SKILL)]
    other = [concept(a.uri, a.label) for a in accepted if not a.uri.startswith(ESCO_SKILL)]
    return esco, other


def _specification(record: MicroCredential, lang: str) -> Node:
    outcomes = []
    for outcome in record.learning_outcomes:
        node: Node = {
            "id": f"{URN}learningOutcome:{record.id}:{outcome.id}",
            "type": "LearningOutcome",
            "title": {lang: outcome.statement},
        }
        esco, other = _skills(outcome.alignments)
        if esco:
            node["relatedESCOSkill"] = esco
        if other:
            node["relatedSkill"] = other
        outcomes.append(node)
    specification: Node = {
        "id": f"{URN}learningAchievementSpecification:{record.id}",
        "type": "LearningAchievementSpecification",
        "title": {lang: record.title},
        "description": {lang: record.description.summary},
        "thematicArea": [concept(ISCED_UNKNOWN, "Field unknown")],
        "language": [language_concept(tag) for tag in record.language or [lang]],
        "learningOutcome": outcomes,
    }
    if record.total_hours:
        specification["volumeOfLearning"] = iso_hours(record.total_hours)
    ects = [c for c in record.credits if c.system is CreditSystem.ECTS]
    if ects:
        specification["creditPoint"] = [
            {
                "id": f"{URN}creditPoint:{record.id}",
                "type": "CreditPoint",
                "framework": concept(ECTS_CONCEPT, "ECTS"),
                "point": f"{ects[0].value:g}",
            }
        ]
    if record.eqf_level is not None:
        specification["educationLevel"] = [
            concept(f"{SNB}eqf/{record.eqf_level}", f"EQF level {record.eqf_level}")
        ]
    requirement = record.prerequisites
    if requirement is not None and not requirement.none:
        text = "; ".join([*requirement.credentials, *filter(None, [requirement.experience])])
        specification["entryRequirement"] = {
            "id": f"{URN}note:{record.id}:entry",
            "type": "Note",
            "noteLiteral": {lang: text},
        }
    return specification


def elm_document(record: MicroCredential, *, base_url: str) -> Node:
    """The record as an ELM 3 ``LearningOpportunity`` JSON-LD document."""
    lang = record.language[0] if record.language else "en"
    page = f"{base_url.rstrip('/')}/credentials/{record.id}"
    document: Node = {
        "@context": CONTEXT,
        "id": f"{URN}learningOpportunity:{record.id}",
        "type": "LearningOpportunity",
        "title": {lang: record.title},
        "description": {lang: record.description.summary},
        "homepage": [
            {"id": f"{URN}webResource:{record.id}", "type": "WebResource", "contentURL": page}
        ],
        "providedBy": [organisation(record.provider.issuer, lang)],
        "elm:defaultLanguage": language_concept(lang),
        "learningAchievementSpecification": _specification(record, lang),
    }
    if record.price is not None:
        document["priceDetail"] = [
            {
                "id": f"{URN}priceDetail:{record.id}",
                "type": "PriceDetail",
                "amount": {
                    "id": f"{URN}amount:{record.id}",
                    "type": "Amount",
                    "rdf:value": {"@value": f"{record.price.amount:.2f}", "@type": "xsd:decimal"},
                    "unit": concept(
                        f"{AUTHORITY}currency/{record.price.currency}", record.price.currency
                    ),
                },
            }
        ]
    if record.delivery_dates is not None and record.delivery_dates.schedule:
        document["scheduleInformation"] = {
            "id": f"{URN}note:{record.id}:schedule",
            "type": "Note",
            "noteLiteral": {lang: record.delivery_dates.schedule},
        }
    return document


def elm_achievement(
    *, badge_id: str, achievement_name: str, issued_at: datetime, record: MicroCredential
) -> Node:
    """An issued badge as an ELM ``LearningAchievement`` (what EDC wallets read): awarded
    by the record's issuer on the issue date, specified by the record's achievement
    specification. The learner is not named: the EDC credential around it does that."""
    lang = record.language[0] if record.language else "en"
    return {
        "@context": CONTEXT,
        "id": f"{URN}learningAchievement:{badge_id}",
        "type": "LearningAchievement",
        "title": {lang: achievement_name},
        "awardedBy": {
            "id": f"{URN}awardingProcess:{badge_id}",
            "type": "AwardingProcess",
            "awardingBody": [organisation(record.provider.issuer, lang)],
            "awardingDate": issued_at.isoformat(),
        },
        "specifiedBy": _specification(record, lang),
    }
