"""The registry commands: init, import, search, show, export, versions, lifecycle, providers,
schema and generate, with their --json shapes and exit codes (0 ok, 1 failed, 2 bad input)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from typer.testing import CliRunner, Result

from credstack.cli.main import app

EXAMPLE_ID = "rru-caf-foundations-climate-adaptation"
CIS_KEYS = {
    "title",
    "provider",
    "description",
    "learning_outcomes",
    "language",
    "delivery_mode",
    "delivery_dates",
    "learner_effort",
    "inherent_requirements",
    "price",
    "assessment",
    "certification",
    "credit_recognition",
    "quality_assurance",
    "prerequisites",
    "expiry",
    "depth_of_learning",
    "jurisdiction",
    "industry_support",
    "stackability",
    "industry_occupation",
    "industry_alignment",
    "id",
    "credits",
    "qualification_levels",
    "sample",
}


@pytest.fixture
def db(tmp_path: Path) -> str:
    """The URL of a fresh SQLite file for one test."""
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def cli(db: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run ``credstack`` with ``--db`` pointing at the test's database."""
    monkeypatch.setenv("CREDSTACK_ACTOR", "cli-tester")
    monkeypatch.delenv("CREDSTACK_PUBLISH_STANDARD", raising=False)
    runner = CliRunner()

    def run(*arguments: str, with_db: bool = True) -> Result:
        extra = ["--db", db] if with_db else []
        return runner.invoke(app, [*arguments, *extra], catch_exceptions=False)

    return run


@pytest.fixture
def imported(cli: Any, example_path: Path) -> None:
    """The example record imported into the test's database."""
    assert cli("import", str(example_path)).exit_code == 0


def _json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _write(folder: Path, name: str, document: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def _flat(text: str) -> str:
    """Text with its line wrapping undone (Rich wraps standard error at 80 columns)."""
    return " ".join(text.split())


def _example(example_path: Path, **changes: Any) -> dict[str, Any]:
    document = yaml.safe_load(example_path.read_text(encoding="utf-8"))
    document.update(changes)
    return dict(document)


def test_init_creates_the_database(cli: Any, db: str) -> None:
    result = cli("init")
    assert result.exit_code == 0
    assert "Registry ready" in result.stdout
    assert Path(db.removeprefix("sqlite:///")).exists()


def test_import_of_a_folder_reports_what_it_created(
    cli: Any, example_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "records"
    _write(folder, "a.yaml", _example(example_path, id="alpha"))
    _write(folder / "sub", "b.yaml", _example(example_path, id="bravo"))
    report = _json(cli("import", str(folder), "--json"))
    assert report == {
        "files": 2,
        "created": ["alpha", "bravo"],
        "updated": [],
        "unchanged": [],
        "skipped": [],
    }


def test_import_of_a_bad_file_exits_2_and_writes_nothing(
    cli: Any, example_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "records"
    _write(folder, "a.yaml", _example(example_path, id="alpha"))
    bad = _write(folder, "b.yaml", _example(example_path, id="bravo", titel="typo"))
    result = cli("import", str(folder))
    assert result.exit_code == 2
    assert f"{bad}: titel: unknown key 'titel'; did you mean 'title'?" in _flat(result.stderr)
    assert _json(cli("search", "--status", "draft", "--json"))["total"] == 0


def test_each_import_problem_is_one_line_of_standard_error(
    cli: Any, example_path: Path, tmp_path: Path
) -> None:
    bad = _write(tmp_path, "b.yaml", _example(example_path, id="bravo", titel="typo"))
    result = cli("import", str(bad))
    assert result.exit_code == 2
    assert any(
        line.startswith(f"error: {bad}: titel: unknown key") for line in result.stderr.splitlines()
    )


def test_import_of_a_missing_path_exits_2(cli: Any, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "absent.yaml"))
    assert result.exit_code == 2
    assert "no such file or folder" in _flat(result.stderr)


def test_search_json_shape(cli: Any, imported: None) -> None:
    found = _json(cli("search", "climate", "--status", "draft", "--json"))
    assert set(found) == {"items", "total", "facets"}
    assert found["total"] == 1
    (item,) = found["items"]
    assert item["id"] == EXAMPLE_ID
    assert item["provider"] == {"id": "royal-roads-university", "name": "Royal Roads University"}
    assert item["status"] == "draft"
    assert found["facets"]["level"] == {"eqf:6": 1}


def test_search_finds_only_published_records_by_default(cli: Any, imported: None) -> None:
    assert _json(cli("search", "climate", "--json"))["total"] == 0


def test_search_filters_by_facet_and_range(cli: Any, imported: None) -> None:
    def total(*options: str) -> int:
        return int(_json(cli("search", "--status", "draft", "--json", *options))["total"])

    assert total("--level", "eqf:6", "--hours-min", "28", "--hours-max", "28") == 1
    assert total("--delivery-mode", "online") == 0


def test_search_with_an_inverted_range_exits_2(cli: Any, imported: None) -> None:
    result = cli("search", "--hours-min", "50", "--hours-max", "10")
    assert result.exit_code == 2
    assert "hours_min" in _flat(result.stderr)


def test_show_json_gives_the_whole_record(cli: Any, imported: None, example_path: Path) -> None:
    shown = _json(cli("show", EXAMPLE_ID, "--json"))
    assert (shown["version"], shown["current_version"], shown["status"]) == (1, 1, "draft")
    assert shown["record"]["title"] == "Foundations of Climate Adaptation"
    assert shown["record"]["learner_effort"]["total_hours"] == 28


def test_show_version_gives_an_old_version(
    cli: Any, imported: None, example_path: Path, tmp_path: Path
) -> None:
    changed = _write(tmp_path, "v2.yaml", _example(example_path, title="Renamed"))
    assert cli("import", str(changed)).exit_code == 0
    assert _json(cli("show", EXAMPLE_ID, "--json"))["record"]["title"] == "Renamed"
    old = _json(cli("show", EXAMPLE_ID, "--version", "1", "--json"))
    assert (old["version"], old["current_version"]) == (1, 2)
    assert old["record"]["title"] == "Foundations of Climate Adaptation"


def test_show_unknown_id_exits_2(cli: Any, imported: None) -> None:
    result = cli("show", "absent")
    assert result.exit_code == 2
    assert "no micro-credential with id 'absent'" in _flat(result.stderr)


def test_show_unknown_version_exits_2(cli: Any, imported: None) -> None:
    assert cli("show", EXAMPLE_ID, "--version", "7").exit_code == 2


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_then_import_round_trips(cli: Any, imported: None, tmp_path: Path, fmt: str) -> None:
    exported = tmp_path / f"exported.{fmt}"
    assert cli("export", EXAMPLE_ID, "--format", fmt, "--output", str(exported)).exit_code == 0
    report = _json(cli("import", str(exported), "--json"))
    assert report["unchanged"] == [EXAMPLE_ID]
    assert len(_json(cli("versions", EXAMPLE_ID, "--json"))) == 1


def test_export_to_standard_output_is_the_file_format(
    cli: Any, imported: None, example_path: Path
) -> None:
    printed = json.loads(_ok(cli("export", EXAMPLE_ID, "--format", "json")).stdout)
    assert printed["id"] == EXAMPLE_ID
    assert printed["title"] == _example(example_path)["title"]


def test_export_in_an_unknown_format_exits_2(cli: Any, imported: None) -> None:
    result = cli("export", EXAMPLE_ID, "--format", "xml")
    assert result.exit_code == 2
    assert "expected 'yaml' or 'json'" in _flat(result.stderr)


def test_versions_lists_every_version(
    cli: Any, imported: None, example_path: Path, tmp_path: Path
) -> None:
    cli("import", str(_write(tmp_path, "v2.yaml", _example(example_path, title="Renamed"))))
    versions = _json(cli("versions", EXAMPLE_ID, "--json"))
    assert [v["version"] for v in versions] == [1, 2]
    assert {v["created_by"] for v in versions} == {"cli-tester"}
    assert versions[0]["content_hash"] != versions[1]["content_hash"]


def test_lifecycle_moves_a_record_and_shows_its_history(cli: Any, imported: None) -> None:
    moved = _json(cli("lifecycle", EXAMPLE_ID, "--to", "submitted", "--json"))
    assert moved["status"] == "submitted"
    assert [(e["from"], e["to"], e["actor"]) for e in moved["history"]] == [
        ("draft", "submitted", "system:cli-tester")
    ]


def test_lifecycle_publishes_a_record_that_meets_the_standard(cli: Any, imported: None) -> None:
    cli("lifecycle", EXAMPLE_ID, "--to", "submitted")
    assert _json(cli("lifecycle", EXAMPLE_ID, "--to", "published", "--json"))["status"] == (
        "published"
    )
    assert _json(cli("search", "climate", "--json"))["total"] == 1


def test_lifecycle_forbidden_transition_exits_2(cli: Any, imported: None) -> None:
    result = cli("lifecycle", EXAMPLE_ID, "--to", "published")
    assert result.exit_code == 2
    assert "cannot move" in _flat(result.stderr)


def _blocked(cli: Any, example_path: Path, tmp_path: Path) -> Result:
    # The BC assessment standard requires the CIS 'Assessment' element.
    document = _example(example_path, id="no-assessment")
    del document["assessment"]
    cli("import", str(_write(tmp_path, "a.yaml", document)))
    cli("lifecycle", "no-assessment", "--to", "submitted")
    return cast(Result, cli("lifecycle", "no-assessment", "--to", "published", "--json"))


def test_lifecycle_publish_blocked_by_the_standard_exits_1(
    cli: Any, example_path: Path, tmp_path: Path
) -> None:
    result = _blocked(cli, example_path, tmp_path)
    assert result.exit_code == 1
    assert "does not meet bc-assessment-standard" in _flat(result.stderr)
    blocked = json.loads(result.stdout.splitlines()[0])
    assert (blocked["published"], blocked["standard"]) == (False, "bc-assessment-standard")
    assert blocked["failures"]
    shown = _json(cli("lifecycle", "no-assessment", "--json"))
    assert shown["status"] == "submitted"


def test_lifecycle_publish_blocked_json_is_one_document(
    cli: Any, example_path: Path, tmp_path: Path
) -> None:
    result = _blocked(cli, example_path, tmp_path)
    assert json.loads(result.stdout)["published"] is False


def test_providers_json_lists_providers_with_counts(cli: Any, imported: None) -> None:
    providers = {p["id"]: p for p in _json(cli("providers", "--json"))}
    assert providers["royal-roads-university"]["credentials"] == 1
    assert providers["royal-roads-university"]["country"] == "CA"
    assert providers["pics-climate"]["credentials"] == 0


def test_schema_lists_every_cis_key(cli: Any) -> None:
    schema = _json(cli("schema", with_db=False))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["properties"]) >= CIS_KEYS
    assert set(schema["required"]) >= {"id", "title", "provider", "description"}


def test_generate_is_deterministic(cli: Any, tmp_path: Path) -> None:
    def titles(folder: Path) -> list[tuple[str, str]]:
        out = folder
        assert cli("generate", "--count", "50", "--seed", "1", "--output", str(out)).exit_code == 0
        documents = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.iterdir())]
        return [(d["id"], d["title"]) for d in documents]

    first = titles(tmp_path / "one")
    assert len(first) == 50
    assert first == titles(tmp_path / "two")


def test_generate_stores_records_that_search_finds(cli: Any) -> None:
    assert cli("generate", "--count", "50", "--seed", "1").exit_code == 0
    found = _json(cli("search", "--status", "draft", "--limit", "100", "--json"))
    assert found["total"] == 50
    assert sum(found["facets"]["delivery_mode"].values()) == 50


def test_unknown_command_is_a_usage_error(cli: Any) -> None:
    assert cli("no-such-command", with_db=False).exit_code == 2


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def test_review_list_shows_submitted_records_with_the_standard_s_result(
    cli: Any, imported: None
) -> None:
    cli("lifecycle", EXAMPLE_ID, "--to", "submitted")
    queue = _json(cli("review", "list", "--json"))
    assert [item["id"] for item in queue] == [EXAMPLE_ID]
    assert queue[0]["compliance"]["standard"] == "bc-assessment-standard"
    assert queue[0]["compliance"]["compliant"] is True


def test_review_approve_publishes_as_the_operator(cli: Any, imported: None) -> None:
    cli("lifecycle", EXAMPLE_ID, "--to", "submitted")
    assert _json(cli("review", "approve", EXAMPLE_ID, "--json"))["status"] == "published"
    history = _json(cli("lifecycle", EXAMPLE_ID, "--json"))["history"]
    assert history[-1]["actor"] == "system:cli-tester"
    assert _json(cli("review", "list", "--json")) == []


def test_review_return_keeps_the_comments_in_the_history(cli: Any, imported: None) -> None:
    cli("lifecycle", EXAMPLE_ID, "--to", "submitted")
    returned = cli("review", "return", EXAMPLE_ID, "--comments", "Add a price.", "--json")
    assert _json(returned)["status"] == "draft"
    history = _json(cli("lifecycle", EXAMPLE_ID, "--json"))["history"]
    assert (history[-1]["to"], history[-1]["note"]) == ("draft", "Add a price.")


def test_review_of_a_draft_exits_2(cli: Any, imported: None) -> None:
    result = cli("review", "approve", EXAMPLE_ID)
    assert result.exit_code == 2
    assert "not submitted" in _flat(result.stderr)
