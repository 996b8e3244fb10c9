"""Interop commands: ``credstack interop ctdl|elm|csv ...`` (CTDL, Europass ELM, bulk CSV)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from credstack.cli.common import (
    EXIT_FAILED,
    DbOption,
    JsonOption,
    console,
    emit_json,
    error_console,
    open_database,
    operator,
    user_errors,
)
from credstack.domain.vocabulary import LifecycleStatus
from credstack.interop import service
from credstack.interop.ctdl_import import Defaults
from credstack.interop.ctdl_schema import validate_graph
from credstack.interop.files import dump_json, read_csv_text, read_json_files

interop_app = typer.Typer(
    help="Exchange records with other registries: CTDL, Europass ELM, CSV.", no_args_is_help=True
)
ctdl_app = typer.Typer(help="Credential Engine CTDL JSON-LD.", no_args_is_help=True)
elm_app = typer.Typer(
    help="Europass ELM 3 (European Learning Model) JSON-LD.", no_args_is_help=True
)
csv_app = typer.Typer(
    help="Bulk CSV catalogues (one row per micro-credential).", no_args_is_help=True
)
interop_app.add_typer(ctdl_app, name="ctdl")
interop_app.add_typer(elm_app, name="elm")
interop_app.add_typer(csv_app, name="csv")

IdArgument = Annotated[str | None, typer.Argument(metavar="[ID]")]
AllOption = Annotated[Path | None, typer.Option("--all", help="Write every record here.")]
BaseUrlOption = Annotated[
    str | None, typer.Option("--base-url", help="Public address of the registry (pages, ids).")
]
AllStatusesOption = Annotated[
    bool, typer.Option("--all-statuses", help="Every record, not only published ones.")
]
SkipInvalidOption = Annotated[
    bool,
    typer.Option("--skip-invalid", help="Store the valid records; report the others (exit 1)."),
]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Report only; store nothing.")]
FilesArgument = Annotated[list[Path], typer.Argument(help="JSON-LD files or folders.")]


def _export(
    fmt: str,
    credential_id: str | None,
    all_dir: Path | None,
    *,
    db: str | None,
    base_url: str | None,
    every_status: bool,
) -> None:
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            if all_dir is not None:
                written = service.export_all(
                    session,
                    directory=all_dir,
                    fmt=fmt,
                    base_url=base_url,
                    status=None if every_status else LifecycleStatus.PUBLISHED,
                )
                console.print(f"Wrote {len(written)} {fmt.upper()} document(s) to {all_dir}.")
                return
            if credential_id is None:
                raise typer.BadParameter("give a record ID or --all DIR")
            document = service.export_record(
                session, actor=operator(), credential_id=credential_id, fmt=fmt,
                base_url=base_url,
            )
    typer.echo(dump_json(document), nl=False)


def _validate(
    paths: list[Path],
    check: Callable[[str, dict[str, Any]], list[str]],
    *,
    passed: str,
    json_output: bool,
) -> None:
    """Check every file; print each problem; exit 1 when any file fails."""
    with user_errors():
        documents = read_json_files(paths)
        problems = [
            problem
            for source, data in documents
            for problem in (
                check(source, data)
                if isinstance(data, dict)
                else [f"{source}: expected one JSON-LD object"]
            )
        ]
    if json_output:
        emit_json({"valid": not problems, "files": len(documents), "problems": problems})
    else:
        for problem in problems:
            error_console.print(f"invalid: {problem}", markup=False, highlight=False)
        if not problems:
            console.print(f"{len(documents)} file(s) {passed}.")
    if problems:
        raise typer.Exit(EXIT_FAILED)


def _report_import(outcome: service.ImportOutcome, *, dry_run: bool, json_output: bool) -> None:
    if json_output:
        emit_json(outcome.summary())
    else:
        for item in outcome.reading.records:
            label = item.record.id if item.record else item.location
            console.print(
                f"{label} ({item.source} {item.location})".rstrip(), highlight=False, markup=False
            )
            for kind, entries in (("dropped", item.dropped), ("assumed", item.assumed)):
                for entry in entries:
                    console.print(
                        f"  {kind} {entry.location}: {entry.reason}", highlight=False, markup=False
                    )
            for problem in item.problems:
                error_console.print(f"  skipped: {problem}", highlight=False, markup=False)
        for other in outcome.reading.not_imported:
            console.print(
                f"not imported: {other['source']} {other['location']} {other['type']}",
                highlight=False,
                markup=False,
            )
        console.print(
            f"{'Would import' if dry_run else 'Imported'} "
            f"{len(outcome.reading.records)} record(s): {len(outcome.created)} created, "
            f"{len(outcome.updated)} updated, {len(outcome.unchanged)} unchanged."
        )
    if outcome.reading.problems:
        raise typer.Exit(EXIT_FAILED)


@ctdl_app.command("export")
def ctdl_export(
    credential_id: IdArgument = None,
    all_dir: AllOption = None,
    base_url: BaseUrlOption = None,
    every_status: AllStatusesOption = False,
    db: DbOption = None,
) -> None:
    """Export a record (or, with --all DIR, every published record) as CTDL JSON-LD."""
    _export("ctdl", credential_id, all_dir, db=db, base_url=base_url, every_status=every_status)


@ctdl_app.command("validate")
def ctdl_validate(paths: FilesArgument, json_output: JsonOption = False) -> None:
    """Check CTDL graphs against Credential Engine's registry schemas (exit 1 if invalid)."""
    _validate(
        paths,
        lambda source, data: [str(p) for p in validate_graph(data, source=source)],
        passed="valid against the CTDL registry schemas",
        json_output=json_output,
    )


@ctdl_app.command("import")
def ctdl_import(
    paths: FilesArgument,
    country: Annotated[
        str | None, typer.Option(help="ISO 3166 country for organizations that give none.")
    ] = None,
    issuer_name: Annotated[
        str | None,
        typer.Option(help="Issuer for records that link no organization (needs --country)."),
    ] = None,
    dry_run: DryRunOption = False,
    skip_invalid: SkipInvalidOption = False,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Import CTDL credentials as drafts; reports every member left out, field by field."""
    defaults = Defaults(country=country.upper() if country else None, issuer_name=issuer_name)
    with user_errors():
        documents = read_json_files(paths)
        with open_database(db).unit_of_work() as session:
            outcome = service.import_ctdl(
                session,
                documents=documents,
                actor=operator(),
                defaults=defaults,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
            )
    _report_import(outcome, dry_run=dry_run, json_output=json_output)


@elm_app.command("export")
def elm_export(
    credential_id: IdArgument = None,
    all_dir: AllOption = None,
    base_url: BaseUrlOption = None,
    every_status: AllStatusesOption = False,
    db: DbOption = None,
) -> None:
    """Export a record (or every published one) as an ELM learning opportunity."""
    _export("elm", credential_id, all_dir, db=db, base_url=base_url, every_status=every_status)


@elm_app.command("achievement")
def elm_achievement(
    badge_id: Annotated[str, typer.Argument(metavar="BADGE_ID")], db: DbOption = None
) -> None:
    """Print an issued badge's achievement as an ELM learning achievement."""
    with user_errors(), open_database(db).read() as session:
        document = service.elm_achievement_document(session, badge_id=badge_id, actor=operator())
    typer.echo(dump_json(document), nl=False)


@elm_app.command("validate")
def elm_validate(
    paths: FilesArgument,
    profile: Annotated[
        str, typer.Option(help="loq (learning opportunities) or edc (credentials, achievements).")
    ] = "loq",
    json_output: JsonOption = False,
) -> None:
    """Check ELM documents against the published SHACL shapes (exit 1 if any fails)."""
    from credstack.interop.elm_shapes import PROFILES, shape_problems

    if profile not in PROFILES:
        raise typer.BadParameter(f"expected one of {', '.join(PROFILES)}", param_hint="--profile")
    _validate(
        paths,
        lambda source, data: [f"{source}: {p}" for p in shape_problems(data, profile)],
        passed=f"conform to the ELM {profile.upper()} shapes",
        json_output=json_output,
    )


@elm_app.command("import")
def elm_import(
    paths: FilesArgument,
    dry_run: DryRunOption = False,
    skip_invalid: SkipInvalidOption = False,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Import ELM learning opportunities as drafts; reports every member left out."""
    with user_errors():
        documents = read_json_files(paths)
        with open_database(db).unit_of_work() as session:
            outcome = service.import_elm(
                session,
                documents=documents,
                actor=operator(),
                dry_run=dry_run,
                skip_invalid=skip_invalid,
            )
    _report_import(outcome, dry_run=dry_run, json_output=json_output)


@csv_app.command("template")
def csv_template(output: Annotated[Path | None, typer.Option("--output", "-o")] = None) -> None:
    """Print the CSV template: every column of the format and one example row."""
    from credstack.interop.csv_catalogue import template_text

    text = template_text()
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@csv_app.command("import")
def csv_import(
    path: Annotated[Path, typer.Argument(help="A CSV catalogue (UTF-8, header of field paths).")],
    skip_invalid: SkipInvalidOption = False,
    rejects: Annotated[
        Path | None,
        typer.Option(
            help="Where --skip-invalid writes the rejected rows (default: NAME.rejects.csv)."
        ),
    ] = None,
    dry_run: DryRunOption = False,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Import a CSV catalogue; every problem (row, column, expected) is listed at once."""
    import_csv_file(
        path,
        skip_invalid=skip_invalid,
        rejects=rejects,
        dry_run=dry_run,
        db=db,
        json_output=json_output,
    )


def import_csv_file(
    path: Path,
    *,
    skip_invalid: bool,
    rejects: Path | None,
    dry_run: bool,
    db: str | None,
    json_output: bool,
) -> None:
    """The CSV import behind ``interop csv import`` and ``credstack import FILE.csv``."""
    with user_errors():
        text = read_csv_text(path)
        with open_database(db).unit_of_work() as session:
            outcome = service.import_csv(
                session,
                text=text,
                source=str(path),
                actor=operator(),
                skip_invalid=skip_invalid,
                dry_run=dry_run,
            )
    rejects_path = None
    if outcome.rejects is not None:
        rejects_path = rejects or path.with_name(f"{path.stem}.rejects.csv")
        rejects_path.write_text(outcome.rejects, encoding="utf-8")
    if json_output:
        emit_json({**outcome.summary(), "rejects_csv": str(rejects_path) if rejects_path else None})
    else:
        for problem in outcome.problems:
            error_console.print(f"skipped: {problem}", markup=False, highlight=False)
        console.print(
            f"{'Checked' if dry_run else 'Imported'} {outcome.rows} row(s): "
            f"{len(outcome.created)} created, {len(outcome.updated)} updated, "
            f"{len(outcome.unchanged)} unchanged"
            + (
                f"; {outcome.rejected} row(s) rejected, written to {rejects_path}"
                if rejects_path
                else "."
            ),
            highlight=False,
            markup=False,
        )
    if outcome.problems:
        raise typer.Exit(EXIT_FAILED)


def register(app: typer.Typer) -> None:
    """Add ``credstack interop`` to ``app``."""
    app.add_typer(interop_app, name="interop")
