"""The ISO code tables hold whole codes: a subdivision is COUNTRY-PART, never cut in two."""

from __future__ import annotations

from credstack.domain.codes import COUNTRIES, SUBDIVISIONS


def test_every_subdivision_is_a_country_code_a_hyphen_and_a_part() -> None:
    for code in SUBDIVISIONS:
        country, _, part = code.partition("-")
        assert country in COUNTRIES and part, code


def test_subdivisions_that_were_cut_at_their_hyphen_are_accepted() -> None:
    assert {"AF-BAL", "CO-SAN", "AU-NSW", "NZ-CAN"} <= SUBDIVISIONS
