"""Custom frameworks (an institution's or an industry body's) as simple CSV or YAML.

CSV: one competency a row, columns ``uri, label`` required and ``code, alt_labels``
(separated by ``|``), ``description, type, broader`` (URIs separated by ``|``) optional.
Framework metadata comes from the caller (CLI options) with the file name as default.

YAML::

    framework: {id: acme-data, name: ACME data skills, publisher: ACME, version: "2"}
    scales: [{id: acme, name: ACME levels, levels: [{code: l1, label: Novice}, ...]}]
    competencies:
      - {uri: https://acme.example/c/1, label: Clean data, type: skill, broader: [...]}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from credstack.errors import InvalidInput, Problem
from credstack.registry.files import MAX_FRAMEWORK_BYTES, read_data
from credstack.taxonomy.importers.tables import read_rows, split_bars
from credstack.taxonomy.model import (
    FRAMEWORK_ID_PATTERN,
    Competency,
    CompetencyType,
    Framework,
    FrameworkInfo,
    ProficiencyLevel,
    ProficiencyScale,
    parse_type,
)
from credstack.taxonomy.scales import BUILTIN_SCALES

CSV_REQUIRED = ("uri", "label")
TYPES = ", ".join(member.value for member in CompetencyType)


def _default_id(path: Path) -> str:
    slug = "".join(char if char.isalnum() else "-" for char in path.stem.lower()).strip("-")
    return slug[:64] or "custom"


def read_custom_csv(
    path: Path,
    *,
    framework_id: str | None = None,
    name: str | None = None,
    publisher: str = "unknown",
    version: str = "1",
) -> Framework:
    """A custom framework from a CSV file (one competency a row)."""
    source = str(path)
    if not path.is_file():
        raise InvalidInput([Problem("", "no such file", source)])
    problems: list[Problem] = []
    competencies: list[Competency] = []
    with path.open("rb") as stream:
        for line, row in enumerate(
            read_rows(stream, source=source, required=CSV_REQUIRED), start=2
        ):
            raw = {
                "uri": row["uri"],
                "label": row["label"],
                "code": row.get("code", ""),
                "alt_labels": list(split_bars(row.get("alt_labels", ""))),
                "description": row.get("description", ""),
                "type": row.get("type", ""),
                "broader": list(split_bars(row.get("broader", ""))),
            }
            competency = _competency(raw, f"row {line}", source, problems)
            if competency is not None:
                competencies.append(competency)
    info = FrameworkInfo(
        id=framework_id or _default_id(path),
        name=name or path.stem,
        publisher=publisher,
        version=version,
        source_uri=path.resolve().as_uri(),
        kind="csv",
    )
    return _finish(info, competencies, BUILTIN_SCALES, source, problems)


def read_custom_yaml(path: Path) -> Framework:
    """A custom framework (metadata, scales, competencies) from a YAML file."""
    document = read_data(path, max_bytes=MAX_FRAMEWORK_BYTES, syntax=".yaml")
    return parse_custom_document(document, source=str(path))


def parse_custom_document(document: Any, *, source: str) -> Framework:
    """A custom framework from a parsed YAML/JSON document."""
    problems: list[Problem] = []
    if not isinstance(document, dict):
        raise InvalidInput(
            [Problem("", "expected a mapping with 'framework' and 'competencies'", source)]
        )
    meta = document.get("framework")
    if not isinstance(meta, dict):
        raise InvalidInput(
            [Problem("framework", "expected a mapping (id, name, publisher, version)", source)]
        )
    for key in ("id", "name", "publisher", "version"):
        if not str(meta.get(key) or "").strip():
            problems.append(Problem(f"framework.{key}", "must not be empty", source))
    info = FrameworkInfo(
        id=str(meta.get("id") or "").strip(),
        name=str(meta.get("name") or "").strip(),
        publisher=str(meta.get("publisher") or "").strip(),
        version=str(meta.get("version") or "").strip(),
        licence=str(meta.get("licence") or ""),
        source_uri=str(meta.get("source_uri") or ""),
        language=str(meta.get("language") or "en"),
        kind="yaml",
    )
    items = document.get("competencies")
    if not isinstance(items, list) or not items:
        problems.append(Problem("competencies", "expected a non-empty list", source))
        items = []
    competencies: list[Competency] = []
    for index, item in enumerate(items):
        location = f"competencies[{index}]"
        if not isinstance(item, dict):
            problems.append(Problem(location, "expected a mapping with uri and label", source))
            continue
        competency = _competency(item, location, source, problems)
        if competency is not None:
            competencies.append(competency)
    scales = _scales(document.get("scales", []), source, problems)
    return _finish(info, competencies, (*BUILTIN_SCALES, *scales), source, problems)


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [str(value)]


def _competency(
    raw: dict[str, Any], location: str, source: str, problems: list[Problem]
) -> Competency | None:
    uri = str(raw.get("uri") or "").strip()
    label = str(raw.get("label") or raw.get("preferred_label") or "").strip()
    if not uri:
        problems.append(Problem(f"{location}.uri", "must not be empty", source))
    if not label:
        problems.append(Problem(f"{location}.label", "must not be empty", source))
    type_text = str(raw.get("type") or "").strip()
    competency_type = parse_type(type_text)
    if type_text and competency_type is None:
        problems.append(Problem(f"{location}.type", f"'{type_text}' is not one of {TYPES}", source))
    if not uri or not label:
        return None
    return Competency(
        uri=uri,
        preferred_label=label,
        code=str(raw.get("code") or "").strip() or None,
        alt_labels=tuple(_as_list(raw.get("alt_labels"))),
        description=str(raw.get("description") or "").strip() or None,
        type=competency_type,
        broader=tuple(_as_list(raw.get("broader"))),
    )


def _scales(raw: Any, source: str, problems: list[Problem]) -> list[ProficiencyScale]:
    if not isinstance(raw, list):
        problems.append(Problem("scales", "expected a list", source))
        return []
    scales = []
    for index, item in enumerate(raw):
        location = f"scales[{index}]"
        levels = item.get("levels") if isinstance(item, dict) else None
        if (
            not isinstance(item, dict)
            or not item.get("id")
            or not isinstance(levels, list)
            or not levels
        ):
            problems.append(
                Problem(location, "expected id, name and a non-empty list of levels", source)
            )
            continue
        parsed = []
        for position, level in enumerate(levels):
            if not isinstance(level, dict) or not str(level.get("code") or "").strip():
                problems.append(
                    Problem(f"{location}.levels[{position}].code", "must not be empty", source)
                )
                continue
            parsed.append(
                ProficiencyLevel(
                    code=str(level["code"]).strip(),
                    label=str(level.get("label") or level["code"]).strip(),
                    descriptor=str(level.get("descriptor") or ""),
                )
            )
        scales.append(
            ProficiencyScale(
                id=str(item["id"]), name=str(item.get("name") or item["id"]), levels=tuple(parsed)
            )
        )
    return scales


def _finish(
    info: FrameworkInfo,
    competencies: list[Competency],
    scales: tuple[ProficiencyScale, ...],
    source: str,
    problems: list[Problem],
) -> Framework:
    if info.id and not FRAMEWORK_ID_PATTERN.match(info.id):
        problems.append(
            Problem(
                "framework.id",
                f"'{info.id}' must be lowercase letters, digits, '.', '_' or '-'",
                source,
            )
        )
    problems.extend(check_references(competencies, source))
    if problems:
        raise InvalidInput(problems)
    return Framework(info=info, competencies=tuple(competencies), scales=scales)


def check_references(competencies: list[Competency], source: str) -> list[Problem]:
    """Duplicate URIs and broader URIs that name no competency of the framework."""
    problems = []
    seen: set[str] = set()
    for competency in competencies:
        if competency.uri in seen:
            problems.append(Problem(competency.uri, "duplicate competency URI", source))
        seen.add(competency.uri)
    for competency in competencies:
        for parent in competency.broader:
            if parent not in seen:
                problems.append(
                    Problem(
                        f"{competency.uri}.broader",
                        f"dangling reference: '{parent}' is not a competency of this framework",
                        source,
                    )
                )
    return problems
