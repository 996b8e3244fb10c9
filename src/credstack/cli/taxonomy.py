"""Framework commands: ``credstack frameworks import | list | show | export``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from credstack.cli.common import (
    DbOption,
    JsonOption,
    console,
    emit_json,
    fail,
    new_table,
    open_database,
    operator,
    print_table,
    user_errors,
)
from credstack.taxonomy.importers.case import export_case, read_case
from credstack.taxonomy.importers.custom import read_custom_csv, read_custom_yaml
from credstack.taxonomy.importers.esco import read_esco
from credstack.taxonomy.importers.noc import read_noc
from credstack.taxonomy.model import Framework
from credstack.taxonomy.service import (
    get_framework_summary,
    import_framework,
    list_frameworks,
    load_framework,
)
from credstack.taxonomy.snapshot import load_bundled_esco

frameworks = typer.Typer(
    help="Competency frameworks: ESCO, CASE 1.1, custom CSV/YAML; NOC 2021 occupations."
)


class Kind(StrEnum):
    """What kind of file a framework is imported from."""

    ESCO = "esco"
    CASE = "case"
    CSV = "csv"
    YAML = "yaml"
    NOC = "noc"


def read_framework(
    kind: Kind,
    path: Path | None,
    *,
    framework_id: str | None = None,
    name: str | None = None,
    publisher: str = "unknown",
    version: str = "1",
) -> Framework:
    """The framework in ``path`` read as ``kind`` (ESCO without a path: the snapshot)."""
    if kind == Kind.ESCO:
        return load_bundled_esco() if path is None else read_esco(path)
    if path is None:
        fail(f"a PATH is needed to import a {kind.value} framework")
    if kind == Kind.NOC:
        return read_noc(path)
    if kind == Kind.CASE:
        return read_case(path, framework_id=framework_id)
    if kind == Kind.CSV:
        return read_custom_csv(
            path, framework_id=framework_id, name=name, publisher=publisher, version=version
        )
    return read_custom_yaml(path)


@frameworks.command("import")
def import_command(
    kind: Annotated[Kind, typer.Argument(help="esco, case, csv, yaml or noc.")],
    path: Annotated[
        Path | None,
        typer.Argument(
            help="File or folder (noc: the NOC 2021 folder); for esco, omit to load the "
            "shipped snapshot."
        ),
    ] = None,
    framework_id: Annotated[
        str | None, typer.Option("--id", help="Framework id (case, csv).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Framework name (csv).")] = None,
    publisher: Annotated[str, typer.Option(help="Publisher (csv).")] = "unknown",
    version: Annotated[str, typer.Option(help="Version (csv).")] = "1",
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Import a framework in one transaction; a newer version updates it in place by URI."""
    with user_errors():
        framework = read_framework(
            kind, path, framework_id=framework_id, name=name, publisher=publisher, version=version
        )
        database = open_database(db)
        with database.unit_of_work() as session:
            result = import_framework(session, framework=framework, actor=operator())
    if json_output:
        emit_json(result.__dict__)
        return
    console.print(
        f"Imported {result.framework_id} {result.version}: {result.added} added, "
        f"{result.updated} updated, {result.unchanged} unchanged, {result.retired} retired, "
        f"{result.occupations} occupations"
    )


@frameworks.command("list")
def list_command(db: DbOption = None, json_output: JsonOption = False) -> None:
    """List imported frameworks (and the shipped ESCO snapshot)."""
    with user_errors(), open_database(db).read() as session:
        found = list_frameworks(session)
    if json_output:
        emit_json([summary.to_dict() for summary in found])
        return
    table = new_table("id", "name", "version", "competencies", "occupations", "stored")
    for summary in found:
        table.add_row(
            summary.id,
            summary.name,
            summary.version,
            str(summary.competency_count),
            str(summary.occupation_count),
            "yes" if summary.stored else "shipped snapshot",
        )
    print_table(table)


@frameworks.command("show")
def show_command(
    framework_id: Annotated[str, typer.Argument(help="Framework id, e.g. esco.")],
    competencies: Annotated[
        int, typer.Option("--competencies", help="How many competencies to list.")
    ] = 10,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show a framework's metadata, scales and first competencies."""
    with user_errors(), open_database(db).read() as session:
        summary = get_framework_summary(session, framework_id=framework_id)
        framework = load_framework(session, framework_id=framework_id)
    sample = [c for c in framework.competencies if not c.is_group][:competencies]
    if json_output:
        emit_json(
            {
                **summary.to_dict(),
                "scales": [
                    {"id": s.id, "name": s.name, "levels": [level.__dict__ for level in s.levels]}
                    for s in framework.scales
                ],
                "competencies": [
                    {
                        "uri": c.uri,
                        "code": c.code,
                        "label": c.preferred_label,
                        "type": c.type.value if c.type else None,
                    }
                    for c in sample
                ],
            }
        )
        return
    console.print(f"[bold]{summary.name}[/bold] ({summary.id} {summary.version})")
    console.print(f"publisher: {summary.publisher}\nlicence: {summary.licence}")
    console.print(
        f"competencies: {summary.competency_count}, occupations: {summary.occupation_count}"
    )
    console.print("scales: " + "; ".join(s.name for s in framework.scales))
    for competency in sample:
        console.print(f"  {competency.preferred_label}  [dim]{competency.uri}[/dim]")


@frameworks.command("export")
def export_command(
    framework_id: Annotated[str, typer.Argument(help="Framework id.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: stdout).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export a framework as a CASE 1.1 package (JSON)."""
    with user_errors(), open_database(db).read() as session:
        framework = load_framework(session, framework_id=framework_id)
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
    text = json.dumps(export_case(framework, last_change=stamp), ensure_ascii=False, indent=1)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        console.print(f"Wrote {out}")


def register(app: typer.Typer) -> None:
    """Add ``frameworks`` to the ``credstack`` command."""
    app.add_typer(frameworks, name="frameworks")
