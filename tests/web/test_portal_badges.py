"""Badges in the portal: verification, a learner's private wallet, share links and the
public profile, Add to LinkedIn, endorsements recognised by employers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from acting import OPERATOR, Portal, add_user, hash_cheaply, sign_in
from credstack.accounts import audit
from credstack.accounts.model import RegistryRole
from credstack.api.app import create_app
from credstack.assess import service as assess
from credstack.assess.files import load_rubric, parse_assessment
from credstack.assess.learner import LearnerInput
from credstack.badges import endorsement_store, sharing
from credstack.badges import service as badges
from credstack.badges.issuer_store import KeyRing, init_issuer
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry import service as registry
from credstack.store.unit_of_work import Database
from credstack.web.badges_view import credential_facts, linkedin_url, text

RUBRIC = (Path(__file__).resolve().parents[2] / "src" / "credstack" / "assess" / "examples"
          / "rru-caf-foundations-rubric.yaml")
CREDENTIAL = "rru-caf-foundations-climate-adaptation"


ADA = "ada@example.org"


@dataclass
class Issued:
    """A client signed in as ada, a badge issued to learner ada (linked to ada's account),
    and its signed JSON."""

    client: TestClient
    database: Database
    keys: KeyRing
    badge_id: str
    document: dict[str, Any]
    portal: Portal

    def visitor(self, email: str | None = None) -> TestClient:
        """A new client: anonymous, or signed in as ``email``."""
        client = TestClient(self.client.app)
        if email is not None:
            sign_in(client, email)
        return client


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Users in these tests hash passwords with Argon2id's cheapest parameters."""
    hash_cheaply(monkeypatch)


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
    add_user(database, ADA)
    with database.unit_of_work() as session:
        registry.save(session, record=example, actor="test")
        # Published: anonymous visitors read the record page.
        for status in (LifecycleStatus.SUBMITTED, LifecycleStatus.PUBLISHED):
            registry.transition(session, credential_id=CREDENTIAL, target=status, actor="test")
        assess.save_rubric(session, rubric=load_rubric(RUBRIC), actor=OPERATOR)
        assess.add_learner(
            session, learner=LearnerInput(id="ada", display_name="Ada", account=ADA),
            actor=OPERATOR,
        )
        assessment = assess.record_assessment(
            session, record=parse_assessment(_assessment("ada"), source="test"), actor=OPERATOR)
        init_issuer(session, provider_id="royal-roads-university", key_dir=tmp_path,
                    actor=OPERATOR)
        init_issuer(session, provider_id="pics-climate", key_dir=tmp_path, actor=OPERATOR)
        badge = badges.issue_badge(session, assessment_id=assessment.id, keys=keys,
                                   actor=OPERATOR)
        endorsement_store.endorse(session, credential_id=CREDENTIAL, endorser_id="pics-climate",
                                  comment="Meets the needs of municipal adaptation teams.",
                                  keys=keys, actor=OPERATOR)
    with TestClient(create_app(database)) as client:
        portal = Portal(client, sign_in(client, ADA))
        yield Issued(client, database, keys, badge.id, dict(badge.document), portal)


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
                            reason="issued in error", actor=OPERATOR)
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


def test_wallet_lists_badges_with_state_download_and_verify_links(issued: Issued) -> None:
    page = issued.client.get("/wallet").text
    assert "Foundations of Climate Adaptation" in page
    assert '<span class="badge badge-pass">Active</span>' in page
    assert f'href="/badges/{issued.badge_id}" download' in page
    assert f"/verify?badge={issued.badge_id.replace(':', '%3A')}" in page
    assert issued.client.get(f"/badges/{issued.badge_id}").json()["id"] == issued.badge_id
    assert issued.client.get("/wallet/ada").text == page


def test_wallet_of_unknown_learner_is_a_404(issued: Issued) -> None:
    assert issued.client.get("/wallet/nobody").status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in_for_a_wallet(issued: Issued) -> None:
    response = issued.visitor().get("/wallet/ada", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/wallet/ada"


def test_wallet_and_badge_are_404_to_another_user_and_open_to_a_registry_admin(
    issued: Issued,
) -> None:
    add_user(issued.database, "eve@example.org")
    eve = issued.visitor("eve@example.org")
    assert eve.get("/wallet/ada").status_code == 404
    assert eve.get(f"/badges/{issued.badge_id}").status_code == 404
    assert issued.visitor().get(f"/badges/{issued.badge_id}").status_code == 404
    add_user(issued.database, "admin@example.org", registry_roles=(RegistryRole.ADMIN,))
    page = issued.visitor("admin@example.org").get("/wallet/ada").text
    assert "Foundations of Climate Adaptation" in page and "share-form" not in page


def _create_link(issued: Issued, **extra: str) -> str:
    response = issued.portal.post("/wallet/share-links", {"badge": [issued.badge_id], **extra})
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    page: str = response.text  # type: ignore[attr-defined]
    match = re.search(r'value="http://testserver(/shared/[^"]+)"', page)
    assert match is not None
    return match.group(1)


def test_share_link_shows_exactly_the_shared_badge_to_anyone(issued: Issued) -> None:
    path = _create_link(issued)
    page = issued.visitor().get(path).text
    assert "Shared badges of Ada" in page and "Foundations of Climate Adaptation" in page
    download = issued.visitor().get(f"{path}/badges/{issued.badge_id}")
    assert download.json()["id"] == issued.badge_id
    assert issued.visitor().get(f"{path}/badges/urn:uuid:other").status_code == 404


def test_revoked_share_link_shows_nothing(issued: Issued) -> None:
    path = _create_link(issued)
    with issued.database.read() as session:
        (link,) = [link for link in sharing.list_links(
            session, actor=_ada(issued)) if not link.profile]
    response = issued.portal.post(f"/wallet/share-links/{link.id}/revoke")
    assert response.status_code == 303  # type: ignore[attr-defined]
    refused = issued.visitor().get(path)
    assert refused.status_code == 404 and "Foundations" not in refused.text


def test_expired_share_link_shows_nothing(issued: Issued) -> None:
    with issued.database.unit_of_work() as session:
        _, secret = sharing.create_link(
            session, actor=_ada(issued), badge_ids=[issued.badge_id],
            lifetime=timedelta(hours=1), now=datetime.now(UTC) - timedelta(hours=2))
    assert issued.visitor().get(f"/shared/{secret}").status_code == 404


def test_share_link_form_without_the_csrf_token_is_refused(issued: Issued) -> None:
    response = issued.client.post("/wallet/share-links", data={"badge": issued.badge_id},
                                  follow_redirects=False)
    assert response.status_code == 403
    with issued.database.read() as session:
        assert sharing.list_links(session, actor=_ada(issued)) == []


def test_sharing_a_badge_of_another_wallet_is_422_and_stores_nothing(issued: Issued) -> None:
    response = issued.portal.post("/wallet/share-links", {"badge": ["urn:uuid:not-mine"]})
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "is not a badge in your wallet" in response.text  # type: ignore[attr-defined]


def test_public_profile_is_switched_on_and_off(issued: Issued) -> None:
    issued.portal.post("/wallet/profile", {"enabled": "on"})
    wallet = issued.client.get("/wallet").text
    match = re.search(r'id="profile-url">http://testserver(/profiles/[0-9a-f]{32})<', wallet)
    assert match is not None
    assert "Foundations of Climate Adaptation" in issued.visitor().get(match.group(1)).text
    issued.portal.post("/wallet/profile", {"enabled": "off"})
    assert issued.visitor().get(match.group(1)).status_code == 404


def test_share_links_are_audited_without_their_secret(issued: Issued) -> None:
    path = _create_link(issued)
    with issued.database.read() as session:
        entries = audit.entries(session, viewer=OPERATOR, action="share_link.create")
    assert [entry.actor for entry in entries] == [f"user:{ADA}"]
    assert path.rsplit("/", 1)[1] not in json.dumps([entry.to_dict() for entry in entries])


def test_badge_card_offers_add_to_linkedin_with_the_shared_page_as_certificate(
    issued: Issued,
) -> None:
    path = _create_link(issued)
    page = issued.visitor().get(path).text
    href = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', page)
    assert href is not None
    query = parse_qs(urlsplit(href.group(1).replace("&amp;", "&")).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["organizationName"] == ["Royal Roads University"]
    assert query["certUrl"] == [f"http://testserver{path}"]
    assert query["certId"] == [issued.badge_id]
    assert query["issueYear"] == [str(datetime.now(UTC).year)]


def _ada(issued: Issued) -> Any:
    from credstack.accounts import service as accounts

    with issued.database.read() as session:
        user = accounts.get_user(session, email=ADA)
        return accounts.actor_of(user)


def test_credential_page_shows_verified_endorsements(issued: Issued) -> None:
    page = issued.client.get(f"/credentials/{CREDENTIAL}").text
    section = page[page.index('<section id="endorsements"'):page.index('<section id="compliance"')]
    assert "Recognised by employers" in section
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


@given(name=st.text(min_size=1, max_size=80), organization=st.text(max_size=80),
       cert_url=st.one_of(st.none(), st.text(max_size=80)))
def test_linkedin_link_carries_every_value_whole(name: str, organization: str,
                                                 cert_url: str | None) -> None:
    url = linkedin_url(name=name, organization=organization, issued_on="2026-03-09",
                       cert_url=cert_url, cert_id="urn:uuid:1", expires_on="2027-12-31")
    assert url.startswith("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&")
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    assert query["name"] == [name] and query["organizationName"] == [organization]
    assert query.get("certUrl") == ([cert_url] if cert_url else None)  # empty: no page
    assert (query["issueYear"], query["issueMonth"]) == (["2026"], ["3"])
    assert (query["expirationYear"], query["expirationMonth"]) == (["2027"], ["12"])
