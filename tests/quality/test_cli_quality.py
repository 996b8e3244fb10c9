"""`credstack rules` and `credstack check`: output, JSON shape and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from credstack.cli.main import app
from credstack.domain.credential import MicroCredential
from credstack.registry import service as registry
from credstack.store.unit_of_work import Database
from quality.conftest import EXAMPLE, load_example

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_rules_list_json_names_every_shipped_set() -> None:
    code, output = run("rules", "list", "--json")
    assert code == 0
    ids = {item["id"] for item in json.loads(output)["frameworks"]}
    assert {"au-nmf", "eu-cmf", "bc-assessment-standard", "unesco-2022"} <= ids


def test_rules_show_json_lists_rules_with_citations() -> None:
    code, output = run("rules", "show", "ie-microcreds", "--json")
    assert code == 0
    rules = json.loads(output)["rules"]
    assert rules[0]["key"] == "ie-microcreds:ects-1-to-30"
    assert all(rule["citation"] for rule in rules)


def test_rules_validate_rejects_malformed_set_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: bad\nname: Bad\njurisdiction: X\nversion: '1'\nsource: {title: T}\n"
        "rules:\n  - {id: r1, severity: required, check: {present: nowhere}, "
        "message: m, citation: c}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rules", "validate", str(path)])
    assert result.exit_code == 2
    assert "rule 'r1'" in result.output and "unknown element" in result.output


def test_rules_validate_accepts_a_shipped_file() -> None:
    from credstack.quality.loader import SHIPPED_DIR

    code, output = run("rules", "validate", str(SHIPPED_DIR / "eu-cmf.yaml"))
    assert code == 0 and "valid rule set 'eu-cmf'" in output


def test_check_file_exits_0_when_compliant() -> None:
    code, output = run("check", str(EXAMPLE), "--framework", "au-nmf")
    assert code == 0
    assert "compliant" in output


def test_check_file_exits_1_when_a_required_rule_fails() -> None:
    code, output = run("check", str(EXAMPLE), "--framework", "eu-cmf", "--json")
    assert code == 1
    document = json.loads(output)
    assert document["compliant"] is False
    (report,) = document["reports"]
    failing = {r["rule"] for r in report["results"] if r["outcome"] == "fail"}
    assert "eu-cmf:total-study-time" in failing
    assert {"rule", "severity", "outcome", "message", "citation", "observed"} <= set(
        report["results"][0]
    )


def test_check_takes_several_frameworks_comma_separated() -> None:
    code, output = run("check", str(EXAMPLE), "-f", "au-nmf,ie-microcreds", "--json")
    assert code == 0
    assert [r["framework"] for r in json.loads(output)["reports"]] == ["au-nmf", "ie-microcreds"]


def test_check_accepts_a_user_written_rule_set(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(
        "id: ours\nname: Ours\njurisdiction: CA-BC\nversion: '1'\nsource: {title: T}\n"
        "rules:\n  - {id: short, severity: required, "
        "check: {number: {element: learner_effort.total_hours, max: 20}}, "
        "message: Keep it under 20 hours., citation: Our policy}\n",
        encoding="utf-8",
    )
    code, output = run("check", str(EXAMPLE), "--rules", str(path), "--json")
    assert code == 1
    assert json.loads(output)["reports"][0]["framework"] == "ours"
    code, _ = run("check", str(EXAMPLE), "--framework", str(path))
    assert code == 1


def test_check_unknown_framework_exits_2() -> None:
    code, output = run("check", str(EXAMPLE), "--framework", "atlantis")
    assert code == 2 and "unknown framework 'atlantis'" in output


def test_check_invalid_record_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["learner_effort"]["total_hours"] = 99  # components add up to 28
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, output = run("check", str(path), "--framework", "au-nmf")
    assert code == 2 and "total_hours" in output


def _store(database: Database, records: list[MicroCredential]) -> None:
    with database.unit_of_work() as session:
        for record in records:
            registry.save(session, record=record, actor="test")


def test_check_stored_record_by_id(database_url: str, database: Database) -> None:
    _store(database, [load_example()])
    code, output = run("check", "rru-caf-foundations-climate-adaptation",
                       "-f", "nz-nzqa", "--db", database_url, "--json")
    assert code == 1
    assert json.loads(output)["reports"][0]["record"] == "rru-caf-foundations-climate-adaptation"


def test_check_all_writes_html_csv_and_svg_report(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    second = load_example()
    second.id = "rru-second"
    second.industry_support = None
    _store(database, [load_example(), second])
    report = tmp_path / "report"
    code, output = run("check", "--all", "-f", "au-nmf,bc-assessment-standard",
                       "--db", database_url, "--report", str(report), "--json")
    assert code == 1  # the second record lacks industry support, required by the BC standard
    summary = json.loads(output)
    assert summary["records"] == 2
    bc = summary["frameworks"][1]
    assert bc["records"] == {"checked": 2, "passed": 1, "rate": 0.5}
    assert {"rule": "au-nmf:industry-support", "records": 1} in bc["failing_rules"]
    assert {p.name for p in report.iterdir()} == {
        "index.html", "summary.csv", "records.csv",
        "chart-au-nmf.svg", "chart-bc-assessment-standard.svg",
    }
    svg = (report / "chart-bc-assessment-standard.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Royal Roads University" in svg and "industry_support" in svg
    rows = (report / "records.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 2 * 2


def test_check_needs_targets_or_all() -> None:
    code, _ = run("check", "--framework", "au-nmf")
    assert code == 2


def test_rules_show_keeps_bracketed_allowed_values() -> None:
    code, output = run("rules", "show", "eu-cmf")
    assert code == 0
    assert "one of [advanced_standing, credit_towards_award]" in output.replace("\n", " ")


def test_check_in_a_pipe_keeps_every_detail_line_whole() -> None:
    code, output = run("check", str(EXAMPLE), "--framework", "eu-cmf")
    assert code == 1
    _, document = run("check", str(EXAMPLE), "--framework", "eu-cmf", "--json")
    (report,) = json.loads(document)["reports"]
    for result in report["results"]:
        if result["outcome"] == "fail" and result["observed"]:
            assert f"found: {result['observed']}" in output
