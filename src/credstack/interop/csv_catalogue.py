"""Bulk CSV catalogues: one row per micro-credential, columns named by field path.

The documented form (``credstack interop csv template`` prints a header with one example row):

* A column is the path of a field of the file format, as error messages write it:
  ``title``, ``provider.issuer.country``, ``learner_effort.total_hours``.
* A list of values is one cell with the items separated by ``|`` (``en | fr``), or one
  column per item numbered from 1: ``language[1]``, ``language[2]``. ``\\|`` is a literal bar.
* A list of objects takes numbered column groups: ``learning_outcomes[1].id``,
  ``learning_outcomes[1].statement``, ``learning_outcomes[2].id``, ... nesting as deep as
  the format does (``learning_outcomes[1].alignments[1].uri``). Add groups as needed.
* Empty cells are absent fields; ``true``/``false``, numbers and ISO dates as in YAML.
* A column named ``errors`` is ignored, so a rejects file can be fixed and imported again.

Each row becomes the plain data of one record and is checked by the registry's own
validation (``registry.files.validate_document``); problems name the row (as a
spreadsheet numbers it, the header being row 1), the column and what was expected.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from credstack.domain.credential import MicroCredential
from credstack.errors import InvalidInput, Problem
from credstack.registry.files import validate_document

ERRORS_COLUMN = "errors"
MAX_ROWS = 200_000
_SEGMENT = re.compile(r"^(?P<name>[a-z_]+)(?:\[(?P<index>[1-9][0-9]{0,3})\])?$")
_SPLIT = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Column:
    """A parsed header: field names with 1-based list positions (None: not indexed)."""

    header: str
    parts: tuple[tuple[str, int | None], ...]


@dataclass
class Row:
    """One data row: its spreadsheet number, its cells, and the record or its problems."""

    number: int
    cells: dict[str, str]
    record: MicroCredential | None = None
    problems: list[Problem] = field(default_factory=list)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The model or scalar type inside Optional/Annotated/list, and whether it is a list."""
    is_list = False
    while get_origin(annotation) is not None:
        origin = get_origin(annotation)
        if origin is list:
            is_list = True
        args = [a for a in get_args(annotation) if a is not type(None)]
        if not args:
            break
        annotation = args[0]
    return annotation, is_list


def _field_info(model: type[BaseModel], name: str) -> tuple[Any, bool] | None:
    found = model.model_fields.get(name)
    return None if found is None else _unwrap(found.annotation)


def parse_header(header: str, *, source: str) -> Column:
    """A column from its header; unknown fields are an error with a suggestion."""
    model: Any = MicroCredential
    parts: list[tuple[str, int | None]] = []
    for segment in header.strip().split("."):
        match = _SEGMENT.match(segment)
        if match is None or not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise InvalidInput(
                [
                    Problem(
                        f"row 1, column '{header}'",
                        "expected a field path such as 'learning_outcomes[1].id'",
                        source,
                    )
                ]
            )
        name, index = match.group("name"), match.group("index")
        info = _field_info(model, name)
        if info is None:
            close = difflib.get_close_matches(name, list(model.model_fields), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise InvalidInput(
                [Problem(f"row 1, column '{header}'", f"unknown field '{name}'{hint}", source)]
            )
        inner, is_list = info
        if index is not None and not is_list:
            raise InvalidInput(
                [
                    Problem(
                        f"row 1, column '{header}'",
                        f"'{name}' is not a list; remove [{index}]",
                        source,
                    )
                ]
            )
        parts.append((name, int(index) if index else None))
        model = inner
    last_inner, last_is_list = _field_info_path(parts)
    if (
        isinstance(last_inner, type)
        and issubclass(last_inner, BaseModel)
        and (not last_is_list or parts[-1][1] is not None)
    ):
        raise InvalidInput(
            [
                Problem(
                    f"row 1, column '{header}'",
                    "names a group of fields; name one of its fields",
                    source,
                )
            ]
        )
    return Column(header=header, parts=tuple(parts))


def _field_info_path(parts: list[tuple[str, int | None]]) -> tuple[Any, bool]:
    model: Any = MicroCredential
    info: tuple[Any, bool] = (MicroCredential, False)
    for name, _ in parts:
        found = _field_info(model, name)
        assert found is not None
        info = found
        model = found[0]
    return info


def _is_list_of_values(column: Column) -> bool:
    inner, is_list = _field_info_path(list(column.parts))
    return (
        is_list
        and column.parts[-1][1] is None
        and not (isinstance(inner, type) and issubclass(inner, BaseModel))
    )


def split_list(cell: str) -> list[str]:
    """The items of a list cell: ``a | b`` -> ["a", "b"]; ``\\|`` stays a bar."""
    return [item.strip().replace("\\|", "|") for item in _SPLIT.split(cell) if item.strip()]


def _put(document: dict[str, Any], column: Column, value: Any) -> None:
    target: Any = document
    for position, (name, index) in enumerate(column.parts):
        last = position == len(column.parts) - 1
        if index is None:
            if last:
                target[name] = value
            else:
                target = target.setdefault(name, {})
            continue
        items = target.setdefault(name, [])
        while len(items) < index:
            items.append(None)
        if last:
            items[index - 1] = value
        else:
            if items[index - 1] is None:
                items[index - 1] = {}
            target = items[index - 1]


def _compact(value: Any) -> Any:
    # Numbered groups may skip numbers (1, 3): the gaps are not items.
    if isinstance(value, dict):
        return {key: _compact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_compact(item) for item in value if item is not None]
    return value


def row_document(cells: dict[str, str], columns: list[Column]) -> dict[str, Any]:
    """The plain data of one record from a row's non-empty cells."""
    document: dict[str, Any] = {}
    for column in columns:
        cell = cells.get(column.header, "").strip()
        if not cell:
            continue
        _put(document, column, split_list(cell) if _is_list_of_values(column) else cell)
    return dict(_compact(document))


def column_of(path: str, columns: list[Column]) -> str:
    """The header a validation path (``learning_outcomes[0].statement``) was read from."""
    wanted = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + 1}]", path)
    headers = [c.header for c in columns]
    candidate = wanted
    while candidate:
        if candidate in headers:
            return candidate
        # A list cell ("language") reports items as "language[2]"; a group as its fields.
        trimmed = re.sub(r"(\[\d+\]|\.[a-z_]+)$", "", candidate)
        if trimmed == candidate:
            break
        candidate = trimmed
    under = [h for h in headers if h.startswith(f"{wanted}.") or h.startswith(f"{wanted}[")]
    return under[0] if len(under) == 1 else wanted


def read_rows(text: str, *, source: str) -> tuple[list[Column], list[Row]]:
    """Parse the CSV text: the columns and the rows (header errors raise InvalidInput)."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        headers = reader.fieldnames or []
        raw_rows = []
        for raw in reader:
            raw_rows.append(raw)
            if len(raw_rows) > MAX_ROWS:
                raise InvalidInput([Problem("", f"more than {MAX_ROWS} rows", source)])
    except csv.Error as error:
        raise InvalidInput(
            [Problem(f"row {reader.line_num}", f"malformed CSV: {error}", source)]
        ) from None
    if not headers:
        raise InvalidInput([Problem("row 1", "expected a header row of field paths", source)])
    problems: list[Problem] = []
    columns: list[Column] = []
    seen: set[str] = set()
    for header in headers:
        if header is None or header.strip() == ERRORS_COLUMN:
            continue
        if header in seen:
            problems.append(Problem(f"row 1, column '{header}'", "column appears twice", source))
            continue
        seen.add(header)
        try:
            columns.append(parse_header(header, source=source))
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    rows = []
    for position, raw in enumerate(raw_rows):
        number = position + 2
        extra = raw.pop(None, None)
        cells = {key: value or "" for key, value in raw.items() if key is not None}
        row = Row(number=number, cells=cells)
        if extra:
            row.problems.append(
                Problem(
                    f"row {number}",
                    f"{len(extra)} cell(s) more than the header has columns",
                    source,
                )
            )
        rows.append(row)
    return columns, rows


def check_rows(columns: list[Column], rows: list[Row], *, source: str) -> None:
    """Validate every row as a record (the YAML path); problems are kept on the rows."""
    first_row: dict[str, int] = {}
    for row in rows:
        if not any(value.strip() for value in row.cells.values()):
            continue
        try:
            document = row_document(row.cells, columns)
            row.record = validate_document(document, source=source)
        except InvalidInput as error:
            row.problems.extend(
                Problem(
                    f"row {row.number}, column '{column_of(p.location, columns)}'"
                    if p.location
                    else f"row {row.number}",
                    p.message,
                    source,
                )
                for p in error.problems
            )
            continue
        earlier = first_row.setdefault(row.record.id, row.number)
        if earlier != row.number:
            row.problems.append(
                Problem(
                    f"row {row.number}, column 'id'",
                    f"id '{row.record.id}' is also on row {earlier}",
                    source,
                )
            )
            row.record = None


def rejects_csv(columns: list[Column], rows: list[Row]) -> str:
    """The rows that failed, as CSV with an ``errors`` column, to fix and import again."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    headers = [c.header for c in columns]
    writer.writerow([*headers, ERRORS_COLUMN])
    for row in rows:
        if row.problems:
            writer.writerow(
                [
                    *(row.cells.get(h, "") for h in headers),
                    "; ".join(f"{p.location}: {p.message}" for p in row.problems),
                ]
            )
    return out.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def document_cells(document: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """The cells of a record's plain data in the documented form (the inverse of a row)."""
    cells: dict[str, str] = {}
    for key, value in document.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            cells.update(document_cells(value, f"{path}."))
        elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
            for index, item in enumerate(value, start=1):
                cells.update(document_cells(item, f"{path}[{index}]."))
        elif isinstance(value, list):
            cells[path] = " | ".join(_cell(item).replace("|", "\\|") for item in value)
        elif value is not None:
            cells[path] = _cell(value)
    return cells


def model_columns(model: type[BaseModel] = MicroCredential, prefix: str = "") -> list[str]:
    """Every column of the format, one group for each list of objects."""
    found: list[str] = []
    for name in model.model_fields:
        inner, is_list = _field_info(model, name) or (None, False)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            group = f"{prefix}{name}[1]." if is_list else f"{prefix}{name}."
            found += model_columns(inner, group)
        else:
            found.append(f"{prefix}{name}")
    return found


def write_csv(rows: list[dict[str, str]], columns: list[str]) -> str:
    """CSV text of ``rows`` under ``columns`` (missing cells empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue()


def template_text() -> str:
    """The template: every column of the format and the bundled example as one row."""
    from credstack.demo import demo_files
    from credstack.registry.files import load_record

    example = next(p for p in demo_files() if p.stem == "rru-caf-foundations-climate-adaptation")
    cells = document_cells(load_record(example).to_document())
    columns = model_columns()
    columns += [c for c in cells if c not in columns]
    return write_csv([cells], columns)
