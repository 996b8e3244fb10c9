"""Migration accounts_0001: its tables are the models' tables, and it goes down and up."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from credstack.store.base import Base
from credstack.store.engine import make_engine
from credstack.store.migrate import alembic_config, upgrade
from credstack.store.tables import load_all


def _accounts_differences(url: str) -> list[object]:
    load_all()
    engine = make_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()

    def about_accounts(difference: object) -> bool:
        return "accounts_" in repr(difference)

    return [d for d in differences if about_accounts(d)]


def test_the_migration_creates_exactly_the_models_tables(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    upgrade(engine)
    engine.dispose()
    assert _accounts_differences(empty_database_url) == []


def test_the_accounts_branch_goes_down_and_up_again(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    upgrade(engine)
    command.downgrade(alembic_config(engine), "accounts@base")
    assert not [name for name in inspect(engine).get_table_names()
                if name.startswith("accounts_")]
    upgrade(engine)
    assert "accounts_audit" in inspect(engine).get_table_names()
    engine.dispose()
