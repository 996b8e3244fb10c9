"""Canada's National Occupational Classification (NOC) 2021 V1.0, as a framework of occupations.

Reads a folder holding Statistics Canada's classification structure file
(``noc_2021_version_1.0_-_classification_structure.csv``: Level, Hierarchical structure,
Code - NOC 2021 V1.0, Class title, Class definition) and, when present, WorkBC's job titles
table (``noc2021_job_titles.csv``: noc, job_title, illustrative), derived from StatCan's
"All examples" elements. Each unit group (level 5, a 5-digit code whose 2nd digit is the
TEER category) becomes an occupation of the framework ``noc-2021``: its title, its
definition, its job titles as alternative labels and its minor group (the first 4 digits)
as group code. NOC has no competencies of its own, so the framework has none.

WorkBC merges the job titles of 00011-00015 into the code 00018, which is no unit group of
NOC 2021 V1.0: titles of codes outside the structure are left out.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from credstack.errors import InvalidInput, Problem
from credstack.taxonomy.importers.tables import read_rows
from credstack.taxonomy.model import Framework, FrameworkInfo, OccupationConcept

NOC_FRAMEWORK_ID = "noc-2021"
STRUCTURE_FILE = "noc_2021_version_1.0_-_classification_structure.csv"
JOB_TITLES_FILE = "noc2021_job_titles.csv"
CODE = "Code - NOC 2021 V1.0"
STRUCTURE_COLUMNS = ("Level", "Hierarchical structure", CODE, "Class title", "Class definition")
JOB_TITLE_COLUMNS = ("noc", "job_title")
UNIT_GROUP_LEVEL = "5"
NOC_LICENCE = (
    "Statistics Canada Open Licence. Source: Statistics Canada, National Occupational "
    "Classification (NOC) 2021 Version 1.0. Job titles: Government of B.C., WorkBC."
)
NOC_SOURCE = "https://www.statcan.gc.ca/en/subjects/standard/noc/2021/indexV1"
URI_PREFIX = "https://noc.esdc.gc.ca/Structure/NocProfile?version=2021.0&code="


def noc_uri(code: str) -> str:
    """The URI of a NOC 2021 unit group (ESDC's NOC profile page for the code)."""
    return f"{URI_PREFIX}{code}"


def read_noc(path: Path) -> Framework:
    """The NOC 2021 unit groups in the folder ``path`` as the framework ``noc-2021``."""
    structure = path / STRUCTURE_FILE
    if not path.is_dir():
        raise InvalidInput([Problem("", "expected a folder holding the NOC 2021 files", str(path))])
    if not structure.is_file():
        raise InvalidInput(
            [Problem("", f"expected StatCan's structure file {STRUCTURE_FILE}", str(path))]
        )
    units = _unit_groups(structure)
    titles = _job_titles(path / JOB_TITLES_FILE, set(units))
    occupations = tuple(
        OccupationConcept(
            uri=noc_uri(code),
            preferred_label=title,
            code=code,
            # The unit group's own title is its preferred label, not an alternative.
            alt_labels=tuple(t for t in dict.fromkeys(titles.get(code, ())) if t != title),
            description=definition or None,
            group_code=code[:4],
        )
        for code, (title, definition) in units.items()
    )
    info = FrameworkInfo(
        id=NOC_FRAMEWORK_ID,
        name="National Occupational Classification (NOC) 2021",
        publisher="Statistics Canada; Employment and Social Development Canada",
        version="2021 V1.0",
        licence=NOC_LICENCE,
        source_uri=NOC_SOURCE,
        language="en",
        kind="noc",
    )
    return Framework(info=info, competencies=(), occupations=occupations)


def _unit_groups(structure: Path) -> dict[str, tuple[str, str]]:
    units: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    with structure.open("rb") as stream:
        rows = read_rows(stream, source=str(structure), required=STRUCTURE_COLUMNS)
        # Line 1 is the header, so the first data row is line 2.
        for line, row in enumerate(rows, start=2):
            if row["Level"].strip() != UNIT_GROUP_LEVEL:
                continue
            code = row[CODE].strip()
            title = row["Class title"].strip()
            if not (len(code) == 5 and code.isdigit()):
                problems.append(
                    Problem(f"line {line}: {CODE}", f"expected a 5-digit code, got '{code}'", None)
                )
            elif not title:
                problems.append(Problem(f"line {line}: Class title", "must not be empty", None))
            elif code in units:
                problems.append(Problem(f"line {line}: {CODE}", f"duplicate code {code}", None))
            else:
                units[code] = (title, row["Class definition"].strip())
    if not units and not problems:
        problems.append(Problem("Level", "no unit group (level 5) row", None))
    if problems:
        raise InvalidInput([Problem(p.location, p.message, str(structure)) for p in problems[:20]])
    return units


def _job_titles(path: Path, codes: set[str]) -> dict[str, list[str]]:
    titles: dict[str, list[str]] = defaultdict(list)
    if not path.is_file():
        return titles
    with path.open("rb") as stream:
        for row in read_rows(stream, source=str(path), required=JOB_TITLE_COLUMNS):
            code = row["noc"].strip().zfill(5)
            title = row["job_title"].strip()
            if code in codes and title:
                titles[code].append(title)
    return titles
