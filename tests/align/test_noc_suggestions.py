"""A whole record -> NOC 2021 unit groups: ranking, explanations, and the CLI and API shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from credstack.accounts.model import Actor
from credstack.align.noc import record_texts, suggest_noc
from credstack.align.service import suggest_for_record
from credstack.api.app import create_app
from credstack.cli.main import app
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry import service as registry
from credstack.store.unit_of_work import Database
from credstack.taxonomy.importers.custom import read_custom_yaml
from credstack.taxonomy.importers.noc import read_noc
from credstack.taxonomy.model import Framework
from credstack.taxonomy.service import import_framework
from noc_fixtures import record_about, write_noc_folder

OPERATOR = Actor.system("tester")

runner = CliRunner()


@pytest.fixture
def noc(tmp_path: Path) -> Framework:
    """The tiny NOC framework (electricians, bakers, software engineers, nurses)."""
    return read_noc(write_noc_folder(tmp_path / "noc"))


@pytest.fixture
def wiring(example_path: Path) -> MicroCredential:
    """A record about residential electrical work."""
    return record_about(
        example_path,
        "Residential electrical wiring",
        "Install and repair wiring in houses.",
        [
            "Install circuit breakers and wiring to code",
            "Troubleshoot faults in electrical fixtures",
        ],
    )


def test_a_record_about_electrical_wiring_suggests_electricians_first(
    noc: Framework, wiring: MicroCredential
) -> None:
    ranked = suggest_noc(noc, wiring, 4)
    assert ranked[0].occupation.code == "72200"
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)


def test_a_record_about_bread_suggests_bakers_first(noc: Framework, example_path: Path) -> None:
    record = record_about(example_path, "Artisan bread", "", ["Bake sourdough loaves"])
    assert suggest_noc(noc, record, 1)[0].occupation.code == "63202"


def test_suggestion_explains_with_matched_terms_and_nearest_job_title(
    noc: Framework, wiring: MicroCredential
) -> None:
    best = suggest_noc(noc, wiring, 1)[0].to_dict()
    assert set(best) == {"uri", "code", "title", "score", "matched_terms", "nearest_title"}
    assert "wir" in best["matched_terms"]  # type: ignore[operator]
    assert best["nearest_title"] in (
        "Electricians (except industrial and power system)",
        *noc.occupations[0].alt_labels,
    )


def test_title_summary_and_outcomes_share_fixed_weights(wiring: MicroCredential) -> None:
    texts, weights = record_texts(wiring)
    assert texts[0] == "Residential electrical wiring"
    assert weights == pytest.approx([0.4, 0.2, 0.2, 0.2])


def test_without_noc_imported_the_record_suggestions_have_no_noc_key(
    database: Database, custom_yaml: Path, wiring: MicroCredential
) -> None:
    with database.unit_of_work() as session:
        import_framework(session, framework=read_custom_yaml(custom_yaml), actor=OPERATOR)
    with database.read() as session:
        result = suggest_for_record(session, record=wiring, framework_id="acme-data", top=2)
    assert result.noc_occupations is None and "noc_occupations" not in result.to_dict()


def test_api_record_suggestions_list_noc_unit_groups_when_imported(
    database: Database, custom_yaml: Path, noc: Framework, wiring: MicroCredential
) -> None:
    with database.unit_of_work() as session:
        import_framework(session, framework=read_custom_yaml(custom_yaml), actor=OPERATOR)
        import_framework(session, framework=noc, actor=OPERATOR)
        registry.save(session, record=wiring, actor="test")
        # Published: anonymous visitors may read it and its suggestions.
        for status in (LifecycleStatus.SUBMITTED, LifecycleStatus.PUBLISHED):
            registry.transition(session, credential_id=wiring.id, target=status, actor="test")
    response = TestClient(create_app(database)).get(
        f"/api/v1/credentials/{wiring.id}/alignment-suggestions",
        params={"framework": "acme-data", "top": 2},
    )
    assert response.status_code == 200, response.text
    units = response.json()["noc_occupations"]
    assert units[0]["code"] == "72200" and len(units) == 2


def test_cli_align_json_has_noc_occupations_next_to_occupations(
    database_url: str, custom_yaml: Path, tmp_path: Path, wiring: MicroCredential
) -> None:
    folder = write_noc_folder(tmp_path / "noc")
    record_file = tmp_path / "wiring.json"
    record_file.write_text(wiring.model_dump_json(exclude_none=True), encoding="utf-8")
    runner.invoke(app, ["frameworks", "import", "yaml", str(custom_yaml), "--db", database_url])
    runner.invoke(app, ["frameworks", "import", "noc", str(folder), "--db", database_url])
    shown = runner.invoke(
        app, ["align", str(record_file), "-f", "acme-data", "--json", "--db", database_url]
    )
    assert shown.exit_code == 0, shown.output
    document = json.loads(shown.stdout)
    assert "occupations" in document
    assert document["noc_occupations"][0]["title"].startswith("Electricians")


def test_cli_align_to_noc_as_a_competency_framework_is_bad_input(
    database_url: str, tmp_path: Path
) -> None:
    folder = write_noc_folder(tmp_path / "noc")
    runner.invoke(app, ["frameworks", "import", "noc", str(folder), "--db", database_url])
    result = runner.invoke(
        app, ["align", "--text", "wire a house", "-f", "noc-2021", "--db", database_url]
    )
    assert result.exit_code == 2
    assert "has no competencies to align outcomes to" in result.output
