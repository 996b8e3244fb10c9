"""Reading and writing micro-credential files (YAML or JSON) with errors users can act on.

Every data file credstack reads (records, rubrics, assessment records, rule sets,
competency frameworks) comes through :func:`read_data`, which refuses a file larger
than its documented maximum before reading it and data nested deeper than
:data:`MAX_DEPTH` levels, each with the usual ``FILE: message`` error.
"""

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
MEGABYTE = 1024 * 1024
# A full CIS record is a few kilobytes; a list of a thousand of them fits in 5 MB.
# Parsing YAML takes about 20 times the file's size in memory, so bigger files are
# refused before they are read.
MAX_FILE_BYTES = 5 * MEGABYTE
# Competency frameworks are bigger (a CASE package of a whole curriculum).
MAX_FRAMEWORK_BYTES = 50 * MEGABYTE
# No credstack document nests deeper than about 10 levels; the parsers recurse.
MAX_DEPTH = 64
_DEPTH_MESSAGE = f"nested deeper than {MAX_DEPTH} levels"
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")


class _TooDeep(yaml.YAMLError):
    def __init__(self, mark: yaml.Mark) -> None:
        self.problem_mark = mark


def _where(mark: yaml.Mark | None) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that rejects a key given twice in one mapping and deep nesting."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        # Composing is recursive: stop at MAX_DEPTH, long before Python's stack ends.
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


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


def _depth(data: Any) -> int:
    """How deeply lists and mappings nest in ``data`` (a scalar is 0), without recursion."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(data, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth + 1)
            if depth + 1 <= MAX_DEPTH:
                pending.extend((child, depth + 1) for child in item)
    return deepest


def parse_text(text: str, *, source: str, suffix: str) -> Any:
    """Parse YAML or JSON text; syntax errors name the line and column.

    Data nested deeper than :data:`MAX_DEPTH` is refused (YAML aliases can build it
    from shallow text, and JSON's parser recurses).
    """
    try:
        if suffix == ".json":
            data = json.loads(text, object_pairs_hook=_unique_json_object)
        else:
            data = yaml.load(text, Loader=_UniqueKeyLoader)
    except RecursionError:
        raise InvalidInput([Problem("", _DEPTH_MESSAGE, source)]) from None
    except _TooDeep as error:
        raise InvalidInput([Problem(_where(error.problem_mark), _DEPTH_MESSAGE, source)]) from None
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
        where = _where(getattr(error, "problem_mark", None))
        reason = getattr(error, "problem", None) or str(error)
        raise InvalidInput([Problem(where, f"malformed YAML: {reason}", source)]) from None
    if _depth(data) > MAX_DEPTH:
        raise InvalidInput([Problem("", _DEPTH_MESSAGE, source)])
    return data


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


def read_data(path: Path, *, max_bytes: int = MAX_FILE_BYTES, syntax: str | None = None) -> Any:
    """The plain data of a YAML or JSON file; unreadable or malformed files are InvalidInput.

    ``syntax`` (``.json`` or ``.yaml``) is the format when the file's suffix does not
    say; a file over ``max_bytes`` is refused before it is read.
    """
    source = str(path)
    suffix = syntax or path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput([Problem("", "expected a .yaml, .yml or .json file", source)])
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InvalidInput([Problem("", _too_big(size, max_bytes), source)])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput([Problem("", f"cannot read file: {error}", source)]) from None
    return parse_text(text, source=source, suffix=suffix)


def _too_big(size: int, max_bytes: int) -> str:
    return (
        f"file is {size / MEGABYTE:.1f} MB; the maximum is {max_bytes / MEGABYTE:g} MB "
        "per file (split it into several files)"
    )


# Other credstack files that live next to records (as in examples/): recognised by
# the keys only they have, so a folder import can pass them by with a note.
_OTHER_KINDS = (
    ("an assessment record", {"learner", "micro_credential", "results"}, "assess record"),
    ("a rubric", {"micro_credential", "scale", "criteria"}, "rubrics import"),
)


def other_kind(data: Any) -> tuple[str, str] | None:
    """``(kind, command)`` when ``data`` is a rubric or assessment record, not a record."""
    if not isinstance(data, dict):
        return None
    for kind, keys, command in _OTHER_KINDS:
        if keys <= data.keys():
            return kind, command
    return None


def load_records(path: Path) -> list[MicroCredential]:
    """Every record in a file: one mapping, or a list of mappings; all valid or an error."""
    return records_in(read_data(path), source=str(path))


def records_in(data: Any, *, source: str) -> list[MicroCredential]:
    """Every record in a file's plain data; all valid or an error naming ``source``."""
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
    for path, _ in expand_named(paths):
        yield path


def expand_named(paths: Iterable[Path]) -> Iterator[tuple[Path, bool]]:
    """As :func:`expand_paths`, each file with whether it was named (not found in a folder)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.suffix.lower() in SUFFIXES:
                    yield child, False
        elif path.exists():
            yield path, True
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
