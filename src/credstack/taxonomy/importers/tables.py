"""Reading CSV tables with named columns, with clear errors when columns are missing."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO

from credstack.errors import InvalidInput, Problem

# ESCO descriptions can be long; the default csv field limit (128 KiB) is enough, but
# a hostile file should still fail as bad input rather than crash.
csv.field_size_limit(16 * 1024 * 1024)


def read_rows(
    stream: IO[bytes], *, source: str, required: Iterable[str]
) -> Iterator[dict[str, str]]:
    """Rows of a UTF-8 CSV as dicts; InvalidInput naming expected vs found columns."""
    required = tuple(required)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(text)
        found = [name.strip() for name in (reader.fieldnames or [])]
    except UnicodeDecodeError as error:
        raise InvalidInput(
            [Problem("header", f"not UTF-8 text ({error.reason})", source)]
        ) from None
    missing = [name for name in required if name not in found]
    if missing:
        raise InvalidInput(
            [
                Problem(
                    "header",
                    f"missing column(s) {', '.join(missing)}; expected "
                    f"{', '.join(required)}; found {', '.join(found) or 'no header'}",
                    source,
                )
            ]
        )
    reader.fieldnames = found
    try:
        for row in reader:
            yield {key: (value or "") for key, value in row.items() if key is not None}
    except (UnicodeDecodeError, csv.Error) as error:
        raise InvalidInput(
            [Problem(f"line {reader.line_num}", f"unreadable CSV ({error})", source)]
        ) from None


def split_lines(value: str) -> tuple[str, ...]:
    """A multi-valued ESCO cell (one value per line) as a tuple, blanks dropped."""
    return tuple(line.strip() for line in value.splitlines() if line.strip())


def split_bars(value: str) -> tuple[str, ...]:
    """A multi-valued cell separated by ' | ' (ESCO collections' broader concepts)."""
    return tuple(part.strip() for part in value.split("|") if part.strip())
