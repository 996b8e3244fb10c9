"""The alignment review page: suggestions per outcome, accept / reject / add by hand."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from account_fixtures import PortalSignIn
from credstack.accounts.model import OrgRole
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import AlignmentStatus
from credstack.registry import service as registry
from credstack.store.unit_of_work import Database
from credstack.web.align_view import outcome_reviews

Factory = Callable[..., Any]
EXAMPLE_ID = "rru-caf-foundations-climate-adaptation"
PAGE = f"/credentials/{EXAMPLE_ID}/alignment"


def suggested_uris(page: str, outcome: str) -> list[str]:
    """The competency URIs suggested for one outcome, in rank order."""
    start = page.index(f'id="outcome-{outcome}"')
    end = page.find("</section>", start)
    return [html.unescape(u) for u in re.findall(r'name="uri" value="([^"]+)"', page[start:end])]


@pytest.fixture(autouse=True)
def editor(portal: TestClient, portal_sign_in: Callable[..., PortalSignIn]) -> PortalSignIn:
    """The portal client is signed in as an editor of the example's provider."""
    signed_in = portal_sign_in("editor@example.org", org_roles=[OrgRole.EDITOR])
    for name, value in signed_in.cookies.items():
        portal.cookies.set(name, value)
    return signed_in


def decide(client: TestClient, **fields: str) -> Any:
    """Post one decision with the signed-in session's CSRF token (from the page)."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(PAGE).text)
    assert token is not None
    form = {"framework": "esco", "outcome": "LO1", "reviewer": "Jo Reviewer",
            "proficiency_level": "intermediate", "top": "5", "csrf_token": token.group(1),
            **fields}
    return client.post(PAGE, data=form, follow_redirects=False)


def test_a_forged_decision_is_refused(portal: TestClient) -> None:
    response = portal.post(PAGE, data={"decision": "accepted", "uri": "x", "csrf_token": "x"})
    assert response.status_code == 403


def test_anonymous_decisions_are_sent_to_sign_in(portal: TestClient) -> None:
    portal.cookies.clear()
    response = portal.post(PAGE, data={"decision": "accepted"}, follow_redirects=False)
    assert response.headers["location"].startswith("/login")


def current(database: Database) -> MicroCredential:
    with database.read() as session:
        return registry.get_record(session, credential_id=EXAMPLE_ID).record


def test_suggests_esco_competencies_for_each_outcome(portal: TestClient) -> None:
    page = portal.get(PAGE).text
    for outcome in ("LO1", "LO2", "LO3"):
        uris = suggested_uris(page, outcome)
        assert len(uris) == 5
        assert all(uri.startswith("http://data.europa.eu/esco/skill/") for uri in uris)
    assert "matched:" in page


def test_accepting_saves_a_new_version_with_reviewer_and_level(
    portal: TestClient, database: Database,
) -> None:
    uri = suggested_uris(portal.get(PAGE).text, "LO1")[0]
    response = decide(portal, uri=uri, decision="accepted", score="0.63")
    assert response.status_code == 303
    assert response.headers["location"].endswith("reviewed=LO1#outcome-LO1")
    alignment = current(database).learning_outcomes[0].alignments[-1]
    assert (alignment.uri, alignment.status, alignment.proficiency_level, alignment.reviewed_by) \
        == (uri, AlignmentStatus.ACCEPTED, "intermediate", "Jo Reviewer")
    after = portal.get(PAGE + "?reviewed=LO1").text
    assert "Decision recorded for LO1; the record is now at version 2." in after
    assert uri not in suggested_uris(after, "LO1")


def test_rejected_competency_is_not_suggested_again(portal: TestClient) -> None:
    uri = suggested_uris(portal.get(PAGE).text, "LO2")[0]
    assert decide(portal, uri=uri, outcome="LO2", decision="rejected").status_code == 303
    page = portal.get(PAGE).text
    assert uri not in suggested_uris(page, "LO2")
    assert '<li class="decision-rejected">' in page


def test_adding_by_hand_to_the_whole_micro_credential(portal: TestClient,
                                                     database: Database) -> None:
    uri = suggested_uris(portal.get(PAGE).text, "LO3")[0]
    assert decide(portal, uri=uri, outcome="record", decision="manual").status_code == 303
    industry = current(database).industry_alignment or []
    assert industry[-1].uri == uri and industry[-1].status is AlignmentStatus.MANUAL


def test_a_decision_without_reviewer_is_refused_and_explained(portal: TestClient,
                                                               database: Database) -> None:
    uri = suggested_uris(portal.get(PAGE).text, "LO1")[0]
    response = decide(portal, uri=uri, decision="accepted", reviewer=" ")
    assert response.status_code == 422
    assert "reviewer: must name who reviewed" in response.text
    assert current(database).learning_outcomes[0].alignments == []


def test_unknown_competency_is_refused(portal: TestClient) -> None:
    response = decide(portal, uri="http://example.org/not-a-skill", decision="manual")
    assert response.status_code == 422
    assert "is not a competency of framework" in response.text


def test_unknown_record_is_a_404(portal: TestClient) -> None:
    assert portal.get("/credentials/nope/alignment").status_code == 404


def test_unknown_framework_is_explained(portal: TestClient) -> None:
    page = portal.get(PAGE, params={"framework": "no-such-framework"}).text
    assert "no-such-framework" in page and 'role="alert"' in page


def test_outcome_reviews_show_decisions_and_leave_decided_suggestions_out(
    variant: Factory,
) -> None:
    record = variant("decided", learning_outcomes=[{
        "id": "LO1", "statement": "Assess risks.",
        "alignments": [{"framework": "esco", "uri": "http://x/skill/1", "label": "assess risk",
                        "status": "rejected", "reviewed_by": "Jo",
                        "reviewed_at": "2026-01-02T03:04:05+00:00"}],
    }])
    (review,) = outcome_reviews(record, None)
    assert review.suggestions == ()
    assert [(d.status, d.reviewed) for d in review.decisions] == [("rejected", "Jo on 2026-01-02")]
