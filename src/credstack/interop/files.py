"""Reading interop inputs (CTDL / ELM JSON-LD, CSV) and writing exports to files."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from credstack.errors import InvalidInput, Problem
from credstack.registry.files import parse_text

JSON_SUFFIXES = (".json", ".jsonld")
MAX_FILE_BYTES = 50 * 1024 * 1024


def json_files(paths: Iterable[Path]) -> Iterator[Path]:
    """JSON(-LD) files named, and those inside folders named (sorted, recursive)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in JSON_SUFFIXES)
        elif path.exists():
            yield path
        else:
            raise InvalidInput([Problem("", "no such file or folder", str(path))])


def read_json(path: Path) -> Any:
    """The parsed JSON of a file; unreadable, too large or malformed files are InvalidInput."""
    source = str(path)
    if path.suffix.lower() not in JSON_SUFFIXES:
        raise InvalidInput([Problem("", "expected a .json or .jsonld file", source)])
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidInput([Problem("", f"larger than {MAX_FILE_BYTES // 2**20} MB", source)])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput([Problem("", f"cannot read file: {error}", source)]) from None
    return parse_text(text, source=source, suffix=".json")


def read_json_files(paths: Iterable[Path]) -> list[tuple[str, Any]]:
    """(source, data) of every file; every unreadable file reported at once."""
    documents: list[tuple[str, Any]] = []
    problems: list[Problem] = []
    for path in json_files(paths):
        try:
            documents.append((str(path), read_json(path)))
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    return documents


def dump_json(document: Any) -> str:
    """A JSON-LD document as written to files and standard output."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_json(path: Path, document: Any) -> None:
    """Write ``document`` to ``path`` (folders created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_json(document), encoding="utf-8")


def read_csv_text(path: Path) -> str:
    """The text of a CSV file (UTF-8, a byte-order mark allowed), or InvalidInput."""
    source = str(path)
    if path.suffix.lower() != ".csv":
        raise InvalidInput([Problem("", "expected a .csv file", source)])
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidInput([Problem("", f"larger than {MAX_FILE_BYTES // 2**20} MB", source)])
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput([Problem("", f"cannot read file: {error}", source)]) from None
