# ruff: noqa: E501 - fixture documents read best one item a line
"""The ``frameworks`` and ``align`` commands and the API endpoints."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from credstack.accounts.model import OrgRole, RegistryRole
from credstack.api.app import create_app
from credstack.cli.main import app
from credstack.registry import service as registry
from credstack.registry.files import load_record
from credstack.store.unit_of_work import Database

runner = CliRunner()


def test_cli_imports_and_lists_a_framework(database_url: str, custom_yaml: Path) -> None:
    imported = runner.invoke(
        app, ["frameworks", "import", "yaml", str(custom_yaml), "--db", database_url, "--json"]
    )
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["added"] == 4
    listed = runner.invoke(app, ["frameworks", "list", "--db", database_url, "--json"])
    assert {f["id"] for f in json.loads(listed.stdout)} == {"acme-data", "esco"}


def test_cli_reports_wrong_csv_columns_with_exit_2(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,name\n1,x\n", encoding="utf-8")
    result = runner.invoke(app, ["frameworks", "import", "csv", str(path), "--db", database_url])
    assert result.exit_code == 2
    assert "expected uri, label" in result.output


def test_cli_align_text_prints_one_json_line_per_statement(
    database_url: str, custom_yaml: Path
) -> None:
    runner.invoke(app, ["frameworks", "import", "yaml", str(custom_yaml), "--db", database_url])
    result = runner.invoke(
        app,
        ["align", "--text", "bake bread", "--text", "chart data", "--framework", "acme-data", "--top", "2", "--json", "--db", database_url],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["statement"] for line in lines] == ["bake bread", "chart data"]
    assert lines[0]["competencies"][0]["uri"] == "https://acme.example/c/bake"
    assert set(lines[0]["competencies"][0]) >= {"uri", "label", "score"}


def test_cli_align_unknown_framework_exits_2(database_url: str) -> None:
    result = runner.invoke(
        app, ["align", "--text", "x", "--framework", "nope", "--db", database_url]
    )
    assert result.exit_code == 2
    assert "unknown framework 'nope'" in result.output


def test_cli_align_record_then_accept(
    database_url: str, custom_yaml: Path, example_path: Path
) -> None:
    runner.invoke(app, ["frameworks", "import", "yaml", str(custom_yaml), "--db", database_url])
    runner.invoke(app, ["import", str(example_path), "--db", database_url])
    record_id = load_record(example_path).id
    shown = runner.invoke(
        app, ["align", record_id, "-f", "acme-data", "--json", "--db", database_url]
    )
    assert shown.exit_code == 0, shown.output
    outcome = json.loads(shown.stdout)["outcomes"][0]
    uri = outcome["suggestions"][0]["uri"]
    accepted = runner.invoke(
        app,
        ["align", "accept", record_id, outcome["outcome_id"], uri, "--level", "basic", "-f", "acme-data", "--reviewer", "ana", "--json", "--db", database_url],
    )  # fmt: skip
    assert accepted.exit_code == 0, accepted.output
    assert json.loads(accepted.stdout)["version"] == 2


def test_api_aligns_statements_and_reviews(
    database: Database, custom_yaml: Path, example_path: Path, bearer: Callable[..., Any]
) -> None:
    record = load_record(example_path)
    with database.unit_of_work() as session:
        registry.save(session, record=record, actor="test")
    # A registry admin (imports frameworks) who edits the record's provider's records.
    headers = bearer("editor@example.org", registry_roles=[RegistryRole.ADMIN],
                     org_roles=[OrgRole.EDITOR])
    client = TestClient(create_app(database), headers=headers)
    document = {"framework": {"id": "acme-data", "name": "ACME", "publisher": "ACME", "version": "1"},
                "competencies": [{"uri": "u:clean", "label": "Clean data sets"}, {"uri": "u:bake", "label": "Bake bread"}]}  # fmt: skip
    assert (
        client.post("/api/v1/competency-frameworks/import/custom", json=document).status_code == 201
    )
    ranked = client.post(
        "/api/v1/align",
        json={"statements": ["bake a loaf of bread"], "framework": "acme-data", "top": 1},
    )
    assert ranked.status_code == 200
    assert ranked.json()[0]["competencies"][0]["uri"] == "u:bake"
    suggestions = client.get(
        f"/api/v1/credentials/{record.id}/alignment-suggestions", params={"framework": "acme-data"}
    )
    assert suggestions.status_code == 200 and suggestions.json()["outcomes"]
    decided = client.post(
        f"/api/v1/credentials/{record.id}/alignments",
        json={"outcome_id": record.learning_outcomes[0].id, "uri": "u:clean", "status": "accepted", "reviewer": "ana", "framework": "acme-data", "proficiency_level": "capable"},
    )  # fmt: skip
    assert decided.status_code == 200, decided.text
    assert decided.json()["version"] == 2


def test_api_rejects_dangling_case_reference_with_422(
    database: Database, case_document: dict[str, object], bearer: Callable[..., Any]
) -> None:
    case_document["CFAssociations"][0]["originNodeURI"] = {"uri": "https://example.org/none"}  # type: ignore[index]
    admin = bearer("admin@example.org", registry_roles=[RegistryRole.ADMIN])
    response = TestClient(create_app(database), headers=admin).post(
        "/api/v1/competency-frameworks/import/case", json=case_document
    )
    assert response.status_code == 422
    assert "dangling reference" in response.json()["detail"][0]["msg"]


def test_api_unknown_framework_is_404(database: Database) -> None:
    response = TestClient(create_app(database)).get("/api/v1/competency-frameworks/nope")
    assert response.status_code == 404


def test_api_align_of_an_anonymous_visitor_is_401(database: Database) -> None:
    response = TestClient(create_app(database)).post(
        "/api/v1/align", json={"statements": ["bake a loaf of bread"], "framework": "esco"}
    )
    assert response.status_code == 401


def test_api_framework_import_needs_a_registry_admin(
    database: Database, case_document: dict[str, object], bearer: Callable[..., Any]
) -> None:
    client = TestClient(create_app(database))
    url = "/api/v1/competency-frameworks/import/case"
    assert client.post(url, json=case_document).status_code == 401
    editor = bearer("editor@example.org", org_roles=[OrgRole.EDITOR])
    assert client.post(url, json=case_document, headers=editor).status_code == 403


def test_api_alignment_decision_needs_an_editor_of_the_record_s_provider(
    database: Database, example_path: Path, bearer: Callable[..., Any]
) -> None:
    record = load_record(example_path)
    with database.unit_of_work() as session:
        registry.save(session, record=record, actor="test")
    url = f"/api/v1/credentials/{record.id}/alignments"
    body = {"outcome_id": record.learning_outcomes[0].id, "uri": "u:clean", "status": "accepted"}
    client = TestClient(create_app(database))
    assert client.post(url, json=body).status_code == 404  # a draft: hidden
    other = bearer("other@example.org", org_roles=[OrgRole.EDITOR], organization="pics-climate")
    assert client.post(url, json=body, headers=other).status_code == 404
    reviewer = bearer("reviewer@example.org", registry_roles=[RegistryRole.REVIEWER])
    assert client.post(url, json=body, headers=reviewer).status_code == 403
