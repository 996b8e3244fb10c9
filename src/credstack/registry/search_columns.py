"""An in-memory columnar copy of what search filters, sorts and counts on.

Filtering, ordering and counting facets over tens of thousands of hits in SQL costs
hundreds of milliseconds at a million records; over numpy arrays indexed by document
number it costs a few. Each change to searchable content moves the registry's
generation counter and logs the documents it touched; ``column_cache`` keeps a copy
exact for the committed data by applying those changes, or by loading anew.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.orm import Session

from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry.facets import FACETS
from credstack.store.tables.registry import RegistryChangeRow, RegistryStateRow

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

STATUSES = tuple(status.value for status in LifecycleStatus)
STATUS_CODES = {status: code for code, status in enumerate(STATUSES)}
# A logged change that a cached copy cannot apply in place: reload.
RELOAD = -1
# Generations whose changes stay logged; a copy further behind reloads.
KEPT_CHANGES = 1000
# More documents changed at once than this (a bulk load): copies reload.
MAX_LOGGED = 1000


def current_generation(connection: Connection) -> int:
    """The registry's generation counter, as committed."""
    return int(
        connection.scalar(select(RegistryStateRow.generation).where(RegistryStateRow.id == 1)) or 0
    )


def bump_generation(session: Session, *, documents: Sequence[int] = ()) -> None:
    """Mark searchable content as changed, in the caller's transaction.

    ``documents``: the document numbers whose search rows were added, changed or
    removed, which a cached copy can apply in place (``column_cache``); none given, or
    more than a copy would apply, makes copies reload.
    """
    # The counter row is locked until commit, so generations commit in order.
    generation = session.execute(
        update(RegistryStateRow)
        .where(RegistryStateRow.id == 1)
        .values(generation=RegistryStateRow.generation + 1)
        .returning(RegistryStateRow.generation)
    ).scalar_one()
    changed = sorted(set(documents))
    if not changed or len(changed) > MAX_LOGGED:
        changed = [RELOAD]
    session.execute(
        insert(RegistryChangeRow), [{"generation": generation, "doc_id": d} for d in changed]
    )
    session.execute(
        delete(RegistryChangeRow).where(RegistryChangeRow.generation <= generation - KEPT_CHANGES)
    )


@dataclass(frozen=True)
class Columns:
    """Per document number: whether it exists, its status, ranges, lengths, sort ranks;
    and its facet values both ways (document -> codes, code -> documents)."""

    generation: int
    live: BoolArray
    status: npt.NDArray[np.int8]  # STATUS_CODES; -1 where no document
    hours: FloatArray  # NaN where unknown, as SQL's NULL: no range admits it
    price: FloatArray
    ects: FloatArray
    lengths: FloatArray  # index terms, for BM25
    # Sort keys: positions in each order (fractional between two positions for records
    # added since the load, see ``column_cache``).
    id_rank: FloatArray  # credential id order
    title_rank: FloatArray  # (sort title, credential id) order
    newest_rank: FloatArray  # (updated desc, credential id) order
    offsets: IntArray  # document d's codes are codes[offsets[d]:offsets[d + 1]]
    codes: IntArray
    labels: list[tuple[str, str]]  # code -> (facet, value)
    code_of: dict[tuple[str, str], int]
    codes_by_facet: dict[str, IntArray]
    value_rank: IntArray  # code -> position of its value in sorted order
    doc_offsets: IntArray  # code c's documents are docs[doc_offsets[c]:doc_offsets[c + 1]]
    docs: IntArray
    added_docs: dict[int, IntArray] = field(default_factory=dict)  # code -> documents since

    def having(self, facet: str, values: tuple[str, ...]) -> BoolArray:
        """Per document number: whether it has any of ``values`` for ``facet``."""
        member = np.zeros(len(self.live), dtype=bool)
        for value in values:
            code = self.code_of.get((facet, value))
            if code is None:
                continue
            if code + 1 < len(self.doc_offsets):
                member[self.docs[self.doc_offsets[code] : self.doc_offsets[code + 1]]] = True
            member[self.added_docs.get(code, np.empty(0, dtype=np.int64))] = True
        return member


def _fetch_all(connection: Connection, statement: str) -> list[Any]:
    """Every row of ``statement`` as the driver's plain tuples (no per-row wrapping)."""
    result = connection.exec_driver_sql(statement)
    try:
        return [] if result.cursor is None else list(result.cursor.fetchall())
    finally:
        result.close()


def _ranks(connection: Connection, order_by: str, size: int) -> FloatArray:
    rows = _fetch_all(connection, f"SELECT doc_id FROM credential_search ORDER BY {order_by}")
    ordered = np.array([row[0] for row in rows], dtype=np.int64)
    ordered = ordered[ordered < size]  # written after the first read: the next load has it
    rank = np.full(size, np.inf)
    rank[ordered] = np.arange(len(ordered), dtype=np.float64)
    return rank


def _csr(keys: IntArray, values: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """``values`` grouped by ``keys`` (0..size-1): offsets and the grouped values."""
    order = np.argsort(keys, kind="stable")
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=size), out=offsets[1:])
    return offsets, values[order]


def load(connection: Connection, generation: int) -> Columns:
    """Read the columnar copy from the database."""
    rows = _fetch_all(
        connection,
        "SELECT doc_id, status, total_hours, price_amount, ects, index_length "
        "FROM credential_search",
    )
    # Turned into columns at once (None becomes NaN).
    values = list(zip(*rows, strict=True)) or [()] * 6
    del rows
    doc_ids = np.array(values[0], dtype=np.int64)
    size = int(doc_ids.max(initial=0)) + 1
    live = np.zeros(size, dtype=bool)
    live[doc_ids] = True
    status = np.full(size, -1, dtype=np.int8)
    status[doc_ids] = np.array([STATUS_CODES.get(name, -1) for name in values[1]], dtype=np.int8)

    def column(index: int) -> FloatArray:
        found = np.full(size, np.nan)
        found[doc_ids] = np.array(values[index], dtype=np.float64)
        return found

    hours, price, ects, lengths = column(2), column(3), column(4), column(5)
    facet_docs, facet_codes, labels = _facet_pairs(connection)
    written_before = facet_docs < size  # later documents wait for the next load
    facet_docs, facet_codes = facet_docs[written_before], facet_codes[written_before]
    code_of = {label: code for code, label in enumerate(labels)}
    offsets, codes = _csr(facet_docs, facet_codes, size)
    doc_offsets, docs = _csr(facet_codes, facet_docs, len(labels))
    codes_by_facet, value_rank = label_order(labels)
    return Columns(
        generation=generation,
        live=live,
        status=status,
        hours=hours,
        price=price,
        ects=ects,
        lengths=lengths,
        id_rank=_ranks(connection, "credential_id", size),
        title_rank=_ranks(connection, "sort_title, credential_id", size),
        newest_rank=_ranks(connection, "updated_at DESC, credential_id", size),
        offsets=offsets,
        codes=codes,
        labels=labels,
        code_of=code_of,
        codes_by_facet=codes_by_facet,
        value_rank=value_rank,
        doc_offsets=doc_offsets,
        docs=docs,
    )


def label_order(labels: list[tuple[str, str]]) -> tuple[dict[str, IntArray], IntArray]:
    """Each facet's codes, and each code's position in value order (for ties in counts)."""
    by_facet: dict[str, list[int]] = {facet: [] for facet in FACETS}
    for code, (facet, _) in enumerate(labels):
        by_facet.setdefault(facet, []).append(code)
    value_rank = np.empty(len(labels), dtype=np.int64)
    value_rank[sorted(range(len(labels)), key=lambda code: labels[code][1])] = np.arange(
        len(labels)
    )
    return {facet: np.array(codes, dtype=np.int64) for facet, codes in by_facet.items()}, value_rank


def _facet_pairs(connection: Connection) -> tuple[IntArray, IntArray, list[tuple[str, str]]]:
    """Every (document, facet value code) pair, and the (facet, value) of each code.

    The database groups the documents of each value into one string, so a million
    records' facets cross the driver as some thousands of rows, not millions.
    """
    joined = (
        "string_agg(s.doc_id::text, ' ')"
        if connection.dialect.name == "postgresql"
        else "group_concat(s.doc_id, ' ')"
    )
    rows = connection.exec_driver_sql(
        f"SELECT f.facet, f.value, {joined} FROM credential_facets f "
        "JOIN credential_search s ON s.credential_id = f.credential_id "
        "GROUP BY f.facet, f.value ORDER BY f.facet, f.value"
    ).all()
    labels = [(row[0], row[1]) for row in rows]
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), labels
    # One parse of every number at once: far faster than splitting into strings.
    docs = np.fromstring(" ".join(row[2] for row in rows), dtype=np.int64, sep=" ")
    sizes = [row[2].count(" ") + 1 for row in rows]
    codes = np.repeat(np.arange(len(rows), dtype=np.int64), sizes)
    return docs, codes, labels


def facet_counts(columns: Columns, hits: IntArray, *, top: int) -> dict[str, dict[str, int]]:
    """The ``top`` values of each facet over the documents ``hits``, with their counts.

    Values come by falling count, then by value; every facet is present.
    """
    # Gather only the hits' codes: the cost follows the hits, not the registry's size.
    starts = columns.offsets[hits]
    lengths = columns.offsets[hits + 1] - starts
    total = int(lengths.sum())
    shift = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    selected = columns.codes[shift + np.arange(total)]
    tally = np.bincount(selected, minlength=len(columns.labels))
    result: dict[str, dict[str, int]] = {}
    for facet, codes in columns.codes_by_facet.items():
        counted = codes[tally[codes] > 0]
        # Highest counts first; ties by value.
        best = counted[np.lexsort((columns.value_rank[counted], -tally[counted]))][:top]
        result[facet] = {columns.labels[int(code)][1]: int(tally[code]) for code in best}
    return result
