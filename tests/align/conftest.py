"""Alignment tests: each caches embeddings in a data directory of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from account_fixtures import bearer, new_user

__all__ = ["bearer", "new_user"]  # the fixtures, for this folder's tests


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test caches embeddings in its own data directory."""
    directory = tmp_path / "data"
    monkeypatch.setenv("CREDSTACK_DATA_DIR", str(directory))
    return directory
