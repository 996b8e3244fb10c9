"""ESCO's official CSV download (v1.1.x): skills, occupations, relations, hierarchy.

Reads the two ZIP archives as published (the language ``classification - en - csv``
archive and the language-neutral relations archive) or a folder of the extracted CSVs.
Multi-valued cells hold one value per line (``altLabels``); collections separate their
broader concepts with `` | ``.
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from credstack.errors import InvalidInput, Problem
from credstack.taxonomy.importers.tables import read_rows, split_lines
from credstack.taxonomy.model import (
    Competency,
    CompetencyType,
    Framework,
    FrameworkInfo,
    OccupationConcept,
    parse_type,
)
from credstack.taxonomy.scales import BUILTIN_SCALES

ESCO_LICENCE = (
    "© European Union, ESCO. Reuse authorised under Commission Decision 2011/833/EU. "
    "This service uses the ESCO classification of the European Commission."
)
SKILL_COLUMNS = ("conceptUri", "skillType", "preferredLabel", "altLabels", "description")
GROUP_COLUMNS = ("conceptUri", "preferredLabel", "altLabels", "description", "code")
OCCUPATION_COLUMNS = (
    "conceptUri",
    "iscoGroup",
    "preferredLabel",
    "altLabels",
    "description",
    "code",
)
RELATION_COLUMNS = ("occupationUri", "relationType", "skillUri")
BROADER_COLUMNS = ("conceptUri", "broaderUri")
COLLECTION_COLUMNS = ("conceptUri",)
COLLECTIONS = {
    "digitalSkillsCollection_en.csv": "digital",
    "greenSkillsCollection_en.csv": "green",
    "transversalSkillsCollection_en.csv": "transversal",
    "languageSkillsCollection_en.csv": "language",
    "researchSkillsCollection_en.csv": "research",
    "digCompSkillsCollection_en.csv": "digcomp",
}


class _Source:
    """The CSV files of an ESCO download, whether zipped or extracted, by file name."""

    def __init__(self, path: Path, stack: ExitStack) -> None:
        self.files: dict[str, tuple[Path, zipfile.ZipFile | None]] = {}
        self._stack = stack
        candidates = sorted(path.iterdir()) if path.is_dir() else [path]
        if path.is_file() and path.suffix == ".zip":
            # A lone classification archive: pick up a relations archive beside it.
            candidates += [p for p in sorted(path.parent.glob("*.zip")) if p != path]
        for candidate in candidates:
            if candidate.suffix == ".zip":
                try:
                    archive = stack.enter_context(zipfile.ZipFile(candidate))
                except zipfile.BadZipFile as error:
                    raise InvalidInput(
                        [Problem("", f"not a ZIP archive ({error})", str(candidate))]
                    ) from None
                for name in archive.namelist():
                    self.files.setdefault(Path(name).name, (candidate, archive))
            elif candidate.suffix == ".csv":
                self.files.setdefault(candidate.name, (candidate, None))

    def has(self, name: str) -> bool:
        return name in self.files

    def open(self, name: str) -> tuple[IO[bytes], str]:
        path, archive = self.files[name]
        if archive is None:
            return self._stack.enter_context(path.open("rb")), str(path)
        member = next(n for n in archive.namelist() if Path(n).name == name)
        return self._stack.enter_context(archive.open(member)), f"{path}!{name}"

    def rows(self, name: str, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
        stream, source = self.open(name)
        yield from read_rows(stream, source=source, required=required)


def read_esco(path: Path, *, version: str = "1.1.1") -> Framework:
    """The ESCO framework from an official CSV download (ZIP archives or a CSV folder)."""
    if not path.exists():
        raise InvalidInput([Problem("", "no such file or folder", str(path))])
    with ExitStack() as stack:
        source = _Source(path, stack)
        if not source.has("skills_en.csv"):
            raise InvalidInput(
                [
                    Problem(
                        "", "expected ESCO's skills_en.csv (in the classification ZIP)", str(path)
                    )
                ]
            )
        broader = _broader(source, "broaderRelationsSkillPillar.csv")
        collections = _collections(source)
        competencies = [
            *_skills(source, broader, collections),
            *_skill_groups(source, broader),
        ]
        occupations = _occupations(source)
    info = FrameworkInfo(
        id="esco",
        name="ESCO (European Skills, Competences, Qualifications and Occupations)",
        publisher="European Commission",
        version=version,
        licence=ESCO_LICENCE,
        source_uri="https://esco.ec.europa.eu/en/use-esco/download",
        language="en",
        kind="esco",
    )
    return Framework(
        info=info,
        competencies=tuple(competencies),
        occupations=tuple(occupations),
        scales=BUILTIN_SCALES,
    )


def _skills(
    source: _Source, broader: dict[str, list[str]], collections: dict[str, list[str]]
) -> Iterator[Competency]:
    for row in source.rows("skills_en.csv", SKILL_COLUMNS):
        uri = row["conceptUri"].strip()
        if not uri:
            continue
        yield Competency(
            uri=uri,
            preferred_label=row["preferredLabel"].strip(),
            alt_labels=_alt_labels(row),
            description=row["description"].strip() or None,
            type=parse_type(row["skillType"]),
            broader=tuple(broader.get(uri, ())),
            collections=tuple(collections.get(uri, ())),
        )


def _skill_groups(source: _Source, broader: dict[str, list[str]]) -> Iterator[Competency]:
    if not source.has("skillGroups_en.csv"):
        return
    for row in source.rows("skillGroups_en.csv", GROUP_COLUMNS):
        uri = row["conceptUri"].strip()
        if uri:
            yield Competency(
                uri=uri,
                preferred_label=row["preferredLabel"].strip(),
                code=row["code"].strip() or None,
                alt_labels=_alt_labels(row),
                description=row["description"].strip() or None,
                type=CompetencyType.SKILL,
                broader=tuple(broader.get(uri, ())),
                is_group=True,
            )


def _alt_labels(row: dict[str, str]) -> tuple[str, ...]:
    # ESCO sometimes repeats the preferred label among the alternatives: drop it.
    preferred = row["preferredLabel"].strip()
    return tuple(
        dict.fromkeys(label for label in split_lines(row["altLabels"]) if label != preferred)
    )


def _broader(source: _Source, name: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    if source.has(name):
        for row in source.rows(name, BROADER_COLUMNS):
            found[row["conceptUri"].strip()].append(row["broaderUri"].strip())
    return found


def _collections(source: _Source) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for file_name, collection in COLLECTIONS.items():
        if source.has(file_name):
            for row in source.rows(file_name, COLLECTION_COLUMNS):
                found[row["conceptUri"].strip()].append(collection)
    return found


def _occupations(source: _Source) -> list[OccupationConcept]:
    if not source.has("occupations_en.csv"):
        return []
    essential: dict[str, list[str]] = defaultdict(list)
    optional: dict[str, list[str]] = defaultdict(list)
    if source.has("occupationSkillRelations.csv"):
        for row in source.rows("occupationSkillRelations.csv", RELATION_COLUMNS):
            target = essential if row["relationType"].strip() == "essential" else optional
            target[row["occupationUri"].strip()].append(row["skillUri"].strip())
    occupations = []
    for row in source.rows("occupations_en.csv", OCCUPATION_COLUMNS):
        uri = row["conceptUri"].strip()
        if uri:
            occupations.append(
                OccupationConcept(
                    uri=uri,
                    preferred_label=row["preferredLabel"].strip(),
                    code=row["code"].strip() or None,
                    alt_labels=_alt_labels(row),
                    description=row["description"].strip() or None,
                    group_code=row["iscoGroup"].strip() or None,
                    essential=tuple(essential.get(uri, ())),
                    optional=tuple(optional.get(uri, ())),
                )
            )
    return occupations
