"""Fixtures shared by the registry tests: example documents, records and file writers."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Connection, Engine, text

from account_fixtures import bearer, new_user
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry import column_cache, search_columns, service
from credstack.registry.service import save_many
from credstack.store.base import Base
from credstack.store.engine import make_engine
from credstack.store.tables import load_all
from credstack.store.unit_of_work import Database

__all__ = ["bearer", "new_user"]  # the fixtures, for this folder's tests

Document = dict[str, Any]
MakeDocument = Callable[..., Document]
WriteFile = Callable[[str, str], Path]


@pytest.fixture
def example_document(example_path: Path) -> Document:
    """The README's example record as the plain data of the file format."""
    data = yaml.safe_load(example_path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture
def make_document(example_document: Document) -> MakeDocument:
    """A valid document derived from the example, with ``id`` and any top-level overrides."""

    def make(credential_id: str, **overrides: Any) -> Document:
        document = copy.deepcopy(example_document)
        document["id"] = credential_id
        document.update(copy.deepcopy(overrides))
        return document

    return make


@pytest.fixture
def make_record(make_document: MakeDocument) -> Callable[..., MicroCredential]:
    """A validated record derived from the example (see ``make_document``)."""

    def make(credential_id: str, **overrides: Any) -> MicroCredential:
        return MicroCredential.model_validate(make_document(credential_id, **overrides))

    return make


@pytest.fixture
def write_file(tmp_path: Path) -> WriteFile:
    """Write ``text`` to ``name`` under a fresh folder and return the path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / "records" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def store(database: Database) -> Callable[..., None]:
    """Save records in one unit of work on the test's database."""

    def save(*records: MicroCredential, actor: str = "tester") -> None:
        with database.unit_of_work() as session:
            save_many(session, records=list(records), actor=actor)

    return save


def _reset(engine: Engine) -> None:
    """Empty every table of a migrated PostgreSQL database (the counter row is bumped)."""
    load_all()
    tables = ", ".join(
        f'"{table.name}"' for table in Base.metadata.sorted_tables if table.name != "registry_state"
    )
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        connection.execute(text("UPDATE registry_state SET generation = generation + 1"))


@pytest.fixture(scope="module")
def engine_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Database]]:
    """An empty migrated database on each engine, shared by one module's read-only tests.

    Loading a corpus once per module instead of once per test keeps the PostgreSQL runs
    fast; tests that change data use the per-test ``database`` fixture instead.
    """
    template: Path = request.getfixturevalue("sqlite_template")
    path = tmp_path_factory.mktemp("corpus") / "credstack.db"
    shutil.copyfile(template, path)
    databases = {"sqlite": Database(make_engine(f"sqlite:///{path}"))}
    try:
        postgres_url: str = request.getfixturevalue("postgres_url")
    except pytest.skip.Exception:
        postgres_url = ""  # no server (outside CI): the SQLite half still runs
    if postgres_url:
        engine = make_engine(postgres_url)
        _reset(engine)
        databases["postgresql"] = Database(engine)
    yield databases
    for database in databases.values():
        database.engine.dispose()


@pytest.fixture
def full_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The generations at which the search columns are loaded in full, from now on."""
    loads: list[int] = []
    original = column_cache.load

    def counted(connection: Connection, generation: int) -> search_columns.Columns:
        loads.append(generation)
        return original(connection, generation)

    monkeypatch.setattr(column_cache, "load", counted)
    return loads


WriteStep = tuple[str, Any, str]
ApplyWrites = Callable[[list[str], str, list[WriteStep], dict[str, Any]], None]


@pytest.fixture
def apply_writes(
    database: Database, make_record: Callable[..., MicroCredential], store: Callable[..., None]
) -> ApplyWrites:
    """Apply generated writes to the records ``ids`` (grown by each new one), each
    record being ``course`` with a title: ("add", letter, title) stores a new record
    ``prefix + letter + n``; ("version", n, title) a new version of record n (modulo
    their count); ("submit" | "publish", n, "") moves record n on from draft."""

    def apply(ids: list[str], prefix: str, steps: list[WriteStep], course: dict[str, Any]) -> None:
        for action, which, title in steps:
            if action == "add":
                ids.append(f"{prefix}{which}{len(ids)}")
                store(make_record(ids[-1], **dict(course, title=title)))
            elif action == "version":
                store(make_record(ids[which % len(ids)], **dict(course, title=title)))
            else:
                _move_on_from_draft(database, ids[which % len(ids)], action)

    return apply


def _move_on_from_draft(database: Database, credential_id: str, action: str) -> None:
    with database.unit_of_work() as session:
        if service.get_record(session, credential_id=credential_id).status is not (
            LifecycleStatus.DRAFT
        ):
            return
    targets = [LifecycleStatus.SUBMITTED]
    if action == "publish":
        targets.append(LifecycleStatus.PUBLISHED)
    for target in targets:
        with database.unit_of_work() as session:
            service.transition(session, credential_id=credential_id, target=target, actor="t")
