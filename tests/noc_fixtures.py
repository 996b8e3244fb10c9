# ruff: noqa: E501 - fixture rows read best one row a line
"""A tiny NOC 2021 folder in the official layouts (StatCan structure file, WorkBC job titles)."""

from __future__ import annotations

import csv
from pathlib import Path

from credstack.domain.credential import MicroCredential
from credstack.registry.files import load_record

STRUCTURE_HEADER = ["Level", "Hierarchical structure", "Code - NOC 2021 V1.0", "Class title", "Class definition"]  # fmt: skip
STRUCTURE_ROWS = [
    ["1", "Broad Category", "7", "Trades, transport and equipment operators and related occupations", "This broad category comprises trades."],
    ["2", "Major Group", "72", "Technical trades and transportation officers and controllers", "This major group comprises technical trades."],
    ["3", "Sub-major Group", "722", "Technical maintenance trades", "This sub-major group comprises maintenance trades."],
    ["4", "Minor Group", "7220", "Electrical trades and electrical power line and telecommunications workers", "This minor group comprises electrical trades."],
    ["5", "Unit Group", "72200", "Electricians (except industrial and power system)", "Electricians in this unit group lay out, assemble, install, test, troubleshoot and repair electrical wiring, fixtures, control devices and related equipment in buildings and other structures."],
    ["5", "Unit Group", "63202", "Bakers", "Bakers prepare breads, rolls, muffins, pies, pastries, cakes and cookies in retail and wholesale bakeries and dining establishments."],
    ["5", "Unit Group", "21231", "Software engineers and designers", "Software engineers and designers research, design, evaluate, integrate and maintain software applications, technical environments, operating systems, embedded software and information warehouses."],
    ["5", "Unit Group", "31301", "Registered nurses and registered psychiatric nurses", "Registered nurses and registered psychiatric nurses provide direct nursing care to patients, deliver health education programs and provide consultative services regarding issues relevant to the practice of nursing."],
]  # fmt: skip
JOB_TITLES = [
    ("72200", "Electrician", "1"),
    ("72200", "Residential electrician", "0"),
    ("72200", "Electrical wiring installer - construction", "0"),
    ("63202", "Baker", "1"),
    ("63202", "Bread baker", "0"),
    ("21231", "Software developer", "0"),
    ("31301", "Nurse", "0"),
    # WorkBC's merged code for 00011-00015: no unit group of NOC 2021 V1.0.
    ("00018", "Chief executive officer", "0"),
]


def write_noc_folder(folder: Path) -> Path:
    """Write the two NOC files as published: BOM and CRLF for StatCan's, quoted for WorkBC's."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "noc_2021_version_1.0_-_classification_structure.csv").open(
        "w", encoding="utf-8-sig", newline=""
    ) as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(STRUCTURE_HEADER)
        writer.writerows(STRUCTURE_ROWS)
    with (folder / "noc2021_job_titles.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["noc", "job_title", "illustrative"])
        writer.writerows(JOB_TITLES)
    return folder


def record_about(example: Path, title: str, summary: str, outcomes: list[str]) -> MicroCredential:
    """The example record with its title, summary and outcomes replaced."""
    record = load_record(example)
    first = record.learning_outcomes[0]
    return record.model_copy(
        update={
            "title": title,
            "description": record.description.model_copy(update={"summary": summary}),
            "learning_outcomes": [
                first.model_copy(update={"id": f"lo{n}", "statement": text, "alignments": []})
                for n, text in enumerate(outcomes, start=1)
            ],
        }
    )
