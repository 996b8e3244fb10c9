"""A stored copy of the search columns, so a new process need not read every row.

Loading the columns reads every search row and facet (13–17 s at a million records on
PostgreSQL). A snapshot is those columns at one generation, written to the database
as numpy arrays (``.npz``, no pickles) in parts; a new process reads the newest
snapshot not newer than the committed generation and catches up from the change log
(``column_cache``), as a running one does. Every host of the database shares it.

A snapshot is only ever a starting point: one that is corrupt (a member's CRC fails,
an array has the wrong shape), of another format, or newer than the committed data is
ignored, and the caller loads the columns in full and stores a new one.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from credstack.registry.search_columns import Columns, label_order
from credstack.store.tables.registry import ColumnSnapshotRow

# Raised when the layout of ``Columns`` or of the stored arrays changes: older
# snapshots are then ignored, never misread.
FORMAT = 1
# Parts of at most 16 MiB: far from PostgreSQL's 1 GiB limit on one value, and no
# part needs a buffer the size of the whole snapshot on the server.
PART_SIZE = 16 * 1024 * 1024

_ARRAYS = (
    "live",
    "status",
    "hours",
    "price",
    "ects",
    "lengths",
    "id_rank",
    "title_rank",
    "newest_rank",
    "offsets",
    "codes",
    "doc_offsets",
    "docs",
)
_PER_DOCUMENT = _ARRAYS[:9]
# Facet codes and document numbers, the bulk of a snapshot, fit 32 bits: stored so,
# they halve what a new process reads (widened back when read).
_NARROW = ("codes", "docs", "added_docs")
# What each stored array holds (a snapshot whose arrays differ is not used).
_DTYPES = {
    "live": np.dtype(np.bool_),
    "status": np.dtype(np.int8),
    **{name: np.dtype(np.float64) for name in _PER_DOCUMENT[2:]},
    "offsets": np.dtype(np.int64),
    "doc_offsets": np.dtype(np.int64),
    "added_codes": np.dtype(np.int64),
    "added_offsets": np.dtype(np.int64),
    **{name: np.dtype(np.int32) for name in _NARROW},
}

log = logging.getLogger(__name__)


class SnapshotError(ValueError):
    """A stored snapshot that cannot be used (corrupt, another format, inconsistent)."""


def encode(columns: Columns) -> bytes:
    """``columns`` as one ``.npz`` archive (each member CRC-checked when read)."""
    added = sorted(columns.added_docs)
    added_sizes = [len(columns.added_docs[code]) for code in added]
    arrays: dict[str, Any] = {name: getattr(columns, name) for name in _ARRAYS}
    header = {"format": FORMAT, "generation": columns.generation, "labels": columns.labels}
    arrays["header"] = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
    arrays["added_codes"] = np.array(added, dtype=np.int64)
    arrays["added_offsets"] = np.concatenate([[0], np.cumsum(added_sizes, dtype=np.int64)])
    arrays["added_docs"] = np.concatenate(
        [np.empty(0, dtype=np.int64), *(columns.added_docs[code] for code in added)]
    )
    for name in _NARROW:
        arrays[name] = _narrow(arrays[name])
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()


def _narrow(values: Any) -> Any:
    if len(values) and int(values.max()) >= 2**31:
        raise ValueError("document numbers or facet codes beyond 32 bits")
    return values.astype(np.int32)


def decode(data: bytes) -> Columns:
    """The columns ``encode`` wrote; SnapshotError when ``data`` is not such a snapshot."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        header = json.loads(arrays.pop("header").tobytes().decode("utf-8"))
        if header["format"] != FORMAT:
            raise SnapshotError(f"snapshot format {header['format']!r}, expected {FORMAT}")
        for name, dtype in _DTYPES.items():
            if arrays[name].dtype != dtype or arrays[name].ndim != 1:
                raise SnapshotError(f"snapshot {name}: {arrays[name].dtype}, expected {dtype}")
        for name in _NARROW:
            arrays[name] = arrays[name].astype(np.int64)
        columns = _columns(header, arrays)
    except SnapshotError:
        raise
    except Exception as error:
        # Damaged bytes make zipfile and numpy raise almost anything (BadZipFile, a
        # "compression method" or "encrypted" error, ValueError, KeyError ...): a
        # snapshot that cannot be read is only ever ignored.
        raise SnapshotError(f"unreadable snapshot: {error!r}") from error
    _check(columns)
    return columns


def _columns(header: dict[str, Any], arrays: dict[str, Any]) -> Columns:
    labels = [(str(facet), str(value)) for facet, value in header["labels"]]
    added_offsets = arrays["added_offsets"]
    added_docs = {
        int(code): arrays["added_docs"][added_offsets[index] : added_offsets[index + 1]]
        for index, code in enumerate(arrays["added_codes"])
    }
    codes_by_facet, value_rank = label_order(labels)
    return Columns(
        generation=int(header["generation"]),
        **{name: arrays[name] for name in _ARRAYS},
        labels=labels,
        code_of={label: code for code, label in enumerate(labels)},
        codes_by_facet=codes_by_facet,
        value_rank=value_rank,
        added_docs=added_docs,
    )


def _check(columns: Columns) -> None:
    """Every array has the shape and the index ranges ``Columns`` promises."""
    size = len(columns.live)
    shapes = [len(getattr(columns, name)) for name in _PER_DOCUMENT]
    consistent = (
        shapes == [size] * len(shapes)
        and len(columns.offsets) == size + 1
        # Values first seen since the load have their documents in ``added_docs``.
        and 1 <= len(columns.doc_offsets) <= len(columns.labels) + 1
        and int(columns.offsets[-1]) == len(columns.codes)
        and int(columns.doc_offsets[-1]) == len(columns.docs)
        and bool(np.all(np.diff(columns.offsets) >= 0))
        and bool(np.all(np.diff(columns.doc_offsets) >= 0))
        and int(columns.codes.max(initial=0)) < max(len(columns.labels), 1)
        and int(columns.docs.max(initial=0)) < max(size, 1)
        and all(code < len(columns.labels) for code in columns.added_docs)
        and all(int(docs.max(initial=0)) < size for docs in columns.added_docs.values())
    )
    if not consistent:
        raise SnapshotError("snapshot arrays do not fit together")


def newest_generation(connection: Connection) -> int | None:
    """The generation of the newest stored snapshot, if any."""
    found = connection.scalar(select(func.max(ColumnSnapshotRow.generation)))
    return None if found is None else int(found)


def read(connection: Connection, *, after: int, upto: int) -> Columns | None:
    """The newest stored snapshot of a generation in (``after``, ``upto``], or None when
    there is none or it cannot be used (then it is left for the next store to replace)."""
    generation = connection.scalar(
        select(func.max(ColumnSnapshotRow.generation)).where(
            ColumnSnapshotRow.generation > after, ColumnSnapshotRow.generation <= upto
        )
    )
    if generation is None:
        return None
    parts = _parts(connection, generation)
    try:
        columns = decode(b"".join(parts))
    except SnapshotError as error:
        log.warning("ignoring the stored search columns of generation %s: %s", generation, error)
        return None
    if columns.generation != generation:
        log.warning("ignoring stored search columns filed under another generation")
        return None
    return columns


def _parts(connection: Connection, generation: int) -> list[bytes]:
    """The stored parts of one snapshot, in order, in this connection's transaction."""
    if connection.dialect.name != "postgresql":
        return list(
            connection.scalars(
                select(ColumnSnapshotRow.data)
                .where(ColumnSnapshotRow.generation == generation)
                .order_by(ColumnSnapshotRow.part)
            )
        )
    # psycopg's binary format carries bytea as it is: four times faster than hex text.
    cursor = connection.connection.driver_connection.cursor(binary=True)  # type: ignore[union-attr]
    try:
        cursor.execute(
            "SELECT data FROM registry_column_snapshots WHERE generation = %s ORDER BY part",
            (generation,),
        )
        return [bytes(row[0]) for row in cursor.fetchall()]
    finally:
        cursor.close()


# How long storing a snapshot waits for SQLite's write lock. The snapshot is a cache:
# a search whose own request holds the lock (a bearer token's last-use write) must not
# wait the engine's whole busy timeout for it.
SNAPSHOT_WAIT_MS = 200


@contextmanager
def _brief_wait(connection: Connection) -> Iterator[None]:
    if connection.dialect.name != "sqlite":
        yield
        return
    usual = connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {SNAPSHOT_WAIT_MS}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(usual)}")


def store(engine: Engine, columns: Columns) -> bool:
    """Store ``columns`` as the newest snapshot, replacing older ones and one of the
    same generation; False when a newer one is stored or the write failed (the search
    goes on)."""
    data = encode(columns)
    rows = [
        {"generation": columns.generation, "part": index, "data": data[start : start + PART_SIZE]}
        for index, start in enumerate(range(0, max(len(data), 1), PART_SIZE))
    ]
    try:
        with engine.begin() as connection, _brief_wait(connection):
            newest = newest_generation(connection)
            if newest is not None and newest > columns.generation:
                return False
            # One of the same generation is replaced: the caller could not use it.
            connection.execute(
                delete(ColumnSnapshotRow).where(ColumnSnapshotRow.generation <= columns.generation)
            )
            connection.execute(insert(ColumnSnapshotRow), rows)
    except SQLAlchemyError as error:
        # Another process storing the same generation, or a busy database: a cache.
        log.warning("search columns not stored: %s", error.__class__.__name__)
        return False
    return True


def discard(engine: Engine) -> None:
    """Remove every stored snapshot (after changes the change log does not know)."""
    with engine.begin() as connection:
        connection.execute(delete(ColumnSnapshotRow))
