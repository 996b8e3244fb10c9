"""Shared fixtures: a migrated database on SQLite and on PostgreSQL for every storage test.

PostgreSQL comes from CREDSTACK_TEST_POSTGRES_URL (default: the local server's ``test``
database). Each test run creates its own database there and drops it at the end. When
the server cannot be reached the PostgreSQL tests are skipped, except under CI=true,
where that is an error: CI must prove both engines.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from credstack.store.base import Base
from credstack.store.engine import make_engine
from credstack.store.migrate import upgrade
from credstack.store.tables import load_all
from credstack.store.unit_of_work import Database

# Framework files (ESCO CSV, CASE, custom) used by the taxonomy and alignment tests.
pytest_plugins = ["framework_fixtures"]

POSTGRES_URL = os.environ.get(
    "CREDSTACK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "rru-climate-adaptation-foundations.yaml"


def _postgres_admin() -> Engine | None:
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"PostgreSQL is required under CI=true: {error}") from error
        return None
    return engine


@contextmanager
def _new_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database (skipped if unreachable), dropped afterwards."""
    admin = _postgres_admin()
    if admin is None:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
    name = f"credstack_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test run."""
    with _new_postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (migrating once is faster)."""
    path = tmp_path_factory.mktemp("template") / "credstack.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def _truncate_all(engine: Engine) -> None:
    load_all()
    # DELETE is far cheaper than TRUNCATE on small tables. registry_state holds one
    # counter row the migration created: bump it, don't empty it.
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == "accounts_audit":
                # Append-only: row triggers refuse DELETE; TRUNCATE is the test's reset.
                connection.execute(text("TRUNCATE accounts_audit"))
            elif table.name != "registry_state":
                connection.execute(table.delete())
        connection.execute(text("UPDATE registry_state SET generation = generation + 1"))


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _empty_url(request: pytest.FixtureRequest, folder: Path) -> str:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = folder / "credstack.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    _truncate_all(engine)
    engine.dispose()
    return url


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated database, on each engine in turn."""
    return _empty_url(request, tmp_path)


@pytest.fixture(scope="module", params=ENGINES)
def module_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A :class:`Database` on an empty, migrated database that a whole module shares
    (loaded once, for slow set-ups), on each engine in turn."""
    engine = make_engine(_empty_url(request, tmp_path_factory.mktemp("module")))
    yield Database(engine)
    engine.dispose()


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A :class:`Database` on an empty, migrated database, on each engine in turn."""
    engine = make_engine(database_url)
    yield Database(engine)
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no schema at all, on each engine in turn (migrations)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with _new_postgres_database() as url:
        yield url


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[Database]:
    """A :class:`Database` on an empty, migrated PostgreSQL database (engine-specific code)."""
    engine = make_engine(postgres_url)
    _truncate_all(engine)
    yield Database(engine)
    engine.dispose()


@pytest.fixture
def example_path() -> Path:
    """The README's complete, annotated example record."""
    return EXAMPLE
