"""Compliance panel on the credential page and the QA dashboard (quality capability)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from account_fixtures import PortalSignIn
from credstack.accounts.model import RegistryRole
from credstack.api.app import create_app
from credstack.config import Settings
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus
from credstack.quality import service as quality
from credstack.registry import service
from credstack.store.unit_of_work import Database
from credstack.web import gather_quality
from credstack.web.quality_view import compliance_panel, dashboard

Factory = Callable[..., Any]
Cookies = dict[str, str]
EXAMPLE_ID = "rru-caf-foundations-climate-adaptation"


@pytest.fixture
def reviewer(portal_sign_in: Callable[..., PortalSignIn]) -> Cookies:
    """The session cookie of the registry's reviewer, who sees records of every status."""
    return portal_sign_in("reviewer@example.org", registry_roles=[RegistryRole.REVIEWER]).cookies


def test_panel_lists_failures_before_warnings(variant: Factory) -> None:
    record = variant("no-credits", credits=[], industry_support=None)
    report = quality.check_record(record, ["eu-cmf"])[0]
    panel = compliance_panel(report, quality.frameworks())
    outcomes = [row.outcome for row in panel.attention]
    assert "fail" in outcomes and outcomes == sorted(outcomes, key=lambda o: o != "fail")
    assert not panel.compliant
    assert "eu-cmf:ects-4-to-6" in {row.key for row in panel.attention}


def test_dashboard_counts_records_and_lists_weakest_provider_first(
    example: MicroCredential, variant: Factory,
) -> None:
    weak = variant("weak", provider={"issuer": {"id": "weak-college", "name": "Weak College",
                                                "country": "CA", "type": "college"}},
                   assessment=None)
    summary = quality.summarise([example, weak], [quality.compile_rule_set("au-nmf")])
    board = dashboard(summary.frameworks[0])
    assert board.records.checked == 2
    assert board.by_provider[0].label == "Weak College"
    assert board.by_provider[0].percent <= board.by_provider[-1].percent
    assert any(rule.key.startswith("au-nmf:assessment") for rule in board.failing_rules)


def test_credential_page_has_a_compliance_panel_for_the_publishing_standard(
    portal: TestClient,
) -> None:
    page = portal.get(f"/credentials/{EXAMPLE_ID}").text
    assert '<section id="compliance"' in page
    assert re.search(r'<option value="bc-assessment-standard" selected>', page)


def test_framework_can_be_chosen_and_failures_name_rule_and_citation(
    portal: TestClient, variant: Factory, store: Factory,
) -> None:
    store(variant("no-ects", credits=[]))
    page = portal.get("/credentials/no-ects", params={"framework": "eu-cmf"}).text
    assert "Does not meet eu-cmf" in page
    assert "<code>eu-cmf:ects-4-to-6</code>" in page
    assert "scan line" in page


def test_unknown_framework_falls_back_with_a_message(portal: TestClient) -> None:
    page = portal.get(f"/credentials/{EXAMPLE_ID}", params={"framework": "../etc/passwd"}).text
    assert "Framework: &#39;../etc/passwd&#39; is not a shipped rule set" in page


def test_qa_dashboard_summarises_the_registry(portal: TestClient, reviewer: Cookies) -> None:
    response = portal.get("/qa", params={"framework": "au-nmf"}, cookies=reviewer)
    assert response.status_code == 200
    assert "<h1>Quality dashboard</h1>" in response.text
    assert re.search(r"<dt>Records checked</dt><dd>4</dd>", response.text)
    assert "South East Technological University" in response.text


def test_qa_dashboard_of_the_public_leaves_out_unpublished_records(
    portal: TestClient,
) -> None:
    page = portal.get("/qa", params={"framework": "au-nmf"}).text
    assert _checked(page) == 3
    assert "draft-course" not in page and "<dt>Draft</dt>" not in page
    refused = portal.get("/qa", params={"status": "draft"}).text
    assert _checked(refused) == 3
    assert "Status: draft records are shown to the registry&#39;s reviewers" in refused


def test_qa_dashboard_filters_by_status(portal: TestClient, reviewer: Cookies) -> None:
    page = portal.get("/qa", params={"status": "draft"}, cookies=reviewer).text
    assert re.search(r"<dt>Records checked</dt><dd>1</dd>", page)
    bad = portal.get("/qa", params={"status": "gone"}).text
    assert "Status: &#39;gone&#39; is not one of" in bad


def test_misconfigured_standard_hides_the_panel_not_the_page(
    database: Database, example: MicroCredential, store: Factory,
) -> None:
    store(example)
    settings = Settings(database_url="sqlite://", publish_standard="no-such-standard")
    with TestClient(create_app(database, settings)) as client:
        response = client.get(f"/credentials/{EXAMPLE_ID}")
    assert response.status_code == 200
    assert "Compliance cannot be checked against &#39;no-such-standard&#39;" in response.text
    assert "<h1>Foundations of Climate Adaptation</h1>" in response.text


def _checked(page: str) -> int:
    match = re.search(r"<dt>Records checked</dt><dd>(\d+)</dd>", page)
    assert match, "no record count"
    return int(match.group(1))


def _counting_dashboards(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each time the dashboard is computed (not served from the cache)."""
    computed: list[str] = []
    compute = gather_quality.qa_context

    def counted(session: Any, *, framework_id: str, status: Any,
                public_only: bool = False) -> dict[str, Any]:
        computed.append(framework_id)
        return compute(session, framework_id=framework_id, status=status,
                       public_only=public_only)

    monkeypatch.setattr(gather_quality, "qa_context", counted)
    return computed


def test_qa_dashboard_is_computed_once_while_the_registry_is_unchanged(
    portal: TestClient, monkeypatch: pytest.MonkeyPatch,
) -> None:
    computed = _counting_dashboards(monkeypatch)
    pages = [portal.get("/qa", params={"framework": "au-nmf"}).text for _ in range(3)]
    assert computed == ["au-nmf"]
    assert pages[0] == pages[1] == pages[2]
    portal.get("/qa", params={"framework": "eu-cmf"})
    assert computed == ["au-nmf", "eu-cmf"]


def test_qa_dashboard_is_computed_again_after_a_new_record(
    portal: TestClient, variant: Factory, store: Factory, monkeypatch: pytest.MonkeyPatch,
) -> None:
    computed = _counting_dashboards(monkeypatch)
    before = _checked(portal.get("/qa").text)
    store(variant("one-more", title="One More Course"))
    after = _checked(portal.get("/qa").text)
    assert after == before + 1
    assert len(computed) == 2


def test_qa_dashboard_follows_a_status_change(portal: TestClient, database: Database,
                                              reviewer: Cookies) -> None:
    drafts = {"status": "draft"}
    assert _checked(portal.get("/qa", params=drafts, cookies=reviewer).text) == 1
    with database.unit_of_work() as session:
        service.transition(session, credential_id="draft-course",
                           target=LifecycleStatus.SUBMITTED, actor="test")
    assert _checked(portal.get("/qa", params=drafts, cookies=reviewer).text) == 0
