"""Credit systems: documented hour equivalences and conversions between systems."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credstack.domain.credits import (
    EQUIVALENCES,
    CreditSystem,
    convert,
    credits_to_hours,
    ects_equivalent,
    hours_to_credits,
)

systems = st.sampled_from(list(CreditSystem))
hours_values = st.floats(min_value=0, max_value=10_000, allow_nan=False, allow_infinity=False)
credit_values = st.floats(min_value=0, max_value=1_000, allow_nan=False, allow_infinity=False)


def test_one_ects_is_25_to_30_hours() -> None:
    hours = credits_to_hours(CreditSystem.ECTS, 1)
    assert (hours.low, hours.high) == (25, 30)


def test_one_nz_credit_is_10_hours() -> None:
    hours = credits_to_hours(CreditSystem.NZ_CREDIT, 1)
    assert (hours.low, hours.high) == (10, 10)


def test_one_ceu_is_10_contact_hours() -> None:
    hours = credits_to_hours(CreditSystem.CEU, 1)
    assert (hours.low, hours.high) == (10, 10)


def test_fifteen_nz_credits_are_150_hours() -> None:
    assert credits_to_hours(CreditSystem.NZ_CREDIT, 15).midpoint == 150


def test_two_ects_scale_the_range() -> None:
    hours = credits_to_hours(CreditSystem.ECTS, 2)
    assert (hours.low, hours.high) == (50, 60)


def test_every_credit_system_documents_its_source() -> None:
    assert set(EQUIVALENCES) == set(CreditSystem)
    for equivalence in EQUIVALENCES.values():
        assert equivalence.source.strip()
        assert 0 < equivalence.hours_per_credit.low <= equivalence.hours_per_credit.high


def test_150_hours_are_5_to_6_ects() -> None:
    assert hours_to_credits(CreditSystem.ECTS, 150) == (5, 6)


def test_ten_nz_credits_convert_to_3_33_to_4_ects() -> None:
    low, high = convert(10, CreditSystem.NZ_CREDIT, CreditSystem.ECTS)
    assert low == pytest.approx(100 / 30)
    assert high == pytest.approx(4)


def test_ects_equivalent_uses_the_midpoint_of_27_5_hours() -> None:
    assert ects_equivalent(CreditSystem.NZ_CREDIT, 11) == pytest.approx(4)


def test_ects_equivalent_of_ects_is_itself() -> None:
    assert ects_equivalent(CreditSystem.ECTS, 3) == 3


def test_rejects_negative_credits() -> None:
    with pytest.raises(ValueError, match="negative"):
        credits_to_hours(CreditSystem.ECTS, -1)


def test_rejects_negative_hours() -> None:
    with pytest.raises(ValueError, match="negative"):
        hours_to_credits(CreditSystem.ECTS, -0.5)


@given(system=systems, value=st.floats(max_value=-1e-9, min_value=-1e6))
def test_rejects_any_negative_credit_value(system: CreditSystem, value: float) -> None:
    with pytest.raises(ValueError):
        credits_to_hours(system, value)


@given(system=systems, hours=hours_values)
def test_hours_to_credits_and_back_contains_the_hours(system: CreditSystem, hours: float) -> None:
    fewest, most = hours_to_credits(system, hours)
    assert fewest <= most
    tolerance = 1e-9 * max(1.0, hours)
    for credits in (fewest, most, (fewest + most) / 2):
        assert credits_to_hours(system, credits).contains(hours, tolerance=tolerance)


@given(system=systems, value=credit_values)
def test_credits_to_hours_and_back_contains_the_credits(system: CreditSystem, value: float) -> None:
    hours = credits_to_hours(system, value)
    fewest, _ = hours_to_credits(system, hours.low)
    _, most = hours_to_credits(system, hours.high)
    assert fewest <= value * (1 + 1e-12) + 1e-12
    assert most >= value * (1 - 1e-12) - 1e-12


@given(system=systems, first=credit_values, second=credit_values)
def test_credits_to_hours_is_monotonic(system: CreditSystem, first: float, second: float) -> None:
    low, high = sorted((first, second))
    assert credits_to_hours(system, low).low <= credits_to_hours(system, high).low
    assert credits_to_hours(system, low).high <= credits_to_hours(system, high).high


@given(system=systems, first=hours_values, second=hours_values)
def test_hours_to_credits_is_monotonic(system: CreditSystem, first: float, second: float) -> None:
    low, high = sorted((first, second))
    assert hours_to_credits(system, low)[0] <= hours_to_credits(system, high)[0]
    assert hours_to_credits(system, low)[1] <= hours_to_credits(system, high)[1]


@given(source=systems, target=systems, value=credit_values)
def test_conversion_range_is_ordered_and_non_negative(
    source: CreditSystem, target: CreditSystem, value: float
) -> None:
    low, high = convert(value, source, target)
    assert 0 <= low <= high


@given(system=systems, value=credit_values)
def test_converting_to_the_same_system_contains_the_value(
    system: CreditSystem, value: float
) -> None:
    low, high = convert(value, system, system)
    assert low <= value * (1 + 1e-12) + 1e-12
    assert high >= value * (1 - 1e-12) - 1e-12


@given(source=systems, target=systems, first=credit_values, second=credit_values)
def test_conversion_is_monotonic(
    source: CreditSystem, target: CreditSystem, first: float, second: float
) -> None:
    low, high = sorted((first, second))
    assert convert(low, source, target)[0] <= convert(high, source, target)[0]
    assert convert(low, source, target)[1] <= convert(high, source, target)[1]
