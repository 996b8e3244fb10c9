"""Export -> import reproduces a record exactly, and re-importing adds no version."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credstack.domain.credential import MicroCredential
from credstack.registry.files import dump_record, load_record
from credstack.registry.generate import generate_documents
from credstack.registry.importer import import_files
from credstack.registry.service import content_hash, get_record, list_versions
from credstack.store.unit_of_work import Database

FORMATS = {"yaml": ".yaml", "json": ".json"}
seeds = st.integers(min_value=0, max_value=2**32 - 1)
printable_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1
).filter(lambda text: text.strip() != "")


def _round_trip(record: MicroCredential, fmt: str, folder: Path) -> MicroCredential:
    path = folder / f"{record.id}{FORMATS[fmt]}"
    path.write_text(dump_record(record, fmt=fmt), encoding="utf-8")
    return load_record(path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_example_round_trips_exactly(example_path: Path, tmp_path: Path, fmt: str) -> None:
    record = load_record(example_path)
    again = _round_trip(record, fmt, tmp_path)
    assert again == record
    assert again.to_document() == record.to_document()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_demo_record_round_trips_exactly(tmp_path: Path, fmt: str) -> None:
    from credstack.demo import demo_files

    for path in demo_files():
        record = load_record(path)
        assert _round_trip(record, fmt, tmp_path) == record, path.name


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=seeds, fmt=st.sampled_from(list(FORMATS)))
def test_generated_documents_round_trip_exactly(tmp_path: Path, seed: int, fmt: str) -> None:
    for document in generate_documents(3, seed):
        record = MicroCredential.model_validate(document)
        again = _round_trip(record, fmt, tmp_path)
        assert again.to_document() == record.to_document()
        assert content_hash(again) == content_hash(record)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=printable_text, summary=printable_text, fmt=st.sampled_from(list(FORMATS)))
def test_any_title_and_summary_round_trip_exactly(
    example_path: Path, tmp_path: Path, title: str, summary: str, fmt: str
) -> None:
    record = load_record(example_path)
    record = MicroCredential.model_validate(
        {**record.to_document(), "title": title, "description": {"summary": summary}}
    )
    assert _round_trip(record, fmt, tmp_path).to_document() == record.to_document()


@pytest.mark.parametrize("fmt", FORMATS)
def test_reimporting_an_export_adds_no_version(
    database: Database, example_path: Path, tmp_path: Path, fmt: str
) -> None:
    import_files(database, [example_path], actor="tester")
    with database.read() as session:
        stored = get_record(session, credential_id="rru-caf-foundations-climate-adaptation")
        (before,) = list_versions(session, credential_id=stored.record.id)
    exported = tmp_path / f"export{FORMATS[fmt]}"
    exported.write_text(dump_record(stored.record, fmt=fmt), encoding="utf-8")
    report = import_files(database, [exported], actor="tester")
    assert report.unchanged == [stored.record.id]
    with database.read() as session:
        (after,) = list_versions(session, credential_id=stored.record.id)
    assert after.content_hash == before.content_hash == content_hash(stored.record)


def test_stored_generated_records_come_back_unchanged(
    database: Database, store: Callable[..., None]
) -> None:
    records = [MicroCredential.model_validate(d) for d in generate_documents(20, seed=7)]
    store(*records)
    with database.read() as session:
        for record in records:
            stored = get_record(session, credential_id=record.id)
            assert stored.record == record
            assert list_versions(session, credential_id=record.id)[0].content_hash == (
                content_hash(record)
            )


def _documents(seed: int) -> list[dict[str, Any]]:
    return list(generate_documents(5, seed))


def test_generation_is_deterministic() -> None:
    assert _documents(11) == _documents(11)
    assert _documents(11) != _documents(12)


def test_title_with_a_next_line_character_round_trips_in_yaml(
    example_path: Path, tmp_path: Path
) -> None:
    record = load_record(example_path).model_copy(update={"title": "Part 1\x85Part 2"})
    assert _round_trip(record, "yaml", tmp_path).title == "Part 1\x85Part 2"
