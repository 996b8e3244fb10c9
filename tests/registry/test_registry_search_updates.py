"""Search on data that changes: new versions and status changes show at once, on both engines.

These tests use the per-test ``database`` fixture; the read-only corpus tests in
``test_registry_search.py`` share one database per engine for speed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus as S
from credstack.registry import search_columns, service
from credstack.registry.query import SearchRequest, SortOrder
from credstack.registry.search import SearchResult, forget_cached_columns, search
from credstack.store.tables.registry import RegistryChangeRow
from credstack.store.unit_of_work import Database

MakeRecord = Callable[..., MicroCredential]
WriteStep = tuple[str, Any, str]
ApplyWrites = Callable[[list[str], str, list[WriteStep], dict[str, Any]], None]
Store = Callable[..., None]
ALL = (S.DRAFT, S.SUBMITTED, S.PUBLISHED, S.RETIRED)
COURSE: dict[str, Any] = {
    "title": "Climate Adaptation Basics",
    "description": {"summary": "Assessing climate risks for municipalities."},
    "delivery_mode": {"mode": "online", "engagement": "asynchronous"},
}


def _ids(result: SearchResult) -> list[str]:
    return [item.record.id for item in result.items]


def test_search_reflects_a_new_version_immediately(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("changing", **COURSE))
    request = SearchRequest(text="municipalities", statuses=ALL)
    with database.read() as session:
        before = search(session, request)
    changed = dict(COURSE, title="Ocean Literacy")
    changed["description"] = {"summary": "Tides and currents."}
    changed["delivery_mode"] = {"mode": "onsite", "engagement": "synchronous", "locations": ["X"]}
    store(make_record("changing", **changed))
    with database.read() as session:
        after = search(session, request)
        ocean = search(session, SearchRequest(text="tides", statuses=ALL))
    assert (before.total, after.total) == (1, 0)
    assert before.facets["delivery_mode"] == {"online": 1}
    assert _ids(ocean) == ["changing"]
    assert ocean.facets["delivery_mode"] == {"onsite": 1}


def test_facet_counts_follow_a_status_change(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("moving", **COURSE))
    with database.read() as session:
        assert search(session, SearchRequest()).total == 0
    for target in (S.SUBMITTED, S.PUBLISHED):
        with database.unit_of_work() as session:
            service.transition(session, credential_id="moving", target=target, actor="t")
    with database.read() as session:
        result = search(session, SearchRequest())
    assert result.total == 1
    assert result.facets["provider"] == {"royal-roads-university": 1}


def _move(database: Database, credential_id: str, *targets: S) -> None:
    for target in targets:
        with database.unit_of_work() as session:
            service.transition(session, credential_id=credential_id, target=target, actor="t")


def _loaded_counting_reloads(database: Database, full_loads: list[int]) -> list[int]:
    """Load the columns with a search; the list returned grows with every load after."""
    with database.read() as session:
        search(session, SearchRequest(statuses=ALL))
    full_loads.clear()
    return full_loads


def test_a_status_change_is_applied_without_reloading_the_columns(
    database: Database, make_record: MakeRecord, store: Store, full_loads: list[int]
) -> None:
    store(make_record("first", **COURSE), make_record("second", **COURSE))
    loads = _loaded_counting_reloads(database, full_loads)
    _move(database, "second", S.SUBMITTED, S.PUBLISHED)
    with database.read() as session:
        published = search(session, SearchRequest())
        newest = search(session, SearchRequest(statuses=ALL, sort=SortOrder.NEWEST))
    assert loads == []
    assert _ids(published) == ["second"]
    assert _ids(newest) == ["second", "first"]


def test_the_latest_status_change_is_the_newest(
    database: Database, make_record: MakeRecord, store: Store
) -> None:
    store(make_record("first", **COURSE), make_record("second", **COURSE))
    with database.read() as session:
        search(session, SearchRequest(statuses=ALL))
    _move(database, "second", S.SUBMITTED)
    _move(database, "first", S.SUBMITTED)
    with database.read() as session:
        newest = search(session, SearchRequest(statuses=ALL, sort=SortOrder.NEWEST))
    assert _ids(newest) == ["first", "second"]


def test_a_new_version_is_applied_without_reloading_the_columns(
    database: Database, make_record: MakeRecord, store: Store, full_loads: list[int]
) -> None:
    store(make_record("first", **COURSE))
    loads = _loaded_counting_reloads(database, full_loads)
    store(make_record("first", **dict(COURSE, title="Ocean Literacy")))
    with database.read() as session:
        found = search(session, SearchRequest(text="ocean", statuses=ALL))
        every = search(session, SearchRequest(statuses=ALL))
    assert loads == []
    assert _ids(found) == ["first"]
    assert every.total == 1
    assert every.facets["delivery_mode"] == {"online": 1}


def test_a_large_change_reloads_the_columns(
    database: Database,
    make_record: MakeRecord,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    full_loads: list[int],
) -> None:
    store(make_record("first", **COURSE))
    loads = _loaded_counting_reloads(database, full_loads)
    monkeypatch.setattr(search_columns, "MAX_LOGGED", 1)
    store(make_record("second", **COURSE), make_record("third", **COURSE))
    with database.read() as session:
        assert search(session, SearchRequest(statuses=ALL)).total == 3
    assert len(loads) == 1


TITLES = ("Climate Basics", "Ocean Literacy", "Applied climate data", "Zoning")
_EXAMPLES = itertools.count()

REQUESTS = [
    SearchRequest(statuses=(), limit=50),
    SearchRequest(statuses=ALL, sort=SortOrder.TITLE, limit=50),
    SearchRequest(statuses=ALL, sort=SortOrder.NEWEST, limit=50),
    SearchRequest(statuses=ALL, sort=SortOrder.HOURS, limit=50),
    SearchRequest(text="climate", statuses=ALL, limit=50),
    SearchRequest(text="ocean", limit=50),
    SearchRequest(facets={"delivery_mode": ("onsite",)}, statuses=ALL, limit=50),
]


def _answers(database: Database) -> list[tuple[list[str], int, dict[str, dict[str, int]]]]:
    with database.read() as session:
        results = [search(session, request) for request in REQUESTS]
    return [(_ids(result), result.total, result.facets) for result in results]


def test_caught_up_columns_answer_as_freshly_loaded_ones(
    database: Database, make_record: MakeRecord, store: Store, full_loads: list[int]
) -> None:
    store(*(make_record(f"mc-{n:02d}", **dict(COURSE, title=f"Climate {n % 4}")) for n in range(8)))
    loads = _loaded_counting_reloads(database, full_loads)
    ocean = dict(COURSE, title="Ocean Literacy")
    ocean["delivery_mode"] = {"mode": "onsite", "engagement": "synchronous", "locations": ["X"]}
    store(make_record("mc-03", **ocean))  # a new version
    store(make_record("mc-00a", **dict(COURSE, title="Climate 1")))  # between two ids
    store(make_record("aa-first", **dict(COURSE, title="A climate primer")))  # before all
    store(make_record("zz-last", **ocean), make_record("mc-05b", **ocean))  # two at once
    _move(database, "mc-05b", S.SUBMITTED, S.PUBLISHED)
    _move(database, "mc-06", S.SUBMITTED)
    caught_up = _answers(database)
    assert loads == []
    forget_cached_columns(database.engine)
    assert _answers(database) == caught_up
    assert len(loads) == 1


def test_columns_further_behind_than_the_log_reload(
    database: Database, make_record: MakeRecord, store: Store, full_loads: list[int]
) -> None:
    store(make_record("first", **COURSE))
    loads = _loaded_counting_reloads(database, full_loads)
    _move(database, "first", S.SUBMITTED, S.PUBLISHED)
    with database.engine.begin() as connection:
        connection.execute(delete(RegistryChangeRow))
    with database.read() as session:
        assert _ids(search(session, SearchRequest())) == ["first"]
    assert len(loads) == 1


_step = st.one_of(
    st.tuples(st.just("add"), st.sampled_from("abcmxz"), st.sampled_from(TITLES)),
    st.tuples(st.just("version"), st.integers(0, 20), st.sampled_from(TITLES)),
    st.tuples(st.just("submit"), st.integers(0, 20), st.just("")),
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(_step, min_size=1, max_size=6))
def test_any_sequence_of_writes_catches_up_to_a_fresh_load(
    database: Database,
    make_record: MakeRecord,
    store: Store,
    apply_writes: ApplyWrites,
    steps: list[WriteStep],
) -> None:
    prefix = f"e{next(_EXAMPLES)}-"
    ids = [f"{prefix}m{n}" for n in range(3)]
    store(*(make_record(credential_id, **COURSE) for credential_id in ids))
    _answers(database)
    apply_writes(ids, prefix, steps, COURSE)
    caught_up = _answers(database)
    forget_cached_columns(database.engine)
    assert _answers(database) == caught_up
