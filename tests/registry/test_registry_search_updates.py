"""Search on data that changes: new versions and status changes show at once, on both engines.

These tests use the per-test ``database`` fixture; the read-only corpus tests in
``test_registry_search.py`` share one database per engine for speed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Connection, delete

from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus as S
from credstack.registry import search_columns, service
from credstack.registry.query import SearchRequest, SortOrder
from credstack.registry.search import SearchResult, search
from credstack.store.tables.registry import RegistryChangeRow
from credstack.store.unit_of_work import Database

MakeRecord = Callable[..., MicroCredential]
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


def _count_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    loads: list[int] = []
    original = search_columns.load

    def counted(connection: Connection, generation: int) -> search_columns.Columns:
        loads.append(generation)
        return original(connection, generation)

    monkeypatch.setattr(search_columns, "load", counted)
    return loads


def test_a_status_change_is_applied_without_reloading_the_columns(
    database: Database, make_record: MakeRecord, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store(make_record("first", **COURSE), make_record("second", **COURSE))
    loads = _count_loads(monkeypatch)
    with database.read() as session:
        search(session, SearchRequest(statuses=ALL))
    _move(database, "second", S.SUBMITTED, S.PUBLISHED)
    with database.read() as session:
        published = search(session, SearchRequest())
        newest = search(session, SearchRequest(statuses=ALL, sort=SortOrder.NEWEST))
    assert len(loads) == 1
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


def test_a_new_version_reloads_the_columns(
    database: Database, make_record: MakeRecord, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store(make_record("first", **COURSE))
    loads = _count_loads(monkeypatch)
    with database.read() as session:
        search(session, SearchRequest(statuses=ALL))
    store(make_record("first", **dict(COURSE, title="Ocean Literacy")))
    with database.read() as session:
        found = search(session, SearchRequest(text="ocean", statuses=ALL))
    assert len(loads) == 2
    assert _ids(found) == ["first"]


def test_columns_further_behind_than_the_log_reload(
    database: Database, make_record: MakeRecord, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store(make_record("first", **COURSE))
    loads = _count_loads(monkeypatch)
    with database.read() as session:
        search(session, SearchRequest(statuses=ALL))
    _move(database, "first", S.SUBMITTED, S.PUBLISHED)
    with database.engine.begin() as connection:
        connection.execute(delete(RegistryChangeRow))
    with database.read() as session:
        assert _ids(search(session, SearchRequest())) == ["first"]
    assert len(loads) == 2
