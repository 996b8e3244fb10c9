"""Build the synthetic-registry vocabulary from the official ESCO v1.1.1 CSV download.

For every ESCO occupation: its preferred label and the preferred labels of up to ten
of its essential skills and knowledge. The generator turns these into titles, topics
and learning outcomes, so synthetic records read like real ones and their words
follow a real vocabulary's frequencies.

    python scripts/build_generator_vocabulary.py ESCO_DOWNLOAD_FOLDER

This service uses the ESCO classification of the European Commission.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

OUT = (
    Path(__file__).resolve().parents[1]
    / "src/credstack/registry/data/esco_occupation_skills.json.gz"
)
SKILLS_PER_OCCUPATION = 10


def _rows(archive: Path, member: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(archive) as zipped, zipped.open(member) as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")))


def main(folder: Path) -> None:
    classification = folder / "esco_v1.1.1_classification_en_csv.zip"
    relations = folder / "esco_v1.1.1_relations_csv.zip"
    # Knowledge is marked with a leading "~" so outcomes can put a verb before it.
    skills = {
        row["conceptUri"]: ("~" if row["skillType"] == "knowledge" else "") + row["preferredLabel"]
        for row in _rows(classification, "skills_en.csv")
    }
    essential: dict[str, list[str]] = defaultdict(list)
    for row in _rows(relations, "occupationSkillRelations.csv"):
        if row["relationType"] == "essential" and row["skillUri"] in skills:
            essential[row["occupationUri"]].append(skills[row["skillUri"]])
    occupations = []
    for row in _rows(classification, "occupations_en.csv"):
        labels = sorted(set(essential.get(row["conceptUri"], [])))[:SKILLS_PER_OCCUPATION]
        if len(labels) >= 3:
            occupations.append(
                {"occupation": row["preferredLabel"], "isco": row["iscoGroup"], "skills": labels}
            )
    occupations.sort(key=lambda item: str(item["occupation"]))
    payload = {
        "attribution": "This service uses the ESCO classification of the European "
        "Commission. ESCO v1.1.1.",
        "occupations": occupations,
    }
    OUT.write_bytes(gzip.compress(json.dumps(payload, separators=(",", ":")).encode(), mtime=0))
    print(f"{len(occupations)} occupations -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python scripts/build_generator_vocabulary.py ESCO_DOWNLOAD_FOLDER")
    main(Path(sys.argv[1]))
