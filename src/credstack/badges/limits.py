"""Bounds on the work one verification may spend, and the deadline that enforces them.

Every step of verifying a stranger's document (parsing, JSON-LD expansion, conversion
to RDF, RDFC-1.0 hashing) is bounded: sizes are checked before any JSON-LD work, and
one wall-clock deadline covers all the JSON-LD work of a verification, however many
documents (credential, proof configurations, status lists) it canonicalizes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from credstack.badges.errors import WorkLimitExceeded
from credstack.jsonparse import member_path


@dataclass(frozen=True)
class Limits:
    """Bounds on the work spent on one document; defaults fit any real credential.

    A CLR with dozens of embedded badges stays far inside them; a hostile document
    built to make JSON-LD processing or canonicalization explode hits one of them
    within ``max_seconds``. ``max_array_items`` bounds one array: JSON-LD's node map
    compares each value of a property with the ones before it.
    """

    max_json_bytes: int = 2_000_000
    max_depth: int = 64
    max_json_values: int = 100_000
    max_array_items: int = 1_000
    max_quads: int = 20_000
    max_blank_nodes: int = 2_000
    max_work: int = 200_000
    max_seconds: float = 2.0


DEFAULT_LIMITS = Limits()

# (monotonic end, seconds allowed) of the verification running in this thread or task.
_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("badge_deadline", default=None)


@contextmanager
def deadline(limits: Limits) -> Iterator[None]:
    """Bound the JSON-LD work inside the block to ``limits.max_seconds``; an outer one wins."""
    if _DEADLINE.get() is not None:
        yield
        return
    token = _DEADLINE.set((time.monotonic() + limits.max_seconds, limits.max_seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_deadline() -> None:
    """Raise ``WorkLimitExceeded`` once the running verification is past its deadline."""
    current = _DEADLINE.get()
    if current is not None and time.monotonic() > current[0]:
        raise WorkLimitExceeded(
            f"verification took longer than {current[1]:g} s (the limit for one document); "
            "expected a credential of ordinary size"
        )


def check_shape(document: Any, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise ``WorkLimitExceeded`` if a parsed JSON value is too deep, large or wide."""
    stack: list[tuple[Any, int, str]] = [(document, 1, "")]
    values = 0
    while stack:
        value, depth, path = stack.pop()
        values += 1
        if depth > limits.max_depth:
            raise WorkLimitExceeded(
                f"JSON nesting deeper than {limits.max_depth} levels; expected a credential"
            )
        if values > limits.max_json_values:
            raise WorkLimitExceeded(
                f"JSON has more than {limits.max_json_values} values; expected a credential"
            )
        # Paths are built for containers only: scalars are most of the values.
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, dict | list):
                    stack.append((item, depth + 1, member_path(path, key)))
                else:
                    values += 1
        elif isinstance(value, list):
            if len(value) > limits.max_array_items:
                raise WorkLimitExceeded(
                    f"{path or 'the document'}: an array of {len(value)} items; the limit is "
                    f"{limits.max_array_items} items per array"
                )
            for index, item in enumerate(value):
                if isinstance(item, dict | list):
                    stack.append((item, depth + 1, member_path(path, index)))
                else:
                    values += 1
