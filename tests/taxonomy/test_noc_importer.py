"""The NOC 2021 importer: unit groups as occupations of ``noc-2021``, bad input, storage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credstack.accounts.model import Actor
from credstack.cli.main import app
from credstack.errors import InvalidInput
from credstack.store.unit_of_work import Database
from credstack.taxonomy.importers.noc import NOC_FRAMEWORK_ID, noc_uri, read_noc
from credstack.taxonomy.service import import_framework, load_framework
from noc_fixtures import write_noc_folder

OPERATOR = Actor.system("tester")

OFFICIAL_NOC = Path(__file__).resolve().parents[3] / "shared" / "data" / "noc-2021"
STRUCTURE = "noc_2021_version_1.0_-_classification_structure.csv"
runner = CliRunner()


@pytest.fixture
def noc_folder(tmp_path: Path) -> Path:
    """A tiny NOC 2021 folder in the official layouts."""
    return write_noc_folder(tmp_path / "noc")


def test_reads_unit_groups_as_occupations_of_noc_2021(noc_folder: Path) -> None:
    framework = read_noc(noc_folder)
    assert framework.info.id == NOC_FRAMEWORK_ID and framework.competencies == ()
    electricians = framework.occupations[0]
    assert electricians.code == "72200" and electricians.uri == noc_uri("72200")
    assert electricians.preferred_label == "Electricians (except industrial and power system)"
    assert electricians.description is not None and "electrical wiring" in electricians.description
    assert electricians.group_code == "7220"


def test_leaves_out_levels_above_the_unit_group(noc_folder: Path) -> None:
    codes = [o.code for o in read_noc(noc_folder).occupations]
    assert codes == ["72200", "63202", "21231", "31301"]


def test_job_titles_become_alternative_labels(noc_folder: Path) -> None:
    bakers = read_noc(noc_folder).occupations[1]
    assert bakers.alt_labels == ("Baker", "Bread baker")


def test_skips_job_titles_of_codes_outside_the_structure(noc_folder: Path) -> None:
    labels = [label for o in read_noc(noc_folder).occupations for label in o.alt_labels]
    assert "Chief executive officer" not in labels


def test_reads_without_the_job_titles_file(noc_folder: Path) -> None:
    (noc_folder / "noc2021_job_titles.csv").unlink()
    assert all(o.alt_labels == () for o in read_noc(noc_folder).occupations)


def test_rejects_structure_file_with_wrong_columns(noc_folder: Path) -> None:
    (noc_folder / STRUCTURE).write_text("Level,Code,Title\n5,72200,Electricians\n", "utf-8")
    with pytest.raises(InvalidInput) as raised:
        read_noc(noc_folder)
    (problem,) = raised.value.problems
    assert problem.source is not None and problem.source.endswith(STRUCTURE)
    assert "missing column(s) Hierarchical structure, Code - NOC 2021 V1.0" in problem.message


def test_rejects_job_titles_with_wrong_columns(noc_folder: Path) -> None:
    (noc_folder / "noc2021_job_titles.csv").write_text("code,title\n72200,Electrician\n", "utf-8")
    with pytest.raises(InvalidInput, match="missing column\\(s\\) noc, job_title"):
        read_noc(noc_folder)


def test_rejects_a_folder_without_the_structure_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="expected StatCan's structure file"):
        read_noc(tmp_path)


def test_rejects_a_unit_group_code_that_is_not_five_digits(noc_folder: Path) -> None:
    path = noc_folder / STRUCTURE
    path.write_text(path.read_text("utf-8-sig").replace("72200", "7220X"), "utf-8-sig")
    with pytest.raises(InvalidInput) as raised:
        read_noc(noc_folder)
    assert "expected a 5-digit code, got '7220X'" in str(raised.value.problems[0])


def test_import_stores_unit_groups_and_reimport_changes_nothing(
    database: Database, noc_folder: Path
) -> None:
    framework = read_noc(noc_folder)
    with database.unit_of_work() as session:
        assert import_framework(session, framework=framework, actor=OPERATOR).occupations == 4
    with database.unit_of_work() as session:
        again = import_framework(session, framework=framework, actor=OPERATOR)
    assert again.added == again.updated == again.retired == 0
    with database.read() as session:
        loaded = load_framework(session, framework_id=NOC_FRAMEWORK_ID)
    assert loaded.occupations == framework.occupations


def test_cli_imports_noc_and_reports_wrong_columns_with_exit_2(
    database_url: str, noc_folder: Path
) -> None:
    imported = runner.invoke(
        app, ["frameworks", "import", "noc", str(noc_folder), "--db", database_url, "--json"]
    )
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["occupations"] == 4
    (noc_folder / STRUCTURE).write_text("Level,Code\n", "utf-8")
    failed = runner.invoke(
        app, ["frameworks", "import", "noc", str(noc_folder), "--db", database_url]
    )
    assert failed.exit_code == 2 and "missing column(s)" in failed.output


@pytest.mark.skipif(not OFFICIAL_NOC.is_dir(), reason="NOC 2021 data is not present")
def test_reads_the_official_noc_2021_files() -> None:
    framework = read_noc(OFFICIAL_NOC)
    assert len(framework.occupations) == 516
    by_code = {o.code: o for o in framework.occupations}
    assert "Electrician" in by_code["72200"].alt_labels
