"""The rubrics, learners and assess commands: output, --json, errors and exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from credstack.cli.main import app

Factory = Callable[..., dict[str, Any]]
Writer = Callable[[Path, Any], Path]
runner = CliRunner()


@pytest.fixture
def db(database_url: str, example_path: Path, rubric_path: Path) -> str:
    """A database holding the example record, its rubric and learner ada."""
    for args in (
        ["import", str(example_path)],
        ["rubrics", "import", str(rubric_path)],
        ["learners", "add", "ada", "--email", "ada@example.org"],
    ):
        result = runner.invoke(app, [*args, "--db", database_url])
        assert result.exit_code == 0, result.output
    return database_url


def test_rubrics_show_json_has_criteria_and_version(db: str) -> None:
    result = runner.invoke(app, ["rubrics", "show", "rru-caf-foundations-rubric", "--json",
                                 "--db", db])
    data = json.loads(result.stdout)
    assert data["version"] == 1
    assert [c["id"] for c in data["criteria"]] == ["impacts", "risk", "plan", "communication"]


def test_rubric_import_error_names_file_and_field(
    db: str, rubric_path: Path, tmp_path: Path, write_yaml: Writer
) -> None:
    data = yaml.safe_load(rubric_path.read_text(encoding="utf-8"))
    data["criteria"][2]["threshold"] = "guru"
    path = write_yaml(tmp_path / "bad.yaml", data)
    result = runner.invoke(app, ["rubrics", "import", str(path), "--db", db])
    assert result.exit_code == 2
    assert f"{path}: criteria[2].threshold:" in "".join(result.output.split("\n"))


def test_learner_with_malformed_email_exits_2(db: str) -> None:
    result = runner.invoke(app, ["learners", "add", "bob", "--email", "bob-at-example", "--db", db])
    assert result.exit_code == 2
    assert "email" in result.output


def test_assess_record_prints_the_decision(
    db: str, tmp_path: Path, assessment_data: Factory, write_yaml: Writer
) -> None:
    (tmp_path / "plan.pdf").write_bytes(b"plan")
    data = assessment_data()
    for result in data["results"]:
        for item in result.get("evidence", []):
            item.pop("sha256", None)
    path = write_yaml(tmp_path / "assessment.yaml", data)
    result = runner.invoke(app, ["assess", "record", str(path), "--json", "--db", db])
    assert result.exit_code == 0, result.output
    recorded = json.loads(result.stdout)
    assert recorded["decision"]["decision"] == "competent"
    shown = runner.invoke(app, ["assess", "show", recorded["id"], "--json", "--db", db])
    assert json.loads(shown.stdout)["results"][1]["evidence"][0]["sha256"] == (
        "64879f7d6b960a01909762d911a32d4582c20010c5641ee90278b644a9e3b525"
    )


def test_unknown_assessment_exits_2(db: str) -> None:
    result = runner.invoke(app, ["assess", "show", "asm-missing", "--db", db])
    assert result.exit_code == 2
