"""Importers: ESCO CSV, CASE 1.1, custom CSV and YAML; good input and each bad input."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from credstack.errors import InvalidInput
from credstack.taxonomy.importers.case import export_case, parse_case, read_case
from credstack.taxonomy.importers.custom import read_custom_csv, read_custom_yaml
from credstack.taxonomy.importers.esco import read_esco
from credstack.taxonomy.model import CompetencyType

OFFICIAL_ESCO = Path(__file__).resolve().parents[3] / "shared" / "data" / "esco-v1.1.1"


def test_reads_esco_skills_with_alt_labels_and_types(esco_folder: Path) -> None:
    framework = read_esco(esco_folder)
    staff = framework.competency("http://data.europa.eu/esco/skill/s1")
    assert staff is not None
    assert staff.alt_labels == ("supervise staff", "lead employees")
    assert staff.type is CompetencyType.SKILL
    assert (
        framework.competency("http://data.europa.eu/esco/skill/s2").type is CompetencyType.KNOWLEDGE
    )  # type: ignore[union-attr]


def test_reads_esco_hierarchy_groups_and_collections(esco_folder: Path) -> None:
    framework = read_esco(esco_folder)
    group = framework.competency("http://data.europa.eu/esco/skill/g1")
    assert group is not None and group.is_group and group.code == "S4"
    assert [c.uri for c in framework.narrower(group.uri)] == ["http://data.europa.eu/esco/skill/s1"]
    python = framework.competency("http://data.europa.eu/esco/skill/s2")
    assert python is not None and python.collections == ("digital",)


def test_reads_esco_occupations_with_essential_and_optional_skills(esco_folder: Path) -> None:
    (occupation,) = read_esco(esco_folder).occupations
    assert occupation.essential == ("http://data.europa.eu/esco/skill/s1",)
    assert occupation.optional == ("http://data.europa.eu/esco/skill/s2",)
    assert occupation.code == "1212.1" and occupation.group_code == "1212"


def test_reads_esco_from_zip_archives(esco_folder: Path, tmp_path: Path) -> None:
    archive = tmp_path / "classification.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in esco_folder.iterdir():
            out.write(path, path.name)
    assert len(read_esco(archive).competencies) == 3


def test_rejects_esco_skills_file_with_wrong_columns(esco_folder: Path) -> None:
    (esco_folder / "skills_en.csv").write_text("uri,label\nx,y\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        read_esco(esco_folder)
    message = str(raised.value)
    assert "skills_en.csv" in message and "missing column(s) conceptUri" in message
    assert "found uri, label" in message


def test_rejects_folder_without_esco_skills(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=re.escape("skills_en.csv")):
        read_esco(tmp_path)


@pytest.mark.skipif(not OFFICIAL_ESCO.exists(), reason="official ESCO download not present")
def test_reads_the_official_esco_download() -> None:
    framework = read_esco(OFFICIAL_ESCO)
    assert sum(1 for c in framework.competencies if not c.is_group) == 13_896
    assert len(framework.occupations) == 3_007


def test_reads_case_package_items_and_hierarchy(case_path: Path) -> None:
    framework = read_case(case_path, framework_id="example")
    child = framework.competency("https://example.org/case/i2")
    assert child is not None
    assert child.broader == ("https://example.org/case/i1",)
    assert child.code == "DL.1" and child.type is CompetencyType.SKILL
    assert framework.info.version == "2.0" and framework.info.kind == "case"


def test_rejects_case_association_to_missing_item(case_document: dict[str, Any]) -> None:
    case_document["CFAssociations"][0]["destinationNodeURI"] = {
        "identifier": "nope",
        "uri": "https://example.org/case/missing",
    }
    with pytest.raises(InvalidInput) as raised:
        parse_case(case_document, source="pkg.json")
    (problem,) = raised.value.problems
    assert problem.location == "CFAssociations[0].destinationNodeURI"
    assert "dangling reference" in problem.message


def test_rejects_case_package_without_document() -> None:
    with pytest.raises(InvalidInput, match="CFDocument"):
        parse_case({"CFItems": []}, source="pkg.json")


def test_rejects_case_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match="malformed JSON"):
        read_case(path)


def test_case_export_reads_back_to_the_same_concepts(case_path: Path) -> None:
    framework = read_case(case_path, framework_id="example")
    exported = export_case(framework, last_change="2024-01-01T00:00:00+00:00")
    again = parse_case(json.loads(json.dumps(exported)), source="export", framework_id="example")
    assert {(c.uri, c.preferred_label, c.broader) for c in again.competencies} == {
        (c.uri, c.preferred_label, c.broader) for c in framework.competencies
    }


def test_reads_custom_yaml_with_its_own_scale(custom_yaml: Path) -> None:
    framework = read_custom_yaml(custom_yaml)
    assert framework.info.id == "acme-data"
    assert [s.id for s in framework.scales][-1] == "acme"
    assert framework.scales[-1].rank("l2") == 1


def test_rejects_custom_yaml_with_dangling_broader(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "framework: {id: x, name: X, publisher: P, version: '1'}\n"
        "competencies: [{uri: 'u:1', label: One, broader: ['u:404']}]\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match="dangling reference: 'u:404'"):
        read_custom_yaml(path)


def test_rejects_custom_yaml_with_unknown_type(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "framework: {id: x, name: X, publisher: P, version: '1'}\n"
        "competencies: [{uri: 'u:1', label: One, type: talent}]\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as raised:
        read_custom_yaml(path)
    assert raised.value.problems[0].location == "competencies[0].type"


def test_reads_custom_csv(tmp_path: Path) -> None:
    path = tmp_path / "skills.csv"
    path.write_text(
        "uri,label,alt_labels,type,broader\nu:1,Root,,competence,\nu:2,Leaf,a|b,skill,u:1\n",
        encoding="utf-8",
    )
    framework = read_custom_csv(path, framework_id="mine")
    leaf = framework.competency("u:2")
    assert leaf is not None and leaf.alt_labels == ("a", "b") and leaf.broader == ("u:1",)


def test_rejects_custom_csv_with_wrong_columns(tmp_path: Path) -> None:
    path = tmp_path / "skills.csv"
    path.write_text("id,name\n1,x\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        read_custom_csv(path)
    (problem,) = raised.value.problems
    assert problem.source == str(path) and problem.location == "header"
    assert "expected uri, label" in problem.message and "found id, name" in problem.message


def test_rejects_custom_csv_row_without_label(tmp_path: Path) -> None:
    path = tmp_path / "skills.csv"
    path.write_text("uri,label\nu:1,\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=re.escape("row 2.label: must not be empty")):
        read_custom_csv(path)
