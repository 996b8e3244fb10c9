"""Every data file loader refuses a file over its maximum size before parsing it, and data
nested too deeply, with the usual ``FILE: message`` error (exit 2 on the command line)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from credstack.assess.files import load_assessment, load_rubric
from credstack.cli.main import app
from credstack.errors import InvalidInput
from credstack.quality.loader import load_file
from credstack.registry.files import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_FRAMEWORK_BYTES,
    load_records,
    parse_text,
)
from credstack.taxonomy.importers.case import read_case
from credstack.taxonomy.importers.custom import read_custom_yaml

Loader = Callable[[Path], Any]

# (loader, file suffix, its maximum size, the CLI command that reads such a file)
LOADERS: dict[str, tuple[Loader, str, int, list[str]]] = {
    "record": (load_records, ".yaml", MAX_FILE_BYTES, ["import"]),
    "rubric": (load_rubric, ".yaml", MAX_FILE_BYTES, ["rubrics", "import"]),
    "assessment": (load_assessment, ".yaml", MAX_FILE_BYTES, ["assess", "record"]),
    "rule set": (load_file, ".yaml", MAX_FILE_BYTES, ["rules", "validate"]),
    "case framework": (read_case, ".json", MAX_FRAMEWORK_BYTES, ["frameworks", "import", "case"]),
    "yaml framework": (
        read_custom_yaml,
        ".yaml",
        MAX_FRAMEWORK_BYTES,
        ["frameworks", "import", "yaml"],
    ),
}


def _nested_yaml(depth: int) -> str:
    return "[" * depth + "]" * depth + "\n"


def _nested_json(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def _oversized(path: Path, size: int) -> Path:
    # Valid text all the way (a long comment or string), so only the size is wrong.
    filler = "x" * (size + 1)
    if path.suffix == ".json":
        path.write_text(json.dumps({"padding": filler}), encoding="utf-8")
    else:
        path.write_text(f"# {filler}\nid: x\n", encoding="utf-8")
    return path


def _deep(path: Path) -> Path:
    text = _nested_json(1000) if path.suffix == ".json" else _nested_yaml(300)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", LOADERS)
def test_refuses_a_file_over_the_maximum_size_before_parsing(kind: str, tmp_path: Path) -> None:
    loader, suffix, limit, _ = LOADERS[kind]
    path = _oversized(tmp_path / f"big{suffix}", limit)
    with pytest.raises(InvalidInput) as raised:
        loader(path)
    [problem] = raised.value.problems
    assert problem.source == str(path)
    assert f"the maximum is {limit // (1024 * 1024)} MB per file" in problem.message


@pytest.mark.parametrize("kind", LOADERS)
def test_refuses_data_nested_too_deeply(kind: str, tmp_path: Path) -> None:
    loader, suffix, _, _ = LOADERS[kind]
    path = _deep(tmp_path / f"deep{suffix}")
    with pytest.raises(InvalidInput) as raised:
        loader(path)
    [problem] = raised.value.problems
    assert problem.source == str(path)
    assert problem.message == f"nested deeper than {MAX_DEPTH} levels"


@pytest.mark.parametrize("kind", LOADERS)
@pytest.mark.parametrize("problem", ["deep", "big"])
def test_cli_reports_a_bad_file_with_exit_2_and_no_traceback(
    kind: str, problem: str, tmp_path: Path
) -> None:
    _, suffix, limit, command = LOADERS[kind]
    path = tmp_path / f"file{suffix}"
    _deep(path) if problem == "deep" else _oversized(path, limit)
    runner = CliRunner()
    database = {"CREDSTACK_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = runner.invoke(app, [*command, str(path)], env=database)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"error: {path}: " in " ".join(result.stderr.split())


def test_aliases_cannot_build_data_deeper_than_the_limit() -> None:
    # Each anchor nests the previous one 40 levels down: shallow text, deep data.
    lines = ["a0: &a0 1"]
    for level in range(1, 6):
        lines.append(f"a{level}: &a{level} " + "[" * 40 + f"*a{level - 1}" + "]" * 40)
    with pytest.raises(InvalidInput, match="nested deeper than"):
        parse_text("\n".join(lines), source="aliases.yaml", suffix=".yaml")


def test_accepts_data_nested_up_to_the_limit() -> None:
    assert parse_text(_nested_json(MAX_DEPTH), source="ok.json", suffix=".json")
    nested = parse_text(_nested_yaml(MAX_DEPTH), source="ok.yaml", suffix=".yaml")
    assert nested == _at_depth(MAX_DEPTH - 1)


def _at_depth(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value
