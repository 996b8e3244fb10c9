"""Helpers shared by the interop tests (imported by name: pytest puts this folder on the path)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from credstack.demo import demo_files
from credstack.registry.files import load_record

SAMPLES = Path(__file__).resolve().parent / "data" / "ctdl"
BASE_URL = "https://registry.example.org"
DEMO_RECORDS = {path.stem: load_record(path) for path in demo_files()}


def flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(path, leaf) pairs of a document, list positions written ``[]``."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from flatten(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from flatten(item, f"{prefix}[{index}]")
    else:
        yield prefix, value


def changed_paths(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """Generalised paths (``a[].b``) whose leaves differ between two documents."""
    first, second = dict(flatten(before)), dict(flatten(after))
    return {
        re.sub(r"\[\d+\]", "[]", key)
        for key in first.keys() | second.keys()
        if first.get(key) != second.get(key)
    }
