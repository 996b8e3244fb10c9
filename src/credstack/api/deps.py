"""Request dependencies: the database and the unit of work of a request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
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


# Function scope ends the unit of work when the handler returns, before the response
# is sent: a client told "stored" is told so after the commit, and a failed commit
# becomes the response. FastAPI's default ("request") ends it after the response.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
