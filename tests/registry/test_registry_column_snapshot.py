"""The stored snapshot of the search columns: a new process starts from it and catches
up from the change log; one that is stale only catches up, one that is corrupt or of
another format is ignored and replaced, and neither ever changes an answer.

A new process is simulated by an empty in-memory cache on the same database.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, update

from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus as S
from credstack.registry import column_cache, column_snapshot, search_columns, service
from credstack.registry import search as search_module
from credstack.registry.column_snapshot import SnapshotError, decode, encode
from credstack.registry.query import SearchRequest, SortOrder
from credstack.registry.search import forget_cached_columns, prepare_columns, search
from credstack.store.tables.registry import ColumnSnapshotRow
from credstack.store.unit_of_work import Database

MakeRecord = Callable[..., MicroCredential]
WriteStep = tuple[str, Any, str]
ApplyWrites = Callable[[list[str], str, list[WriteStep], dict[str, Any]], None]
Store = Callable[..., None]
ALL = (S.DRAFT, S.SUBMITTED, S.PUBLISHED, S.RETIRED)
TITLES = ("Climate Basics", "Ocean Literacy", "Applied climate data", "Zoning")
COURSE: dict[str, Any] = {
    "description": {"summary": "Assessing climate risks for municipalities."},
    "delivery_mode": {"mode": "online", "engagement": "asynchronous"},
}
REQUESTS = [
    SearchRequest(statuses=(), limit=50),
    SearchRequest(statuses=ALL, sort=SortOrder.TITLE, limit=50),
    SearchRequest(statuses=ALL, sort=SortOrder.NEWEST, limit=50),
    SearchRequest(text="climate", statuses=ALL, limit=50),
    SearchRequest(text="ocean", limit=50),
    SearchRequest(facets={"delivery_mode": ("onsite",)}, statuses=ALL, limit=50),
]
_EXAMPLES = itertools.count()


@pytest.fixture
def new_process(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Forget every in-memory copy, as a process that just started has none."""

    def start() -> None:
        monkeypatch.setattr(search_module, "_columns", WeakKeyDictionary())

    return start


def _record(make_record: MakeRecord, credential_id: str, title: str) -> MicroCredential:
    return make_record(credential_id, **dict(COURSE, title=title))


@pytest.fixture
def store_courses(make_record: MakeRecord, store: Store) -> Callable[[int], None]:
    """Store ``count`` records mc-0, mc-1 ... titled in turn from TITLES."""

    def save(count: int) -> None:
        store(*(_record(make_record, f"mc-{n}", TITLES[n % 4]) for n in range(count)))

    return save


def _answers(database: Database) -> list[tuple[list[str], int, dict[str, dict[str, int]]]]:
    with database.read() as session:
        results = [search(session, request) for request in REQUESTS]
    return [([i.record.id for i in r.items], r.total, r.facets) for r in results]


def _stored_generations(database: Database) -> list[int]:
    with database.engine.connect() as connection:
        return sorted(set(connection.scalars(select(ColumnSnapshotRow.generation))))


def _generation(database: Database) -> int:
    with database.engine.connect() as connection:
        return search_columns.current_generation(connection)


def _publish(database: Database, credential_id: str) -> None:
    for target in (S.SUBMITTED, S.PUBLISHED):
        with database.unit_of_work() as session:
            service.transition(session, credential_id=credential_id, target=target, actor="t")


def test_a_full_load_stores_a_snapshot_of_the_committed_generation(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(_record(make_record, "mc-1", "Climate Basics"))
    _answers(database)
    assert _stored_generations(database) == [_generation(database)]


def test_a_new_process_starts_from_the_snapshot_without_a_full_load(
    database: Database,
    store_courses: Callable[[int], None],
    full_loads: list[int],
    new_process: Callable[[], None],
) -> None:
    store_courses(6)
    first = _answers(database)
    assert len(full_loads) == 1
    new_process()
    assert _answers(database) == first
    assert len(full_loads) == 1


def test_a_stale_snapshot_catches_up_to_the_answers_of_a_full_load(
    database: Database,
    make_record: MakeRecord,
    store: Store,
    store_courses: Callable[[int], None],
    full_loads: list[int],
    new_process: Callable[[], None],
) -> None:
    store_courses(6)
    _answers(database)
    snapshot = _stored_generations(database)
    store(_record(make_record, "mc-3", "Ocean Literacy"), _record(make_record, "aa", "Zoning"))
    _publish(database, "mc-2")
    new_process()
    caught_up = _answers(database)
    assert (len(full_loads), _stored_generations(database)) == (1, snapshot)
    forget_cached_columns(database.engine)
    assert _answers(database) == caught_up
    assert len(full_loads) == 2


def test_a_copy_caught_up_far_past_the_snapshot_stores_a_new_one(
    database: Database,
    make_record: MakeRecord,
    store: Store,
    full_loads: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(column_cache, "SNAPSHOT_EVERY", 2)
    store(_record(make_record, "mc-1", "Climate Basics"), _record(make_record, "mc-2", "Zoning"))
    _answers(database)
    first = _stored_generations(database)
    store(_record(make_record, "mc-1", "Ocean Literacy"))
    _answers(database)
    assert _stored_generations(database) == first  # one change: not yet
    _publish(database, "mc-2")
    _answers(database)
    assert _stored_generations(database) == [_generation(database)]
    assert len(full_loads) == 1


def test_a_snapshot_behind_a_bulk_change_is_not_used(
    database: Database,
    make_record: MakeRecord,
    store: Store,
    full_loads: list[int],
    new_process: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store(_record(make_record, "mc-1", "Climate Basics"))
    _answers(database)
    monkeypatch.setattr(search_columns, "MAX_LOGGED", 1)
    store(_record(make_record, "mc-2", "Ocean Literacy"), _record(make_record, "mc-3", "Zoning"))
    new_process()
    with database.read() as session:
        assert search(session, SearchRequest(statuses=ALL)).total == 3
    assert len(full_loads) == 2
    assert _stored_generations(database) == [_generation(database)]


def _overwrite_snapshot(database: Database, data: bytes) -> None:
    with database.engine.begin() as connection:
        connection.execute(update(ColumnSnapshotRow).values(data=data))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:-300] + bytes(b ^ 0xFF for b in data[-300:-200]) + data[-200:],
        lambda data: b"not a snapshot",
    ],
    ids=["truncated", "flipped-bytes", "garbage"],
)
def test_a_corrupt_snapshot_is_ignored_and_replaced(
    database: Database,
    store_courses: Callable[[int], None],
    full_loads: list[int],
    new_process: Callable[[], None],
    damage: Callable[[bytes], bytes],
) -> None:
    store_courses(4)
    _answers(database)
    with database.engine.connect() as connection:
        data = b"".join(connection.scalars(select(ColumnSnapshotRow.data)))
    _overwrite_snapshot(database, damage(data))
    new_process()
    answers = _answers(database)
    assert len(full_loads) == 2
    assert _stored_generations(database) == [_generation(database)]
    new_process()
    assert _answers(database) == answers  # from the snapshot stored in place of it
    assert len(full_loads) == 2
    forget_cached_columns(database.engine)
    assert _answers(database) == answers


def test_a_snapshot_of_another_format_is_ignored(
    database: Database,
    make_record: MakeRecord,
    store: Store,
    full_loads: list[int],
    new_process: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store(_record(make_record, "mc-1", "Climate Basics"))
    current = column_snapshot.FORMAT
    monkeypatch.setattr(column_snapshot, "FORMAT", current + 1)
    first = _answers(database)  # stored by a release with another format
    monkeypatch.setattr(column_snapshot, "FORMAT", current)
    new_process()
    assert _answers(database) == first
    assert len(full_loads) == 2
    new_process()
    assert _answers(database) == first  # from the snapshot stored in place of it
    assert len(full_loads) == 2


def test_a_snapshot_newer_than_the_committed_data_is_ignored(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(_record(make_record, "mc-1", "Climate Basics"))
    generation = _generation(database)
    with database.engine.begin() as connection:
        columns = search_columns.load(connection, generation)
        connection.execute(
            insert(ColumnSnapshotRow),
            [{"generation": generation + 5, "part": 0, "data": encode(columns)}],
        )
        assert column_snapshot.read(connection, after=-1, upto=generation) is None


def test_serve_preparation_stores_a_snapshot_only_when_none_reaches_the_data(
    database: Database, make_record: MakeRecord, store: Store, full_loads: list[int]
) -> None:
    store(_record(make_record, "mc-1", "Climate Basics"))
    prepare_columns(database.engine)
    prepare_columns(database.engine)
    assert len(full_loads) == 1
    assert _stored_generations(database) == [_generation(database)]


def _columns_equal(left: search_columns.Columns, right: search_columns.Columns) -> bool:
    for name, value in vars(left).items():
        other = getattr(right, name)
        if isinstance(value, np.ndarray):
            if value.dtype != other.dtype or not np.array_equal(value, other, equal_nan=True):
                return False
        elif name == "codes_by_facet" or name == "added_docs":
            if value.keys() != other.keys() or not all(
                np.array_equal(value[key], other[key]) for key in value
            ):
                return False
        elif value != other:
            return False
    return True


def test_a_snapshot_decodes_to_the_columns_it_encodes(
    database: Database,
    make_record: MakeRecord,
    store: Store,
    store_courses: Callable[[int], None],
) -> None:
    store_courses(4)
    with database.engine.connect() as connection:
        loaded = search_columns.load(connection, search_columns.current_generation(connection))
    ocean = dict(COURSE, title="Ocean Literacy")
    ocean["delivery_mode"] = {"mode": "onsite", "engagement": "synchronous", "locations": ["X"]}
    store(make_record("mc-1", **ocean), make_record("new", **ocean))
    with database.engine.connect() as connection:
        caught = column_cache.caught_up(
            connection, loaded, search_columns.current_generation(connection)
        )
    assert caught is not None and caught.added_docs  # new facet values since the load
    for columns in (loaded, caught):
        assert _columns_equal(decode(encode(columns)), columns)


@settings(max_examples=200, deadline=None)
@given(
    position=st.floats(0, 1, exclude_max=True),
    replacement=st.binary(min_size=1, max_size=64),
)
def test_a_damaged_snapshot_never_decodes_to_other_columns(
    position: float, replacement: bytes
) -> None:
    columns = _small_columns()
    data = encode(columns)
    at = int(position * len(data))
    damaged = data[:at] + replacement + data[at + len(replacement) :]
    try:
        decoded = decode(damaged)
    except SnapshotError:
        return
    # Only bytes no member covers (zip padding, unused header fields) may change.
    assert _columns_equal(decoded, columns)


def test_a_snapshot_with_arrays_of_another_type_is_refused() -> None:
    columns = _small_columns()
    other = replace(columns, hours=columns.hours.astype(np.float32))
    with pytest.raises(SnapshotError, match="hours"):
        decode(encode(other))


def _small_columns() -> search_columns.Columns:
    labels = [("provider", "rru"), ("language", "en"), ("language", "fr")]
    codes_by_facet, value_rank = search_columns.label_order(labels)
    return search_columns.Columns(
        generation=7,
        live=np.array([True, False, True]),
        status=np.array([2, -1, 0], dtype=np.int8),
        hours=np.array([10.0, np.nan, 28.0]),
        price=np.array([np.nan, np.nan, 695.0]),
        ects=np.array([1.0, np.nan, np.nan]),
        lengths=np.array([40.0, np.nan, 52.0]),
        id_rank=np.array([0.0, np.inf, 1.0]),
        title_rank=np.array([1.0, np.inf, 0.0]),
        newest_rank=np.array([0.5, np.inf, 0.0]),
        offsets=np.array([0, 2, 2, 4], dtype=np.int64),
        codes=np.array([0, 1, 0, 2], dtype=np.int64),
        labels=labels,
        code_of={label: code for code, label in enumerate(labels)},
        codes_by_facet=codes_by_facet,
        value_rank=value_rank,
        doc_offsets=np.array([0, 2, 3, 4], dtype=np.int64),
        docs=np.array([0, 2, 0, 2], dtype=np.int64),
        added_docs={1: np.array([2], dtype=np.int64)},
    )


_step = st.one_of(
    st.tuples(st.just("add"), st.sampled_from("abmz"), st.sampled_from(TITLES)),
    st.tuples(st.just("version"), st.integers(0, 20), st.sampled_from(TITLES)),
    st.tuples(st.just("publish"), st.integers(0, 20), st.just("")),
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(before=st.lists(_step, max_size=3), after=st.lists(_step, min_size=1, max_size=4))
def test_any_snapshot_caught_up_answers_as_a_full_load(
    database: Database,
    make_record: MakeRecord,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    apply_writes: ApplyWrites,
    full_loads: list[int],
    before: list[WriteStep],
    after: list[WriteStep],
) -> None:
    prefix = f"e{next(_EXAMPLES)}-"
    ids = [f"{prefix}m{n}" for n in range(3)]
    store(*(_record(make_record, credential_id, "Climate Basics") for credential_id in ids))
    apply_writes(ids, prefix, before, COURSE)
    monkeypatch.setattr(search_module, "_columns", WeakKeyDictionary())
    _answers(database)  # a process that stores a snapshot (or finds one) and stops
    apply_writes(ids, prefix, after, COURSE)
    monkeypatch.setattr(search_module, "_columns", WeakKeyDictionary())
    loads = len(full_loads)
    from_snapshot = _answers(database)
    assert len(full_loads) == loads  # caught up from the snapshot
    forget_cached_columns(database.engine)
    assert _answers(database) == from_snapshot
