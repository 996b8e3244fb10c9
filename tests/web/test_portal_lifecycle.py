"""The record page's buttons for its organization's staff: submit a draft, retire a
published record; each shown only when the policy allows it and posted with CSRF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from account_fixtures import OTHER_ORG, PortalSignIn
from credstack.accounts import audit
from credstack.accounts.model import Actor, OrgRole, RegistryRole
from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry import service
from credstack.store.unit_of_work import Database

SignIn = Callable[..., PortalSignIn]
DRAFT = "draft-course"  # the example's provider's draft (conftest ``portal``)
PUBLISHED = "rru-caf-foundations-climate-adaptation"
SUBMIT = "Submit for review"
RETIRE = "Retire this micro-credential"


def _move(portal: TestClient, who: PortalSignIn, record: str, target: str,
          token: str | None = None) -> Any:
    return portal.post(f"/credentials/{record}/lifecycle",
                       data={"csrf_token": who.csrf_token if token is None else token,
                             "target": target},
                       cookies=who.cookies, follow_redirects=False)


def _status(database: Database, record: str) -> LifecycleStatus:
    with database.read() as session:
        return service.get_record(session, credential_id=record).status


def test_an_editor_sees_submit_on_a_draft_of_their_organization(
    portal: TestClient, portal_sign_in: SignIn
) -> None:
    editor = portal_sign_in("editor@example.org", org_roles=[OrgRole.EDITOR])
    page = portal.get(f"/credentials/{DRAFT}", cookies=editor.cookies).text
    assert SUBMIT in page and f'value="{editor.csrf_token}"' in page


def test_an_editor_submits_a_draft_for_review(
    portal: TestClient, portal_sign_in: SignIn, database: Database
) -> None:
    editor = portal_sign_in("editor@example.org", org_roles=[OrgRole.EDITOR])
    response = _move(portal, editor, DRAFT, "submitted")
    assert response.status_code == 303
    assert response.headers["location"] == f"/credentials/{DRAFT}?done=submitted"
    assert _status(database, DRAFT) is LifecycleStatus.SUBMITTED
    with database.read() as session:
        [entry] = audit.entries(session, viewer=Actor.system("t"), action="record.submit")
    assert (entry.actor, entry.version_after) == ("user:editor@example.org", "submitted")


def test_a_forged_submit_is_refused_and_changes_nothing(
    portal: TestClient, portal_sign_in: SignIn, database: Database
) -> None:
    editor = portal_sign_in("editor@example.org", org_roles=[OrgRole.EDITOR])
    assert _move(portal, editor, DRAFT, "submitted", token="forged").status_code == 403
    assert _status(database, DRAFT) is LifecycleStatus.DRAFT


def test_an_editor_sees_no_retire_button_and_may_not_retire(
    portal: TestClient, portal_sign_in: SignIn, database: Database
) -> None:
    editor = portal_sign_in("editor@example.org", org_roles=[OrgRole.EDITOR])
    assert RETIRE not in portal.get(f"/credentials/{PUBLISHED}", cookies=editor.cookies).text
    assert _move(portal, editor, PUBLISHED, "retired").status_code == 403
    assert _status(database, PUBLISHED) is LifecycleStatus.PUBLISHED


def test_an_org_admin_retires_a_published_record(
    portal: TestClient, portal_sign_in: SignIn, database: Database
) -> None:
    admin = portal_sign_in("admin@example.org", org_roles=[OrgRole.ORG_ADMIN])
    assert RETIRE in portal.get(f"/credentials/{PUBLISHED}", cookies=admin.cookies).text
    assert _move(portal, admin, PUBLISHED, "retired").status_code == 303
    assert _status(database, PUBLISHED) is LifecycleStatus.RETIRED


def test_another_organizations_editor_gets_404_for_the_draft(
    portal: TestClient, portal_sign_in: SignIn, database: Database
) -> None:
    other = portal_sign_in("other@example.org", org_roles=[OrgRole.EDITOR],
                           organization=OTHER_ORG)
    assert _move(portal, other, DRAFT, "submitted").status_code == 404
    assert _status(database, DRAFT) is LifecycleStatus.DRAFT


def test_the_public_and_the_reviewer_see_no_buttons(
    portal: TestClient, portal_sign_in: SignIn
) -> None:
    reviewer = portal_sign_in("reviewer@example.org", registry_roles=[RegistryRole.REVIEWER])
    for cookies in ({}, reviewer.cookies):
        page = portal.get(f"/credentials/{PUBLISHED}", cookies=cookies).text
        assert SUBMIT not in page and RETIRE not in page
    assert SUBMIT not in portal.get(f"/credentials/{DRAFT}", cookies=reviewer.cookies).text


def test_an_anonymous_post_is_sent_to_sign_in(portal: TestClient, database: Database) -> None:
    response = portal.post(f"/credentials/{DRAFT}/lifecycle", data={"target": "submitted"},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert _status(database, DRAFT) is LifecycleStatus.DRAFT


def test_an_unknown_move_is_422(portal: TestClient, portal_sign_in: SignIn) -> None:
    editor = portal_sign_in("editor@example.org", org_roles=[OrgRole.EDITOR])
    assert _move(portal, editor, DRAFT, "published").status_code == 422
