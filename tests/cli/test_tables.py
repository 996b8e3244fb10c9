"""CLI tables never cut identifiers or messages: in a narrow terminal long values fold onto
more lines; in a pipe every row is printed whole on one line, whatever COLUMNS says."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
PROVIDER_ID = "royal-roads-university"
PARTNER_NAME = "Pacific Institute for Climate Solutions"
RECORD_ID = "rru-caf-foundations-climate-adaptation"


@pytest.fixture
def narrow_env(tmp_path: Path, example_path: Path) -> dict[str, str]:
    """A 40-column environment whose database holds the example record."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDSTACK_")}
    env.update(
        CREDSTACK_DATABASE_URL=f"sqlite:///{tmp_path / 'tables.db'}",
        COLUMNS="40",
        LINES="50",
        TERM="xterm",
    )
    env.pop("NO_COLOR", None)
    _run(["import", str(example_path)], env)
    return env


def _run(arguments: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(BIN / "credstack"), *arguments], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _run_in_terminal(arguments: list[str], env: dict[str, str]) -> str:
    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [str(BIN / "credstack"), *arguments], env=env, stdout=terminal, stderr=terminal
    ) as process:
        os.close(terminal)
        output = bytearray()
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closes when the command ends
                break
            if not chunk:
                break
            output.extend(chunk)
        assert process.wait(timeout=60) == 0, output.decode()
    os.close(controller)
    return output.decode()


def _first_column(table: str) -> str:
    """The text of a table's first column, its folded lines joined."""
    cells = [line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│")]
    return "".join(cells)


def test_pipe_prints_every_row_whole_on_one_line(narrow_env: dict[str, str]) -> None:
    output = _run(["providers"], narrow_env)
    rows = [line for line in output.splitlines() if PROVIDER_ID in line]
    assert len(rows) == 1
    assert any(PARTNER_NAME in line for line in output.splitlines())
    assert "…" not in output


def test_pipe_keeps_search_ids_whole(narrow_env: dict[str, str]) -> None:
    output = _run(["search", "climate", "--status", "draft"], narrow_env)
    assert any(RECORD_ID in line for line in output.splitlines())


def test_narrow_terminal_folds_ids_without_cutting_them(narrow_env: dict[str, str]) -> None:
    output = _run_in_terminal(["search", "climate", "--status", "draft"], narrow_env)
    plain = _strip_ansi(output).replace("\r", "")
    assert max(len(line) for line in plain.splitlines()) <= 40
    assert "…" not in plain
    assert RECORD_ID in _first_column(plain)


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
