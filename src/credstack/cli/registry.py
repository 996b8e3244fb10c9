"""Registry commands: init, import, search, show, export, versions, lifecycle, providers,
schema, generate."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from credstack.cli.common import (
    EXIT_FAILED,
    DbOption,
    JsonOption,
    actor,
    console,
    emit_json,
    error_console,
    fail,
    new_table,
    open_database,
    operator,
    print_table,
    user_errors,
)
from credstack.config import Settings
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry import records, service
from credstack.registry.bulk import load_documents
from credstack.registry.files import dump_record, expand_paths
from credstack.registry.generate import generate_documents
from credstack.registry.importer import import_files
from credstack.registry.query import SearchRequest, SortOrder, facet_filters
from credstack.registry.search import search as run_search
from credstack.registry.service import PublishBlocked

PROGRESS_THRESHOLD = 20


def init(db: DbOption = None) -> None:
    """Create (or bring up to date) the registry database."""
    with user_errors():
        database = open_database(db)
    console.print(f"Registry ready at {database.engine.url.render_as_string(hide_password=True)}")


def import_(
    paths: Annotated[list[Path], typer.Argument(
        help="Record files (.yaml/.json), folders, or CSV catalogues (.csv).")],
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="CSV: store the good rows; write the rest to NAME.rejects.csv.")
    ] = False,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Import record files or CSV catalogues; all is checked first, nothing written on error."""
    if any(path.suffix.lower() == ".csv" for path in paths):
        _import_csv(paths, skip_invalid=skip_invalid, db=db, json_output=json_output)
        return
    with user_errors():
        database = open_database(db)
        files = sum(1 for _ in expand_paths(paths))
        if files >= PROGRESS_THRESHOLD and not json_output:
            with _progress() as progress:
                task = progress.add_task("Importing", total=files)
                report = import_files(
                    database, paths, actor=actor(), progress=lambda _n: progress.advance(task)
                )
        else:
            report = import_files(database, paths, actor=actor())
    summary = {
        "files": report.files,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": [{"file": note.source, "reason": note.message} for note in report.skipped],
    }
    if json_output:
        emit_json(summary)
        return
    for note in report.skipped:
        error_console.print(f"note: {note}", highlight=False)
    console.print(
        f"Imported {report.files} file(s): {len(report.created)} created, "
        f"{len(report.updated)} updated, {len(report.unchanged)} unchanged."
    )


def _import_csv(paths: list[Path], *, skip_invalid: bool, db: str | None,
                json_output: bool) -> None:
    # CSV catalogues belong to the interop capability; one catalogue per command.
    from credstack.cli.interop import import_csv_file

    if len(paths) != 1:
        fail("import one CSV catalogue at a time, without other files")
    import_csv_file(paths[0], skip_invalid=skip_invalid, rejects=None, dry_run=False, db=db,
                    json_output=json_output)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    )


def search(
    query: Annotated[str, typer.Argument(help="Free text; every word must match.")] = "",
    provider: Annotated[list[str] | None, typer.Option(help="Provider id (repeatable).")] = None,
    jurisdiction: Annotated[list[str] | None, typer.Option(help="e.g. CA-BC, IE.")] = None,
    level: Annotated[list[str] | None, typer.Option(help="framework:level, e.g. eqf:6.")] = None,
    delivery_mode: Annotated[list[str] | None, typer.Option(help="online|onsite|blended")] = None,
    language: Annotated[list[str] | None, typer.Option(help="ISO 639 code, e.g. en.")] = None,
    assessment_method: Annotated[list[str] | None, typer.Option(help="e.g. portfolio.")] = None,
    credit_system: Annotated[list[str] | None, typer.Option(help="e.g. ects, nz_credit.")] = None,
    currency: Annotated[
        list[str] | None, typer.Option(help="ISO 4217 code; one is needed for a price range.")
    ] = None,
    competency: Annotated[list[str] | None, typer.Option(help="Aligned competency URI.")] = None,
    status: Annotated[
        list[LifecycleStatus] | None, typer.Option(help="Default: published.")
    ] = None,
    hours_min: Annotated[float | None, typer.Option()] = None,
    hours_max: Annotated[float | None, typer.Option()] = None,
    price_min: Annotated[float | None, typer.Option()] = None,
    price_max: Annotated[float | None, typer.Option()] = None,
    sort: Annotated[SortOrder, typer.Option()] = SortOrder.RELEVANCE,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Search the registry with filters; facet counts in --json."""
    facets = facet_filters(
        provider=provider,
        jurisdiction=jurisdiction,
        level=level,
        delivery_mode=delivery_mode,
        language=language,
        assessment_method=assessment_method,
        credit_system=credit_system,
        currency=currency,
        competency=competency,
    )
    request = SearchRequest(
        text=query,
        facets=facets,
        statuses=tuple(status) if status else (LifecycleStatus.PUBLISHED,),
        hours_min=hours_min,
        hours_max=hours_max,
        price_min=price_min,
        price_max=price_max,
        sort=sort,
        limit=limit,
        offset=offset,
        with_facets=json_output,
    )
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            result = run_search(session, request)
    if json_output:
        emit_json(
            {
                "items": [item.summary() for item in result.items],
                "total": result.total,
                "facets": result.facets,
            }
        )
        return
    table = new_table(
        "id", "title", "provider", "hours", "price", "status",
        title=f"{result.total} micro-credential(s)",
    )
    for item in result.items:
        row = item.summary()
        price = row["price"]
        table.add_row(
            row["id"],
            row["title"],
            row["provider"]["name"],
            f"{row['total_hours']:g}" if row["total_hours"] else "",
            f"{price['amount']:g} {price['currency']}" if price else "",
            row["status"],
        )
    print_table(table)


def show(
    credential_id: Annotated[str, typer.Argument(metavar="ID")],
    version: Annotated[int | None, typer.Option(help="A past version (default: current).")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show a record's whole CIS."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            stored = service.get_record(session, credential_id=credential_id, version=version)
    if json_output:
        emit_json(
            {
                **stored.summary(),
                "version": stored.version,
                "current_version": stored.current_version,
                "record": stored.record.to_document(),
            }
        )
        return
    console.print(
        f"[bold]{stored.record.title}[/bold]  ({stored.status.value}, version "
        f"{stored.version} of {stored.current_version})"
    )
    console.print(dump_record(stored.record, fmt="yaml"), highlight=False, markup=False)


def export(
    credential_id: Annotated[str, typer.Argument(metavar="ID")],
    fmt: Annotated[str, typer.Option("--format", help="yaml, json, ctdl or elm")] = "yaml",
    version: Annotated[int | None, typer.Option()] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    db: DbOption = None,
) -> None:
    """Export a record in the file format (import reads it back unchanged)."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            stored = service.get_record(session, credential_id=credential_id, version=version)
        text = _export_text(stored.record, fmt)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def _export_text(record: MicroCredential, fmt: str) -> str:
    if fmt in ("ctdl", "elm"):
        # Other registries' formats live in the interop capability.
        from credstack.interop.files import dump_json
        from credstack.interop.service import render

        return dump_json(render(record, fmt=fmt))
    return dump_record(record, fmt=fmt)


def versions(
    credential_id: Annotated[str, typer.Argument(metavar="ID")],
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """List a record's versions."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            found = service.list_versions(session, credential_id=credential_id)
    rows = [
        {
            "version": v.version,
            "created_at": v.created_at,
            "created_by": v.created_by,
            "content_hash": v.content_hash,
        }
        for v in found
    ]
    if json_output:
        emit_json(rows)
        return
    table = new_table("version", "created", "by")
    for row in rows:
        table.add_row(str(row["version"]), str(row["created_at"]), str(row["created_by"]))
    print_table(table)


def lifecycle(
    credential_id: Annotated[str, typer.Argument(metavar="ID")],
    to: Annotated[LifecycleStatus | None, typer.Option("--to", help="Move to this status.")] = None,
    note: Annotated[str | None, typer.Option()] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show a record's status history, or move it (publishing must pass the standard)."""
    settings = Settings.resolve(db)
    with user_errors():
        database = open_database(db)
        if to is not None:
            from credstack.registry.gate import quality_gate

            try:
                with database.unit_of_work() as session:
                    records.move(
                        session,
                        actor=operator(),
                        credential_id=credential_id,
                        target=to,
                        note=note,
                        publish_gate=quality_gate(settings.publish_standard),
                        standard=settings.publish_standard,
                    )
            except PublishBlocked as blocked:
                report_blocked(blocked, json_output=json_output)
        with database.read() as session:
            stored = service.get_record(session, credential_id=credential_id)
            history = service.status_history(session, credential_id=credential_id)
    if json_output:
        emit_json(
            {
                "id": credential_id,
                "status": stored.status.value,
                "review_due": stored.review_due,
                "history": history,
            }
        )
        return
    console.print(
        f"{credential_id}: {stored.status.value}" + (" (review due)" if stored.review_due else "")
    )
    for event in history:
        console.print(f"  {event['at']}  {event['from']} → {event['to']}  by {event['actor']}")


def report_blocked(blocked: PublishBlocked, *, json_output: bool) -> NoReturn:
    """Say which rules of the standard block a publication, and exit 1."""
    if json_output:
        emit_json({"published": False, "standard": blocked.standard,
                   "failures": blocked.failures})
    else:
        for failure in blocked.failures:
            console.print(f"[red]✗[/red] {failure['rule']}: {failure['message']}")
    fail(str(blocked), EXIT_FAILED)


def providers(db: DbOption = None, json_output: JsonOption = False) -> None:
    """List providers and how many micro-credentials each issues."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            found = service.list_providers(session)
    if json_output:
        emit_json(found)
        return
    table = new_table("id", "name", "country", "region", "type", "credentials")
    for row in found:
        table.add_row(
            row["id"],
            row["name"],
            row["country"],
            row.get("region") or "",
            row["type"],
            str(row["credentials"]),
        )
    print_table(table)


def schema() -> None:
    """Print the JSON Schema of the micro-credential file format."""
    typer.echo(json.dumps(record_schema(), indent=2))


def record_schema() -> dict[str, Any]:
    """The JSON Schema of the file format, with its identity."""
    document = MicroCredential.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["$id"] = "https://credstack.org/schema/micro-credential.json"
    return document


def generate(
    count: Annotated[int, typer.Option("--count", min=1, max=2_000_000)] = 1000,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write files here instead of storing.")
    ] = None,
    batch: Annotated[int, typer.Option(min=1, max=100_000)] = 5000,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Generate a realistic synthetic registry (seeded), stored or written as files."""
    started = time.perf_counter()
    with user_errors():
        if output is not None:
            output.mkdir(parents=True, exist_ok=True)
            for document in generate_documents(count, seed):
                path = output / f"{document['id']}.json"
                path.write_text(json.dumps(document), encoding="utf-8")
        else:
            database = open_database(db)
            with _progress() as progress:
                task = progress.add_task("Generating", total=count)
                load_documents(
                    database,
                    generate_documents(count, seed),
                    actor="generator",
                    batch=min(batch, count),
                    workers=0 if count <= batch else 1,
                    progress=lambda stored: progress.advance(task, stored),
                )
    elapsed = time.perf_counter() - started
    if json_output:
        emit_json({"count": count, "seed": seed, "seconds": round(elapsed, 3)})
    else:
        console.print(f"Generated {count} records (seed {seed}) in {elapsed:.1f} s.")


def register(app: typer.Typer) -> None:
    """Add the registry commands to ``app``."""
    app.command()(init)
    app.command("import")(import_)
    app.command()(search)
    app.command()(show)
    app.command()(export)
    app.command()(versions)
    app.command()(lifecycle)
    app.command()(providers)
    app.command()(schema)
    app.command()(generate)
