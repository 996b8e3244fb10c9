"""Credit systems and their documented hour equivalences.

A credit value is converted to notional learning hours through a documented range
(e.g. 1 ECTS = 25-30 hours, ECTS Users' Guide 2015, section 3.2). Conversions return the
range; ``midpoint`` gives the single figure used for sorting and filtering.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CreditSystem(StrEnum):
    """Credit systems a micro-credential may state its volume of learning in."""

    ECTS = "ects"
    NZ_CREDIT = "nz_credit"
    UK_CATS = "uk_cats"
    US_SEMESTER_CREDIT_HOUR = "us_semester_credit_hour"
    QUEBEC_CREDIT = "quebec_credit"
    CEU = "ceu"
    AU_CREDIT_POINT = "au_credit_point"
    SG_CREDIT_UNIT = "sg_credit_unit"


@dataclass(frozen=True)
class HourRange:
    """An inclusive range of notional learning hours."""

    low: float
    high: float

    @property
    def midpoint(self) -> float:
        """The middle of the range, used where one figure is needed."""
        return (self.low + self.high) / 2

    def scaled(self, factor: float) -> HourRange:
        """The range multiplied by ``factor`` (a number of credits)."""
        return HourRange(self.low * factor, self.high * factor)

    def contains(self, hours: float, tolerance: float = 1e-9) -> bool:
        """Whether ``hours`` lies within the range."""
        return self.low - tolerance <= hours <= self.high + tolerance


@dataclass(frozen=True)
class Equivalence:
    """The hours one credit stands for, and where that figure is published."""

    hours_per_credit: HourRange
    source: str


# Each figure is the published notional-learning-hours equivalence of one credit.
EQUIVALENCES: dict[CreditSystem, Equivalence] = {
    CreditSystem.ECTS: Equivalence(
        HourRange(25, 30), "ECTS Users' Guide (European Commission, 2015), section 3.2"
    ),
    CreditSystem.NZ_CREDIT: Equivalence(
        HourRange(10, 10), "NZQA: one credit = 10 notional learning hours (NZQF, 2016)"
    ),
    CreditSystem.UK_CATS: Equivalence(
        HourRange(10, 10), "QAA Higher Education Credit Framework for England (2021)"
    ),
    CreditSystem.US_SEMESTER_CREDIT_HOUR: Equivalence(
        HourRange(37.5, 45),
        "US Carnegie unit, 34 CFR 600.2: 1 h instruction + 2 h out of class a week, 12.5-15 weeks",
    ),
    CreditSystem.QUEBEC_CREDIT: Equivalence(
        HourRange(45, 45), "Quebec Règlement sur le régime des études collégiales: 1 credit = 45 h"
    ),
    CreditSystem.CEU: Equivalence(
        HourRange(10, 10), "IACET ANSI/IACET 2018-1 Standard: 1 CEU = 10 contact hours"
    ),
    CreditSystem.AU_CREDIT_POINT: Equivalence(
        HourRange(10, 12.5),
        "Common Australian practice: 1 credit point = 10-12.5 h (8 cp per 150 h unit varies)",
    ),
    CreditSystem.SG_CREDIT_UNIT: Equivalence(
        HourRange(30, 30), "SkillsFuture WSQ: one credit = 10 training hours x 3 (varies)"
    ),
}


def credits_to_hours(system: CreditSystem, value: float) -> HourRange:
    """Notional learning hours that ``value`` credits of ``system`` represent."""
    if value < 0:
        raise ValueError(f"credit value must not be negative, got {value}")
    return EQUIVALENCES[system].hours_per_credit.scaled(value)


def hours_to_credits(system: CreditSystem, hours: float) -> tuple[float, float]:
    """The (fewest, most) credits of ``system`` that ``hours`` of learning can be worth."""
    if hours < 0:
        raise ValueError(f"hours must not be negative, got {hours}")
    per = EQUIVALENCES[system].hours_per_credit
    return (hours / per.high, hours / per.low)


def convert(value: float, source: CreditSystem, target: CreditSystem) -> tuple[float, float]:
    """Convert credits between systems through hours; returns the (low, high) range."""
    hours = credits_to_hours(source, value)
    low, _ = hours_to_credits(target, hours.low)
    _, high = hours_to_credits(target, hours.high)
    return (low, high)


def ects_equivalent(system: CreditSystem, value: float) -> float:
    """A single ECTS figure for ``value`` credits (midpoint hours / 27.5 h per ECTS)."""
    if system is CreditSystem.ECTS:
        return value
    return (
        credits_to_hours(system, value).midpoint
        / EQUIVALENCES[CreditSystem.ECTS].hours_per_credit.midpoint
    )
