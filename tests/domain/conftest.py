"""Fixtures for the pure domain tests: the example record as plain data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml


@pytest.fixture
def example_document(example_path: Path) -> dict[str, Any]:
    """The README's example record as the plain data of the file format."""
    data = yaml.safe_load(example_path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data
