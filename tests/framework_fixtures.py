# ruff: noqa: E501 - fixture documents read best one item a line
"""Small competency-framework files shared by the taxonomy and alignment tests."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

SKILL_HEADER = [
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
    "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme", "description",
]  # fmt: skip


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    """Write a CSV with ``header`` and ``rows`` (missing cells empty)."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row.get(key, "") for key in header})
    return path


@pytest.fixture
def esco_folder(tmp_path: Path) -> Path:
    """A miniature ESCO download: two skills, a group, one occupation, relations."""
    folder = tmp_path / "esco"
    folder.mkdir()
    write_csv(
        folder / "skills_en.csv",
        SKILL_HEADER,
        [
            {
                "conceptUri": "http://data.europa.eu/esco/skill/s1",
                "skillType": "skill/competence",
                "preferredLabel": "manage staff",
                "altLabels": "supervise staff\nmanage staff\nlead employees",
                "description": "Oversee the work of employees.",
            },
            {
                "conceptUri": "http://data.europa.eu/esco/skill/s2",
                "skillType": "knowledge",
                "preferredLabel": "Python (computer programming)",
                "altLabels": "Python",
                "description": "Programming in Python.",
            },
        ],
    )
    write_csv(
        folder / "skillGroups_en.csv",
        ["conceptType", "conceptUri", "preferredLabel", "altLabels", "description", "code"],
        [
            {
                "conceptUri": "http://data.europa.eu/esco/skill/g1",
                "preferredLabel": "management",
                "code": "S4",
            }
        ],
    )
    write_csv(
        folder / "broaderRelationsSkillPillar.csv",
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        [
            {
                "conceptUri": "http://data.europa.eu/esco/skill/s1",
                "broaderUri": "http://data.europa.eu/esco/skill/g1",
            }
        ],
    )
    write_csv(
        folder / "occupations_en.csv",
        [
            "conceptType",
            "conceptUri",
            "iscoGroup",
            "preferredLabel",
            "altLabels",
            "description",
            "code",
        ],
        [
            {
                "conceptUri": "http://data.europa.eu/esco/occupation/o1",
                "iscoGroup": "1212",
                "preferredLabel": "office manager",
                "code": "1212.1",
            }
        ],
    )
    write_csv(
        folder / "occupationSkillRelations.csv",
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [
            {"occupationUri": "http://data.europa.eu/esco/occupation/o1", "relationType": "essential", "skillUri": "http://data.europa.eu/esco/skill/s1"},
            {"occupationUri": "http://data.europa.eu/esco/occupation/o1", "relationType": "optional", "skillUri": "http://data.europa.eu/esco/skill/s2"},
        ],
    )  # fmt: skip
    write_csv(
        folder / "digitalSkillsCollection_en.csv",
        ["conceptType", "conceptUri", "preferredLabel"],
        [{"conceptUri": "http://data.europa.eu/esco/skill/s2", "preferredLabel": "Python"}],
    )
    return folder


def case_package() -> dict[str, Any]:
    """A valid CASE 1.1 package: a document, two items, one isChildOf association."""
    return {
        "CFDocument": {
            "identifier": "d0000000-0000-4000-8000-000000000000",
            "uri": "https://example.org/case/doc",
            "creator": "Example Body",
            "title": "Example Digital Skills",
            "version": "2.0",
            "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
        },
        "CFItems": [
            {
                "identifier": "i1000000-0000-4000-8000-000000000000",
                "uri": "https://example.org/case/i1",
                "fullStatement": "Data literacy",
                "humanCodingScheme": "DL",
                "CFItemType": "Competency",
                "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
            },
            {
                "identifier": "i2000000-0000-4000-8000-000000000000",
                "uri": "https://example.org/case/i2",
                "fullStatement": "Clean and validate data sets",
                "humanCodingScheme": "DL.1",
                "CFItemType": "Skill",
                "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
            },
        ],
        "CFAssociations": [
            {
                "identifier": "a1000000-0000-4000-8000-000000000000",
                "uri": "https://example.org/case/a1",
                "associationType": "isChildOf",
                "originNodeURI": {"title": "Clean", "identifier": "i2000000-0000-4000-8000-000000000000", "uri": "https://example.org/case/i2"},
                "destinationNodeURI": {"title": "Data literacy", "identifier": "i1000000-0000-4000-8000-000000000000", "uri": "https://example.org/case/i1"},
                "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
            }
        ],
    }  # fmt: skip


@pytest.fixture
def case_document() -> dict[str, Any]:
    """A fresh copy of the valid CASE package."""
    return case_package()


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    """The valid CASE package written to a file."""
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case_package()), encoding="utf-8")
    return path


CUSTOM_YAML = """
framework: {id: acme-data, name: ACME data skills, publisher: ACME, version: "1"}
scales:
  - id: acme
    name: ACME levels
    levels: [{code: l1, label: Novice}, {code: l2, label: Practitioner}]
competencies:
  - {uri: "https://acme.example/c/data", label: Data handling, type: competence}
  - uri: "https://acme.example/c/clean"
    label: Clean data sets
    alt_labels: [data cleaning, scrub data]
    description: Detect and correct corrupt or inaccurate records in a data set.
    type: skill
    broader: ["https://acme.example/c/data"]
  - uri: "https://acme.example/c/viz"
    label: Visualise data
    alt_labels: [build dashboards, chart data]
    description: Present data as charts and dashboards for decision makers.
    type: skill
    broader: ["https://acme.example/c/data"]
  - uri: "https://acme.example/c/bake"
    label: Bake bread
    alt_labels: [make sourdough]
    description: Prepare dough, proof it and bake loaves in an oven.
    type: skill
"""


@pytest.fixture
def custom_yaml(tmp_path: Path) -> Path:
    """A custom framework in the YAML format."""
    path = tmp_path / "acme.yaml"
    path.write_text(CUSTOM_YAML, encoding="utf-8")
    return path
