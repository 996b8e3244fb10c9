"""CTDL export: registry graphs valid by Credential Engine's schemas, with stable CTIDs."""

from __future__ import annotations

import copy

from interop_support import BASE_URL

from credstack.domain.credential import MicroCredential
from credstack.interop.ctdl import credential_ctid, to_ctdl
from credstack.interop.ctdl_schema import validate_graph
from credstack.interop.ctdl_sections import iso_hours
from credstack.interop.ids import CTID_PATTERN


def _credential(document: dict[str, object]) -> dict[str, object]:
    graph = document["@graph"]
    assert isinstance(graph, list)
    found = graph[0]
    assert isinstance(found, dict)
    return found


def test_every_demo_record_exports_valid_ctdl(demo_record: MicroCredential) -> None:
    document = to_ctdl(demo_record, base_url=BASE_URL)
    assert validate_graph(document) == []


def test_credential_is_a_micro_credential_with_its_ctid(example_record: MicroCredential) -> None:
    credential = _credential(to_ctdl(example_record, base_url=BASE_URL))
    assert credential["@type"] == "ceterms:MicroCredential"
    assert credential["ceterms:ctid"] == credential_ctid(example_record.id)
    assert CTID_PATTERN.match(str(credential["ceterms:ctid"]))
    assert credential["ceterms:subjectWebpage"] == f"{BASE_URL}/credentials/{example_record.id}"


def test_ctid_stays_the_same_across_versions(example_record: MicroCredential) -> None:
    changed = example_record.model_copy(update={"title": "Climate Adaptation, revised"})
    first = _credential(to_ctdl(example_record, base_url=BASE_URL))
    second = _credential(to_ctdl(changed, base_url="https://elsewhere.example"))
    assert first["ceterms:ctid"] == second["ceterms:ctid"]
    assert first["ceterms:name"] != second["ceterms:name"]


def test_different_records_get_different_ctids() -> None:
    assert credential_ctid("a-record") != credential_ctid("b-record")


def test_learning_outcomes_become_ctdl_asn_competencies(example_record: MicroCredential) -> None:
    graph = to_ctdl(example_record, base_url=BASE_URL)["@graph"]
    competencies = [node for node in graph if node["@type"] == "ceasn:Competency"]
    frameworks = [node for node in graph if node["@type"] == "ceasn:CompetencyFramework"]
    assert [c["ceasn:codedNotation"] for c in competencies] == [
        outcome.id for outcome in example_record.learning_outcomes
    ]
    assert len(frameworks) == 1
    assert all(c["ceasn:isPartOf"] == [frameworks[0]["@id"]] for c in competencies)


def test_price_is_a_cost_profile_and_hours_a_duration(example_record: MicroCredential) -> None:
    credential = _credential(to_ctdl(example_record, base_url=BASE_URL))
    [cost] = credential["ceterms:estimatedCost"]
    assert cost["ceterms:currency"] == "CAD"
    assert cost["ceterms:price"] == 695.0
    durations = {
        d["ceterms:description"]["en-CA"]: d["ceterms:exactDuration"]
        for d in credential["ceterms:estimatedDuration"]
    }
    assert durations["Total learner effort"] == "PT28H"


def test_credit_recognition_with_credits_has_a_transfer_value_profile(
    example_record: MicroCredential,
) -> None:
    recognition = copy.deepcopy(example_record.to_document())
    recognition["credit_recognition"][0]["credits"] = 3
    record = MicroCredential.model_validate(recognition)
    graph = to_ctdl(record, base_url=BASE_URL)["@graph"]
    [profile] = [node for node in graph if node["@type"] == "ceterms:TransferValueProfile"]
    assert profile["ceterms:transferValue"][0]["schema:value"] == 3
    assert profile["ceterms:transferValueFrom"] == [graph[0]["@id"]]


def test_rejects_a_credential_without_a_subject_webpage(example_record: MicroCredential) -> None:
    document = to_ctdl(example_record, base_url=BASE_URL)
    del document["@graph"][0]["ceterms:subjectWebpage"]
    problems = validate_graph(document)
    assert [p.location for p in problems] == ["@graph[0]"]
    assert "'ceterms:subjectWebpage' is a required property" in problems[0].message


def test_rejects_a_cost_profile_without_details(example_record: MicroCredential) -> None:
    document = to_ctdl(example_record, base_url=BASE_URL)
    del document["@graph"][0]["ceterms:estimatedCost"][0]["ceterms:costDetails"]
    problems = validate_graph(document)
    assert [p.location for p in problems] == ["@graph[0].ceterms:estimatedCost[0]"]


def test_rejects_a_malformed_ctid(example_record: MicroCredential) -> None:
    document = to_ctdl(example_record, base_url=BASE_URL)
    document["@graph"][1]["ceterms:ctid"] = "not-a-ctid"
    assert [p.location for p in validate_graph(document)] == ["@graph[1].ceterms:ctid"]


def test_iso_hours_writes_minutes_only_when_there_are_some() -> None:
    assert iso_hours(28) == "PT28H"
    assert iso_hours(1.5) == "PT1H30M"
