"""Reading and writing micro-credential files (YAML or JSON) with errors users can act on."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from credstack.domain.credential import MicroCredential
from credstack.errors import InvalidInput, Problem
from credstack.registry.errors import problems_from_validation

SUFFIXES = (".yaml", ".yml", ".json")
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that rejects a key given twice in one mapping."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    # Keys written in this mapping must be unique; keys merged in with "<<: *anchor"
    # may be overridden by them, as YAML's merge key allows.
    explicit = [key for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge"]
    loader.flatten_mapping(node)
    merged = len(node.value) - len(explicit)
    mapping: dict[Any, Any] = {}
    written: set[Any] = set()
    for position, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node)
        if position >= merged:
            if key in written:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key '{key}' appears twice", key_node.start_mark
                )
            written.add(key)
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


class _DuplicateJsonKey(ValueError):
    pass


def _unique_json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise _DuplicateJsonKey(f"key '{key}' appears twice")
        mapping[key] = value
    return mapping


def parse_text(text: str, *, source: str, suffix: str) -> Any:
    """Parse YAML or JSON text; syntax errors name the line and column."""
    try:
        if suffix == ".json":
            return json.loads(text, object_pairs_hook=_unique_json_object)
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except _DuplicateJsonKey as error:
        raise InvalidInput([Problem("", f"malformed JSON: {error}", source)]) from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            [
                Problem(
                    f"line {error.lineno}, column {error.colno}",
                    f"malformed JSON: {error.msg}",
                    source,
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        raise InvalidInput([Problem(where, f"malformed YAML: {reason}", source)]) from None


def validate_document(data: Any, *, source: str, prefix: str = "") -> MicroCredential:
    """Validate one record's plain data; every problem is reported at once."""
    if not isinstance(data, dict):
        raise InvalidInput(
            [
                Problem(
                    prefix, f"expected a mapping of CIS elements, got {type(data).__name__}", source
                )
            ]
        )
    try:
        return MicroCredential.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(f"{prefix}{path}" if prefix and path else prefix or path, message, source)
            for path, message in problems_from_validation(error)
        ]
        raise InvalidInput(problems) from None


def read_data(path: Path) -> Any:
    """The plain data of a YAML or JSON file; unreadable or malformed files are InvalidInput."""
    source = str(path)
    if path.suffix.lower() not in SUFFIXES:
        raise InvalidInput([Problem("", "expected a .yaml, .yml or .json file", source)])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput([Problem("", f"cannot read file: {error}", source)]) from None
    return parse_text(text, source=source, suffix=path.suffix.lower())


def load_records(path: Path) -> list[MicroCredential]:
    """Every record in a file: one mapping, or a list of mappings; all valid or an error."""
    source = str(path)
    data = read_data(path)
    if isinstance(data, list):
        records: list[MicroCredential] = []
        indexed: list[tuple[int, MicroCredential]] = []
        problems: list[Problem] = []
        for index, item in enumerate(data):
            try:
                record = validate_document(item, source=source, prefix=f"[{index}].")
            except InvalidInput as error:
                problems.extend(error.problems)
                continue
            records.append(record)
            indexed.append((index, record))
        problems.extend(_duplicate_ids(indexed, source))
        if problems:
            raise InvalidInput(problems)
        return records
    return [validate_document(data, source=source)]


def _duplicate_ids(records: Iterable[tuple[int, MicroCredential]], source: str) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for index, record in records:
        if record.id in seen:
            problems.append(Problem(f"[{index}].id", f"duplicate id '{record.id}'", source))
        seen.add(record.id)
    return problems


def load_record(path: Path) -> MicroCredential:
    """The single record in ``path``."""
    records = load_records(path)
    if len(records) != 1:
        raise InvalidInput([Problem("", f"expected one record, found {len(records)}", str(path))])
    return records[0]


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and the record files inside folders named (sorted, recursive)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                child for child in path.rglob("*") if child.suffix.lower() in SUFFIXES
            )
        elif path.exists():
            yield path
        else:
            raise InvalidInput([Problem("", "no such file or folder", str(path))])


def dump_record(record: MicroCredential, *, fmt: str) -> str:
    """The record in the file format: ``yaml`` or ``json``."""
    document = record.to_document()
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        # YAML reads NEL and the Unicode line/paragraph separators as line breaks even
        # inside quotes; escaping non-ASCII keeps such text exactly as it was.
        readable = not _YAML_BREAKS.search(json.dumps(document, ensure_ascii=False))
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=readable, width=100)
    raise InvalidInput([Problem("--format", f"expected 'yaml' or 'json', got '{fmt}'")])
