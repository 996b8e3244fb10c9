"""Bring a database's schema up to date with the project's Alembic migrations.

Each capability owns a branch of migrations rooted at the registry's first revision;
``upgrade`` applies every head, so capabilities evolve their tables independently.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


def alembic_config(engine: Engine) -> Config:
    """The Alembic configuration of the project's migrations, bound to ``engine``."""
    config = Config()
    config.set_main_option("script_location", "credstack.store:migrations")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Apply every pending migration on every branch."""
    command.upgrade(alembic_config(engine), "heads")


def is_current(engine: Engine) -> bool:
    """Whether the database has every migration applied."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    return applied == set(script.get_heads())
