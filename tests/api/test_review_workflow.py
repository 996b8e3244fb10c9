"""Records under the policy: who writes, who sees drafts, the review queue and decisions."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import EXAMPLE_ID
from fastapi.testclient import TestClient

from account_fixtures import OTHER_ORG, Bearer
from credstack.accounts import audit
from credstack.accounts.model import Actor, OrgRole, RegistryRole
from credstack.store.unit_of_work import Database

RECORD = f"/api/v1/credentials/{EXAMPLE_ID}"


@pytest.fixture
def as_role(anonymous: TestClient, bearer: Bearer) -> Any:
    """A factory: headers of a new user holding one role (of the example's provider
    unless ``organization`` says otherwise)."""

    def make(name: str, *, registry_role: RegistryRole | None = None,
             org_role: OrgRole | None = None, organization: str | None = None
             ) -> dict[str, str]:
        extra = {"organization": organization} if organization else {}
        return bearer(f"{name}@example.org",
                      registry_roles=[registry_role] if registry_role else [],
                      org_roles=[org_role] if org_role else [], **extra)

    return make


@pytest.fixture
def editor(as_role: Any) -> dict[str, str]:
    """An editor of the example's provider."""
    return dict(as_role("editor", org_role=OrgRole.EDITOR))


@pytest.fixture
def reviewer(as_role: Any) -> dict[str, str]:
    """The registry's reviewer."""
    return dict(as_role("reviewer", registry_role=RegistryRole.REVIEWER))


@pytest.fixture
def draft(anonymous: TestClient, editor: dict[str, str], document: dict[str, Any]) -> None:
    """The example record, created by its provider's editor."""
    response = anonymous.post("/api/v1/credentials", json=document, headers=editor)
    assert response.status_code == 201, response.text


@pytest.fixture
def submitted(anonymous: TestClient, editor: dict[str, str], draft: None) -> None:
    """The example record, submitted for review by its editor."""
    response = anonymous.post(f"{RECORD}/status", json={"status": "submitted"}, headers=editor)
    assert response.status_code == 200, response.text


def test_anonymous_create_is_401(anonymous: TestClient, document: dict[str, Any]) -> None:
    response = anonymous.post("/api/v1/credentials", json=document)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_editor_of_another_organization_may_not_create(
    anonymous: TestClient, as_role: Any, document: dict[str, Any]
) -> None:
    other = as_role("other", org_role=OrgRole.EDITOR, organization=OTHER_ORG)
    assert anonymous.post("/api/v1/credentials", json=document, headers=other).status_code == 403


def test_reviewer_may_not_create(
    anonymous: TestClient, reviewer: dict[str, str], document: dict[str, Any]
) -> None:
    assert anonymous.post("/api/v1/credentials", json=document, headers=reviewer).status_code == 403


def test_version_records_its_author(anonymous: TestClient, editor: dict[str, str],
                                    draft: None, document: dict[str, Any]) -> None:
    anonymous.put(RECORD, json=dict(document, title="Renamed"), headers=editor)
    shown = anonymous.get(RECORD, headers=editor).json()
    assert (shown["version"], shown["version_author"]) == (2, "user:editor@example.org")


@pytest.mark.parametrize("who", ["anonymous", "learner", "other_editor"])
def test_draft_is_not_found_for_those_who_may_not_see_it(
    anonymous: TestClient, as_role: Any, draft: None, document: dict[str, Any], who: str
) -> None:
    headers = {
        "anonymous": {},
        "learner": as_role("learner"),
        "other_editor": as_role("other", org_role=OrgRole.EDITOR, organization=OTHER_ORG),
    }[who]
    for path in (RECORD, f"{RECORD}/versions", f"{RECORD}/status"):
        assert anonymous.get(path, headers=headers).status_code == 404, path
    assert anonymous.put(RECORD, json=document, headers=headers).status_code == 404


def test_search_hides_drafts_and_their_facet_counts_from_other_users(
    anonymous: TestClient, as_role: Any, editor: dict[str, str], draft: None
) -> None:
    learner = as_role("learner")
    params = {"status": ["draft", "submitted", "published"]}
    for headers in ({}, learner):
        page = anonymous.get("/api/v1/credentials", params=params, headers=headers).json()
        assert page["total"] == 0
        assert page["facets"]["provider"] == {}
    page = anonymous.get("/api/v1/credentials", params=params, headers=editor).json()
    assert [item["id"] for item in page["items"]] == [EXAMPLE_ID]


def test_reviewer_finds_every_organization_s_drafts(
    anonymous: TestClient, reviewer: dict[str, str], draft: None
) -> None:
    page = anonymous.get("/api/v1/credentials", params={"status": "draft"}, headers=reviewer)
    assert page.json()["total"] == 1


def test_review_queue_lists_submitted_records_with_compliance(
    anonymous: TestClient, reviewer: dict[str, str], submitted: None
) -> None:
    queue = anonymous.get("/api/v1/review-queue", headers=reviewer).json()
    assert [item["id"] for item in queue] == [EXAMPLE_ID]
    compliance = queue[0]["compliance"]
    assert compliance["standard"] == "bc-assessment-standard"
    assert compliance["compliant"] is (compliance["failures"] == [])
    assert queue[0]["author"] == "user:editor@example.org"


def test_review_queue_refuses_editors_and_anonymous_visitors(
    anonymous: TestClient, editor: dict[str, str], submitted: None
) -> None:
    assert anonymous.get("/api/v1/review-queue").status_code == 401
    assert anonymous.get("/api/v1/review-queue", headers=editor).status_code == 403


def test_editor_may_not_approve_their_own_record(
    anonymous: TestClient, editor: dict[str, str], submitted: None
) -> None:
    response = anonymous.post(f"{RECORD}/review", json={"decision": "approve"}, headers=editor)
    assert response.status_code == 403
    assert anonymous.get(RECORD, headers=editor).json()["status"] == "submitted"


def test_reviewer_approval_publishes(
    anonymous: TestClient, reviewer: dict[str, str], submitted: None
) -> None:
    response = anonymous.post(f"{RECORD}/review", json={"decision": "approve"}, headers=reviewer)
    assert response.status_code == 200, response.text
    assert anonymous.get(RECORD).json()["status"] == "published"
    assert anonymous.get("/api/v1/review-queue", headers=reviewer).json() == []


def test_returning_needs_comments(
    anonymous: TestClient, reviewer: dict[str, str], submitted: None
) -> None:
    response = anonymous.post(f"{RECORD}/review", json={"decision": "return"}, headers=reviewer)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "comments"]


def test_returned_comments_are_shown_to_the_organization_s_editors(
    anonymous: TestClient, reviewer: dict[str, str], editor: dict[str, str], submitted: None
) -> None:
    body = {"decision": "return", "comments": "Name the assessment method."}
    assert anonymous.post(f"{RECORD}/review", json=body, headers=reviewer).status_code == 200
    shown = anonymous.get(RECORD, headers=editor).json()
    assert shown["status"] == "draft"
    assert shown["review_comments"]["comments"] == "Name the assessment method."
    assert shown["review_comments"]["by"] == "user:reviewer@example.org"


def test_reviewing_a_record_not_submitted_is_409(
    anonymous: TestClient, reviewer: dict[str, str], draft: None
) -> None:
    response = anonymous.post(f"{RECORD}/review", json={"decision": "approve"}, headers=reviewer)
    assert response.status_code == 409


def test_editor_may_not_retire(
    anonymous: TestClient, editor: dict[str, str], draft: None
) -> None:
    response = anonymous.post(f"{RECORD}/status", json={"status": "retired"}, headers=editor)
    assert response.status_code == 403


def test_workflow_writes_audit_entries(
    anonymous: TestClient, reviewer: dict[str, str], submitted: None, database: Database
) -> None:
    anonymous.post(f"{RECORD}/review", json={"decision": "approve"}, headers=reviewer)
    with database.unit_of_work() as session:
        entries = audit.entries(session, viewer=Actor.system("operator"))
    done = [(e.action, e.actor, e.version_before, e.version_after)
            for e in entries if e.resource_type == "record"]
    assert done == [
        ("record.create", "user:editor@example.org", None, "1"),
        ("record.submit", "user:editor@example.org", "draft", "submitted"),
        ("record.approve", "user:reviewer@example.org", "submitted", "published"),
    ]


def test_review_comments_stay_with_the_organization_after_publication(
    anonymous: TestClient, reviewer: dict[str, str], editor: dict[str, str], submitted: None
) -> None:
    body = {"decision": "return", "comments": "Internal remark."}
    anonymous.post(f"{RECORD}/review", json=body, headers=reviewer)
    anonymous.post(f"{RECORD}/status", json={"status": "submitted"}, headers=editor)
    anonymous.post(f"{RECORD}/review", json={"decision": "approve"}, headers=reviewer)
    public = anonymous.get(f"{RECORD}/status").json()["history"]
    staff = anonymous.get(f"{RECORD}/status", headers=editor).json()["history"]
    assert "Internal remark." not in [event["note"] for event in public]
    assert "Internal remark." in [event["note"] for event in staff]
    assert anonymous.get(RECORD).json()["review_comments"] is None


def test_editor_s_new_version_of_a_published_record_goes_back_to_review(
    anonymous: TestClient, editor: dict[str, str], reviewer: dict[str, str],
    submitted: None, document: dict[str, Any],
) -> None:
    anonymous.post(f"{RECORD}/review", json={"decision": "approve"}, headers=reviewer)
    changed = {**document, "title": "Changed by the editor, not reviewed"}
    response = anonymous.put(RECORD, json=changed, headers=editor)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "submitted"
    assert anonymous.get(RECORD).status_code == 404
    queue = anonymous.get("/api/v1/review-queue", headers=reviewer).json()
    assert EXAMPLE_ID in str(queue)
