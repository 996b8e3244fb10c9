"""Badges in the portal: public verification, a learner's wallet, endorsements."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from credstack.api.app import create_app
from credstack.assess import service as assess
from credstack.assess.files import load_rubric, parse_assessment
from credstack.assess.learner import LearnerInput
from credstack.badges import endorsement_store
from credstack.badges import service as badges
from credstack.badges.issuer_store import KeyRing, init_issuer
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry import service as registry
from credstack.store.unit_of_work import Database
from credstack.web.badges_view import credential_facts, text

RUBRIC = (Path(__file__).resolve().parents[2] / "src" / "credstack" / "assess" / "examples"
          / "rru-caf-foundations-rubric.yaml")
CREDENTIAL = "rru-caf-foundations-climate-adaptation"


@dataclass
class Issued:
    """A client, a badge issued to learner ada, and its signed JSON."""

    client: TestClient
    database: Database
    keys: KeyRing
    badge_id: str
    document: dict[str, Any]


def _assessment(learner: str) -> dict[str, Any]:
    evidence = [{"file": "plan.pdf", "sha256": "ab" * 32}]
    return {
        "learner": learner, "micro_credential": CREDENTIAL, "assessor": "Dr. Grace Hopper",
        "date": "2026-02-20", "identity_verified": True,
        "results": [
            {"criterion": "impacts", "level": "proficient", "evidence": evidence},
            {"criterion": "risk", "level": "exemplary", "evidence": evidence},
            {"criterion": "plan", "level": "proficient", "evidence": evidence},
        ],
    }


@pytest.fixture
def issued(database: Database, example: MicroCredential, tmp_path: Path) -> Iterator[Issued]:
    """The example record, its rubric, learner ada's competent assessment and her badge;
    the partner PICS endorses the micro-credential."""
    keys = KeyRing()
    with database.unit_of_work() as session:
        registry.save(session, record=example, actor="test")
        # Published: anonymous visitors read the record page.
        for status in (LifecycleStatus.SUBMITTED, LifecycleStatus.PUBLISHED):
            registry.transition(session, credential_id=CREDENTIAL, target=status, actor="test")
        assess.save_rubric(session, rubric=load_rubric(RUBRIC), actor="test")
        assess.add_learner(session, learner=LearnerInput(id="ada", display_name="Ada"))
        assessment = assess.record_assessment(
            session, record=parse_assessment(_assessment("ada"), source="test"), actor="test")
        init_issuer(session, provider_id="royal-roads-university", key_dir=tmp_path)
        init_issuer(session, provider_id="pics-climate", key_dir=tmp_path)
        badge = badges.issue_badge(session, assessment_id=assessment.id, keys=keys)
        endorsement_store.endorse(session, credential_id=CREDENTIAL, endorser_id="pics-climate",
                                  comment="Meets the needs of municipal adaptation teams.",
                                  keys=keys)
    with TestClient(create_app(database)) as client:
        yield Issued(client, database, keys, badge.id, dict(badge.document))


def checks(page: str) -> dict[str, str]:
    """Each check's name and its result (Passed / Failed / Not run)."""
    return dict(re.findall(r'<tr data-check="([^"]+)">.*?<span class="badge [^"]+">([\w ]+)</span>',
                           page, re.S))


def test_verifies_a_pasted_badge_and_shows_every_check(issued: Issued) -> None:
    page = issued.client.post("/verify", data={"credential": json.dumps(issued.document)}).text
    assert '<span class="badge badge-pass verdict">Verified</span>' in page
    assert checks(page) == {name: "Passed" for name in (
        "input", "structure", "proof", "issuer", "validity", "status", "trusted_issuer")}
    assert "Foundations of Climate Adaptation" in page
    assert "Data Integrity (eddsa-rdfc-2022)" in page


def test_verifies_an_uploaded_file(issued: Issued) -> None:
    body = json.dumps(issued.document).encode()
    page = issued.client.post("/verify", files={"file": ("badge.json", body, "application/json")})
    assert "Verified</span>" in page.text and "Not verified" not in page.text


def test_rejects_badge_with_a_changed_byte(issued: Issued) -> None:
    tampered = json.dumps(issued.document).replace("Foundations", "Foundationz", 1)
    page = issued.client.post("/verify", data={"credential": tampered}).text
    assert '<span class="badge badge-fail verdict">Not verified</span>' in page
    assert checks(page)["proof"] == "Failed"
    assert "(not trustworthy: a check failed)" in page


def test_revoked_badge_fails_the_status_check(issued: Issued) -> None:
    with issued.database.unit_of_work() as session:
        badges.change_state(session, badge_id=issued.badge_id, keys=issued.keys,
                            reason="issued in error")
    page = issued.client.get("/verify", params={"badge": issued.badge_id}).text
    assert checks(page)["status"] == "Failed"
    assert "revoked" in page


def test_share_link_verification_of_a_stored_badge(issued: Issued) -> None:
    page = issued.client.get("/verify", params={"badge": issued.badge_id}).text
    assert "Verified</span>" in page and "Not verified" not in page


def test_unknown_badge_is_a_404(issued: Issued) -> None:
    assert issued.client.get("/verify", params={"badge": "urn:uuid:nope"}).status_code == 404


def test_empty_submission_is_explained(issued: Issued) -> None:
    response = issued.client.post("/verify", data={"credential": "  "})
    assert response.status_code == 400
    assert "Paste a credential or choose a file to verify." in response.text


def test_garbage_is_a_failed_check_not_an_error(issued: Issued) -> None:
    for garbage in ("{not json", "[" * 5000, '"\u0000"', "eyJhbGciOi.broken.jwt"):
        response = issued.client.post("/verify", data={"credential": garbage})
        assert response.status_code == 200
        assert "Not verified" in response.text


def test_submitted_markup_is_escaped(issued: Issued) -> None:
    document = {**issued.document, "name": "<script>alert(1)</script>"}
    page = issued.client.post("/verify", data={"credential": json.dumps(document)}).text
    assert "<script>alert(1)" not in page


def test_wallet_lists_badges_with_state_download_and_share_links(issued: Issued) -> None:
    page = issued.client.get("/wallet/ada").text
    assert "Foundations of Climate Adaptation" in page
    assert '<span class="badge badge-pass">Active</span>' in page
    assert f'href="/badges/{issued.badge_id}" download' in page
    assert f"/verify?badge={issued.badge_id.replace(':', '%3A')}" in page
    assert issued.client.get(f"/badges/{issued.badge_id}").json()["id"] == issued.badge_id


def test_wallet_of_unknown_learner_is_a_404(issued: Issued) -> None:
    assert issued.client.get("/wallet/nobody").status_code == 404


def test_credential_page_shows_verified_endorsements(issued: Issued) -> None:
    page = issued.client.get(f"/credentials/{CREDENTIAL}").text
    section = page[page.index('<section id="endorsements"'):page.index('<section id="compliance"')]
    assert "Meets the needs of municipal adaptation teams." in section
    assert "Pacific Institute for Climate Solutions" in section
    assert "Signature verified" in section


def test_credential_facts_read_only_strings_from_untrusted_json() -> None:
    facts = dict(credential_facts({"issuer": {"id": 7, "name": ["x"]}, "validFrom": {"a": 1},
                                   "name": "A" * 1000, "type": "X"}, None))
    assert facts == {"Credential": "A" * 299 + "…", "Type": "X", "Issuer id": "7"}
    assert text(True) == "" and text(None) == ""


def test_a_json_object_that_is_no_credential_shows_no_proof_format_and_no_pass(
    issued: Issued,
) -> None:
    page = issued.client.post("/verify", data={"credential": '{"hello": "world"}'}).text
    assert "Proof format" not in page
    assert checks(page) == {"input": "Passed", "structure": "Failed", "proof": "Failed",
                            "issuer": "Not run", "validity": "Not run", "status": "Not run",
                            "trusted_issuer": "Not run"}


def test_pasted_text_with_a_repeated_key_is_not_verified(issued: Issued) -> None:
    pasted = json.dumps(issued.document).replace("{", '{"name": "Doctorate of Evil", ', 1)
    page = issued.client.post("/verify", data={"credential": pasted}).text
    assert checks(page)["input"] == "Failed"
    assert "duplicate key &#39;name&#39;" in page
