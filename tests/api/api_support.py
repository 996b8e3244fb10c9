"""Helpers the API tests share."""

from __future__ import annotations

from datetime import date
from typing import Any

EXAMPLE_ID = "rru-caf-foundations-climate-adaptation"


def plain(value: Any) -> Any:
    """YAML data as a JSON body carries it: dates become ISO strings."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value.isoformat() if isinstance(value, date) else value
