"""The registry compliance report: HTML, CSV and an SVG chart per framework.

Files written to the report directory:

- ``index.html``: per framework, the compliance rate, the rules that fail most (with the
  message a designer acts on), and tables and charts by provider and by CIS element;
- ``summary.csv``: ``framework, dimension, key, name, checked, passed, rate`` with
  dimension one of ``framework``, ``provider``, ``element``, ``rule_failed``, ``rule_warning``;
- ``records.csv``: one row per record and framework (compliant, failing rules);
- ``chart-<framework>.svg``: compliance by provider and by CIS element.

Every file is written beside its final name and renamed into place, so a failed run
leaves no half-written report.
"""

from __future__ import annotations

import csv
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import IO

from credstack.domain.credential import MicroCredential
from credstack.quality.engine import CompiledRuleSet, ComplianceReport
from credstack.quality.model import Outcome
from credstack.quality.summary import FrameworkSummary, RegistrySummary
from credstack.quality.svg import Bar, Panel, bar_chart

CHART_PROVIDERS = 30
RECORD_COLUMNS = ("record", "title", "provider", "framework", "compliant", "failed", "warnings")
SUMMARY_COLUMNS = ("framework", "dimension", "key", "name", "checked", "passed", "rate")


@contextmanager
def _atomic(path: Path) -> Iterator[IO[str]]:
    """A text file that appears at ``path`` only if the block completes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.{secrets.token_hex(8)}"
    # Created as any new file is (0666 less the umask): a report is for others to read.
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class RecordRows:
    """Streams ``records.csv`` while the registry is checked (a ``summarise`` hook)."""

    def __init__(self, stream: IO[str]) -> None:
        self._writer = csv.writer(stream)
        self._writer.writerow(RECORD_COLUMNS)

    def __call__(
        self,
        record: MicroCredential,
        rule_set: CompiledRuleSet,
        report: ComplianceReport | None,
        compliant: bool,
    ) -> None:
        """Write one record's row for one framework."""
        outcomes = report.outcomes if report is not None else ()
        rules = rule_set.rule_set.rules
        failed = [rules[i].key for i, o in enumerate(outcomes) if o is Outcome.FAIL]
        warned = [rules[i].key for i, o in enumerate(outcomes) if o is Outcome.WARNING]
        self._writer.writerow(
            [
                record.id,
                record.title,
                record.provider.issuer.id,
                rule_set.id,
                "yes" if compliant else "no",
                " ".join(failed),
                " ".join(warned),
            ]
        )


@contextmanager
def record_rows(directory: Path) -> Iterator[RecordRows]:
    """A :class:`RecordRows` writing ``directory/records.csv`` atomically."""
    with _atomic(directory / "records.csv") as stream:
        yield RecordRows(stream)


def _summary_rows(summary: FrameworkSummary) -> Iterator[list[str | int | float]]:
    framework = summary.rule_set.id
    records = summary.records
    yield [framework, "framework", framework, summary.rule_set.name,
           records.checked, records.passed, round(records.rate, 4)]
    for provider, tally in sorted(summary.by_provider.items()):
        yield [framework, "provider", provider, summary.provider_names[provider],
               tally.checked, tally.passed, round(tally.rate, 4)]
    for element, tally in sorted(summary.by_element.items()):
        yield [framework, "element", element, element,
               tally.checked, tally.passed, round(tally.rate, 4)]
    for dimension, counter in (("rule_failed", summary.failures),
                               ("rule_warning", summary.warnings)):
        for key, count in counter.most_common():
            yield [framework, dimension, key, key, records.checked,
                   records.checked - count, round(1 - count / records.checked, 4)]


def chart(summary: FrameworkSummary) -> str:
    """The SVG chart of one framework: compliance by provider and by CIS element."""
    providers = sorted(summary.by_provider.items(), key=lambda item: (-item[1].checked, item[0]))
    shown = providers[:CHART_PROVIDERS]
    provider_bars = [
        Bar(summary.provider_names[key], tally.rate, tally.passed, tally.checked)
        for key, tally in sorted(shown, key=lambda item: (item[1].rate, item[0]))
    ]
    hidden = len(providers) - len(shown)
    note = f"{hidden} more providers in summary.csv" if hidden > 0 else ""
    element_bars = [
        Bar(element, tally.rate, tally.passed, tally.checked)
        for element, tally in sorted(summary.by_element.items(), key=lambda i: (i[1].rate, i[0]))
    ]
    return bar_chart(
        f"{summary.rule_set.name}: {summary.records.rate:.0%} of "
        f"{summary.records.checked} records compliant",
        [
            Panel("Records compliant, by provider", provider_bars, note),
            Panel("Rule checks met, by CIS element", element_bars),
        ],
    )


def _table(head: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    header = "".join(f"<th>{escape(cell)}</th>" for cell in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _framework_section(summary: FrameworkSummary, svg_name: str) -> str:
    rules = {rule.key: rule for rule in summary.rule_set.rules}
    total = summary.records.checked
    failing = [
        (key, str(count), f"{count / total:.0%}", rules[key].message)
        for key, count in summary.failures.most_common()
    ]
    providers = [
        (summary.provider_names[key], str(tally.checked), str(tally.passed), f"{tally.rate:.0%}")
        for key, tally in sorted(summary.by_provider.items(), key=lambda i: (i[1].rate, i[0]))
    ]
    rule_set = summary.rule_set
    return (
        f'<section id="{escape(rule_set.id)}"><h2>{escape(rule_set.name)} '
        f"<small>({escape(rule_set.id)})</small></h2>"
        f"<p>{summary.records.passed} of {total} records compliant "
        f"({summary.records.rate:.0%}). Source: {escape(rule_set.source.title)}</p>"
        "<h3>Why records fail (required rules)</h3>"
        + (_table(("rule", "records failing", "share", "what to do"), failing)
           if failing else "<p>No required rule fails.</p>")
        + f'<h3>Chart</h3><p><img src="{escape(svg_name)}" alt="compliance chart"></p>'
        + "<h3>By provider</h3>"
        + _table(("provider", "records", "compliant", "rate"), providers)
        + "</section>"
    )


def write_report(summary: RegistrySummary, directory: Path) -> list[Path]:
    """Write ``index.html``, ``summary.csv`` and one chart per framework; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    sections = []
    for framework in summary.frameworks:
        svg_path = directory / f"chart-{framework.rule_set.id}.svg"
        with _atomic(svg_path) as stream:
            stream.write(chart(framework))
        written.append(svg_path)
        sections.append(_framework_section(framework, svg_path.name))
    summary_path = directory / "summary.csv"
    with _atomic(summary_path) as stream:
        writer = csv.writer(stream)
        writer.writerow(SUMMARY_COLUMNS)
        for framework in summary.frameworks:
            writer.writerows(_summary_rows(framework))
    written.append(summary_path)
    overview = _table(
        ("framework", "records", "compliant", "rate"),
        [
            (f.rule_set.id, str(f.records.checked), str(f.records.passed), f"{f.records.rate:.0%}")
            for f in summary.frameworks
        ],
    )
    html_path = directory / "index.html"
    with _atomic(html_path) as stream:
        stream.write(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>credstack compliance report</title><style>"
            "body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}"
            "table{border-collapse:collapse;margin:.5rem 0}"
            "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}"
            "</style></head><body><h1>Compliance report</h1>"
            f"<p>{summary.records} records checked against "
            f"{len(summary.frameworks)} framework(s).</p>{overview}{''.join(sections)}"
            "<p>Per-record results: <a href=\"records.csv\">records.csv</a>; "
            "figures: <a href=\"summary.csv\">summary.csv</a>.</p></body></html>\n"
        )
    written.append(html_path)
    return written
