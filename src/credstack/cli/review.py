"""``credstack review``: the queue of submitted records and the reviewer's decisions.

The CLI acts as the local operator (``cli.common.operator``): the audit log and the
record's history name the operator's login as who decided.
"""

from __future__ import annotations

from typing import Annotated

import typer

from credstack.cli.common import (
    DbOption,
    JsonOption,
    console,
    emit_json,
    new_table,
    open_database,
    operator,
    print_table,
    user_errors,
)
from credstack.cli.registry import report_blocked
from credstack.config import Settings
from credstack.registry import records
from credstack.registry.gate import quality_gate
from credstack.registry.service import PublishBlocked

review_app = typer.Typer(help="Review submitted records: list the queue, approve, return.",
                         no_args_is_help=True)
IdArgument = Annotated[str, typer.Argument(metavar="ID", help="The record's id.")]


@review_app.command("list")
def list_queue(db: DbOption = None, json_output: JsonOption = False) -> None:
    """The submitted records, oldest first, with the publishing standard's result."""
    settings = Settings.resolve(db)
    standard = settings.publish_standard
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            queue = records.review_queue(session, actor=operator(),
                                         gate=quality_gate(standard), standard=standard)
    if json_output:
        emit_json([item.to_dict() for item in queue])
        return
    table = new_table("id", "title", "provider", "version", "author", standard)
    for item in queue:
        summary = item.stored.summary()
        table.add_row(
            summary["id"], summary["title"], summary["provider"]["id"],
            str(item.stored.version), item.stored.version_created_by,
            "passes" if not item.failures else f"{len(item.failures)} failing",
        )
    print_table(table)


def _decide(credential_id: str, *, approve: bool, comments: str | None, db: str | None,
            json_output: bool) -> None:
    settings = Settings.resolve(db)
    standard = settings.publish_standard
    with user_errors():
        database = open_database(db)
        try:
            with database.unit_of_work() as session:
                stored = records.review(
                    session, actor=operator(), credential_id=credential_id, approve=approve,
                    comments=comments, gate=quality_gate(standard), standard=standard,
                )
        except PublishBlocked as blocked:
            report_blocked(blocked, json_output=json_output)
    if json_output:
        emit_json({"id": credential_id, "status": stored.status.value,
                   "version": stored.version})
        return
    console.print(f"{credential_id}: {stored.status.value}")


@review_app.command("approve")
def approve(credential_id: IdArgument, db: DbOption = None,
            json_output: JsonOption = False) -> None:
    """Publish a submitted record (exit 1 with the failing rules if the standard blocks it)."""
    _decide(credential_id, approve=True, comments=None, db=db, json_output=json_output)


@review_app.command("return")
def return_to_draft(
    credential_id: IdArgument,
    comments: Annotated[str, typer.Option("--comments", help="What the editors should change.")],
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Return a submitted record to draft with comments for its organization's editors."""
    _decide(credential_id, approve=False, comments=comments, db=db, json_output=json_output)


def register(app: typer.Typer) -> None:
    """Add ``credstack review``."""
    app.add_typer(review_app, name="review")
