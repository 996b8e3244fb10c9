"""The registry report: SVG chart and summary figures."""

from __future__ import annotations

import csv
from pathlib import Path
from xml.etree import ElementTree

from credstack.domain.credential import MicroCredential
from credstack.quality.report import write_report
from credstack.quality.service import compile_all, summarise
from quality.conftest import load_example


def _registry() -> list[MicroCredential]:
    second = load_example()
    second.id = "second"
    second.assessment = None
    return [load_example(), second]


def test_report_chart_is_well_formed_svg(tmp_path: Path) -> None:
    summary = summarise(_registry(), compile_all(["bc"]))
    write_report(summary, tmp_path)
    root = ElementTree.parse(tmp_path / "chart-bc.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall("{http://www.w3.org/2000/svg}rect")) >= 4


def test_summary_csv_gives_rates_by_provider_and_element(tmp_path: Path) -> None:
    summary = summarise(_registry(), compile_all(["bc"]))
    write_report(summary, tmp_path)
    with (tmp_path / "summary.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    framework = next(r for r in rows if r["dimension"] == "framework")
    assert (framework["checked"], framework["passed"], framework["rate"]) == ("2", "1", "0.5")
    provider = next(r for r in rows if r["dimension"] == "provider")
    assert provider["name"] == "Royal Roads University" and provider["rate"] == "0.5"
    assessment = next(r for r in rows if r["dimension"] == "element" and r["key"] == "assessment")
    assert float(assessment["rate"]) < 1.0
    failed = {r["key"] for r in rows if r["dimension"] == "rule_failed"}
    assert "bc:assessment-mandatory" in failed


def test_html_report_explains_why_records_fail(tmp_path: Path) -> None:
    summary = summarise(_registry(), compile_all(["bc"]))
    write_report(summary, tmp_path)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Assessment is mandatory" in html and "chart-bc.svg" in html
