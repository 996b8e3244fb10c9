"""PostgreSQL's posting lists: built from index text, ranked exactly as SQLite's FTS5."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from credstack.domain.credential import MicroCredential
from credstack.registry import postings
from credstack.registry.postings import Posting
from credstack.registry.service import save_many
from credstack.store.unit_of_work import Database

Fields = tuple[str, str, str]

_TERMS = ("climat", "adapt", "risk", "water", "safeti")
_field = st.lists(st.sampled_from(_TERMS), max_size=6).map(" ".join)
_document = st.tuples(_field, _field, _field)


def _fts5_scores(documents: list[Fields], query: list[str]) -> dict[int, float]:
    """What SQLite's FTS5 ranks: -bm25() with the search's column weights."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, provider)")
    connection.executemany(
        "INSERT INTO docs(rowid, title, body, provider) VALUES (?, ?, ?, ?)",
        [(doc_id, *fields) for doc_id, fields in enumerate(documents, start=1)],
    )
    match = " ".join(f'"{term}"' for term in query)
    rows = connection.execute(
        "SELECT rowid, -bm25(docs, 10.0, 1.0, 3.0) FROM docs WHERE docs MATCH ?", (match,)
    ).fetchall()
    connection.close()
    return {int(doc_id): float(score) for doc_id, score in rows}


def _our_scores(documents: list[Fields], query: list[str]) -> dict[int, float]:
    numbered = list(enumerate(documents, start=1))
    built = postings.build(numbered)
    if any(term not in built for term in query):
        return {}
    lengths = np.zeros(len(documents) + 1)
    for doc_id, fields in numbered:
        lengths[doc_id] = postings.index_length(fields)
    live = np.ones(len(documents) + 1, dtype=bool)
    live[0] = False
    docs, scores = postings.bm25([built[term] for term in query], lengths=lengths, live=live)
    return {int(doc_id): float(score) for doc_id, score in zip(docs, scores, strict=True)}


@settings(max_examples=150, deadline=None)
@given(
    documents=st.lists(_document, min_size=1, max_size=12),
    query=st.lists(st.sampled_from(_TERMS), min_size=1, max_size=3, unique=True),
)
def test_bm25_scores_equal_sqlite_fts5(documents: list[Fields], query: list[str]) -> None:
    ours = _our_scores(documents, query)
    theirs = _fts5_scores(documents, query)
    assert ours.keys() == theirs.keys()
    for doc_id, score in theirs.items():
        assert ours[doc_id] == pytest.approx(score, rel=1e-9, abs=1e-12)


def test_term_weights_count_title_ten_provider_three_body_one() -> None:
    weights = postings.term_weights(("risk water", "risk risk", "risk"))
    assert weights == {"risk": 10 + 2 + 3, "water": 10}


def test_index_length_counts_the_terms_of_every_field() -> None:
    assert postings.index_length(("climat adapt", "", "royal road univers")) == 5


def test_build_lists_documents_in_ascending_order() -> None:
    built = postings.build([(9, ("risk", "", "")), (2, ("", "risk", ""))])
    assert built["risk"].docs.tolist() == [2, 9]
    assert built["risk"].weights.tolist() == [1.0, 10.0]


def test_documents_that_are_gone_are_not_ranked() -> None:
    built = postings.build([(1, ("risk", "", "")), (2, ("risk", "", ""))])
    live = np.array([False, True, False])
    docs, _ = postings.bm25([built["risk"]], lengths=np.ones(3), live=live)
    assert docs.tolist() == [1]


def test_a_document_must_hold_every_term() -> None:
    built = postings.build([(1, ("risk water", "", "")), (2, ("risk", "", ""))])
    live = np.array([False, True, True])
    docs, _ = postings.bm25([built["risk"], built["water"]], lengths=np.ones(3), live=live)
    assert docs.tolist() == [1]


def test_no_postings_rank_nothing() -> None:
    docs, scores = postings.bm25([], lengths=np.ones(2), live=np.ones(2, dtype=bool))
    assert len(docs) == 0 and len(scores) == 0


def _write(database: Database, documents: list[tuple[int, Fields]]) -> None:
    with database.engine.begin() as connection:
        postings.write(connection, documents)


def _read(database: Database, term: str) -> Posting:
    with database.engine.connect() as connection:
        return postings.read(connection, [term])[term]


def _blocks(database: Database, term: str) -> int:
    with database.engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM credential_postings WHERE term = :term"),
                {"term": term},
            ).scalar_one()
        )


def test_blocks_written_apart_read_as_one_list(postgres_database: Database) -> None:
    _write(postgres_database, [(5, ("risk", "", ""))])
    _write(postgres_database, [(3, ("", "risk", "")), (8, ("", "", "risk"))])
    posting = _read(postgres_database, "risk")
    assert posting.docs.tolist() == [3, 5, 8]
    assert posting.weights.tolist() == [1.0, 10.0, 3.0]


def test_a_crowded_term_is_merged_when_written(postgres_database: Database) -> None:
    for doc_id in range(1, postings.MAX_BLOCKS + 2):
        _write(postgres_database, [(doc_id, ("risk", "", ""))])
    assert _blocks(postgres_database, "risk") == 1
    assert _read(postgres_database, "risk").docs.tolist() == list(range(1, postings.MAX_BLOCKS + 2))


def test_compact_merges_blocks_and_drops_replaced_documents(
    postgres_database: Database, make_record: Callable[..., MicroCredential]
) -> None:
    for title in ("Water risk", "Water risk, second version"):
        with postgres_database.unit_of_work() as session:
            save_many(session, records=[make_record("mc-a", title=title)], actor="tester")
    with postgres_database.engine.connect() as connection:
        current = connection.execute(text("SELECT doc_id FROM credential_search")).scalar_one()
    assert _blocks(postgres_database, "water") == 2
    postings.compact(postgres_database.engine)
    assert _blocks(postgres_database, "water") == 1
    assert _read(postgres_database, "water").docs.tolist() == [current]
