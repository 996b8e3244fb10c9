"""Keep the columnar copy of the search rows current: apply logged changes, or reload.

Loading the copy reads every search row and facet (seconds at a million records), so
after a write the copy catches up instead when it can: the generations it missed are
all in the change log, and each changed document is new (numbered above the copy's),
changed in place (a status), or gone (a replaced version). New documents get sort
positions between their neighbours' (found with an index lookup each), which keeps
every order exact without reading the rest.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, select, text

from credstack.registry import column_snapshot
from credstack.registry.search_columns import (
    KEPT_CHANGES,
    RELOAD,
    STATUS_CODES,
    Columns,
    FloatArray,
    current_generation,
    label_order,
    load,
)
from credstack.store.tables.registry import (
    CredentialFacetRow,
    CredentialSearchRow,
    RegistryChangeRow,
)

_ROW = (
    CredentialSearchRow.doc_id,
    CredentialSearchRow.credential_id,
    CredentialSearchRow.status,
    CredentialSearchRow.total_hours,
    CredentialSearchRow.price_amount,
    CredentialSearchRow.ects,
    CredentialSearchRow.index_length,
    CredentialSearchRow.sort_title,
    CredentialSearchRow.updated_at,
)


# A copy this many generations ahead of the stored snapshot stores a new one, so a new
# process finds one the change log (KEPT_CHANGES generations) still reaches.
SNAPSHOT_EVERY = KEPT_CHANGES // 4


class SearchColumns:
    """The columnar copy of one database, kept at its committed generation."""

    def __init__(self) -> None:
        self._columns: Columns | None = None
        self._lock = threading.Lock()
        # The newest stored snapshot from which a new process can catch up to this
        # copy's generation (-1: none known, as after a full load).
        self._stored = -1

    def columns(self, engine: Engine) -> Columns:
        """The copy for ``engine``'s current committed generation.

        Read on a connection of its own, so a transaction that is later rolled back
        can never leave uncommitted rows in the copy under a real generation number.
        """
        # One view of the data for the counter and every row read after it.
        isolation = "REPEATABLE READ" if engine.dialect.name == "postgresql" else "SERIALIZABLE"
        with engine.connect().execution_options(isolation_level=isolation) as connection:
            generation = current_generation(connection)
            cached = self._columns
            # A copy at least as new as this view serves it (never go back).
            if cached is not None and cached.generation >= generation:
                return cached
            with self._lock:
                cached = self._columns
                if cached is None or cached.generation < generation:
                    cached = self._refreshed(connection, cached, generation)
                    self._columns = cached
        if self._stored < 0 or cached.generation - self._stored >= SNAPSHOT_EVERY:
            with self._lock:
                self._store(engine, cached)
        return cached

    def _store(self, engine: Engine, columns: Columns) -> None:
        """Store ``columns`` as the snapshot, unless one stored since (by another
        process) is recent enough."""
        if self._stored >= 0:
            with engine.connect() as connection:
                newest = column_snapshot.newest_generation(connection)
            self._stored = max(self._stored, -1 if newest is None else newest)
            if columns.generation - self._stored < SNAPSHOT_EVERY:
                return
        if columns.generation > self._stored:
            column_snapshot.store(engine, columns)
            self._stored = columns.generation

    def _refreshed(
        self, connection: Connection, cached: Columns | None, generation: int
    ) -> Columns:
        """The copy at ``generation``: caught up from ``cached``, else from the newest
        stored snapshot, else loaded in full."""
        if cached is not None:
            found = caught_up(connection, cached, generation)
            if found is not None:
                return found
        after = -1 if cached is None else cached.generation
        stored = column_snapshot.read(connection, after=after, upto=generation)
        if stored is not None:
            self._stored = max(self._stored, stored.generation)
            found = caught_up(connection, stored, generation)
            if found is not None:
                return found
        self._stored = -1
        return load(connection, generation)


def caught_up(connection: Connection, columns: Columns, generation: int) -> Columns | None:
    """``columns`` with the logged changes up to ``generation`` applied, or None when
    they cannot be (a generation whose log is gone, or a change the log does not say)."""
    if columns.generation == generation:
        return columns
    logged = connection.execute(
        select(RegistryChangeRow.generation, RegistryChangeRow.doc_id).where(
            RegistryChangeRow.generation > columns.generation,
            RegistryChangeRow.generation <= generation,
        )
    ).all()
    if {row[0] for row in logged} != set(range(columns.generation + 1, generation + 1)):
        return None
    changed = sorted({row[1] for row in logged})
    if RELOAD in changed:
        return None
    rows = connection.execute(
        select(*_ROW)
        .where(CredentialSearchRow.doc_id.in_(changed))
        .order_by(CredentialSearchRow.updated_at, CredentialSearchRow.credential_id.desc())
    ).all()
    size = len(columns.live)
    added = sorted(row[0] for row in rows if row[0] >= size or not columns.live[row[0]])
    if any(doc_id < size for doc_id in added):
        return None  # committed after a later-numbered document was loaded: reload
    grown = _Grown(columns, max([size - 1, *added]) + 1)
    present = {row[0] for row in rows}
    for doc_id in changed:
        if doc_id not in present and doc_id < size:
            grown.live[doc_id] = False
            grown.status[doc_id] = -1
    for row in rows:
        grown.set_row(row)
    # Every row read was stamped by its change: those are now the newest, latest first.
    first = float(np.min(columns.newest_rank[columns.live], initial=0.0))
    for offset, row in enumerate(rows, start=1):
        grown.newest_rank[row[0]] = first - offset
    new = set(added)
    new_rows = [row for row in rows if row[0] in new]
    placed = _place(connection, columns, new_rows)
    if placed is None:
        return None
    for doc_id, (id_rank, title_rank) in placed.items():
        grown.id_rank[doc_id] = id_rank
        grown.title_rank[doc_id] = title_rank
    return grown.finished(connection, generation, new_rows)


# Each per-document column, and what a document it does not have holds.
_PER_DOCUMENT = {
    "live": False,
    "status": -1,
    "hours": np.nan,
    "price": np.nan,
    "ects": np.nan,
    "lengths": np.nan,
    "id_rank": np.inf,
    "title_rank": np.inf,
    "newest_rank": np.inf,
}


class _Grown:
    """Copies of the per-document columns, extended to ``size`` documents."""

    def __init__(self, columns: Columns, size: int) -> None:
        self.columns = columns
        self.size = size
        self.arrays: dict[str, Any] = {}
        for name, fill in _PER_DOCUMENT.items():
            values = getattr(columns, name)
            self.arrays[name] = np.full(size, fill, dtype=values.dtype)
            self.arrays[name][: len(values)] = values
        self.live = self.arrays["live"]
        self.status = self.arrays["status"]
        self.newest_rank = self.arrays["newest_rank"]
        self.id_rank = self.arrays["id_rank"]
        self.title_rank = self.arrays["title_rank"]

    def set_row(self, row: Any) -> None:
        doc_id = row[0]
        self.live[doc_id] = True
        self.status[doc_id] = STATUS_CODES.get(row[2], -1)
        for name, value in zip(("hours", "price", "ects", "lengths"), row[3:7], strict=True):
            self.arrays[name][doc_id] = np.nan if value is None else value

    def finished(self, connection: Connection, generation: int, new_rows: Sequence[Any]) -> Columns:
        """The caught-up copy, with the new documents' facet values added."""
        columns = self.columns
        by_credential = {row[1]: row[0] for row in new_rows}
        facets = connection.execute(
            select(
                CredentialFacetRow.credential_id, CredentialFacetRow.facet, CredentialFacetRow.value
            ).where(CredentialFacetRow.credential_id.in_(list(by_credential)))
        ).all()
        labels = list(columns.labels)
        code_of = dict(columns.code_of)
        per_doc: dict[int, list[int]] = {}
        added_docs = {code: list(docs) for code, docs in columns.added_docs.items()}
        for credential_id, facet, value in facets:
            code = code_of.setdefault((facet, value), len(labels))
            if code == len(labels):
                labels.append((facet, value))
            doc_id = by_credential[credential_id]
            per_doc.setdefault(doc_id, []).append(code)
            added_docs.setdefault(code, []).append(doc_id)
        old_size = len(columns.offsets) - 1
        counts = [len(per_doc.get(doc_id, ())) for doc_id in range(old_size, self.size)]
        offsets = np.concatenate(
            [columns.offsets, columns.offsets[-1] + np.cumsum(counts, dtype=np.int64)]
        )
        codes = np.concatenate(
            [
                columns.codes,
                np.array(
                    [
                        code
                        for doc_id in range(old_size, self.size)
                        for code in per_doc.get(doc_id, [])
                    ],
                    dtype=np.int64,
                ),
            ]
        )
        codes_by_facet, value_rank = (
            (columns.codes_by_facet, columns.value_rank)
            if len(labels) == len(columns.labels)
            else label_order(labels)
        )
        return replace(
            columns,
            generation=generation,
            **self.arrays,
            offsets=offsets,
            codes=codes,
            labels=labels,
            code_of=code_of,
            codes_by_facet=codes_by_facet,
            value_rank=value_rank,
            added_docs={code: np.array(docs, dtype=np.int64) for code, docs in added_docs.items()},
        )


def _place(
    connection: Connection, columns: Columns, new_rows: Sequence[Any]
) -> dict[int, tuple[float, float]] | None:
    """Sort positions (credential id order, title order) for new documents, or None when
    two positions are too close to fit another between them (then reload)."""
    placed: dict[int, tuple[float, float]] = {}
    by_id = _between(
        connection,
        columns.id_rank,
        len(columns.live),
        [(row[0], (row[1],)) for row in new_rows],
        ("credential_id",),
    )
    by_title = _between(
        connection,
        columns.title_rank,
        len(columns.live),
        [(row[0], (row[7], row[1])) for row in new_rows],
        ("sort_title", "credential_id"),
    )
    if by_id is None or by_title is None:
        return None
    for doc_id, rank in by_id.items():
        placed[doc_id] = (rank, by_title[doc_id])
    return placed


def _between(
    connection: Connection,
    ranks: FloatArray,
    size: int,
    keys: list[tuple[int, tuple[Any, ...]]],
    columns: tuple[str, ...],
) -> dict[int, float] | None:
    """Positions strictly between each new document's nearest loaded neighbours in the
    order of ``columns``; new documents sharing neighbours are spread evenly."""
    known = ranks[np.isfinite(ranks)]
    low_end = float(known.min(initial=0.0)) - 1.0
    high_end = float(known.max(initial=0.0)) + 1.0
    row = "(" + ", ".join(columns) + ")"
    params = "(" + ", ".join(f":k{index}" for index in range(len(columns))) + ")"
    descending = ", ".join(f"{column} DESC" for column in columns)
    ascending = ", ".join(columns)
    gaps: dict[tuple[float, float], list[tuple[tuple[Any, ...], int]]] = {}
    for doc_id, key in keys:
        bound = {f"k{index}": value for index, value in enumerate(key)} | {"size": size}
        # Only documents the copy already has (numbered below its size) are neighbours.
        before = connection.execute(
            text(
                f"SELECT doc_id FROM credential_search WHERE {row} < {params} "
                f"AND doc_id < :size ORDER BY {descending} LIMIT 1"
            ),
            bound,
        ).scalar()
        after = connection.execute(
            text(
                f"SELECT doc_id FROM credential_search WHERE {row} > {params} "
                f"AND doc_id < :size ORDER BY {ascending} LIMIT 1"
            ),
            bound,
        ).scalar()
        low = low_end if before is None else float(ranks[before])
        high = high_end if after is None else float(ranks[after])
        gaps.setdefault((low, high), []).append((key, doc_id))
    result: dict[int, float] = {}
    for (low, high), members in gaps.items():
        members.sort()
        steps = np.linspace(low, high, len(members) + 2)[1:-1]
        if len(set(steps.tolist()) | {low, high}) != len(members) + 2:
            return None
        for (_, doc_id), rank in zip(members, steps, strict=True):
            result[doc_id] = float(rank)
    return result
