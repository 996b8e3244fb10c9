"""The interop commands and their exit codes (0 ok, 1 the checked thing failed, 2 bad input)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from interop_support import SAMPLES
from typer.testing import Result

from credstack.demo import demo_files
from credstack.interop.ctdl import credential_ctid

Cli = Callable[..., Result]
EXAMPLE_ID = "rru-caf-foundations-climate-adaptation"


def _load_demo(cli: Cli) -> None:
    result = cli("import", *(str(path) for path in demo_files()))
    assert result.exit_code == 0, result.output


def test_export_format_ctdl_prints_a_valid_graph(cli: Cli, tmp_path: Path) -> None:
    _load_demo(cli)
    result = cli("export", EXAMPLE_ID, "--format", "ctdl")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["@graph"][0]["ceterms:ctid"] == credential_ctid(EXAMPLE_ID)
    path = tmp_path / "one.json"
    path.write_text(result.output, encoding="utf-8")
    checked = cli("interop", "ctdl", "validate", str(path), with_db=False)
    assert checked.exit_code == 0, checked.output


def test_export_all_writes_one_file_per_record(cli: Cli, tmp_path: Path) -> None:
    _load_demo(cli)
    result = cli("interop", "ctdl", "export", "--all", str(tmp_path / "out"), "--all-statuses")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").glob("*.json"))) == len(demo_files())


def test_export_all_writes_only_published_records_by_default(cli: Cli, tmp_path: Path) -> None:
    _load_demo(cli)
    result = cli("interop", "ctdl", "export", "--all", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "out").glob("*.json")) == []


def test_validate_fails_with_exit_1_on_an_invalid_graph(cli: Cli, tmp_path: Path) -> None:
    _load_demo(cli)
    document = json.loads(cli("export", EXAMPLE_ID, "--format", "ctdl").output)
    del document["@graph"][0]["ceterms:name"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = cli("interop", "ctdl", "validate", str(path), with_db=False)
    assert result.exit_code == 1
    assert "'ceterms:name' is a required property" in result.output


def test_import_reports_dropped_members_and_stores_drafts(cli: Cli) -> None:
    sample = SAMPLES / "credential_ctdl_single.json"
    result = cli(
        "interop",
        "ctdl",
        "import",
        str(sample),
        "--country",
        "US",
        "--issuer-name",
        "Capella University",
        "--json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    [record] = report["records"]
    assert report["created"] == [record["id"]]
    assert "@graph[0].ceterms:accreditedBy" in {d["location"] for d in record["dropped"]}
    shown = json.loads(cli("lifecycle", record["id"], "--json").output)
    assert shown["status"] == "draft"


def test_import_without_an_issuer_is_bad_input(cli: Cli) -> None:
    result = cli("interop", "ctdl", "import", str(SAMPLES / "credential_ctdl_single.json"))
    assert result.exit_code == 2
    assert "ceterms:ownedBy" in result.output


def test_import_csv_template_round_trips(cli: Cli, tmp_path: Path) -> None:
    template = tmp_path / "catalogue.csv"
    assert cli("interop", "csv", "template", "-o", str(template), with_db=False).exit_code == 0
    result = cli("import", str(template), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["created"] == [EXAMPLE_ID]


def test_import_csv_with_a_bad_row_is_bad_input_and_writes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    template = tmp_path / "catalogue.csv"
    cli("interop", "csv", "template", "-o", str(template), with_db=False)
    template.write_text(template.read_text().replace(",CAD,", ",CDN,"), encoding="utf-8")
    result = cli("import", str(template))
    assert result.exit_code == 2
    assert "row 2, column 'price.currency'" in result.output
    assert json.loads(cli("providers", "--json").output) == []


def test_import_csv_skip_invalid_writes_a_rejects_file(cli: Cli, tmp_path: Path) -> None:
    template = tmp_path / "catalogue.csv"
    cli("interop", "csv", "template", "-o", str(template), with_db=False)
    template.write_text(template.read_text().replace(",CAD,", ",CDN,"), encoding="utf-8")
    result = cli("import", str(template), "--skip-invalid")
    assert result.exit_code == 1
    rejects = tmp_path / "catalogue.rejects.csv"
    assert "'CDN' is not an ISO 4217 currency code" in rejects.read_text()


def test_elm_export_validates_and_imports_back(cli: Cli, tmp_path: Path) -> None:
    _load_demo(cli)
    exported = cli("export", EXAMPLE_ID, "--format", "elm")
    assert exported.exit_code == 0, exported.output
    path = tmp_path / "opportunity.json"
    path.write_text(exported.output, encoding="utf-8")
    checked = cli("interop", "elm", "validate", str(path), with_db=False)
    assert checked.exit_code == 0, checked.output
    imported = cli("interop", "elm", "import", str(path), "--json")
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.output)["updated"] == [EXAMPLE_ID]


def test_elm_validate_fails_with_exit_1_on_a_broken_opportunity(cli: Cli, tmp_path: Path) -> None:
    _load_demo(cli)
    document = json.loads(cli("export", EXAMPLE_ID, "--format", "elm").output)
    del document["providedBy"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = cli("interop", "elm", "validate", str(path), with_db=False)
    assert result.exit_code == 1
    assert "providedBy" in result.output


def test_validate_rejects_a_file_that_is_not_one_object(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    result = cli("interop", "ctdl", "validate", str(path), with_db=False)
    assert result.exit_code == 1
    assert "expected one JSON-LD object" in result.output
