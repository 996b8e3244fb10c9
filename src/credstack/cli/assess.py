"""Assessment commands: rubrics import/show/list, learners add/list, assess record/show/list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from credstack.assess import service
from credstack.assess.files import load_assessment, load_rubric, problems_from
from credstack.assess.learner import LearnerInput
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
from credstack.errors import InvalidInput

rubrics = typer.Typer(
    help="Rubrics: criteria, proficiency scale and thresholds.", no_args_is_help=True
)
learners = typer.Typer(help="Learners (minimal personal data).", no_args_is_help=True)
assessments = typer.Typer(help="Assessment records and decisions.", no_args_is_help=True)


@rubrics.command("import")
def import_rubric(
    path: Annotated[Path, typer.Argument(help="Rubric file (.yaml/.json).")],
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Import a rubric; it must fit its micro-credential (outcomes, methods)."""
    with user_errors():
        rubric = load_rubric(path)
        database = open_database(db)
        with database.unit_of_work() as session:
            stored, changed = service.save_rubric(
                session, rubric=rubric, actor=operator(), source=str(path)
            )
    result = {"id": rubric.id, "version": stored.version, "changed": changed}
    if json_output:
        emit_json(result)
        return
    state = "stored" if changed else "unchanged"
    console.print(f"Rubric {rubric.id} version {stored.version} {state}.")


@rubrics.command("show")
def show_rubric(
    rubric_id: Annotated[str, typer.Argument(help="Rubric id.")],
    version: Annotated[int | None, typer.Option(help="Version (default: latest).")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show a rubric: its scale and criteria with thresholds."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            stored = service.get_rubric(
                session, rubric_id=rubric_id, version=version, actor=operator()
            )
    if json_output:
        emit_json(stored.to_dict())
        return
    rubric = stored.rubric
    console.print(f"[bold]{rubric.title}[/bold] ({rubric.id} v{stored.version})")
    console.print(f"Micro-credential: {rubric.micro_credential}")
    console.print("Scale: " + " < ".join(level.name for level in rubric.scale.levels))
    table = new_table("criterion", "outcomes", "method", "threshold", "required", "evidence")
    for criterion in rubric.criteria:
        table.add_row(
            f"{criterion.id}: {criterion.name}",
            ", ".join(criterion.learning_outcomes),
            criterion.method.value,
            criterion.threshold,
            "yes" if criterion.required else "no",
            "; ".join(criterion.evidence_required),
        )
    print_table(table)


@rubrics.command("list")
def list_rubrics(
    credential: Annotated[str | None, typer.Option(help="Only this micro-credential.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """List rubrics (latest versions)."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            items = service.list_rubrics(session, actor=operator(), credential_id=credential)
    if json_output:
        emit_json(items)
        return
    table = new_table("id", "version", "micro-credential", "criteria", "title")
    for item in items:
        table.add_row(
            item["id"],
            str(item["version"]),
            item["micro_credential"],
            str(item["criteria"]),
            item["title"],
        )
    print_table(table)


@learners.command("add")
def add_learner(
    learner_id: Annotated[str, typer.Argument(help="Learner id (lower case, digits, - . _).")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    email: Annotated[
        str | None,
        typer.Option(help="Email; only its salted SHA-256 hash is kept (OB 3.0 IdentityObject)."),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option(help="Email of the user account whose wallet receives the badges."),
    ] = None,
    organization: Annotated[
        str | None, typer.Option(help="Organization (provider id) registering the learner.")
    ] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add a learner."""
    with user_errors():
        try:
            given = LearnerInput(
                id=learner_id, display_name=name, email=email, account=account
            )
        except ValidationError as error:
            raise InvalidInput(problems_from(error, "learner")) from None
        database = open_database(db)
        with database.unit_of_work() as session:
            learner = service.add_learner(
                session, learner=given, actor=operator(), organization_id=organization
            )
    if json_output:
        emit_json(learner.summary())
        return
    console.print(f"Learner {learner.id} added.")


@learners.command("link")
def link_learner(
    learner_id: Annotated[str, typer.Argument(help="Learner id.")],
    account: Annotated[str, typer.Argument(help="Email of the user account.")],
    db: DbOption = None,
) -> None:
    """Link a learner to a user account: its badges appear in that user's wallet."""
    with user_errors():
        database = open_database(db)
        with database.unit_of_work() as session:
            service.link_account(session, learner_id=learner_id, email=account,
                                 actor=operator())
    console.print(f"Learner {learner_id} linked to {account}.")


@learners.command("list")
def list_learners(db: DbOption = None, json_output: JsonOption = False) -> None:
    """List learners."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            found = service.list_learners(session, actor=operator())
            items = [learner.summary() for learner in found]
    if json_output:
        emit_json(items)
        return
    table = new_table("id", "name", "email hash")
    for item in items:
        table.add_row(item["id"], item["display_name"] or "", "yes" if item["has_email"] else "no")
    print_table(table)


def _print_assessment(data: dict[str, object]) -> None:
    decision = data["decision"]
    assert isinstance(decision, dict)
    colour = "green" if decision["competent"] else "yellow"
    console.print(
        f"Assessment {data['id']}: [{colour}]{decision['decision']}[/{colour}] "
        f"(achieved level: {decision['achieved_level'] or '-'})"
    )
    table = new_table("criterion", "level", "threshold", "required", "met")
    for item in decision["criteria"]:
        table.add_row(
            item["criterion"],
            item["level"] or "-",
            item["threshold"],
            "yes" if item["required"] else "no",
            "yes" if item["met"] else "no",
        )
    print_table(table)
    for reason in decision["reasons"]:
        console.print(f"  - {reason}")


@assessments.command("record")
def record_assessment(
    path: Annotated[Path, typer.Argument(help="Assessment record file (.yaml/.json).")],
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Record an assessment and print the decision (evidence files hashed next to it)."""
    with user_errors():
        record = load_assessment(path)
        database = open_database(db)
        with database.unit_of_work() as session:
            stored = service.record_assessment(
                session, record=record, actor=operator(), source=str(path)
            )
    if json_output:
        emit_json(stored.to_dict())
        return
    _print_assessment(stored.to_dict())


@assessments.command("show")
def show_assessment(
    assessment_id: Annotated[str, typer.Argument(help="Assessment id.")],
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show an assessment with its decision per criterion."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            stored = service.get_assessment(
                session, assessment_id=assessment_id, actor=operator()
            )
    if json_output:
        emit_json(stored.to_dict())
        return
    _print_assessment(stored.to_dict())


@assessments.command("list")
def list_assessments(
    learner: Annotated[str | None, typer.Option(help="Only this learner.")] = None,
    credential: Annotated[str | None, typer.Option(help="Only this micro-credential.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """List assessments, newest first."""
    with user_errors():
        database = open_database(db)
        with database.read() as session:
            items = service.list_assessments(
                session, actor=operator(), learner_id=learner, credential_id=credential
            )
    if json_output:
        emit_json(items)
        return
    table = new_table("id", "learner", "micro-credential", "attempt", "date", "decision")
    for item in items:
        table.add_row(
            item["id"],
            item["learner"],
            item["micro_credential"],
            str(item["attempt"]),
            item["date"],
            item["decision"],
        )
    print_table(table)


def register(app: typer.Typer) -> None:
    """Add the rubrics, learners and assess command groups."""
    app.add_typer(rubrics, name="rubrics")
    app.add_typer(learners, name="learners")
    app.add_typer(assessments, name="assess")
