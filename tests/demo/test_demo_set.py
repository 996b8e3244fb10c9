"""The bundled demo set: what `credstack serve --demo` loads (issue 2, Interfaces).

The set must hold at least 30 micro-credentials from at least 12 providers named in the
scan, across BC, Ontario, Alberta, Saskatchewan, Ireland, Australia, New Zealand and
Singapore, including the Royal Roads Climate Adaptation Fundamentals pathway (scan,
Appendix 2: 2 required + 2 specialist + 2 pathway courses, 25-30 h each, hybrid,
CACF-aligned). Every file is a valid CIS record and cites the scan lines it rests on.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from credstack.demo import CREDENTIALS_DIR, demo_files
from credstack.domain.credential import ID_PATTERN, MicroCredential, Provider
from credstack.domain.credits import CreditSystem
from credstack.domain.levels import QualificationFramework
from credstack.domain.vocabulary import DeliveryMode, StackingDirection

FILES = demo_files()
REQUIRED_JURISDICTIONS = ("CA-BC", "CA-ON", "CA-AB", "CA-SK", "IE", "AU", "NZ", "SG")
RRU = "royal-roads-university"
CAF_TARGET = "Climate Adaptation Fundamentals micro-credential"
CACF = "Climate Adaptation Competency Framework"
# Providers the scan names (by issuer id); records from other providers may be in the set
# but do not count towards the "named in the scan" minimum.
NAMED_IN_SCAN = {
    RRU,
    "university-of-british-columbia",
    "thompson-rivers-university",
    "vancouver-community-college",
    "lethbridge-polytechnic",
    "mount-royal-university",
    "nait",
    "university-of-alberta",
    "humber-college",
    "seneca-polytechnic",
    "mohawk-college",
    "university-of-toronto-scs",
    "toronto-metropolitan-university",
    "mcgill-university",
    "university-of-saskatchewan",
    "saskatchewan-polytechnic",
    "north-west-college",
    "deakin-university",
    "university-of-melbourne",
    "singapore-institute-of-technology",
    "institute-of-technical-education",
}
CURRENCY_BY_COUNTRY = {"CA": "CAD", "IE": "EUR", "AU": "AUD", "NZ": "NZD", "SG": "SGD"}
# The national framework each jurisdiction states levels in (scan: "New Zealand, Australia,
# and the EU systems are all ... related to a ... system of qualification levels").
FRAMEWORK_BY_COUNTRY = {
    "IE": {QualificationFramework.NFQ_IE},
    "AU": {QualificationFramework.AQF},
    "NZ": {QualificationFramework.NZQF},
    "SG": {QualificationFramework.WSQ, QualificationFramework.SGQF},
}
CREDIT_BY_COUNTRY = {"IE": CreditSystem.ECTS, "NZ": CreditSystem.NZ_CREDIT}
HEADER_CITATION = re.compile(r"^# Source: the scan, lines? \d+(-\d+)?", re.MULTILINE)
NOC_2021_UNIT_GROUP = re.compile(r"^[0-9][0-5][0-9]{3}$")  # 2nd digit is the TEER (0-5)
ID_RE = re.compile(ID_PATTERN)


def _load(path: Path) -> MicroCredential:
    return MicroCredential.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _header(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    header: list[str] = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line)
    return "\n".join(header)


@pytest.fixture(scope="module")
def records() -> dict[str, MicroCredential]:
    """Every demo record, by id."""
    loaded = [_load(path) for path in FILES]
    return {record.id: record for record in loaded}


def _country(record: MicroCredential) -> str:
    return record.provider.issuer.country


def _rru_pathway(records: dict[str, MicroCredential]) -> list[MicroCredential]:
    return [
        record
        for record in records.values()
        if record.provider.issuer.id == RRU
        and record.stackability is not None
        and any(CAF_TARGET in target.title for target in record.stackability.stacks_into)
    ]


def test_demo_files_are_the_sorted_yaml_files_of_the_package() -> None:
    assert sorted(CREDENTIALS_DIR.glob("*.yaml")) == FILES
    assert all(path.is_file() for path in FILES)


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_every_demo_file_is_a_valid_cis_record(path: Path) -> None:
    record = _load(path)
    assert record.id == path.stem, "the file is named after the record id"


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_every_demo_file_cites_the_scan_and_states_its_sample_flag(path: Path) -> None:
    header = _header(path)
    assert HEADER_CITATION.search(header), f"{path.name}: header must cite the scan lines"
    record = _load(path)
    assert f"sample: {str(record.sample).lower()}" in header


def test_demo_set_has_at_least_30_records(records: dict[str, MicroCredential]) -> None:
    assert len(FILES) >= 30
    assert len(records) == len(FILES), "record ids are unique across the set"


def test_demo_set_has_at_least_12_providers_named_in_the_scan(
    records: dict[str, MicroCredential],
) -> None:
    issuers = {record.provider.issuer.id for record in records.values()}
    assert len(issuers & NAMED_IN_SCAN) >= 12


@pytest.mark.parametrize("jurisdiction", REQUIRED_JURISDICTIONS)
def test_every_required_jurisdiction_has_records(
    records: dict[str, MicroCredential], jurisdiction: str
) -> None:
    def where(provider: Provider) -> set[str]:
        return {provider.country, provider.region or provider.country}

    assert any(jurisdiction in where(record.provider.issuer) for record in records.values())


def test_provider_details_are_identical_in_every_record(
    records: dict[str, MicroCredential],
) -> None:
    seen: dict[str, dict[str, Any]] = {}
    for record in records.values():
        providers = [record.provider.issuer] + [o.provider for o in record.provider.others]
        for provider in providers:
            details = provider.model_dump(mode="json")
            first = seen.setdefault(provider.id, details)
            assert details == first, f"{record.id}: provider '{provider.id}' differs"


def test_stacking_and_prerequisite_references_resolve_to_records_in_the_set(
    records: dict[str, MicroCredential],
) -> None:
    for record in records.values():
        references: list[str] = []
        if record.stackability is not None:
            references += record.stackability.combines_with
            references += [
                t.credential_id for t in record.stackability.stacks_into if t.credential_id
            ]
        if record.prerequisites is not None:
            # Free-text prerequisites ("Registered nurse licence") are not references.
            references += [c for c in record.prerequisites.credentials if ID_RE.match(c)]
        missing = [ref for ref in references if ref not in records]
        assert not missing, f"{record.id}: unknown references {missing}"


def test_rru_pathway_has_two_required_two_specialist_and_two_pathway_courses(
    records: dict[str, MicroCredential],
) -> None:
    pathway = _rru_pathway(records)
    horizontal = [
        r
        for r in pathway
        if r.stackability and r.stackability.direction is StackingDirection.HORIZONTAL
    ]
    vertical = [
        r
        for r in pathway
        if r.stackability and r.stackability.direction is StackingDirection.VERTICAL
    ]
    specialist = [r for r in horizontal if "Specialist Level" in r.title]
    assert len(horizontal) - len(specialist) == 2, "two required courses"
    assert sorted(r.title.rsplit("(", 1)[1] for r in specialist) == [
        "Specialist Level 1)",
        "Specialist Level 2)",
    ]
    assert len(vertical) >= 2, "at least one two-course thematic pathway"


def test_rru_pathway_courses_are_25_to_30_hours_hybrid_and_cacf_aligned(
    records: dict[str, MicroCredential],
) -> None:
    for record in _rru_pathway(records):
        assert record.total_hours is not None and 25 <= record.total_hours <= 30, record.id
        assert record.delivery_mode is not None
        assert record.delivery_mode.mode is DeliveryMode.BLENDED, record.id
        alignments = record.industry_alignment or []
        assert any(a.framework == CACF for a in alignments), record.id


def test_rru_pathway_courses_list_each_other_as_stacking_partners(
    records: dict[str, MicroCredential],
) -> None:
    pathway = _rru_pathway(records)
    partnered = [r for r in pathway if r.stackability and r.stackability.combines_with]
    assert len(partnered) >= 6
    for record in partnered:
        assert record.stackability is not None
        for partner in record.stackability.combines_with:
            assert records[partner].provider.issuer.id == RRU


def test_records_not_marked_sample_state_no_figures(records: dict[str, MicroCredential]) -> None:
    # The scan gives no hours, price, dates or credit values for any named micro-credential,
    # so a record that claims to use only the scan's facts cannot carry any of them.
    for record in records.values():
        if record.sample:
            continue
        figures = {
            "learner_effort": record.learner_effort,
            "price": record.price,
            "delivery_dates": record.delivery_dates,
            "expiry": record.expiry,
            "credits": record.credits or None,
        }
        stated = [name for name, value in figures.items() if value is not None]
        assert not stated, f"{record.id} is not sample but states {stated}"


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_every_record_has_three_to_six_learning_outcomes(path: Path) -> None:
    assert 3 <= len(_load(path).learning_outcomes) <= 6


def test_prices_are_in_the_providers_currency(records: dict[str, MicroCredential]) -> None:
    for record in records.values():
        if record.price is not None:
            assert record.price.currency == CURRENCY_BY_COUNTRY[_country(record)], record.id


def test_levels_and_credits_use_each_jurisdictions_framework(
    records: dict[str, MicroCredential],
) -> None:
    by_country: dict[str, list[MicroCredential]] = defaultdict(list)
    for record in records.values():
        by_country[_country(record)].append(record)
    for country, frameworks in FRAMEWORK_BY_COUNTRY.items():
        for record in by_country[country]:
            stated = {level.framework for level in record.qualification_levels}
            assert stated & frameworks, f"{record.id}: expected a level in {frameworks}"
    for country, system in CREDIT_BY_COUNTRY.items():
        for record in by_country[country]:
            assert any(c.system is system for c in record.credits), f"{record.id}: {system}"


def test_canadian_occupations_are_noc_2021_unit_groups(records: dict[str, MicroCredential]) -> None:
    for record in records.values():
        if _country(record) != "CA" or record.industry_occupation is None:
            continue
        for occupation in record.industry_occupation.occupations:
            assert occupation.classification == "noc-2021", record.id
            assert NOC_2021_UNIT_GROUP.match(occupation.code), f"{record.id}: {occupation.code}"


def test_set_includes_records_missing_recommended_and_required_elements(
    records: dict[str, MicroCredential],
) -> None:
    # The compliance dashboard needs differences to show: most records are complete,
    # some lack recommended elements, a few lack required ones.
    values = list(records.values())
    assert any(r.industry_support is None for r in values)
    assert any(r.expiry is None for r in values)
    assert any(r.price is None or r.learner_effort is None for r in values)
    complete = [r for r in values if r.price and r.learner_effort and r.assessment and r.expiry]
    assert len(complete) > len(values) / 2


def test_set_offers_french_irish_and_maori_as_well_as_english(
    records: dict[str, MicroCredential],
) -> None:
    primaries = {tag.split("-")[0] for r in records.values() for tag in r.language}
    assert {"en", "fr", "ga", "mi"} <= primaries
