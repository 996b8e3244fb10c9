"""Fixtures of the interop tests: the demo records, the real CTDL samples, a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from interop_support import BASE_URL, DEMO_RECORDS, SAMPLES
from typer.testing import CliRunner, Result

from credstack.cli.main import app
from credstack.domain.credential import MicroCredential


@pytest.fixture(params=sorted(DEMO_RECORDS))
def demo_record(request: pytest.FixtureRequest) -> MicroCredential:
    """Each bundled demo record in turn."""
    return DEMO_RECORDS[request.param]


@pytest.fixture
def example_record() -> MicroCredential:
    """The RRU foundations record (every CIS element stated)."""
    return DEMO_RECORDS["rru-caf-foundations-climate-adaptation"]


@pytest.fixture
def sample() -> Callable[[str], Any]:
    """The parsed JSON of one real Credential Engine sample file (see data/ctdl/SOURCE.md)."""

    def read(name: str) -> Any:
        return json.loads((SAMPLES / name).read_text(encoding="utf-8"))

    return read


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite file for one CLI test."""
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run ``credstack`` against the test's database."""
    monkeypatch.setenv("CREDSTACK_ACTOR", "interop-tester")
    monkeypatch.setenv("CREDSTACK_BASE_URL", BASE_URL)
    runner = CliRunner()

    def run(*arguments: str, with_db: bool = True) -> Result:
        return runner.invoke(app, [*arguments, "--db", db_url] if with_db else list(arguments))

    return run
