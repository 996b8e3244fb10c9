"""The CIS record's own rules, checked without any database."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from credstack.domain.codes import COUNTRIES, CURRENCIES, LANGUAGES_ALPHA2, LANGUAGES_ALPHA3
from credstack.domain.credential import (
    DeliveryDates,
    DeliveryModeElement,
    LearnerEffort,
    MicroCredential,
    Prerequisites,
    Price,
    Provider,
    check_language_tag,
)

Document = dict[str, Any]


def _with(document: Document, path: str, value: Any) -> Document:
    """A copy of ``document`` with the dotted ``path`` set to ``value``."""
    changed = copy.deepcopy(document)
    *parents, last = path.split(".")
    target = changed
    for part in parents:
        target = target[part]
    target[last] = value
    return changed


def _errors(document: Document) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        MicroCredential.model_validate(document)
    return [str(error["msg"]) for error in caught.value.errors()]


def test_example_record_is_valid(example_document: Document) -> None:
    record = MicroCredential.model_validate(example_document)
    assert record.total_hours == 28
    assert record.ects == 1
    assert record.eqf_level == 6


# Learner effort (CIS 'Learner effort', components i-v).


def test_total_hours_equal_to_the_five_components_is_accepted() -> None:
    effort = LearnerEffort(
        face_to_face_hours=1,
        synchronous_online_hours=2,
        peer_to_peer_hours=3,
        asynchronous_hours=4,
        assessment_hours=5,
        total_hours=15,
    )
    assert effort.components_sum == 15


def test_rejects_total_hours_that_differ_from_the_components() -> None:
    with pytest.raises(ValidationError, match="does not equal the sum"):
        LearnerEffort(face_to_face_hours=10, asynchronous_hours=5, total_hours=20)


def test_rejects_negative_component_hours() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        LearnerEffort(face_to_face_hours=-5, asynchronous_hours=15, total_hours=10)


def test_rejects_zero_total_hours() -> None:
    with pytest.raises(ValidationError):
        LearnerEffort(total_hours=0)


@given(
    components=st.lists(
        st.integers(min_value=0, max_value=400).map(lambda quarters: quarters / 4),
        min_size=5,
        max_size=5,
    ).filter(lambda values: sum(values) > 0)
)
def test_any_total_equal_to_the_components_is_accepted(components: list[float]) -> None:
    effort = LearnerEffort(
        face_to_face_hours=components[0],
        synchronous_online_hours=components[1],
        peer_to_peer_hours=components[2],
        asynchronous_hours=components[3],
        assessment_hours=components[4],
        total_hours=sum(components),
    )
    assert effort.total_hours == sum(components)


@given(gap=st.floats(min_value=0.02, max_value=1000))
def test_any_total_off_by_more_than_the_tolerance_is_rejected(gap: float) -> None:
    with pytest.raises(ValidationError):
        LearnerEffort(asynchronous_hours=10, total_hours=10 + gap)


# Delivery (CIS 'Delivery mode', 'Date of delivery').


def test_onsite_delivery_needs_a_location() -> None:
    with pytest.raises(ValidationError, match="at least one location"):
        DeliveryModeElement.model_validate({"mode": "onsite", "engagement": "synchronous"})


def test_blended_delivery_needs_a_location() -> None:
    with pytest.raises(ValidationError, match="at least one location"):
        DeliveryModeElement.model_validate({"mode": "blended", "engagement": "mixed"})


def test_online_delivery_needs_no_location() -> None:
    mode = DeliveryModeElement.model_validate({"mode": "online", "engagement": "asynchronous"})
    assert mode.locations == []


def test_rejects_delivery_ending_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="before start"):
        DeliveryDates.model_validate({"start": "2026-03-01", "end": "2026-02-28"})


def test_fixed_dates_need_a_start() -> None:
    with pytest.raises(ValidationError, match="start: required"):
        DeliveryDates.model_validate({"end": "2026-02-28"})


def test_self_paced_delivery_needs_no_dates() -> None:
    assert DeliveryDates.model_validate({"self_paced": True}).start is None


# Language (BCP 47 / RFC 5646 with ISO 639 primary subtags).

primary_subtags = st.sampled_from(sorted(LANGUAGES_ALPHA2 | LANGUAGES_ALPHA3))
scripts = st.sampled_from(["Latn", "Cyrl", "Hans", "Hant", "Arab", "Deva"])
regions = st.one_of(st.sampled_from(sorted(COUNTRIES)), st.sampled_from(["419", "150", "001"]))


@given(
    primary=primary_subtags,
    script=st.none() | scripts,
    region=st.none() | regions,
    upper=st.booleans(),
)
def test_accepts_tags_built_from_iso_codes(
    primary: str, script: str | None, region: str | None, upper: bool
) -> None:
    tag = "-".join(part for part in (primary, script, region) if part)
    tag = tag.upper() if upper else tag
    assert check_language_tag(tag) == tag


@pytest.mark.parametrize("tag", ["en", "fr-CA", "mi", "zh-Hant-TW", "es-419", "de-CH-1996"])
def test_accepts_common_tags(tag: str) -> None:
    assert check_language_tag(tag) == tag


@given(primary=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=3))
def test_rejects_primary_subtag_that_is_no_iso_639_code(primary: str) -> None:
    assume(primary not in LANGUAGES_ALPHA2 and primary not in LANGUAGES_ALPHA3)
    with pytest.raises(ValueError, match="ISO 639"):
        check_language_tag(f"{primary}-CA")


@pytest.mark.parametrize("tag", ["english", "en_CA", "en-", "-en", "e", "en--CA", "12"])
def test_rejects_malformed_tags(tag: str) -> None:
    with pytest.raises(ValueError):
        check_language_tag(tag)


def test_record_rejects_unknown_language(example_document: Document) -> None:
    messages = _errors(_with(example_document, "language", ["en-CA", "qq-CA"]))
    assert any("'qq' is not an ISO 639 language code" in message for message in messages)


def test_record_reports_every_unknown_language(example_document: Document) -> None:
    messages = " ".join(_errors(_with(example_document, "language", ["qq", "zz"])))
    assert "'qq'" in messages
    assert "'zz'" in messages


def test_accepts_tag_with_private_use_subtag() -> None:
    assert check_language_tag("en-CA-x-bc") == "en-CA-x-bc"


# Price (ISO 4217).


@given(currency=st.sampled_from(sorted(CURRENCIES)))
def test_accepts_every_iso_4217_currency(currency: str) -> None:
    price = Price.model_validate({"amount": 10, "currency": currency, "tax_included": True})
    assert price.currency == currency


def test_lower_case_currency_is_normalised() -> None:
    price = Price.model_validate({"amount": 10, "currency": "cad", "tax_included": False})
    assert price.currency == "CAD"


@pytest.mark.parametrize("currency", ["XYZ", "CDN", "ABC"])
def test_rejects_unknown_currency(currency: str) -> None:
    with pytest.raises(ValidationError, match="ISO 4217"):
        Price.model_validate({"amount": 10, "currency": currency, "tax_included": True})


def test_rejects_negative_price() -> None:
    with pytest.raises(ValidationError):
        Price.model_validate({"amount": -1, "currency": "CAD", "tax_included": True})


def test_rejects_price_with_fractions_of_a_cent() -> None:
    with pytest.raises(ValidationError):
        Price.model_validate({"amount": "10.005", "currency": "CAD", "tax_included": True})


# Provider country and region (ISO 3166-1 / 3166-2).


def _provider(**changes: Any) -> dict[str, Any]:
    return {"id": "rru", "name": "Royal Roads University", "country": "CA", **changes}


def test_country_and_region_are_upper_cased() -> None:
    provider = Provider.model_validate(_provider(country="ca", region="ca-bc"))
    assert (provider.country, provider.region) == ("CA", "CA-BC")


@pytest.mark.parametrize("country", ["XX", "UK", "EU"])
def test_rejects_unknown_country(country: str) -> None:
    with pytest.raises(ValidationError, match="ISO 3166-1"):
        Provider.model_validate(_provider(country=country))


def test_rejects_unknown_region() -> None:
    with pytest.raises(ValidationError, match="ISO 3166-2"):
        Provider.model_validate(_provider(region="CA-ZZ"))


def test_rejects_region_of_another_country() -> None:
    with pytest.raises(ValidationError):
        Provider.model_validate(_provider(country="CA", region="US-NY"))


# Learning outcomes and prerequisites.


def test_rejects_duplicate_learning_outcome_ids(example_document: Document) -> None:
    outcomes = example_document["learning_outcomes"]
    outcomes[2]["id"] = outcomes[0]["id"]
    messages = _errors(example_document)
    assert any("learning_outcomes[2].id: 'LO1' is used twice" in m for m in messages)


def test_prerequisites_must_be_stated() -> None:
    with pytest.raises(ValidationError, match="set none: true"):
        Prerequisites.model_validate({})


def test_prerequisites_may_be_experience_only() -> None:
    assert Prerequisites.model_validate({"experience": "Two years in the trade"}).none is False


def test_rejects_unknown_key_in_the_record(example_document: Document) -> None:
    example_document["titel"] = "typo"
    assert any("Extra inputs are not permitted" in m for m in _errors(example_document))


def test_rejects_empty_title(example_document: Document) -> None:
    assert _errors(_with(example_document, "title", "   "))


def test_derives_ects_from_another_credit_system(example_document: Document) -> None:
    example_document["credits"] = [{"system": "nz_credit", "value": 11}]
    assert MicroCredential.model_validate(example_document).ects == pytest.approx(4)


def test_eqf_level_comes_from_the_crosswalk(example_document: Document) -> None:
    example_document["qualification_levels"] = [{"framework": "nfq_ie", "level": 8}]
    assert MicroCredential.model_validate(example_document).eqf_level == 6


def test_no_eqf_level_without_a_published_crosswalk(example_document: Document) -> None:
    example_document["qualification_levels"] = [{"framework": "aqf", "level": 5}]
    assert MicroCredential.model_validate(example_document).eqf_level is None


def test_stated_credits_agree_with_hours_in_the_documented_range(
    example_document: Document,
) -> None:
    record = MicroCredential.model_validate(example_document)
    assert record.credit_hours_agree(record.credits[0])
    ten_ects = record.credits[0].model_copy(update={"value": 10})
    assert not record.credit_hours_agree(ten_ects)
