"""The portal's CSV upload: editors import their organization's records; a bad row shows
every problem and stores nothing; skipped rows come back as a CSV to fix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from account_fixtures import OTHER_ORG, PortalSignIn
from credstack.accounts.model import OrgRole, RegistryRole
from credstack.interop.csv_catalogue import template_text
from credstack.registry import service
from credstack.store.unit_of_work import Database
from credstack.web.import_pages import MAX_UPLOAD_BYTES

SignIn = Callable[..., PortalSignIn]
EXAMPLE_ID = "rru-caf-foundations-climate-adaptation"
NEW_ID = "csv-course"


@pytest.fixture
def editor(portal_sign_in: SignIn) -> PortalSignIn:
    """An editor of the example's provider, signed in."""
    return portal_sign_in("editor@example.org", org_roles=[OrgRole.EDITOR])


def _catalogue(currency: str = "CAD") -> str:
    """The template's row as a new record, and a second one of the same provider."""
    row = template_text().replace(EXAMPLE_ID, NEW_ID).splitlines()
    second = row[1].replace(NEW_ID, "csv-course-2").replace(",CAD,", f",{currency},")
    return "\n".join([*row, second]) + "\n"


def _upload(portal: TestClient, who: PortalSignIn, text: str | bytes, *,
            skip_invalid: bool = False, token: str | None = None) -> Any:
    data = {"csrf_token": who.csrf_token if token is None else token}
    if skip_invalid:
        data["skip_invalid"] = "yes"
    return portal.post("/import", data=data, files={"file": ("catalogue.csv", text, "text/csv")},
                       cookies=who.cookies)


def _ids(database: Database) -> set[str]:
    with database.read() as session:
        return service.ids_in(session, ids=[NEW_ID, "csv-course-2"])


def test_the_account_page_links_the_upload_for_an_editor(
    portal: TestClient, editor: PortalSignIn, portal_sign_in: SignIn
) -> None:
    assert 'href="/import"' in portal.get("/account", cookies=editor.cookies).text
    learner = portal_sign_in("learner@example.org")
    assert 'href="/import"' not in portal.get("/account", cookies=learner.cookies).text


def test_anonymous_visitors_are_sent_to_sign_in(portal: TestClient) -> None:
    response = portal.get("/import", follow_redirects=False)
    assert response.headers["location"] == "/login?next=/import"


def test_an_editor_imports_drafts(portal: TestClient, editor: PortalSignIn,
                                  database: Database) -> None:
    response = _upload(portal, editor, _catalogue())
    assert response.status_code == 200, response.text
    assert "2 created" in response.text
    assert _ids(database) == {NEW_ID, "csv-course-2"}


def test_a_bad_row_lists_its_problem_and_stores_nothing(
    portal: TestClient, editor: PortalSignIn, database: Database
) -> None:
    response = _upload(portal, editor, _catalogue(currency="CDN"))
    assert response.status_code == 422
    assert "row 3, column &#39;price.currency&#39;" in response.text
    assert _ids(database) == set()


def test_skip_invalid_stores_good_rows_and_offers_the_rejects(
    portal: TestClient, editor: PortalSignIn, database: Database
) -> None:
    response = _upload(portal, editor, _catalogue(currency="CDN"), skip_invalid=True)
    assert response.status_code == 200
    assert 'id="download-rejects"' in response.text
    offered = response.text.split('name="rejects" value="', 1)[1].split('"', 1)[0]
    assert offered.startswith("id,") and "csv-course-2" in offered and "errors" in offered
    assert _ids(database) == {NEW_ID}
    rejects = portal.post("/import/rejects.csv", cookies=editor.cookies, data={
        "csrf_token": editor.csrf_token, "rejects": "id,errors\ncsv-course-2,bad\n"})
    assert rejects.headers["content-type"].startswith("text/csv")
    assert rejects.text == "id,errors\ncsv-course-2,bad\n"


def test_rows_of_another_organization_refuse_the_whole_upload(
    portal: TestClient, portal_sign_in: SignIn, database: Database
) -> None:
    other = portal_sign_in("other@example.org", org_roles=[OrgRole.EDITOR],
                           organization=OTHER_ORG)
    response = _upload(portal, other, _catalogue())
    assert response.status_code == 403
    assert "Nothing was imported" in response.text
    assert _ids(database) == set()


def test_a_registry_admin_imports_any_provider(
    portal: TestClient, portal_sign_in: SignIn, database: Database
) -> None:
    admin = portal_sign_in("admin@example.org", registry_roles=[RegistryRole.ADMIN])
    assert _upload(portal, admin, _catalogue()).status_code == 200
    assert _ids(database) == {NEW_ID, "csv-course-2"}


def test_a_forged_upload_is_refused(portal: TestClient, editor: PortalSignIn,
                                    database: Database) -> None:
    assert _upload(portal, editor, _catalogue(), token="forged").status_code == 403
    assert _ids(database) == set()


def test_an_upload_over_the_limit_is_413(portal: TestClient, editor: PortalSignIn) -> None:
    response = _upload(portal, editor, b"x" * (MAX_UPLOAD_BYTES + 1))
    assert response.status_code == 413
    assert "must be at most" in response.text


def test_a_file_that_is_not_utf8_is_422(portal: TestClient, editor: PortalSignIn) -> None:
    response = _upload(portal, editor, b"id\n\xff\xfe\n")
    assert response.status_code == 422
    assert "expected UTF-8 text" in response.text
