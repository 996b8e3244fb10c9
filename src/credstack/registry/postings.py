"""PostgreSQL's full-text index: posting lists of index terms, ranked by BM25.

A GIN index finds the matching rows quickly, but returning tens of thousands of hits
then reads one heap page per hit (and ranking reads every hit's whole tsvector): at a
million records that costs hundreds of milliseconds. Here each index term has posting
lists instead, stored as packed arrays (document numbers and field-weighted term
frequencies): a query reads one row per term and block, intersects and ranks in numpy.

Ranking is the BM25 of SQLite's FTS5 ``bm25()`` with the same column weights, so both
engines order results alike. Writes append one block per term; a term with many blocks
is merged in the writing transaction, and ``compact`` rewrites every term (dropping
documents that no longer exist) after bulk loads.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Engine

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Title, body, provider: the weights SQLite's search passes to bm25().
FIELD_WEIGHTS = (10.0, 1.0, 3.0)
# FTS5's BM25 constants.
K1 = 1.2
B = 0.75
# A term's blocks are merged once it has more than this many.
MAX_BLOCKS = 32

_DOCS = np.dtype("<i4")
_WEIGHTS = np.dtype("<f4")


@dataclass(frozen=True)
class Posting:
    """The documents holding one term, ascending, with their weighted term frequency."""

    docs: IntArray
    weights: FloatArray


def index_length(text: tuple[str, str, str]) -> int:
    """The number of index terms in a document's fields (BM25's document length)."""
    return sum(len(field.split()) for field in text)


def term_weights(text: tuple[str, str, str]) -> dict[str, float]:
    """Each term of a document's (title, body, provider) and its weighted frequency."""
    weights: dict[str, float] = defaultdict(float)
    for field, weight in zip(text, FIELD_WEIGHTS, strict=True):
        for term, count in Counter(field.split()).items():
            weights[term] += weight * count
    return weights


def build(documents: Iterable[tuple[int, tuple[str, str, str]]]) -> dict[str, Posting]:
    """Posting lists for ``documents`` given as (document number, text fields)."""
    docs: dict[str, list[int]] = defaultdict(list)
    weights: dict[str, list[float]] = defaultdict(list)
    for doc_id, text in sorted(documents):
        for term, weight in term_weights(text).items():
            docs[term].append(doc_id)
            weights[term].append(weight)
    return {
        term: Posting(np.array(docs[term], dtype=np.int64), np.array(weights[term]))
        for term in docs
    }


def bm25(
    postings: Sequence[Posting], *, lengths: FloatArray, live: npt.NDArray[np.bool_]
) -> tuple[IntArray, FloatArray]:
    """Documents holding every term, and their BM25 score (higher is better).

    ``lengths`` and ``live`` are indexed by document number; documents that are not
    live (deleted or replaced since the postings were written) count for nothing.
    Same formula as FTS5's ``bm25()``: idf = ln((N - n + 0.5) / (n + 0.5)), at least
    1e-6, and f(k1 + 1) / (f + k1(1 - b + b·D/avgdl)) per term.
    """
    rows = int(live.sum())
    if not postings or rows == 0:
        return np.empty(0, dtype=np.int64), np.empty(0)
    average = float(lengths[live].sum()) / rows
    current = [_live_only(posting, live) for posting in postings]
    # Intersect from the rarest term: each step is then as small as it can be.
    current.sort(key=lambda posting: len(posting.docs))
    docs = current[0].docs
    scores = np.zeros(len(docs))
    positions: list[tuple[Posting, IntArray]] = []
    for posting in current:
        _, kept, found = np.intersect1d(docs, posting.docs, assume_unique=True, return_indices=True)
        docs, scores = docs[kept], scores[kept]
        positions = [(earlier, at[kept]) for earlier, at in positions]
        positions.append((posting, found))
    norm = K1 * (1 - B + B * lengths[docs] / average)
    for posting, at in positions:
        hits = len(posting.docs)
        idf = max(np.log((rows - hits + 0.5) / (hits + 0.5)), 1e-6)
        frequency = posting.weights[at]
        scores += idf * frequency * (K1 + 1) / (frequency + norm)
    return docs, scores


def live_mask(docs: IntArray, live: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Which of ``docs`` are live; numbers beyond ``live`` (written since) are not."""
    keep = docs < len(live)
    keep[keep] = live[docs[keep]]
    return keep


def _live_only(posting: Posting, live: npt.NDArray[np.bool_]) -> Posting:
    keep = live_mask(posting.docs, live)
    return Posting(posting.docs[keep], posting.weights[keep])


def _merge(blocks: Sequence[Posting]) -> Posting:
    if len(blocks) == 1:
        return blocks[0]
    docs = np.concatenate([block.docs for block in blocks])
    weights = np.concatenate([block.weights for block in blocks])
    if len(docs) > 1 and not bool(np.all(docs[1:] > docs[:-1])):
        # Concurrent writers can interleave document numbers across blocks.
        order = np.argsort(docs, kind="stable")
        docs, weights = docs[order], weights[order]
    return Posting(docs, weights)


def _decode(docs: bytes, weights: bytes) -> Posting:
    return Posting(
        np.frombuffer(docs, dtype=_DOCS).astype(np.int64),
        np.frombuffer(weights, dtype=_WEIGHTS).astype(np.float64),
    )


def _encode(posting: Posting) -> tuple[bytes, bytes]:
    return posting.docs.astype(_DOCS).tobytes(), posting.weights.astype(_WEIGHTS).tobytes()


def _blocks(connection: Connection, terms: Sequence[str]) -> dict[str, list[tuple[int, Posting]]]:
    rows = connection.exec_driver_sql(
        "SELECT term, block, docs, weights FROM credential_postings "
        "WHERE term = ANY(%s) ORDER BY term, block",
        (list(terms),),
    ).all()
    blocks: dict[str, list[tuple[int, Posting]]] = defaultdict(list)
    for term, block, docs, weights in rows:
        blocks[term].append((block, _decode(bytes(docs), bytes(weights))))
    return blocks


def read(connection: Connection, terms: Sequence[str]) -> dict[str, Posting]:
    """The posting list of each of ``terms`` that occurs anywhere."""
    return {
        term: _merge([posting for _, posting in found])
        for term, found in _blocks(connection, terms).items()
    }


def write(connection: Connection, documents: Sequence[tuple[int, tuple[str, str, str]]]) -> None:
    """Add ``documents`` (document number, text fields) to the index, one block per term."""
    if not documents:
        return
    block = min(doc_id for doc_id, _ in documents)
    rows = [(term, block, *_encode(posting)) for term, posting in build(documents).items()]
    connection.exec_driver_sql(
        "INSERT INTO credential_postings (term, block, docs, weights) VALUES (%s, %s, %s, %s)",
        rows,
    )
    crowded = connection.exec_driver_sql(
        "SELECT term FROM credential_postings WHERE term = ANY(%s) "
        "GROUP BY term HAVING count(*) > %s",
        ([row[0] for row in rows], MAX_BLOCKS),
    ).all()
    for (term,) in crowded:
        _rewrite(connection, term, live=None)


def _rewrite(connection: Connection, term: str, *, live: npt.NDArray[np.bool_] | None) -> None:
    """Merge the term's blocks into one (keeping only ``live`` documents if given)."""
    # One merge per term at a time; a block written meanwhile by another transaction
    # is not among those read, so it is neither deleted nor lost.
    connection.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext(%s))", (term,))
    found = _blocks(connection, [term]).get(term, [])
    if len(found) < 2 and live is None:
        return
    posting = _merge([block for _, block in found])
    if live is not None:
        posting = _live_only(posting, live)
    numbers = [number for number, _ in found]
    connection.exec_driver_sql(
        "DELETE FROM credential_postings WHERE term = %s AND block = ANY(%s)", (term, numbers)
    )
    if len(posting.docs):
        connection.exec_driver_sql(
            "INSERT INTO credential_postings (term, block, docs, weights) VALUES (%s, %s, %s, %s)",
            (term, min(numbers), *_encode(posting)),
        )


def compact(engine: Engine) -> None:
    """Merge each term's blocks into one, dropping documents that no longer exist.

    One snapshot for the whole pass (repeatable read): a document counts as gone only
    if its search row is missing from the same snapshot its postings were read in.
    """
    snapshot = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with snapshot as connection, connection.begin():
        doc_ids = connection.exec_driver_sql("SELECT doc_id FROM credential_search")
        known = np.fromiter((row[0] for row in doc_ids), dtype=np.int64)
        live = np.zeros(int(known.max(initial=0)) + 1, dtype=bool)
        live[known] = True
        terms = connection.exec_driver_sql(
            "SELECT term FROM credential_postings GROUP BY term HAVING count(*) > 1"
        ).all()
        for (term,) in terms:
            _rewrite(connection, term, live=live)
