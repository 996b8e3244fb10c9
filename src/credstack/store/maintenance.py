"""Housekeeping after large writes, so reads stay fast."""

from __future__ import annotations

from sqlalchemy import Engine, text


def after_bulk_load(engine: Engine) -> None:
    """Refresh planner statistics; on SQLite also fold the write-ahead log into the file.

    A large write-ahead log left behind by a bulk load makes every later read look
    pages up in it as well. On PostgreSQL, VACUUM also marks the new pages all-visible
    (index-only scans then skip the table); autovacuum would in time, but not yet.
    """
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            connection.execute(text("ANALYZE"))
            connection.commit()
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM (ANALYZE)"))
