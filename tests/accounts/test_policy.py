"""The one policy as a matrix: every action × every kind of actor, on a private resource
of organization A (a draft record, an unshared wallet, ...), then what public resources,
hiding, token scopes and ``require`` change."""

from __future__ import annotations

import pytest
from accounts_support import ACTORS, ORG_A
from hypothesis import given
from hypothesis import strategies as st

from credstack.accounts.errors import Forbidden, Unauthenticated
from credstack.accounts.model import Action, Actor, Resource, ResourceKind, Scope
from credstack.accounts.policy import RULES, decide, require
from credstack.errors import NotFound

A = Action
ALL = frozenset(ACTORS)
USERS = ALL - {"anonymous"}
STAFF_A = frozenset({"editor_a", "assessor_a", "issuer_a", "org_admin_a"})

# Who may do each action on a private resource of ORG_A owned by "learner".
EXPECTED: dict[Action, frozenset[str]] = {
    A.SEARCH_RECORDS: ALL,
    A.READ_RECORD: STAFF_A | {"reviewer", "admin"},
    A.READ_PROVIDERS: ALL,
    A.READ_COMPLIANCE: STAFF_A | {"reviewer", "admin"},
    A.CREATE_RECORD: frozenset({"editor_a", "org_admin_a", "admin"}),
    A.EDIT_RECORD: frozenset({"editor_a", "org_admin_a"}),
    A.SUBMIT_RECORD: frozenset({"editor_a", "org_admin_a"}),
    A.READ_REVIEW_QUEUE: frozenset({"reviewer", "admin"}),
    A.APPROVE_RECORD: frozenset({"reviewer"}),
    A.RETURN_RECORD: frozenset({"reviewer"}),
    A.RETIRE_RECORD: frozenset({"org_admin_a", "admin"}),
    A.IMPORT_RECORDS: frozenset({"admin"}),
    A.READ_RULE_SETS: ALL,
    A.CHECK_COMPLIANCE: USERS,
    A.SUGGEST_ALIGNMENTS: USERS,
    A.MANAGE_RULE_SETS: frozenset({"admin"}),
    A.READ_FRAMEWORKS: ALL,
    A.MANAGE_FRAMEWORKS: frozenset({"admin"}),
    A.ALIGN_RECORD: frozenset({"editor_a", "org_admin_a"}),
    A.MANAGE_USERS: frozenset({"admin"}),
    A.MANAGE_ORGANIZATIONS: frozenset({"admin"}),
    A.MANAGE_MEMBERS: frozenset({"org_admin_a", "admin"}),
    A.MANAGE_KEYS: frozenset({"org_admin_a", "admin"}),
    A.READ_OWN_ACCOUNT: frozenset({"learner"}),
    A.MANAGE_OWN_ACCOUNT: frozenset({"learner"}),
    A.MANAGE_RUBRICS: frozenset({"editor_a", "assessor_a", "org_admin_a"}),
    A.READ_RUBRICS: STAFF_A | {"reviewer", "admin"},
    A.MANAGE_LEARNERS: frozenset({"assessor_a", "org_admin_a", "admin"}),
    A.READ_LEARNER: frozenset({"learner", "assessor_a", "org_admin_a", "admin"}),
    A.RECORD_ASSESSMENT: frozenset({"assessor_a"}),
    A.READ_ASSESSMENT: frozenset({"learner", "assessor_a", "org_admin_a", "admin"}),
    A.ISSUE_BADGE: frozenset({"issuer_a"}),
    A.REVOKE_BADGE: frozenset({"issuer_a"}),
    A.READ_BADGE: frozenset({"learner", "issuer_a", "org_admin_a", "admin"}),
    A.VERIFY_BADGE: ALL,
    A.READ_STATUS_LIST: ALL,
    A.READ_ISSUER_PROFILE: ALL,
    A.ENDORSE: frozenset({"endorser_a"}),
    A.READ_ENDORSEMENTS: ALL,
    A.READ_WALLET: frozenset({"learner", "admin"}),
    A.SHARE_WALLET: frozenset({"learner"}),
    A.READ_AUDIT: frozenset({"org_admin_a", "admin"}),
}

KIND: dict[Action, ResourceKind] = {
    **{action: ResourceKind.RECORD for action in (
        A.READ_RECORD, A.READ_COMPLIANCE, A.EDIT_RECORD, A.SUBMIT_RECORD, A.APPROVE_RECORD,
        A.RETURN_RECORD, A.RETIRE_RECORD, A.ALIGN_RECORD, A.CREATE_RECORD)},
    **{action: ResourceKind.ORGANIZATION for action in (
        A.MANAGE_MEMBERS, A.MANAGE_KEYS, A.READ_AUDIT)},
    A.READ_OWN_ACCOUNT: ResourceKind.USER, A.MANAGE_OWN_ACCOUNT: ResourceKind.USER,
    A.MANAGE_RUBRICS: ResourceKind.RUBRIC, A.READ_RUBRICS: ResourceKind.RUBRIC,
    A.MANAGE_LEARNERS: ResourceKind.LEARNER, A.READ_LEARNER: ResourceKind.LEARNER,
    A.RECORD_ASSESSMENT: ResourceKind.ASSESSMENT, A.READ_ASSESSMENT: ResourceKind.ASSESSMENT,
    A.ISSUE_BADGE: ResourceKind.BADGE, A.REVOKE_BADGE: ResourceKind.BADGE,
    A.READ_BADGE: ResourceKind.BADGE, A.ENDORSE: ResourceKind.ENDORSEMENT,
    A.READ_WALLET: ResourceKind.WALLET, A.SHARE_WALLET: ResourceKind.WALLET,
}


def private(action: Action, **changes: object) -> Resource:
    """The private resource of ORG_A, owned by the learner, an action acts on."""
    values: dict[str, object] = {
        "kind": KIND.get(action, ResourceKind.REGISTRY), "id": "thing", "organization_id": ORG_A,
        "owner_id": ACTORS["learner"].user_id, "status": "draft", "shared": False,
    }
    values.update(changes)
    return Resource(**values)  # type: ignore[arg-type]


def test_every_action_has_a_rule_and_an_expectation() -> None:
    assert set(RULES) == set(Action)
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize("action", list(Action), ids=lambda action: action.value)
def test_matrix_of_who_may_do_each_action(action: Action) -> None:
    allowed = {name for name, actor in ACTORS.items()
               if decide(actor, action, private(action)).allowed}
    assert allowed == EXPECTED[action]


@given(st.sampled_from(list(Action)), st.sampled_from(list(ResourceKind)),
       st.sampled_from(["draft", "submitted", "published", None]), st.booleans())
def test_the_operator_may_do_everything(action: Action, kind: ResourceKind,
                                        status: str | None, shared: bool) -> None:
    resource = Resource(kind, "x", organization_id=ORG_A, status=status, shared=shared)
    assert decide(Actor.system("operator"), action, resource).allowed


@pytest.mark.parametrize("status", ["published", "retired"])
def test_anyone_reads_a_published_or_retired_record(status: str) -> None:
    for actor in ACTORS.values():
        assert decide(actor, A.READ_RECORD, private(A.READ_RECORD, status=status)).allowed


@pytest.mark.parametrize("name", ["anonymous", "learner", "editor_b", "endorser_a"])
def test_a_draft_is_hidden_from_those_who_may_not_see_it(name: str) -> None:
    for action in (A.READ_RECORD, A.EDIT_RECORD, A.SUBMIT_RECORD, A.APPROVE_RECORD):
        decision = decide(ACTORS[name], action, private(action))
        assert not decision.allowed and decision.hide_as_not_found


@pytest.mark.parametrize("action", [A.CREATE_RECORD, A.RECORD_ASSESSMENT, A.ISSUE_BADGE])
def test_a_refusal_to_create_is_never_hidden(action: Action) -> None:
    decision = decide(ACTORS["editor_b"], action, private(action))
    assert not decision.allowed and not decision.hide_as_not_found


def test_reviewer_editing_a_draft_is_forbidden_not_hidden() -> None:
    decision = decide(ACTORS["reviewer"], A.EDIT_RECORD, private(A.EDIT_RECORD))
    assert not decision.allowed
    assert not decision.hide_as_not_found


def test_editing_a_published_record_of_another_organization_is_forbidden_not_hidden() -> None:
    resource = private(A.EDIT_RECORD, status="published")
    decision = decide(ACTORS["editor_b"], A.EDIT_RECORD, resource)
    assert (decision.allowed, decision.hide_as_not_found) == (False, False)


def test_another_learners_wallet_is_hidden() -> None:
    other = private(A.READ_WALLET, owner_id="id-someone-else")
    decision = decide(ACTORS["learner"], A.READ_WALLET, other)
    assert not decision.allowed and decision.hide_as_not_found


def test_a_shared_wallet_is_readable_by_anonymous_visitors() -> None:
    assert decide(ACTORS["anonymous"], A.READ_WALLET, private(A.READ_WALLET, shared=True)).allowed
    assert not decide(ACTORS["anonymous"], A.SHARE_WALLET,
                      private(A.SHARE_WALLET, shared=True)).allowed


def test_an_issuer_of_another_organization_may_not_issue() -> None:
    resource = private(A.ISSUE_BADGE, organization_id="another-org")
    assert not decide(ACTORS["issuer_a"], A.ISSUE_BADGE, resource).allowed


def with_scope(actor: Actor, scope: Scope) -> Actor:
    return Actor(actor.kind, actor.name, actor.user_id, actor.registry_roles, actor.org_roles,
                 scope)


@pytest.mark.parametrize(("scope", "read", "write", "issue"), [
    (Scope.READ, True, False, False),
    (Scope.WRITE, True, True, False),
    (Scope.ISSUE, True, False, True),
])
def test_a_tokens_scope_limits_what_its_roles_allow(scope: Scope, read: bool, write: bool,
                                                    issue: bool) -> None:
    actor = with_scope(user_actor_with_all_of_org_a(), scope)
    assert decide(actor, A.READ_RECORD, private(A.READ_RECORD)).allowed is read
    assert decide(actor, A.EDIT_RECORD, private(A.EDIT_RECORD)).allowed is write
    assert decide(actor, A.ISSUE_BADGE, private(A.ISSUE_BADGE)).allowed is issue


def user_actor_with_all_of_org_a() -> Actor:
    editor, issuer = ACTORS["editor_a"], ACTORS["issuer_a"]
    roles = {ORG_A: editor.org_roles[ORG_A] | issuer.org_roles[ORG_A]}
    return Actor(editor.kind, editor.name, editor.user_id, org_roles=roles)


def test_require_hides_a_draft_as_not_found() -> None:
    with pytest.raises(NotFound):
        require(ACTORS["editor_b"], A.READ_RECORD, private(A.READ_RECORD))


def test_require_asks_anonymous_visitors_to_sign_in() -> None:
    with pytest.raises(Unauthenticated):
        require(ACTORS["anonymous"], A.CREATE_RECORD, private(A.CREATE_RECORD))


def test_require_forbids_a_user_without_the_role() -> None:
    with pytest.raises(Forbidden, match="may not approve record"):
        require(ACTORS["editor_a"], A.APPROVE_RECORD, private(A.APPROVE_RECORD))


def test_require_returns_when_allowed() -> None:
    require(ACTORS["reviewer"], A.APPROVE_RECORD, private(A.APPROVE_RECORD))
