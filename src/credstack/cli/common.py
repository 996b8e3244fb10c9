"""What every CLI command shares: the database option, JSON output, errors and exit codes.

Exit codes (DESIGN interface contract): 0 ok, 1 the checked thing failed, 2 bad input.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from credstack.accounts.model import Actor
from credstack.config import Settings
from credstack.errors import CredstackError, InvalidInput, NotFound
from credstack.store.engine import make_engine
from credstack.store.migrate import upgrade
from credstack.store.unit_of_work import Database

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

# No emoji codes: "did:key:z6Mk..." must never print as "did🔑z6Mk...".
# Soft wrap: a message line (a path, an id) stays one line in logs and pipes,
# whatever the terminal width; tables still fit the terminal.
console = Console(soft_wrap=True, emoji=False)
error_console = Console(stderr=True, soft_wrap=True, emoji=False)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: CREDSTACK_DATABASE_URL or a local file)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def actor(explicit: str | None = None) -> str:
    """Who is acting: ``explicit``, else ``CREDSTACK_ACTOR``, else the login name."""
    return explicit or os.environ.get("CREDSTACK_ACTOR") or os.environ.get("USER") or "cli"


def operator() -> Actor:
    """The actor of every CLI command: the local operator, named by ``actor()``."""
    return Actor.system(actor())


def open_database(url: str | None) -> Database:
    """The database at ``url`` (or the configured one), migrated to the current schema."""
    engine = make_engine(Settings.resolve(url).database_url)
    upgrade(engine)
    return Database(engine)


def _default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


def to_json(data: Any) -> str:
    """The one JSON renderer for ``--json`` output: stable key order, UTF-8."""
    return json.dumps(data, default=_default, ensure_ascii=False, sort_keys=True)


def emit_json(data: Any) -> None:
    """Print ``data`` as one JSON document on standard output."""
    sys.stdout.write(to_json(data) + "\n")


_UNBOUNDED = 1_000_000


def new_table(*headers: str, title: str | None = None, show_lines: bool = False) -> Table:
    """A table whose cells are never cut: a long id or message folds onto more lines."""
    table = Table(title=title, show_lines=show_lines)
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def print_table(table: Table) -> None:
    """Print ``table``: fitted to a terminal; in a pipe or file, as wide as its content.

    Identifiers printed here are arguments of the next command, so outside a terminal
    each row stays on one line with every value whole (grep, cut and copy work).
    """
    if console.is_terminal:
        console.print(table)
        return
    unbounded = console.options.update_width(_UNBOUNDED)
    width = max(console.width, Measurement.get(console, unbounded, table).maximum)
    # Console.print caps its width at the console's own, so a wide copy prints it.
    Console(file=console.file, width=width, emoji=False, highlight=False).print(table)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print ``message`` to standard error and exit with ``code``."""
    error_console.print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn credstack's own errors into a clear message and exit code 2."""
    try:
        yield
    except InvalidInput as error:
        for problem in error.problems:
            error_console.print(
                f"[red]error:[/red] {escape(str(problem))}", markup=True, highlight=False
            )
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except NotFound as error:
        fail(str(error))
    except CredstackError as error:
        fail(str(error))
