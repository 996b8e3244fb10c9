"""Quality commands: ``rules list | show | validate`` and ``check``.

``check`` exit codes: 0 every record meets every required rule, 1 a required rule
fails, 2 bad input (unknown framework, malformed rule set, unreadable record).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.padding import Padding
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from credstack.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    DbOption,
    JsonOption,
    console,
    emit_json,
    error_console,
    fail,
    new_table,
    open_database,
    print_table,
    user_errors,
)
from credstack.config import Settings
from credstack.domain.credential import MicroCredential
from credstack.errors import InvalidInput, Problem
from credstack.quality import service
from credstack.quality.engine import CompiledRuleSet, ComplianceReport
from credstack.quality.loader import get_rule_set, load_file, looks_like_path
from credstack.quality.model import Outcome
from credstack.quality.report import record_rows, write_report
from credstack.quality.summary import RegistrySummary

rules_app = typer.Typer(
    name="rules", help="Quality rule sets: list, show and validate.", no_args_is_help=True
)

_STYLE = {
    Outcome.PASS: "green",
    Outcome.FAIL: "bold red",
    Outcome.WARNING: "yellow",
    Outcome.NOT_APPLICABLE: "dim",
}


@rules_app.command("list")
def list_rules(json_output: JsonOption = False) -> None:
    """List the shipped rule sets (frameworks)."""
    summaries = [rule_set.summary() for rule_set in service.frameworks()]
    if json_output:
        emit_json({"frameworks": summaries})
        return
    table = new_table("id", "name", "jurisdiction", "version", "required", "recommended", "info")
    for item in summaries:
        counts = item["severities"]
        table.add_row(
            item["id"],
            item["name"],
            item["jurisdiction"],
            item["version"],
            str(counts["required"]),
            str(counts["recommended"]),
            str(counts["info"]),
        )
    print_table(table)


@rules_app.command("show")
def show_rules(
    reference: Annotated[str, typer.Argument(help="A shipped rule set id or a YAML file.")],
    json_output: JsonOption = False,
) -> None:
    """Show a rule set's metadata and every rule (its check in words, message, citation)."""
    with user_errors():
        rule_set = get_rule_set(reference)
    if json_output:
        emit_json(rule_set.to_dict())
        return
    console.print(
        f"[bold]{rule_set.name}[/bold] ({rule_set.id}, {rule_set.jurisdiction}, "
        f"version {rule_set.version})"
    )
    console.print(f"Source: {rule_set.source.title}", highlight=False)
    if rule_set.extends:
        console.print(f"Extends: {', '.join(rule_set.extends)}")
    table = new_table("rule", "severity", "check", "message", "citation", show_lines=True)
    for rule in rule_set.rules:
        item = rule.to_dict()
        # Checks quote allowed values in brackets ("one of [a, b]"): not markup.
        table.add_row(*(escape(str(item[name])) for name in
                        ("key", "severity", "check", "message", "citation")))
    print_table(table)


@rules_app.command("validate")
def validate_rules(
    files: Annotated[list[Path], typer.Argument(help="Rule set YAML files to check.")],
    json_output: JsonOption = False,
) -> None:
    """Check rule set files: every problem is named with file, rule id and reason (exit 2)."""
    problems: list[Problem] = []
    valid: list[dict[str, Any]] = []
    for path in files:
        try:
            rule_set = load_file(path)
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        valid.append({"file": str(path), "id": rule_set.id, "rules": len(rule_set.rules)})
    if json_output:
        emit_json(
            {
                "valid": valid,
                "problems": [
                    {"file": p.source, "location": p.location, "message": p.message}
                    for p in problems
                ],
            }
        )
    else:
        for item in valid:
            console.print(f"{item['file']}: valid rule set '{item['id']}' ({item['rules']} rules)")
        for problem in problems:
            error_console.print(f"[red]error:[/red] {problem}", markup=True, highlight=False)
    if problems:
        raise typer.Exit(EXIT_BAD_INPUT)


def _references(frameworks: list[str] | None, rules: list[Path] | None) -> list[str]:
    references = service.parse_references(frameworks) if frameworks else []
    references.extend(str(path) for path in rules or [])
    if not references:
        references = [Settings.resolve().publish_standard]
    return list(dict.fromkeys(references))


def _targets(targets: list[str], db: str | None) -> Iterator[MicroCredential]:
    """Records named on the command line: files (drafts) or ids of stored records."""
    from credstack.registry.files import load_records

    ids: list[str] = []
    for target in targets:
        path = Path(target)
        if path.is_file():
            yield from load_records(path)
        elif looks_like_path(target) or target.endswith(".json"):
            raise InvalidInput([Problem("", "no such file", target)])
        else:
            ids.append(target)
    if ids:
        from credstack.registry.service import get_record

        database = open_database(db)
        with database.read() as session:
            for credential_id in ids:
                yield get_record(session, credential_id=credential_id).record


def _print_report(report: ComplianceReport) -> None:
    verdict = "[green]compliant[/green]" if report.compliant else "[red]non-compliant[/red]"
    counts = report.counts()
    console.print(
        f"\n[bold]{report.record.id}[/bold] against [bold]{report.rule_set.id}[/bold]: {verdict} "
        f"({counts['pass']} pass, {counts['fail']} fail, {counts['warning']} warning, "
        f"{counts['not_applicable']} not applicable)",
        highlight=False,
    )
    # A list rather than a table: messages and citations stay readable in narrow terminals.
    for result in report.results:
        style = _STYLE[result.outcome]
        label = f"[{style}]{result.outcome.value:<14}[/{style}]"
        console.print(
            f"  {label} {result.rule.key} [dim]({result.severity.value})[/dim]", highlight=False
        )
        if result.outcome in (Outcome.FAIL, Outcome.WARNING):
            detail = Text(result.message)
            if result.observed:
                detail.append(f"\nfound: {result.observed}", style="dim")
            detail.append(f"\n{result.citation}", style="dim")
            if console.is_terminal:
                console.print(Padding(detail, (0, 0, 0, 17)))
            else:  # in a pipe or a file every line stays whole
                console.out("\n".join(" " * 17 + line for line in detail.plain.split("\n")),
                            highlight=False)


def _check_records(
    targets: list[str], rule_sets: list[CompiledRuleSet], db: str | None, json_output: bool
) -> bool:
    with user_errors():
        records = list(_targets(targets, db))
    reports = [rule_set.check(record) for record in records for rule_set in rule_sets]
    compliant = all(report.compliant for report in reports)
    if json_output:
        emit_json({"compliant": compliant, "reports": [report.to_dict() for report in reports]})
    else:
        for report in reports:
            _print_report(report)
    return compliant


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )


def _check_registry(
    rule_sets: list[CompiledRuleSet], db: str | None, report_dir: Path | None, json_output: bool
) -> RegistrySummary:
    from credstack.registry.service import count_records

    with user_errors():
        database = open_database(db)
    with database.read() as session, ExitStack() as stack:
        total = count_records(session)
        hook = stack.enter_context(record_rows(report_dir)) if report_dir else None
        if json_output:
            summary = service.summarise(service.stored_records(session), rule_sets, on_result=hook)
        else:
            progress = stack.enter_context(_progress())
            task = progress.add_task("Checking", total=total)
            summary = service.summarise(
                service.stored_records(session),
                rule_sets,
                on_result=hook,
                on_record=lambda _record: progress.advance(task),
            )
    if report_dir is not None:
        write_report(summary, report_dir)
    return summary


def _print_summary(summary: RegistrySummary) -> None:
    table = new_table("framework", "records", "compliant", "rate", "most failed required rule")
    for framework in summary.frameworks:
        top = framework.failures.most_common(1)
        worst = f"{top[0][0]} ({top[0][1]})" if top else "-"
        table.add_row(
            framework.rule_set.id,
            str(framework.records.checked),
            str(framework.records.passed),
            f"{framework.records.rate:.0%}",
            worst,
        )
    print_table(table)


def check(
    targets: Annotated[
        list[str] | None,
        typer.Argument(help="Record files (drafts) or ids of stored records.", show_default=False),
    ] = None,
    framework: Annotated[
        list[str] | None,
        typer.Option(
            "--framework",
            "-f",
            help="Rule set ids or YAML files, comma-separated or repeated "
            "(default: the configured publishing standard).",
        ),
    ] = None,
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", help="A user-written rule set YAML file (repeatable)."),
    ] = None,
    all_records: Annotated[
        bool, typer.Option("--all", help="Check every record in the registry.")
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="With --all: write HTML, CSV and SVG charts here."),
    ] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Check micro-credentials against frameworks: per rule pass / fail / warning / n.a.

    Exit 1 when a required rule fails, 0 otherwise, 2 on bad input.
    """
    if all_records == bool(targets):
        fail("give record files or ids, or --all (not both)")
    if report is not None and not all_records:
        fail("--report needs --all")
    with user_errors():
        rule_sets = service.compile_all(_references(framework, rules))
    if not all_records:
        compliant = _check_records(targets or [], rule_sets, db, json_output)
    else:
        summary = _check_registry(rule_sets, db, report, json_output)
        compliant = all(f.records.passed == f.records.checked for f in summary.frameworks)
        if json_output:
            emit_json({**summary.to_dict(), "report": str(report) if report else None})
        else:
            _print_summary(summary)
            if report is not None:
                console.print(f"Report written to {report}/index.html")
    if not compliant:
        raise typer.Exit(EXIT_FAILED)


def register(app: typer.Typer) -> None:
    """Add ``rules`` and ``check`` to the ``credstack`` command."""
    app.add_typer(rules_app, name="rules")
    app.command("check")(check)
