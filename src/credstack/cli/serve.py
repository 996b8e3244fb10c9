"""``credstack serve``: the portal at /, the REST API under /api/v1/.

With ``--workers N`` uvicorn runs N processes, each building its application with
``worker_app`` from the environment this command sets. Every search reads the
committed generation and catches up from the change log, so a write through one
process shows in searches through every other; before they start, this command brings
the stored column snapshot up to date, so each new process's first search reads it
instead of every search row.
"""

from __future__ import annotations

import dataclasses
import os
import time
from typing import TYPE_CHECKING, Annotated

import typer

from credstack.cli.common import DbOption, console, open_database, user_errors
from credstack.config import DATABASE_ENV, DEMO_ENV, STANDARD_ENV, Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from credstack.store.unit_of_work import Database


def serve(
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo set into an empty database, add "
                           "one demo account per role and show a demo banner on every page.")
    ] = False,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes sharing the database.")
    ] = 1,
    db: DbOption = None,
) -> None:
    """Serve the portal and the REST API."""
    import uvicorn

    from credstack.api.app import create_app

    settings = Settings.resolve(db)
    with user_errors():
        database = open_database(settings.database_url)
        if demo:
            settings = dataclasses.replace(settings, demo=True)
            _load_demo(database, settings)
            _demo_accounts(database)
    _prepare_search(database)
    console.print(f"credstack portal at http://{host}:{port}/  API at http://{host}:{port}/api/v1/")
    if workers == 1:
        uvicorn.run(create_app(database, settings), host=host, port=port, log_level="info")
        return
    if database.engine.dialect.name == "sqlite":
        console.print(
            f"{workers} processes share one SQLite file: searches run in parallel, writes "
            "one at a time (PostgreSQL is the database for several workers or hosts)."
        )
    # The parent's copy of the columns is not needed by the workers (they read the snapshot).
    database.engine.dispose()
    del database
    os.environ[DATABASE_ENV] = settings.database_url
    os.environ[STANDARD_ENV] = settings.publish_standard
    if settings.demo:
        os.environ[DEMO_ENV] = "1"
    uvicorn.run(
        "credstack.cli.serve:worker_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
    )


def worker_app() -> FastAPI:
    """The application of one worker process, for uvicorn's ``factory=True``: the
    database and publishing standard from the environment ``serve`` set (the schema
    is already migrated)."""
    from credstack.api.app import create_app
    from credstack.store.engine import make_engine
    from credstack.store.unit_of_work import Database

    settings = Settings.resolve()
    return create_app(Database(make_engine(settings.database_url)), settings)


def _prepare_search(database: Database) -> None:
    """Bring the search columns and their stored snapshot to the committed generation."""
    from credstack.registry.search import prepare_columns

    started = time.perf_counter()
    columns = prepare_columns(database.engine)
    console.print(
        f"Search ready: {int(columns.live.sum())} records in "
        f"{time.perf_counter() - started:.1f} s."
    )


def _load_demo(database: Database, settings: Settings) -> None:
    from credstack.registry.demo import load_demo
    from credstack.registry.gate import quality_gate

    try:
        gate = quality_gate(settings.publish_standard)
    except ModuleNotFoundError:
        gate = None
    loaded = load_demo(database, gate=gate, standard=settings.publish_standard)
    if loaded is None:
        console.print("Registry is not empty: demo data not loaded.")
        return
    console.print(
        f"Loaded {loaded.loaded} demo micro-credentials; {loaded.published} published; "
        f"{len(loaded.held_back)} submitted (they do not yet meet {settings.publish_standard})."
    )
    if loaded.draft:
        console.print(f"Left as a draft for the demo editor to submit: {loaded.draft}")


def _demo_accounts(database: Database) -> None:
    from credstack.accounts.demo import DEMO_ACCOUNTS, ensure_demo_accounts
    from credstack.accounts.model import Actor
    from credstack.accounts.passwords import DEMO_PASSWORD
    from credstack.cli.common import actor

    with database.unit_of_work() as session:
        made = ensure_demo_accounts(session, actor=Actor.system(actor()))
    if made.created:
        console.print(f"Added {len(made.created)} demo accounts.")
    for organization in made.missing_organizations:
        console.print(f"No provider '{organization}' in this registry: its demo members "
                      "were not added.")
    console.print(f"Demo accounts (password '{DEMO_PASSWORD}', for demo accounts only):")
    for account in DEMO_ACCOUNTS:
        roles = [role.value for role in account.registry_roles] + [
            f"{role.value} of {organization}" for organization, role in account.memberships]
        console.print(f"  {account.email}  {', '.join(roles) or 'learner'}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command()(serve)
