"""CTDL round trips on every demo record: export -> import -> export is stable, and
what a record loses on the way is exactly the documented list (``NOT_EXPORTED``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from interop_support import BASE_URL, changed_paths

from credstack.domain.credential import MicroCredential
from credstack.interop.ctdl import NOT_EXPORTED, to_ctdl
from credstack.interop.ctdl_import import Defaults, read_documents
from credstack.interop.ctdl_read import hours
from credstack.interop.ctdl_schema import validate_graph
from credstack.interop.ctdl_sections import iso_hours
from credstack.registry.generate import generate_documents


def _import(document: dict[str, object]) -> MicroCredential:
    [item] = read_documents([("export.json", document)], Defaults()).records
    assert item.problems == []
    assert item.record is not None
    return item.record


def test_export_import_export_is_stable(demo_record: MicroCredential) -> None:
    exported = to_ctdl(demo_record, base_url=BASE_URL)
    assert to_ctdl(_import(exported), base_url=BASE_URL) == exported


def test_import_of_an_export_drops_no_member(demo_record: MicroCredential) -> None:
    [item] = read_documents(
        [("x.json", to_ctdl(demo_record, base_url=BASE_URL))], Defaults()
    ).records
    assert item.dropped == []


def test_only_documented_fields_are_lost(demo_record: MicroCredential) -> None:
    back = _import(to_ctdl(demo_record, base_url=BASE_URL))
    lost = changed_paths(demo_record.to_document(), back.to_document())
    undocumented = {
        path
        for path in lost
        if not any(path == key or path.startswith((f"{key}.", f"{key}[")) for key in NOT_EXPORTED)
    }
    assert undocumented == set()


def test_id_title_outcomes_and_alignments_survive(demo_record: MicroCredential) -> None:
    back = _import(to_ctdl(demo_record, base_url=BASE_URL))
    assert back.id == demo_record.id
    assert back.title == demo_record.title
    assert [(o.id, o.statement, [a.uri for a in o.alignments]) for o in back.learning_outcomes] == [
        (o.id, o.statement, [a.uri for a in o.alignments if a.status.value != "rejected"])
        for o in demo_record.learning_outcomes
    ]


@given(st.integers(min_value=0, max_value=100_000 * 60))
def test_iso_duration_of_whole_minutes_reads_back(minutes: int) -> None:
    assert hours(iso_hours(minutes / 60)) == round(minutes / 60, 4)


@given(st.text(max_size=20))
def test_duration_parser_never_raises(text: str) -> None:
    result = hours(text)
    assert result is None or result >= 0


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_any_generated_record_round_trips_and_validates(seed: int) -> None:
    [document] = generate_documents(1, seed)
    record = MicroCredential.model_validate(document)
    exported = to_ctdl(record, base_url=BASE_URL)
    assert validate_graph(exported) == []
    assert to_ctdl(_import(exported), base_url=BASE_URL) == exported
