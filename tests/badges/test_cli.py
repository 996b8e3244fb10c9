"""The issuer, badges and verify commands: keys, passphrases, cohorts, exit codes."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from test_service_setup import (
    CREDENTIAL,
    PROVIDER,
    World,
    add_competent_learner,
)
from typer.testing import CliRunner, Result

from credstack.cli.main import app
from credstack.store.unit_of_work import Database

runner = CliRunner()


def _run(*args: str, db: str) -> Result:
    return runner.invoke(app, [*args, "--db", db])


def test_issuer_init_with_passphrase_writes_an_encrypted_0600_key(
    database: Database, database_url: str, example_path: Path, tmp_path: Path
) -> None:
    assert _run("import", str(example_path), db=database_url).exit_code == 0
    secret = tmp_path / "passphrase.txt"
    secret.write_text("correct horse battery staple\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "issuer",
            "init",
            "--provider",
            PROVIDER,
            "--key-dir",
            str(tmp_path / "k"),
            "--passphrase-file",
            str(secret),
            "--json",
            "--db",
            database_url,
        ],
    )
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    key_file = Path(info["keys"][0]["key_file"])
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "ENCRYPTED PRIVATE KEY" in key_file.read_text()
    assert info["did"].startswith("did:key:z6Mk") and info["keys"][0]["encrypted"]


def test_issuer_init_twice_exits_2(world: World, database_url: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "issuer",
            "init",
            "--provider",
            PROVIDER,
            "--key-dir",
            str(tmp_path),
            "--db",
            database_url,
        ],
    )
    assert result.exit_code == 2
    assert "issuer rotate" in result.output


def test_issue_cohort_issues_for_every_competent_learner(world: World, database_url: str) -> None:
    add_competent_learner(world, "grace")
    result = runner.invoke(
        app, ["badges", "issue-cohort", "--credential", CREDENTIAL, "--json", "--db", database_url]
    )
    assert result.exit_code == 0, result.output
    assert sorted(item["learner"] for item in json.loads(result.stdout)) == ["ada", "grace"]


def test_verify_exits_1_for_a_tampered_badge(
    world: World, database_url: str, tmp_path: Path
) -> None:
    badge = tmp_path / "badge.json"
    issued = runner.invoke(
        app, ["badges", "issue", world.assessment_id, "--output", str(badge), "--db", database_url]
    )
    assert issued.exit_code == 0, issued.output
    document = json.loads(badge.read_text())
    document["validFrom"] = "2020-01-01T00:00:00Z"
    badge.write_text(json.dumps(document))
    result = runner.invoke(app, ["verify", str(badge), "--json", "--db", database_url])
    assert result.exit_code == 1
    proof = next(c for c in json.loads(result.stdout)["checks"] if c["name"] == "proof")
    assert proof["passed"] is False


def test_verify_jwt_badge_from_file(world: World, database_url: str, tmp_path: Path) -> None:
    token = tmp_path / "badge.jwt"
    runner.invoke(
        app,
        [
            "badges",
            "issue",
            world.assessment_id,
            "--format",
            "jwt",
            "--output",
            str(token),
            "--db",
            database_url,
        ],
    )
    result = runner.invoke(app, ["verify", str(token), "--db", database_url])
    assert result.exit_code == 0, result.output


def test_verify_refuses_urls_of_other_servers(world: World, database_url: str) -> None:
    result = runner.invoke(app, ["verify", "https://evil.example/badge.json", "--db", database_url])
    assert result.exit_code == 2
    assert "not this registry's server" in result.output


def test_verify_missing_file_exits_2(world: World, database_url: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["verify", str(tmp_path / "none.json"), "--db", database_url])
    assert result.exit_code == 2


def test_revoking_twice_exits_2(world: World, database_url: str) -> None:
    issued = runner.invoke(
        app, ["badges", "issue", world.assessment_id, "--json", "--db", database_url]
    )
    badge_id = json.loads(issued.stdout)["badge"]["id"]
    assert runner.invoke(app, ["badges", "revoke", badge_id, "--db", database_url]).exit_code == 0
    again = runner.invoke(app, ["badges", "revoke", badge_id, "--db", database_url])
    assert again.exit_code == 2 and "already revoked" in again.output


def test_rotate_then_show_lists_both_keys_in_the_did_document(
    world: World, database_url: str
) -> None:
    rotated = runner.invoke(
        app,
        [
            "issuer",
            "rotate",
            "--provider",
            PROVIDER,
            "--key-dir",
            str(world.key_dir),
            "--db",
            database_url,
        ],
    )
    assert rotated.exit_code == 0, rotated.output
    shown = runner.invoke(
        app, ["issuer", "show", "--provider", PROVIDER, "--did-document", "--db", database_url]
    )
    document = json.loads(shown.stdout)
    assert len(document["assertionMethod"]) == 2


def test_verify_of_a_file_with_a_repeated_key_fails_the_input_check(
    world: World, database_url: str, tmp_path: Path
) -> None:
    badge = tmp_path / "badge.json"
    issued = _run("badges", "issue", world.assessment_id, "--output", str(badge), db=database_url)
    assert issued.exit_code == 0, issued.output
    badge.write_text(badge.read_text().replace("{", '{"name": "Doctorate of Evil",', 1))
    result = _run("verify", str(badge), db=database_url)
    assert result.exit_code == 1
    assert "FAIL    input           duplicate key 'name'" in result.stdout
    assert "not run structure       the input could not be read" in result.stdout


def test_verify_help_states_the_limits() -> None:
    result = runner.invoke(app, ["verify", "--help"])
    assert "1,000 items in any one array" in " ".join(result.stdout.split())
