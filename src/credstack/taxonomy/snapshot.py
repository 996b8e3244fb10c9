"""The compact ESCO snapshot shipped with credstack: write it (build script) and load it.

The snapshot is one gzip-compressed JSON document. To stay small, URIs lose the common
``http://data.europa.eu/esco/`` prefix, and broader concepts and occupation–skill
relations refer to competencies by their position in the competency list.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

from credstack.errors import InvalidInput, Problem
from credstack.taxonomy.model import (
    Competency,
    Framework,
    FrameworkInfo,
    OccupationConcept,
    parse_type,
)
from credstack.taxonomy.scales import BUILTIN_SCALES

SNAPSHOT_FORMAT = 1
SNAPSHOT_NAME = "esco-snapshot.json.gz"
ESCO_PREFIX = "http://data.europa.eu/esco/"


def _short(uri: str) -> str:
    return uri[len(ESCO_PREFIX) :] if uri.startswith(ESCO_PREFIX) else "=" + uri


def _long(short: str) -> str:
    return short[1:] if short.startswith("=") else ESCO_PREFIX + short


def _refs(uris: tuple[str, ...], positions: dict[str, int]) -> list[int | str]:
    return [positions[uri] if uri in positions else _short(uri) for uri in uris]


def _unrefs(refs: list[int | str], uris: list[str]) -> tuple[str, ...]:
    return tuple(uris[ref] if isinstance(ref, int) else _long(ref) for ref in refs)


def write_snapshot(framework: Framework, path: Path) -> None:
    """Write ``framework`` as a compact snapshot at ``path`` (deterministic bytes)."""
    positions = {competency.uri: index for index, competency in enumerate(framework.competencies)}
    document: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "framework": asdict(framework.info),
        "content_hash": framework.content_hash,
        "competencies": [
            [
                _short(c.uri),
                c.code,
                c.preferred_label,
                [label for label in c.alt_labels if label != c.preferred_label],
                c.description,
                c.type.value if c.type else None,
                _refs(c.broader, positions),
                list(c.collections),
                int(c.is_group),
            ]
            for c in framework.competencies
        ],
        "occupations": [
            [
                _short(o.uri),
                o.code,
                o.preferred_label,
                list(o.alt_labels),
                o.description,
                o.group_code,
                _refs(o.essential, positions),
                _refs(o.optional, positions),
            ]
            for o in framework.occupations
        ],
    }
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        path.open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as out,
    ):
        out.write(payload)


def read_snapshot(path: Path) -> Framework:
    """The framework stored in the snapshot at ``path``."""
    try:
        with gzip.open(path, "rb") as stream:
            document = json.loads(stream.read().decode("utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidInput(
            [Problem("", f"not a credstack snapshot ({error})", str(path))]
        ) from None
    if not isinstance(document, dict) or document.get("format") != SNAPSHOT_FORMAT:
        raise InvalidInput(
            [Problem("format", f"expected snapshot format {SNAPSHOT_FORMAT}", str(path))]
        )
    uris = [_long(row[0]) for row in document["competencies"]]
    competencies = tuple(
        Competency(
            uri=uris[index],
            code=row[1],
            preferred_label=row[2],
            alt_labels=tuple(row[3]),
            description=row[4],
            type=parse_type(row[5]),
            broader=_unrefs(row[6], uris),
            collections=tuple(row[7]),
            is_group=bool(row[8]),
        )
        for index, row in enumerate(document["competencies"])
    )
    occupations = tuple(
        OccupationConcept(
            uri=_long(row[0]),
            code=row[1],
            preferred_label=row[2],
            alt_labels=tuple(row[3]),
            description=row[4],
            group_code=row[5],
            essential=_unrefs(row[6], uris),
            optional=_unrefs(row[7], uris),
        )
        for row in document["occupations"]
    )
    return Framework(
        info=FrameworkInfo(**document["framework"]),
        competencies=competencies,
        occupations=occupations,
        scales=BUILTIN_SCALES,
        content_hash=str(document.get("content_hash") or ""),
    )


def bundled_snapshot_path() -> Path:
    """Where the shipped ESCO snapshot lives inside the installed package."""
    return Path(str(resources.files("credstack.taxonomy") / "data" / SNAPSHOT_NAME))


_cache: dict[Path, Framework] = {}


def load_bundled_esco() -> Framework:
    """The ESCO framework of the shipped snapshot (read once per process)."""
    path = bundled_snapshot_path()
    if path not in _cache:
        if not path.exists():
            raise InvalidInput(
                [
                    Problem(
                        "",
                        "the ESCO snapshot is missing; run scripts/build_esco_snapshot.py",
                        str(path),
                    )
                ]
            )
        _cache[path] = read_snapshot(path)
    return _cache[path]
