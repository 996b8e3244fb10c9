"""Alignment commands.

``credstack align`` is a group whose default command is ``suggest``: when the first word
is not one of its subcommands (``suggest``, ``accept``, ``reject``, ``add``), ``suggest``
is run with every argument. So ``credstack align RECORD``, ``align --text "..."`` and
``align accept RECORD OUTCOME URI --level basic`` all work.

``--json`` shapes: for a record, one document ``{credential_id, framework, outcomes:
[{outcome_id, statement, suggestions: [...]}], occupations: [...]}`` plus
``noc_occupations: [{code, title, score, ...}]`` when NOC 2021 is imported; for ``--text`` /
``--texts``, one JSON object a line ``{statement, competencies: [{uri, label, score,
...}]}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core

from credstack.align import service
from credstack.align.rank import Suggestion
from credstack.cli.common import (
    DbOption,
    JsonOption,
    actor,
    console,
    emit_json,
    fail,
    new_table,
    open_database,
    operator,
    print_table,
    user_errors,
)
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import AlignmentStatus
from credstack.registry import service as registry
from credstack.registry.files import load_record

DEFAULT_COMMAND = "suggest"


class DefaultCommandGroup(typer.core.TyperGroup):
    """A group that runs ``suggest`` when the first word names no subcommand."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Insert the default command unless a subcommand or group help is asked for."""
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = [DEFAULT_COMMAND, *args]
        parsed: list[str] = super().parse_args(ctx, args)
        return parsed


align = typer.Typer(
    cls=DefaultCommandGroup,
    help="Suggest competencies for learning outcomes and review them "
    "(`align RECORD`, `align --text ...`, `align accept|reject|add ...`).",
)

FrameworkOption = Annotated[
    str, typer.Option("--framework", "-f", help="Framework id (default: esco).")
]


def _record(session: Any, id_or_file: str) -> MicroCredential:
    path = Path(id_or_file)
    if path.suffix.lower() in (".yaml", ".yml", ".json") and path.exists():
        return load_record(path)
    return registry.get_record(session, credential_id=id_or_file).record


def _statements_from(text: list[str] | None, texts: Path | None) -> list[str]:
    statements = list(text or [])
    if texts is not None:
        try:
            lines = texts.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            fail(f"{texts}: cannot read file ({error})")
        statements.extend(line.strip() for line in lines if line.strip())
        if not statements:
            fail(f"{texts}: no statement in the file (one statement a line)")
    return statements


def _print_suggestions(title: str, suggestions: list[Suggestion]) -> None:
    table = new_table("score", "competency", "matched terms", "nearest label", title=title)
    for suggestion in suggestions:
        table.add_row(
            f"{suggestion.score:.3f}",
            f"{suggestion.competency.preferred_label}\n[dim]{suggestion.competency.uri}[/dim]",
            ", ".join(suggestion.matched_terms),
            suggestion.nearest_label,
        )
    print_table(table)


@align.command("suggest")
def suggest_command(
    id_or_file: Annotated[
        str | None, typer.Argument(help="Record id in the registry, or a record file.")
    ] = None,
    text: Annotated[
        list[str] | None, typer.Option("--text", help="A statement to align (repeatable).")
    ] = None,
    texts: Annotated[
        Path | None, typer.Option("--texts", help="A file with one statement a line.")
    ] = None,
    framework: FrameworkOption = "esco",
    top: Annotated[int, typer.Option("--top", min=1, max=100, help="How many per outcome.")] = 5,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Suggest the top competencies for each outcome of a record, or for statements."""
    statements = _statements_from(text, texts)
    if id_or_file is None and not statements:
        fail("name a record (id or file), or give --text STATEMENT or --texts FILE")
    if id_or_file is not None and statements:
        fail("give either a record or --text/--texts, not both")
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            if statements:
                ranked = service.suggest_statements(
                    session, actor=operator(), statements=statements, framework_id=framework,
                    top=top,
                )
            else:
                assert id_or_file is not None
                result = service.suggest_for_record(
                    session, record=_record(session, id_or_file), framework_id=framework, top=top
                )
    if statements:
        for statement, suggestions in zip(statements, ranked, strict=True):
            if json_output:
                emit_json(
                    {
                        "statement": statement,
                        "competencies": [s.to_dict() for s in suggestions],
                    }
                )
            else:
                _print_suggestions(statement, suggestions)
        return
    if json_output:
        emit_json(result.to_dict())
        return
    for outcome in result.outcomes:
        _print_suggestions(f"{outcome.outcome_id}: {outcome.statement}", outcome.suggestions)
    if result.occupations:
        table = new_table("score", "occupation", "via", title="Occupations")
        for occupation in result.occupations:
            table.add_row(
                f"{occupation.score:.3f}",
                f"{occupation.occupation.preferred_label}\n[dim]{occupation.occupation.uri}[/dim]",
                ", ".join(occupation.via),
            )
        print_table(table)
    if result.noc_occupations:
        table = new_table("score", "NOC 2021 unit group", "nearest job title", title="NOC 2021")
        for unit in result.noc_occupations:
            table.add_row(
                f"{unit.score:.3f}",
                f"{unit.occupation.code} {unit.occupation.preferred_label}",
                unit.nearest_title,
            )
        print_table(table)


RecordArg = Annotated[str, typer.Argument(help="Record id in the registry.")]
OutcomeArg = Annotated[
    str, typer.Argument(help="Learning outcome id, or 'record' for the record's alignment.")
]
UriArg = Annotated[str, typer.Argument(help="Competency URI.")]
ReviewerOption = Annotated[
    str | None, typer.Option("--reviewer", help="Who decides (default: CREDSTACK_ACTOR, USER).")
]
LevelOption = Annotated[
    str | None,
    typer.Option("--level", help="Proficiency level, e.g. basic, capable, 3 (SFIA)."),
]


def _decide(
    status: AlignmentStatus,
    credential_id: str,
    outcome_id: str,
    uri: str,
    framework: str,
    reviewer: str | None,
    level: str | None,
    db: str | None,
    json_output: bool,
) -> None:
    with user_errors():
        database = open_database(db)
        with database.unit_of_work() as session:
            stored = service.review(
                session,
                actor=operator(),
                credential_id=credential_id,
                outcome_id=outcome_id,
                framework_id=framework,
                uri=uri,
                status=status,
                reviewer=actor(reviewer),
                proficiency_level=level,
            )
    if json_output:
        emit_json(
            {
                "credential_id": credential_id,
                "version": stored.version,
                "status": status.value,
                "outcome_id": outcome_id,
                "uri": uri,
            }
        )
        return
    console.print(f"{credential_id} v{stored.version}: {uri} {status.value} for {outcome_id}")


@align.command("accept")
def accept_command(
    credential_id: RecordArg,
    outcome_id: OutcomeArg,
    uri: UriArg,
    level: LevelOption = None,
    framework: FrameworkOption = "esco",
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Accept a suggested competency for an outcome, at a proficiency level."""
    _decide(
        AlignmentStatus.ACCEPTED,
        credential_id,
        outcome_id,
        uri,
        framework,
        reviewer,
        level,
        db,
        json_output,
    )


@align.command("reject")
def reject_command(
    credential_id: RecordArg,
    outcome_id: OutcomeArg,
    uri: UriArg,
    framework: FrameworkOption = "esco",
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Reject a suggested competency for an outcome (it is not suggested again)."""
    _decide(
        AlignmentStatus.REJECTED,
        credential_id,
        outcome_id,
        uri,
        framework,
        reviewer,
        None,
        db,
        json_output,
    )


@align.command("add")
def add_command(
    credential_id: RecordArg,
    outcome_id: OutcomeArg,
    uri: UriArg,
    level: LevelOption = None,
    framework: FrameworkOption = "esco",
    reviewer: ReviewerOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add an alignment by hand (one that was not suggested), at a proficiency level."""
    _decide(
        AlignmentStatus.MANUAL,
        credential_id,
        outcome_id,
        uri,
        framework,
        reviewer,
        level,
        db,
        json_output,
    )


def register(app: typer.Typer) -> None:
    """Add ``align`` to the ``credstack`` command."""
    app.add_typer(align, name="align")
