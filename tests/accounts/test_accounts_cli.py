"""The users, orgs members, tokens and audit commands: output, --json, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from accounts_support import ORG_A
from typer.testing import CliRunner

from credstack.cli.main import app

runner = CliRunner()


def cli(*args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.output


@pytest.fixture
def db(database_url: str, example_path: Path, password_file: Path,
       monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with the example record and a registry admin added by operator 'ops'."""
    monkeypatch.setenv("CREDSTACK_ACTOR", "ops")
    assert cli("import", str(example_path), "--db", database_url)[0] == 0
    code, output = cli("users", "add", "Root@Example.org", "--registry-admin",
                       "--password-file", str(password_file), "--db", database_url)
    assert code == 0, output
    return database_url


def test_first_admin_is_added_with_a_password_file(db: str) -> None:
    code, output = cli("users", "list", "--json", "--db", db)
    assert code == 0
    [user] = json.loads(output)
    assert (user["email"], user["registry_roles"]) == ("root@example.org", ["registry_admin"])


def test_password_is_prompted_twice_when_no_file_is_given(db: str) -> None:
    code, output = cli("users", "add", "ed@example.org", "--db", db,
                       input="a long enough pass\na long enough pass\n")
    assert code == 0, output
    assert "a long enough pass" not in output


def test_a_password_on_the_command_line_is_refused(db: str) -> None:
    code, _ = cli("users", "add", "ed@example.org", "--password", "a long enough pass",
                  "--db", db)
    assert code == 2


def test_a_short_password_in_a_file_exits_2_naming_the_file(db: str, tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("tiny\n", encoding="utf-8")
    code, output = cli("users", "add", "ed@example.org", "--password-file", str(short),
                       "--db", db)
    assert code == 2
    assert f"{short}: password: must be at least 12 characters" in output


def test_a_missing_password_file_exits_2(db: str, tmp_path: Path) -> None:
    code, output = cli("users", "add", "ed@example.org", "--password-file",
                       str(tmp_path / "none.txt"), "--db", db)
    assert code == 2 and "cannot read the password file" in output


def test_a_duplicate_user_exits_2_and_keeps_the_first(db: str, password_file: Path) -> None:
    code, output = cli("users", "add", "ROOT@example.org", "--password-file",
                       str(password_file), "--db", db)
    assert code == 2 and "already exists" in output
    assert len(json.loads(cli("users", "list", "--json", "--db", db)[1])) == 1


def test_members_are_added_listed_and_removed(db: str, password_file: Path) -> None:
    cli("users", "add", "ed@example.org", "--password-file", str(password_file), "--db", db)
    assert cli("orgs", "members", "add", ORG_A, "ed@example.org", "--role", "editor",
               "--db", db)[0] == 0
    listed = json.loads(cli("orgs", "members", "list", ORG_A, "--json", "--db", db)[1])
    assert listed == [{"email": "ed@example.org", "organization": ORG_A, "role": "editor"}]
    assert cli("orgs", "members", "remove", ORG_A, "ed@example.org", "--db", db)[0] == 0
    assert json.loads(cli("orgs", "members", "list", "--json", "--db", db)[1]) == []


def test_an_unknown_role_exits_2_listing_the_roles(db: str) -> None:
    code, output = cli("orgs", "members", "add", ORG_A, "root@example.org", "--role", "boss",
                       "--db", db)
    assert code == 2 and "org_admin, editor, assessor, issuer, endorser" in output


def test_token_secret_is_printed_once_and_listed_never(db: str) -> None:
    code, output = cli("tokens", "create", "--user", "root@example.org", "--scope", "read",
                       "--expires", "90d", "--json", "--db", db)
    assert code == 0
    created = json.loads(output)
    listed = cli("tokens", "list", "--json", "--db", db)[1]
    assert created["token"].startswith("cst_") and created["token"] not in listed
    assert json.loads(listed)[0]["prefix"] == created["prefix"]
    assert cli("tokens", "revoke", created["id"], "--db", db)[0] == 0
    assert json.loads(cli("tokens", "list", "--json", "--db", db)[1])[0]["revoked_at"]


def test_a_bad_expiry_exits_2(db: str) -> None:
    code, output = cli("tokens", "create", "--user", "root@example.org", "--scope", "read",
                       "--expires", "ninety days", "--db", db)
    assert code == 2 and "--expires: expected a duration like 90d" in output


def test_disable_and_set_password_are_audited_as_the_operator(
    db: str, password_file: Path
) -> None:
    assert cli("users", "set-password", "root@example.org", "--password-file",
               str(password_file), "--db", db)[0] == 0
    assert cli("users", "disable", "root@example.org", "--db", db)[0] == 0
    entries = json.loads(cli("audit", "--json", "--actor", "ops", "--db", db)[1])
    assert [entry["action"] for entry in entries] == [
        "user.add", "user.set_password", "user.disable"]
    assert {entry["actor"] for entry in entries} == {"system:ops"}


def test_audit_writes_csv(db: str, tmp_path: Path) -> None:
    target = tmp_path / "audit.csv"
    assert cli("audit", "--since", "1d", "--csv", str(target), "--db", db)[0] == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [row["action"] for row in rows] == ["user.add"]


def test_audit_with_a_bad_since_exits_2(db: str) -> None:
    code, output = cli("audit", "--since", "yesterday", "--db", db)
    assert code == 2 and "--since" in output
