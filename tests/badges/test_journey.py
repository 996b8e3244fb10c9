"""The demo journey, once through the CLI and once through the API:
rubric -> assessment -> badge -> wallet -> verify (ok) -> revoke -> verify (fails, revoked)."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient
from test_service_setup import CREDENTIAL, EXAMPLE, HOST, PROVIDER, RUBRIC, assessment_data
from typer.testing import CliRunner

from acting import OPERATOR, add_user, bearer
from credstack.accounts.model import OrgRole, Scope
from credstack.api.app import create_app
from credstack.badges import issuer_store
from credstack.cli.main import app
from credstack.registry import service as registry
from credstack.registry.files import load_record
from credstack.store.unit_of_work import Database

runner = CliRunner()


def _save_example(database: Database) -> None:
    with database.unit_of_work() as session:
        registry.save(session, record=load_record(EXAMPLE), actor="demo")


def _cli(*args: str, db: str) -> Any:
    result = runner.invoke(app, [*args, "--db", db])
    return result


def test_demo_journey_through_the_cli(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    _save_example(database)
    key_dir = tmp_path / "keys"
    assert _cli("rubrics", "import", str(RUBRIC), db=database_url).exit_code == 0
    assert (
        _cli("learners", "add", "ada", "--email", "ada@example.org", db=database_url).exit_code == 0
    )
    record = tmp_path / "assessment.yaml"
    record.write_text(yaml.safe_dump(assessment_data()), encoding="utf-8")
    recorded = _cli("assess", "record", str(record), "--json", db=database_url)
    assert recorded.exit_code == 0, recorded.output
    assessment = json.loads(recorded.stdout)
    assert assessment["decision"]["decision"] == "competent"

    init = _cli(
        "issuer",
        "init",
        "--provider",
        PROVIDER,
        "--key-dir",
        str(key_dir),
        "--did-web",
        HOST,
        "--json",
        db=database_url,
    )
    assert init.exit_code == 0, init.output
    key_file = Path(json.loads(init.stdout)["keys"][0]["key_file"])
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "PRIVATE" not in init.stdout

    badge_file = tmp_path / "badge.json"
    issued = _cli(
        "badges", "issue", assessment["id"], "--output", str(badge_file), "--json", db=database_url
    )
    assert issued.exit_code == 0, issued.output
    badge_id = json.loads(issued.stdout)["badge"]["id"]

    wallet = json.loads(
        _cli("badges", "list", "--learner", "ada", "--json", db=database_url).stdout
    )
    assert [(item["id"], item["state"]) for item in wallet] == [(badge_id, "active")]

    verified = _cli("verify", str(badge_file), "--json", db=database_url)
    assert verified.exit_code == 0, verified.output
    assert json.loads(verified.stdout)["verified"] is True

    revoked = _cli("badges", "revoke", badge_id, "--reason", "issued in error", db=database_url)
    assert revoked.exit_code == 0, revoked.output

    failed = _cli("verify", str(badge_file), "--json", db=database_url)
    assert failed.exit_code == 1
    checks = {check["name"]: check for check in json.loads(failed.stdout)["checks"]}
    assert checks["status"] == {
        "name": "status", "passed": False, "result": "failed",
        "reason": "revoked (status purpose: revocation; the issuer's reason: issued in error)"}
    assert checks["proof"]["passed"]


def test_demo_journey_through_the_api(database: Database, tmp_path: Path) -> None:
    _save_example(database)
    staff = "staff@example.org"
    add_user(database, staff, OrgRole.EDITOR, OrgRole.ASSESSOR, OrgRole.ISSUER)
    add_user(database, "ada@example.org")
    client = TestClient(create_app(database), headers=bearer(database, staff, Scope.WRITE))
    rubric = yaml.safe_load(RUBRIC.read_text(encoding="utf-8"))
    assert client.post("/api/v1/rubrics", json=rubric).status_code == 201
    learner = {"id": "ada", "display_name": "Ada", "email": "ada@example.org",
               "account": "ada@example.org"}
    assert client.post("/api/v1/learners", json=learner).status_code == 201
    response = client.post("/api/v1/assessments", json=assessment_data())
    assert response.status_code == 201, response.text
    assessment = response.json()
    assert assessment["decision"]["competent"] is True
    with database.unit_of_work() as session:  # key creation is an operator's step
        issuer_store.init_issuer(
            session, provider_id=PROVIDER, key_dir=tmp_path / "keys", did_web=HOST, actor=OPERATOR
        )

    client.headers.update(bearer(database, staff, Scope.ISSUE))
    response = client.post("/api/v1/badges", json={"assessment_id": assessment["id"]})
    assert response.status_code == 201, response.text
    issued = response.json()
    badge, credential = issued["badge"], issued["credential"]
    assert credential["credentialSubject"]["achievement"]["humanCode"] == CREDENTIAL

    wallet = client.get("/api/v1/wallet", headers=bearer(database, "ada@example.org")).json()
    assert [item["id"] for item in wallet] == [badge["id"]]

    report = client.post("/api/v1/verify", json=credential).json()
    assert report["verified"] is True, report

    did = client.get("/.well-known/did.json").json()
    assert did["id"] == f"did:web:{HOST}"
    list_url = credential["credentialStatus"]["statusListCredential"]
    status_path = "/status/" + list_url.rsplit("/", 1)[1]
    assert client.get(status_path).json()["type"][1] == "BitstringStatusListCredential"

    response = client.post(f"/api/v1/badges/{badge['id']}/status", json={"reason": "error"})
    assert response.status_code == 200 and response.json()["state"] == "revoked"

    report = client.post("/api/v1/verify", json=credential).json()
    assert report["verified"] is False
    status = next(check for check in report["checks"] if check["name"] == "status")
    assert status == {
        "name": "status", "passed": False, "result": "failed",
        "reason": "revoked (status purpose: revocation; the issuer's reason: error)"}
