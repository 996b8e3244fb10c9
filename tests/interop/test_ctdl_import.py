"""CTDL import of real Credential Engine records (current, 2017-11 and 2017-08 draft forms)
into draft records, with every member left out reported, and stored on both engines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from interop_support import BASE_URL

from acting import OPERATOR
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus
from credstack.errors import InvalidInput
from credstack.interop import service
from credstack.interop.ctdl import to_ctdl
from credstack.interop.ctdl_import import Defaults, read_documents
from credstack.registry import service as registry
from credstack.store.unit_of_work import Database

Sample = Callable[[str], Any]
US_DEFAULTS = Defaults(country="US", issuer_name="Issuer not in the input")


def test_reads_a_current_registry_graph(sample: Sample) -> None:
    reading = read_documents([("single", sample("credential_ctdl_single.json"))], US_DEFAULTS)
    [item] = reading.records
    assert item.problems == []
    assert item.record is not None
    assert item.record.title == "Master of Business Administration (MBA) - self-designed"
    assert item.record.id.endswith("-53bc7e5d")
    assert item.record.language == ["en"]
    dropped = {d.location for d in item.dropped}
    assert "@graph[0].ceterms:accreditedBy" in dropped
    assert "@graph[0].ceterms:subject" in dropped


def test_reports_an_organization_missing_from_the_input(sample: Sample) -> None:
    reading = read_documents([("single", sample("credential_ctdl_single.json"))], US_DEFAULTS)
    [item] = reading.records
    assert any(
        d.location == "@graph[0].ceterms:ownedBy" and "not in the input" in d.reason
        for d in item.dropped
    )
    assert [a.reason for a in item.assumed] == [
        "no organization given; issuer set to 'Issuer not in the input'"
    ]


def test_rejects_a_credential_with_no_organization_and_no_defaults(sample: Sample) -> None:
    reading = read_documents([("single", sample("credential_ctdl_single.json"))], Defaults())
    [item] = reading.records
    assert item.record is None
    assert [p.location for p in item.problems] == ["@graph[0].ceterms:ownedBy"]


def test_reads_draft_2017_names_as_current_ones(sample: Sample) -> None:
    documents = [("drafts", sample("credentials_ctdl_draft_2017-08_subset.json"))]
    records = read_documents(documents, US_DEFAULTS).records
    first = records[0]
    assert first.record is not None
    assert (
        first.record.title
        == sample("credentials_ctdl_draft_2017-08_subset.json")[0]["schema:name"].strip()
    )
    assert {d.location for d in first.dropped} >= {
        "[0].ceterms:credentialType",
        "[0].ceterms:purpose",
    }


def test_rejects_a_record_without_a_description_naming_the_member(sample: Sample) -> None:
    records = read_documents(
        [("drafts", sample("credentials_ctdl_draft_2017-08_subset.json"))], US_DEFAULTS
    ).records
    failed = [item for item in records if item.problems]
    assert [(item.location, [p.location for p in item.problems]) for item in failed] == [
        ("[3]", ["[3].ceterms:description"])
    ]


def test_resolves_an_organization_given_in_the_same_input(sample: Sample) -> None:
    resources = sample("resources_ctdl_2017-11.json")
    college = next(node for node in resources if node["ceterms:name"] == "Guam Community College")
    credential = next(node for node in resources if node["@type"] == "ceterms:AssociateDegree")
    credential["ceterms:ownedBy"] = [{"@id": college["@id"]}]
    [item] = read_documents([("r.json", [college, credential])], Defaults(country="US")).records
    assert item.record is not None
    assert item.record.provider.issuer.name == "Guam Community College"
    # "Guam" is a country name, not an ISO 3166 code: the default is used and said so.
    assert item.record.provider.issuer.country == "US"
    assert [a.reason for a in item.assumed] == ["country of 'Guam Community College' set to US"]


def test_lists_resources_that_are_not_records(sample: Sample) -> None:
    reading = read_documents(
        [("assessments", sample("assessment_profiles_ctdl.json"))], US_DEFAULTS
    )
    assert reading.records == []
    assert {entry["type"] for entry in reading.not_imported} == {"ceterms:AssessmentProfile"}


def test_reads_learning_opportunities_and_drops_currency_names(sample: Sample) -> None:
    reading = read_documents(
        [("lopp", sample("learning_opportunity_profiles_ctdl.json"))], US_DEFAULTS
    )
    assert len(reading.records) == 10
    assert all(item.problems == [] for item in reading.records)
    first = reading.records[0]
    assert first.record is not None and first.record.price is None
    assert any("'US Dollar' is not an ISO 4217 code" in d.reason for d in first.dropped)


def test_rejects_two_records_that_make_the_same_id(example_record: MicroCredential) -> None:
    document = to_ctdl(example_record, base_url=BASE_URL)
    reading = read_documents([("a.json", document), ("b.json", document)], Defaults())
    assert [p.source for p in reading.problems] == ["b.json"]


def test_import_stores_drafts(database: Database, example_record: MicroCredential) -> None:
    document = to_ctdl(example_record, base_url=BASE_URL)
    with database.unit_of_work() as session:
        outcome = service.import_ctdl(
            session, documents=[("x.json", document)], actor=OPERATOR, defaults=Defaults()
        )
    assert outcome.created == [example_record.id]
    with database.read() as session:
        stored = registry.get_record(session, credential_id=example_record.id)
    assert stored.status is LifecycleStatus.DRAFT
    assert stored.record.learning_outcomes == example_record.learning_outcomes


def test_import_writes_nothing_when_any_record_fails(
    database: Database, example_record: MicroCredential
) -> None:
    good = to_ctdl(example_record, base_url=BASE_URL)
    bad = {"@graph": [{"@type": "ceterms:Certificate", "ceterms:ctid": "ce-x"}]}
    with pytest.raises(InvalidInput) as raised, database.unit_of_work() as session:
        service.import_ctdl(
            session,
            documents=[("good.json", good), ("bad.json", bad)],
            actor=OPERATOR,
            defaults=Defaults(),
        )
    assert {p.location for p in raised.value.problems} == {
        "@graph[0].ceterms:name",
        "@graph[0].ceterms:description",
        "@graph[0].ceterms:ownedBy",
    }
    with database.read() as session:
        assert registry.count_records(session) == 0


def test_skip_invalid_stores_the_good_records(
    database: Database, example_record: MicroCredential
) -> None:
    good = to_ctdl(example_record, base_url=BASE_URL)
    bad = {"@graph": [{"@type": "ceterms:Certificate", "ceterms:ctid": "ce-x"}]}
    with database.unit_of_work() as session:
        outcome = service.import_ctdl(
            session,
            documents=[("good.json", good), ("bad.json", bad)],
            actor=OPERATOR,
            defaults=Defaults(),
            skip_invalid=True,
        )
    assert outcome.created == [example_record.id]
    assert len(outcome.reading.problems) == 3
