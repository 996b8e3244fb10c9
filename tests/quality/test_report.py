"""The registry report: SVG chart and summary figures."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path
from xml.etree import ElementTree

from credstack.domain.credential import MicroCredential
from credstack.quality.report import write_report
from credstack.quality.service import compile_all, summarise
from credstack.quality.svg import Bar, Panel, bar_chart
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


def test_report_files_are_created_with_the_usual_mode(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        written = write_report(summarise(_registry(), compile_all(["bc"])), tmp_path)
    finally:
        os.umask(previous)
    assert written
    assert {stat.S_IMODE(path.stat().st_mode) for path in written} == {0o644}


def test_a_long_chart_title_wraps_onto_lines_that_fit() -> None:
    title = "A very long framework name for micro-credentials " * 4
    chart = bar_chart(title, [Panel("By provider", [Bar("Provider", 0.5, 1, 2)])])
    heading = ElementTree.fromstring(chart).find("{http://www.w3.org/2000/svg}text")
    assert heading is not None
    lines = [span.text or "" for span in heading]
    assert len(lines) > 1
    assert " ".join(lines) == " ".join(title.split())
