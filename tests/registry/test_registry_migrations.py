"""The registry's search index migration: records stored before it are found after it."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from sqlalchemy import text

from credstack.domain.credential import MicroCredential
from credstack.registry.query import SearchRequest
from credstack.registry.search import search
from credstack.registry.service import save_many
from credstack.store.engine import make_engine
from credstack.store.migrate import alembic_config, upgrade
from credstack.store.unit_of_work import Database


def _found(database: Database, query: str) -> list[str]:
    with database.read() as session:
        result = search(session, SearchRequest(text=query, statuses=()))
    return [item.record.id for item in result.items]


def test_records_indexed_before_the_postings_migration_are_found_after_it(
    empty_database_url: str, make_record: Callable[..., MicroCredential]
) -> None:
    engine = make_engine(empty_database_url)
    upgrade(engine)
    database = Database(engine)
    with database.unit_of_work() as session:
        records = [
            make_record("mc-water", title="Water risk"),
            make_record("mc-heat", title="Heat risk in cities"),
        ]
        save_many(session, records=records, actor="tester")
    before = _found(database, "risk")
    # Back to the first registry schema (no postings, no index length), then forward.
    command.downgrade(alembic_config(engine), "registry_0001")
    upgrade(engine)
    assert _found(database, "risk") == before
    with engine.connect() as connection:
        lengths = connection.execute(text("SELECT index_length FROM credential_search")).all()
    assert all(length > 0 for (length,) in lengths)
    engine.dispose()
