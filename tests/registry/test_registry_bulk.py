"""Bulk loading: the same rows whether batches are prepared here or in another process."""

from __future__ import annotations

import pytest

from credstack.errors import InvalidInput
from credstack.registry.bulk import load_documents
from credstack.registry.generate import generate_documents
from credstack.registry.service import count_records, get_record, list_versions
from credstack.store.unit_of_work import Database


@pytest.mark.parametrize("workers", [0, 1])
def test_bulk_load_stores_every_document_once(database: Database, workers: int) -> None:
    documents = list(generate_documents(30, seed=5))
    stored = load_documents(database, documents, actor="bulk", batch=7, workers=workers)
    assert stored == 30
    with database.read() as session:
        assert count_records(session) == 30
        record = get_record(session, credential_id=documents[12]["id"]).record
        assert record.title == documents[12]["title"]
        assert [v.version for v in list_versions(session, credential_id=record.id)] == [1]


def test_bulk_load_again_adds_no_versions(database: Database) -> None:
    documents = list(generate_documents(10, seed=6))
    load_documents(database, documents, actor="bulk", batch=4, workers=0)
    load_documents(database, documents, actor="bulk", batch=4, workers=1)
    with database.read() as session:
        assert [v.version for v in list_versions(session, credential_id="gen-0000003")] == [1]


def test_bulk_load_rejects_a_bad_document_and_keeps_earlier_batches(database: Database) -> None:
    documents = list(generate_documents(6, seed=7))
    documents[4]["learner_effort"]["total_hours"] = 1  # no longer the sum of its parts
    with pytest.raises(InvalidInput) as raised:
        load_documents(database, documents, actor="bulk", batch=3, workers=1)
    assert "learner_effort.total_hours" in str(raised.value)
    with database.read() as session:
        assert count_records(session) == 3
