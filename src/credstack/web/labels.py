"""Human-readable labels for codes and vocabulary values shown in the portal (pure)."""

from __future__ import annotations

from decimal import Decimal

from credstack.domain.credits import CreditSystem
from credstack.domain.levels import QualificationFramework
from credstack.domain.region_names import COUNTRY_NAMES, SUBDIVISION_NAMES

# Display names of the search facets, in the order the portal lists them.
FACET_LABELS: dict[str, str] = {
    "provider": "Provider",
    "jurisdiction": "Jurisdiction",
    "level": "Level",
    "delivery_mode": "Delivery mode",
    "language": "Language",
    "assessment_method": "Assessment method",
    "credit_system": "Credit system",
    "currency": "Currency",
}

FRAMEWORK_NAMES: dict[QualificationFramework, str] = {
    QualificationFramework.EQF: "EQF",
    QualificationFramework.AQF: "AQF",
    QualificationFramework.NFQ_IE: "Irish NFQ",
    QualificationFramework.NZQF: "NZQF",
    QualificationFramework.RQF_UK: "UK RQF",
    QualificationFramework.SCQF: "SCQF",
    QualificationFramework.WSQ: "Singapore WSQ",
    QualificationFramework.SGQF: "Singapore SGQF",
    QualificationFramework.CA_BC: "B.C. credential framework",
    QualificationFramework.CA_ON: "Ontario Qualifications Framework",
}

CREDIT_SYSTEM_NAMES: dict[CreditSystem, tuple[str, str]] = {
    # (singular, plural)
    CreditSystem.ECTS: ("ECTS credit", "ECTS credits"),
    CreditSystem.NZ_CREDIT: ("NZQF credit", "NZQF credits"),
    CreditSystem.UK_CATS: ("UK CATS credit", "UK CATS credits"),
    CreditSystem.US_SEMESTER_CREDIT_HOUR: ("US semester credit hour", "US semester credit hours"),
    CreditSystem.QUEBEC_CREDIT: ("Quebec credit", "Quebec credits"),
    CreditSystem.CEU: ("CEU", "CEUs"),
    CreditSystem.AU_CREDIT_POINT: ("Australian credit point", "Australian credit points"),
    CreditSystem.SG_CREDIT_UNIT: ("Singapore credit unit", "Singapore credit units"),
}

# Primary language subtags (ISO 639) of the scan's jurisdictions; others show as given.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "fr": "French",
    "ga": "Irish",
    "mi": "Māori",
    "zh": "Chinese",
    "ms": "Malay",
    "ta": "Tamil",
    "es": "Spanish",
    "de": "German",
    "pa": "Punjabi",
    "hi": "Hindi",
}


def humanize(value: str) -> str:
    """A snake_case vocabulary value as words: 'case_study' -> 'Case study'."""
    words = value.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def hours(value: float | None) -> str:
    """Hours as a short figure: 28 -> '28 h', 7.5 -> '7.5 h'; None -> ''."""
    if value is None:
        return ""
    return f"{value:g} h"


def money(amount: Decimal | float, currency: str) -> str:
    """An amount with its ISO 4217 code: 'CAD 695.00' (no locale guessing)."""
    return f"{currency} {Decimal(str(amount)).quantize(Decimal('0.01')):,}"


def number(value: float) -> str:
    """A number without needless decimals: 1.0 -> '1', 7.2727 -> '7.27'."""
    return f"{round(value, 2):g}"


def credits(system: CreditSystem, value: float) -> str:
    """'1 ECTS credit', '20 NZQF credits'."""
    singular, plural = CREDIT_SYSTEM_NAMES.get(system, (system.value, system.value))
    return f"{number(value)} {singular if value == 1 else plural}"


def level(framework: QualificationFramework, value: int) -> str:
    """'EQF level 6', 'Irish NFQ level 7'."""
    return f"{FRAMEWORK_NAMES.get(framework, framework.value)} level {value}"


def jurisdiction(code: str) -> str:
    """'AU-NSW' -> 'New South Wales (AU-NSW)', 'IE' -> 'Ireland (IE)' (ISO 3166 names).

    A subdivision newer than the names table is named by its country; other codes as given.
    """
    upper = code.upper()
    name = COUNTRY_NAMES.get(upper) or SUBDIVISION_NAMES.get(upper)
    if name:
        return f"{name} ({code})"
    country = COUNTRY_NAMES.get(upper.split("-")[0]) if "-" in upper else None
    return f"{code} ({country})" if country else code


def language(tag: str) -> str:
    """'en-CA' -> 'English (en-CA)'; unknown tags as given."""
    name = LANGUAGE_NAMES.get(tag.split("-")[0].lower())
    return f"{name} ({tag})" if name else tag


def level_facet(value: str) -> str:
    """A level facet value 'eqf:6' or 'nfq_ie:7' as 'EQF level 6'."""
    framework, _, raw = value.partition(":")
    try:
        return level(QualificationFramework(framework), int(raw))
    except ValueError:
        return value


def credit_system_facet(value: str) -> str:
    """A credit-system facet value 'nz_credit' as 'NZQF credits'."""
    try:
        return CREDIT_SYSTEM_NAMES[CreditSystem(value)][1]
    except (ValueError, KeyError):
        return value
