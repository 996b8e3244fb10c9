"""Request dependencies: the database session of a request."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from credstack.store.unit_of_work import Database


def get_database(request: Request) -> Database:
    """The app's database."""
    database = request.app.state.database
    assert isinstance(database, Database)
    return database


def get_session(request: Request) -> Iterator[Session]:
    """A unit of work per request: committed when the handler returns without error."""
    with get_database(request).unit_of_work() as session:
        yield session
