"""The reviewer's page: the queue, approve and return forms, comments on the record page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from account_fixtures import PortalSignIn
from credstack.accounts.model import OrgRole, RegistryRole
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus

SignIn = Callable[..., PortalSignIn]


@pytest.fixture
def queued(portal: TestClient, variant: Callable[..., MicroCredential],
           store: Callable[..., None]) -> str:
    """A submitted record of the example's provider, waiting for review."""
    store(variant("queued-course", title="Queued Course"), status=LifecycleStatus.SUBMITTED)
    return "queued-course"


@pytest.fixture
def reviewer(portal_sign_in: SignIn) -> PortalSignIn:
    """The registry's reviewer, signed in to the portal."""
    return portal_sign_in("reviewer@example.org", registry_roles=[RegistryRole.REVIEWER])


def _decide(portal: TestClient, who: PortalSignIn, record: str, **form: Any) -> Any:
    return portal.post(f"/review/{record}", data={"csrf_token": who.csrf_token, **form},
                       cookies=who.cookies, follow_redirects=False)


def test_anonymous_visitors_are_sent_to_sign_in(portal: TestClient) -> None:
    response = portal.get("/review", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/review"


def test_editors_may_not_open_the_queue(portal: TestClient, portal_sign_in: SignIn) -> None:
    editor = portal_sign_in("editor@example.org", org_roles=[OrgRole.EDITOR])
    assert portal.get("/review", cookies=editor.cookies).status_code == 403


def test_queue_shows_submitted_records_with_their_compliance(
    portal: TestClient, reviewer: PortalSignIn, queued: str
) -> None:
    page = portal.get("/review", cookies=reviewer.cookies).text
    assert 'id="review-queued-course"' in page
    assert "Meets bc-assessment-standard" in page or "Does not meet" in page
    assert f'value="{reviewer.csrf_token}"' in page


def test_approving_publishes(portal: TestClient, reviewer: PortalSignIn, queued: str) -> None:
    response = _decide(portal, reviewer, queued, decision="approve")
    assert response.status_code == 303
    assert "Published" in portal.get("/credentials/queued-course").text


def test_a_forged_decision_changes_nothing(
    portal: TestClient, reviewer: PortalSignIn, queued: str
) -> None:
    response = portal.post(f"/review/{queued}", data={"decision": "approve", "csrf_token": "x"},
                           cookies=reviewer.cookies)
    assert response.status_code == 403
    assert portal.get("/credentials/queued-course").status_code == 404


def test_returning_without_comments_is_refused(
    portal: TestClient, reviewer: PortalSignIn, queued: str
) -> None:
    response = _decide(portal, reviewer, queued, decision="return", comments=" ")
    assert response.status_code == 422
    assert "say what the editors should change" in response.text


def test_returned_comments_show_on_the_record_page_for_its_editors(
    portal: TestClient, reviewer: PortalSignIn, portal_sign_in: SignIn, queued: str
) -> None:
    _decide(portal, reviewer, queued, decision="return", comments="Add a price, please.")
    editor = portal_sign_in("editor@example.org", org_roles=[OrgRole.EDITOR])
    page = portal.get("/credentials/queued-course", cookies=editor.cookies).text
    assert 'id="review-comments"' in page
    assert "Add a price, please." in page
    other = portal_sign_in("other@example.org", org_roles=[OrgRole.EDITOR],
                           organization="pics-climate")
    assert portal.get("/credentials/queued-course", cookies=other.cookies).status_code == 404
