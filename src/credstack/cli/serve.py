"""``credstack serve``: the portal at /, the REST API under /api/v1/."""

from __future__ import annotations

from typing import Annotated

import typer

from credstack.cli.common import DbOption, console, open_database, user_errors
from credstack.config import Settings


def serve(
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo set into an empty database.")
    ] = False,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the portal and the REST API."""
    import uvicorn

    from credstack.api.app import create_app

    settings = Settings.resolve(db)
    with user_errors():
        database = open_database(settings.database_url)
        if demo:
            _load_demo(database, settings)
    console.print(f"credstack portal at http://{host}:{port}/  API at http://{host}:{port}/api/v1/")
    uvicorn.run(create_app(database, settings), host=host, port=port, log_level="info")


def _load_demo(database: object, settings: Settings) -> None:
    from credstack.registry.demo import load_demo
    from credstack.registry.gate import quality_gate
    from credstack.store.unit_of_work import Database

    assert isinstance(database, Database)
    try:
        gate = quality_gate(settings.publish_standard)
    except ModuleNotFoundError:
        gate = None
    loaded = load_demo(database, gate=gate, standard=settings.publish_standard)
    if loaded is None:
        console.print("Registry is not empty: demo data not loaded.")
        return
    console.print(
        f"Loaded {loaded.loaded} demo micro-credentials; {loaded.published} published "
        f"(the others do not yet meet {settings.publish_standard})."
    )


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command()(serve)
