"""One strict JSON parser for text that strangers send (credentials, API bodies, files).

RFC 8259 section 4 leaves duplicate member names to the implementation: Python keeps
the last value, many wallets and viewers keep the first. A signed document read one
way and shown the other can say two things at once, so a duplicate key is an error
here, named with its path. ``NaN`` and ``Infinity``, which are not JSON, are errors too.
"""

from __future__ import annotations

import json
from typing import Any

from credstack.errors import CredstackError


class JsonSyntaxError(CredstackError, ValueError):
    """The text is not strict JSON; the message names the member and what was expected."""


class _Duplicated(dict[str, Any]):
    """An object whose text repeated a key; the repeated keys ride along for the report."""

    def __init__(self, pairs: list[tuple[str, Any]], repeated: list[str]) -> None:
        super().__init__(pairs)
        self.repeated = repeated


def member_path(parent: str, key: str | int) -> str:
    """The path of a member below ``parent``: ``a.b``, ``a[2]``; the top level is ``''``."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def _repeated_members(value: Any) -> list[str]:
    found: list[str] = []
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, dict):
            if isinstance(item, _Duplicated):
                found.extend(f"'{member_path(path, key)}'" for key in item.repeated)
            stack.extend((child, member_path(path, key)) for key, child in item.items())
        elif isinstance(item, list):
            stack.extend((child, member_path(path, index)) for index, child in enumerate(item))
    return sorted(found)


def _constant(name: str) -> Any:
    raise JsonSyntaxError(f"{name} is not a JSON value; expected a finite number")


def loads(text: str | bytes) -> Any:
    """Parse strict JSON: ``JsonSyntaxError`` for a repeated key (with its path) or NaN."""
    repeated_any = False

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal repeated_any
        seen: set[str] = set()
        repeated = []
        for key, _ in pairs:
            if key in seen:
                repeated.append(key)
            seen.add(key)
        if repeated:
            repeated_any = True
            return _Duplicated(pairs, repeated)
        return dict(pairs)

    try:
        value = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=_constant)
    except JsonSyntaxError:
        raise
    except (ValueError, RecursionError) as error:
        raise JsonSyntaxError(f"not valid JSON: {error}") from None
    if repeated_any:
        members = ", ".join(_repeated_members(value))
        raise JsonSyntaxError(
            f"duplicate key {members}: a JSON object must name each member once "
            "(readers that keep the first value and readers that keep the last would "
            "see different documents)"
        )
    return value
