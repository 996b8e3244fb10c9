"""Who may call what: every API operation of the OpenAPI document, called as every kind of
actor, answers the status issue 9 prescribes.

The expectations are written out below, one row per operation (and per resource state
where that matters), NOT computed from the policy module: the table is the specification
the policy and its wiring are checked against. An operation of the document without a
row fails the test ("new endpoint without a policy"). Columns, in ``PERSONAS`` order:

    anon    no credentials
    learner a user without roles; owns the learner ``ada``'s wallet and assessments
    editor  editor of organization A (the records' provider, royal-roads-university)
    other   editor of organization B (pics-climate)
    review  the registry reviewer
    issuer  issuer of A (its token has scope ``issue``; everyone else's ``write``)
    assess  assessor of A
    oadmin  org admin of A
    admin   registry admin
    endors  endorser of B

Statuses: 401 without credentials, 403 signed in without the role, 404 for what the
actor may not even see (a draft, another learner's data), so its existence does not leak.

Where the code answers otherwise than the issue, the cell is listed in ``GAPS`` with the
status it gives today: those cells are expected to fail (strict), so fixing the code
makes them pass and the entry must go. Every gap is a defect to report, not a wrong
expectation to encode.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from argon2 import PasswordHasher, Type
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from credstack.accounts import passwords, service, tokens
from credstack.accounts.model import Actor, OrgRole, RegistryRole, Scope
from credstack.api.app import create_app
from credstack.badges.issuer_store import init_issuer
from credstack.config import Settings
from credstack.registry.files import load_record
from credstack.registry.prepared import prepare
from credstack.registry.providers import upsert_providers
from credstack.store.unit_of_work import Database
from framework_fixtures import case_package

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "rru-climate-adaptation-foundations.yaml"
RUBRIC = REPO / "src" / "credstack" / "assess" / "examples" / "rru-caf-foundations-rubric.yaml"
ORG_A = "royal-roads-university"
ORG_B = "pics-climate"
PUBLISHED = "rru-caf-foundations-climate-adaptation"
OPERATOR = Actor.system("matrix")
PASSWORD = "matrix password 0123456789"
STANDARD = "bc-assessment-standard"

PERSONAS = ("anon", "learner", "editor", "other", "review", "issuer", "assess", "oadmin",
            "admin", "endors")
# Each persona's roles: registry roles, (organization, role) memberships, token scope.
ROLES: dict[str, tuple[tuple[RegistryRole, ...], tuple[tuple[str, OrgRole], ...], Scope]] = {
    "learner": ((), (), Scope.WRITE),
    "editor": ((), ((ORG_A, OrgRole.EDITOR),), Scope.WRITE),
    "other": ((), ((ORG_B, OrgRole.EDITOR),), Scope.WRITE),
    "review": ((RegistryRole.REVIEWER,), (), Scope.WRITE),
    "issuer": ((), ((ORG_A, OrgRole.ISSUER),), Scope.ISSUE),
    "assess": ((), ((ORG_A, OrgRole.ASSESSOR),), Scope.WRITE),
    "oadmin": ((), ((ORG_A, OrgRole.ORG_ADMIN),), Scope.WRITE),
    "admin": ((RegistryRole.ADMIN,), (), Scope.WRITE),
    "endors": ((), ((ORG_B, OrgRole.ENDORSER),), Scope.WRITE),
}


def _plain(value: Any) -> Any:
    """YAML data as a JSON body carries it (dates as ISO strings)."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()
                                 if isinstance(v, date) else str(v)))


RECORD = _plain(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
RUBRIC_DOCUMENT = _plain(yaml.safe_load(RUBRIC.read_text(encoding="utf-8")))
ASSESSMENT = _plain(yaml.safe_load(
    (REPO / "examples" / "rru-caf-foundations-assessment.yaml").read_text(encoding="utf-8")))


@dataclass
class Call:
    """One request: method, path (with query) and body (JSON, or text of ``content_type``)."""

    method: str
    path: str
    body: Any = None
    content_type: str = "application/json"


@dataclass
class World:
    """The registry every call acts on, and fresh resources for calls that change one."""

    client: TestClient
    tokens: dict[str, str]
    ids: dict[str, Any] = field(default_factory=dict)  # of the resources set up once
    counter: Iterator[int] = field(default_factory=itertools.count)

    def call(self, persona: str, call: Call) -> int:
        headers = {} if persona == "anon" else {"Authorization": f"Bearer {self.tokens[persona]}"}
        return self._send(call, headers).status_code

    def _send(self, call: Call, headers: dict[str, str]) -> Any:
        if isinstance(call.body, str):
            return self.client.request(call.method, call.path, content=call.body,
                                       headers={**headers, "Content-Type": call.content_type})
        return self.client.request(call.method, call.path, json=call.body, headers=headers)

    def ok(self, persona: str, call: Call, expected: int) -> dict[str, Any]:
        """Make ``call`` as ``persona`` during set-up; it must answer ``expected``."""
        response = self._send(call, {"Authorization": f"Bearer {self.tokens[persona]}"})
        assert response.status_code == expected, f"set-up {call}: {response.text}"
        answer: dict[str, Any] = response.json() if response.content else {}
        return answer

    def unique(self, stem: str) -> str:
        return f"{stem}-{next(self.counter)}"

    def draft(self) -> str:
        """A new draft record of organization A, written by its editor."""
        record = copy.deepcopy(RECORD)
        record["id"] = self.unique("matrix-draft")
        self.ok("editor", Call("POST", "/api/v1/credentials", record), 201)
        return str(record["id"])

    def submitted(self) -> str:
        """A new record of organization A, submitted for review by its editor."""
        credential_id = self.draft()
        self.ok("editor", Call("POST", f"/api/v1/credentials/{credential_id}/status",
                               {"status": "submitted"}), 200)
        return credential_id

    def learner(self) -> str:
        """A new learner of A, added by its assessor."""
        learner = self.unique("learner")
        self.ok("assess", Call("POST", "/api/v1/learners",
                               {"id": learner, "organization": ORG_A}), 201)
        return learner

    def assessment(self) -> str:
        """A new learner's competent assessment, recorded by A's assessor."""
        return str(self.ok("assess", Call("POST", "/api/v1/assessments",
                                          assessment_data(self.learner())), 201)["id"])

    def badge(self) -> str:
        """A badge issued by A's issuer for a new competent assessment."""
        issued = self.ok("issuer", Call("POST", "/api/v1/badges",
                                        {"assessment_id": self.assessment()}), 201)
        return str(issued["badge"]["id"])

    def share_link(self) -> dict[str, Any]:
        """A new share link of ada's badge, made by the learner."""
        return self.ok("learner", Call("POST", f"{V1}/wallet/share-links",
                                       {"badge_ids": [self.ids["badge"]]}), 201)

    def own_token(self, persona: str) -> str:
        """The id of a second token of ``persona`` (to revoke)."""
        if persona == "anon":
            return "no-such-token"
        with self.client.app.state.database.unit_of_work() as session:  # type: ignore[attr-defined]
            email = f"{persona}@matrix.example.org"
            made = tokens.create(session, email=email, name="spare", scope=Scope.READ,
                                 lifetime=None, actor=OPERATOR)
        return str(made[0].id)


def assessment_data(learner: str) -> dict[str, Any]:
    """The README's competent assessment on the example rubric, of ``learner``."""
    return {**ASSESSMENT, "learner": learner}


def _new_record(world: World, persona: str) -> Call:
    record = copy.deepcopy(RECORD)
    record["id"] = world.unique(f"matrix-new-{persona}")
    return Call("POST", "/api/v1/credentials", record)


def _edit(world: World, persona: str) -> Call:
    credential_id = world.draft()
    record = copy.deepcopy(RECORD)
    record["id"] = credential_id
    record["title"] = f"{record['title']} (revised)"
    return Call("PUT", f"/api/v1/credentials/{credential_id}", record)


def _framework_import(world: World, persona: str) -> Call:
    package = case_package()
    number = next(world.counter)
    package["CFDocument"]["identifier"] = f"d0000000-0000-4000-8000-{number:012d}"
    package["CFDocument"]["uri"] = f"https://example.org/case/doc-{number}"
    return Call("POST", "/api/v1/competency-frameworks/import/case", package)


def _rubric(world: World, persona: str) -> Call:
    rubric = copy.deepcopy(RUBRIC_DOCUMENT)
    rubric["id"] = world.unique(f"matrix-rubric-{persona}")
    return Call("POST", "/api/v1/rubrics", rubric)


def _alignment(world: World, persona: str) -> Call:
    return Call("POST", f"/api/v1/credentials/{PUBLISHED}/alignments", {
        "outcome_id": "record", "uri": "https://example.org/case/i2", "status": "rejected",
        "reviewer": persona, "framework": world.ids["framework"]})


def _reimport(fmt: str) -> Callable[[World, str], Call]:
    """Import, in ``fmt``, what a new draft of A exports as (read by its editor)."""
    def request(world: World, persona: str) -> Call:
        exported = world.ok("editor", Call(
            "GET", f"{V1}/interop/{fmt}/credentials/{world.draft()}"), 200)
        return Call("POST", f"{V1}/interop/{fmt}/import", exported)

    return request


def _csv_import(world: World, persona: str) -> Call:
    template = world.client.get(f"{V1}/interop/csv/template").text
    header, example = template.split("\n", 1)
    assert example.startswith(f"{PUBLISHED},")
    new_id = world.unique(f"matrix-csv-{persona}")
    return Call("POST", f"{V1}/interop/csv/import", f"{header}\n{new_id}{example[len(PUBLISHED):]}",
                content_type="text/csv")


Request = Callable[[World, str], Call]


def _get(path: str) -> Request:
    return lambda world, persona: Call("GET", path.format(**world.ids))


def _post(path: str, body: Any) -> Request:
    return lambda world, persona: Call("POST", path.format(**world.ids), body)


@dataclass(frozen=True)
class Row:
    """One line of the table: an operation on one resource, the request, and the statuses."""

    operation: str  # "METHOD /path" exactly as the OpenAPI document names it
    case: str  # what the call acts on
    request: Request
    expected: tuple[int, ...]  # one per persona, in PERSONAS order

    @property
    def name(self) -> str:
        return f"{self.operation} [{self.case}]"


def row(operation: str, case: str, request: Request, statuses: str) -> Row:
    """A table row; ``statuses`` has one number per persona, in PERSONAS order."""
    expected = tuple(int(status) for status in statuses.split())
    assert len(expected) == len(PERSONAS), f"{operation}: {len(expected)} statuses"
    return Row(operation, case, request, expected)


V1 = "/api/v1"
# Hidden from all but those who may see a draft of A: its staff, the reviewer, the admin.
SEES_DRAFT = "404 404 200 404 200 200 200 200 200 404"
# Statuses in PERSONAS order: anon learner editor other review issuer assess oadmin admin endors
TABLE: tuple[Row, ...] = (
    # Registry: anyone reads what is published; drafts are their organization's and the
    # reviewer's; editors and org admins write; only the reviewer publishes.
    row("GET /api/v1/credentials", "search", _get(V1 + "/credentials?q=climate"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("POST /api/v1/credentials", "a new record of A", _new_record,
        "401 403 201 403 403 403 403 201 201 403"),
    row("GET /api/v1/credentials/{credential_id}", "published",
        _get(V1 + "/credentials/{published}"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/credentials/{credential_id}", "draft of A",
        _get(V1 + "/credentials/{draft}"), SEES_DRAFT),
    row("PUT /api/v1/credentials/{credential_id}", "draft of A", _edit,
        "404 404 200 404 403 403 403 200 403 404"),
    row("GET /api/v1/credentials/{credential_id}/versions", "draft of A",
        _get(V1 + "/credentials/{draft}/versions"), SEES_DRAFT),
    row("GET /api/v1/credentials/{credential_id}/status", "draft of A",
        _get(V1 + "/credentials/{draft}/status"), SEES_DRAFT),
    row("GET /api/v1/credentials/{credential_id}/status", "submitted of A",
        _get(V1 + "/credentials/{submitted}/status"), SEES_DRAFT),
    row("POST /api/v1/credentials/{credential_id}/status", "submit a draft of A",
        lambda world, persona: Call("POST", f"{V1}/credentials/{world.draft()}/status",
                                    {"status": "submitted"}),
        "404 404 200 404 403 403 403 200 403 404"),
    row("POST /api/v1/credentials/{credential_id}/status", "approve a submitted record of A",
        lambda world, persona: Call("POST", f"{V1}/credentials/{world.submitted()}/status",
                                    {"status": "published"}),
        "404 404 403 404 200 403 403 403 403 404"),
    # The review workflow: the queue is the reviewers' (and the admin's, who reads it);
    # deciding is the reviewer's alone.
    row("GET /api/v1/review-queue", "submitted records", _get(V1 + "/review-queue"),
        "401 403 403 403 200 403 403 403 200 403"),
    row("POST /api/v1/credentials/{credential_id}/review", "approve a submitted record of A",
        lambda world, persona: Call("POST", f"{V1}/credentials/{world.submitted()}/review",
                                    {"decision": "approve"}),
        "404 404 403 404 200 403 403 403 403 404"),
    row("POST /api/v1/credentials/{credential_id}/review", "return a submitted record of A",
        lambda world, persona: Call("POST", f"{V1}/credentials/{world.submitted()}/review",
                                    {"decision": "return", "comments": "Name the assessor."}),
        "404 404 403 404 200 403 403 403 403 404"),
    row("GET /api/v1/providers", "all", _get(V1 + "/providers"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/providers/{provider_id}", "A", _get(V1 + f"/providers/{ORG_A}"),
        "200 200 200 200 200 200 200 200 200 200"),
    # Quality: rule sets and compliance of published records are public; checking a
    # posted document is for signed-in users.
    row("GET /api/v1/frameworks", "rule sets", _get(V1 + "/frameworks"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/frameworks/{framework_id}", "the BC standard",
        _get(V1 + f"/frameworks/{STANDARD}"), "200 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/credentials/{credential_id}/compliance", "published",
        _get(V1 + "/credentials/{published}/compliance"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/credentials/{credential_id}/compliance", "draft of A",
        _get(V1 + "/credentials/{draft}/compliance"), SEES_DRAFT),
    row("POST /api/v1/compliance", "a posted record", _post(V1 + "/compliance", RECORD),
        "401 200 200 200 200 200 200 200 200 200"),
    # Competency frameworks: public reference data; the registry admin imports them.
    row("GET /api/v1/competency-frameworks", "all", _get(V1 + "/competency-frameworks"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/competency-frameworks/{framework_id}", "imported",
        _get(V1 + "/competency-frameworks/{framework}"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/competency-frameworks/{framework_id}/case", "imported",
        _get(V1 + "/competency-frameworks/{framework}/case"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("POST /api/v1/competency-frameworks/import/{kind}", "a CASE package", _framework_import,
        "401 403 403 403 403 403 403 403 201 403"),
    # Alignment: suggestions for posted text are for signed-in users; a record's
    # suggestions are as visible as the record; accepting one is its editors' work.
    row("POST /api/v1/align", "posted statements",
        lambda world, persona: Call("POST", f"{V1}/align", {
            "statements": ["Clean and validate data sets"], "framework": world.ids["framework"]}),
        "401 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/credentials/{credential_id}/alignment-suggestions", "published",
        _get(V1 + "/credentials/{published}/alignment-suggestions?framework={framework}"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("POST /api/v1/credentials/{credential_id}/alignments", "published record of A", _alignment,
        "401 403 200 403 403 403 403 200 403 403"),
    # Assessment: rubrics are the organization's staff's; learner data is the learner's,
    # the assessing organization's and the registry admin's only.
    row("POST /api/v1/rubrics", "a rubric of A's record", _rubric,
        "401 403 201 403 403 403 201 201 403 403"),
    row("GET /api/v1/rubrics", "all (each sees what they may)", _get(V1 + "/rubrics"),
        "401 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/rubrics/{rubric_id}", "A's rubric", _get(V1 + "/rubrics/{rubric}"),
        "401 403 200 403 200 200 200 200 200 403"),
    row("POST /api/v1/learners", "a new learner",
        lambda world, persona: Call("POST", f"{V1}/learners", {
            "id": world.unique("new"), "organization": ORG_A}),
        "401 403 403 403 403 403 201 201 201 403"),
    row("GET /api/v1/learners/{learner_id}", "ada (the learner's)", _get(V1 + "/learners/ada"),
        "404 200 404 404 404 404 200 200 200 404"),
    row("POST /api/v1/assessments", "a new learner's assessment on A's record",
        lambda world, persona: Call("POST", f"{V1}/assessments",
                                    assessment_data(world.learner())),
        "401 403 403 403 403 403 201 403 403 403"),
    row("GET /api/v1/assessments", "all (each sees what they may)", _get(V1 + "/assessments"),
        "401 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/assessments/{assessment_id}", "ada's, by A",
        _get(V1 + "/assessments/{assessment}"),
        "404 200 404 404 404 404 200 200 200 404"),
    # Badges: A's issuer issues and revokes with A's keys; a badge is its learner's, its
    # issuer's and the admin's; verifying and endorsements are public.
    row("POST /api/v1/badges", "a competent assessment by A",
        lambda world, persona: Call("POST", f"{V1}/badges",
                                    {"assessment_id": world.assessment()}),
        "401 403 403 403 403 201 403 403 403 403"),
    row("POST /api/v1/badges/cohort", "A's published record",
        lambda world, persona: Call("POST", f"{V1}/badges/cohort", {
            "credential_id": PUBLISHED}),
        "401 403 403 403 403 201 403 403 403 403"),
    row("GET /api/v1/badges/{badge_id}", "ada's, by A", _get(V1 + "/badges/{badge}"),
        "404 200 404 404 404 200 404 200 200 404"),
    row("POST /api/v1/badges/{badge_id}/status", "revoke one by A",
        lambda world, persona: Call("POST", f"{V1}/badges/{world.badge()}/status",
                                    {"reason": "matrix"}),
        "404 404 404 404 404 200 404 403 403 404"),
    row("GET /api/v1/learners/{learner_id}/badges", "ada's wallet",
        _get(V1 + "/learners/ada/badges"), "404 200 404 404 404 404 404 404 200 404"),
    row("GET /api/v1/learners/{learner_id}/clr", "ada's wallet",
        _get(V1 + "/learners/ada/clr"), "404 200 404 404 404 404 404 404 200 404"),
    row("POST /api/v1/endorsements", "A's record, as B",
        _post(V1 + "/endorsements", {"credential_id": PUBLISHED, "endorser": ORG_B,
                                     "comment": "Recognised by our members."}),
        "401 403 403 403 403 403 403 403 403 201"),
    row("GET /api/v1/endorsements", "of A's record",
        _get(V1 + f"/endorsements?credential={PUBLISHED}"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("POST /api/v1/verify", "ada's badge",
        lambda world, persona: Call("POST", f"{V1}/verify", world.ids["badge_document"]),
        "200 200 200 200 200 200 200 200 200 200"),
    # Interoperability: exports are as visible as the record; imports are bulk loads of
    # any provider's records, the registry admin's.
    row("GET /api/v1/interop/csv/template", "the template", _get(V1 + "/interop/csv/template"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/interop/ctdl/credentials/{credential_id}", "published",
        _get(V1 + "/interop/ctdl/credentials/{published}"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/interop/ctdl/credentials/{credential_id}", "draft of A",
        _get(V1 + "/interop/ctdl/credentials/{draft}"), SEES_DRAFT),
    row("GET /api/v1/interop/elm/credentials/{credential_id}", "published",
        _get(V1 + "/interop/elm/credentials/{published}"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/interop/elm/credentials/{credential_id}", "draft of A",
        _get(V1 + "/interop/elm/credentials/{draft}"), SEES_DRAFT),
    # Importing an existing draft is a new version of it (as PUT, but a registry admin may
    # import any record); a new record in a CSV is created by its organization's authors.
    row("POST /api/v1/interop/ctdl/import", "a draft of A, exported", _reimport("ctdl"),
        "404 404 200 404 403 403 403 200 200 404"),
    row("POST /api/v1/interop/elm/import", "a draft of A, exported", _reimport("elm"),
        "404 404 200 404 403 403 403 200 200 404"),
    row("POST /api/v1/interop/csv/import", "a new record of A", _csv_import,
        "401 403 200 403 403 403 403 200 200 403"),
    # Wallets: every user is a learner who owns a wallet (an empty one until a badge is
    # theirs); what a learner shares is public.
    row("GET /api/v1/wallet", "own", _get(V1 + "/wallet"),
        "401 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/wallet/share-links", "own", _get(V1 + "/wallet/share-links"),
        "401 200 200 200 200 200 200 200 200 200"),
    row("POST /api/v1/wallet/share-links", "ada's badge",
        lambda world, persona: Call("POST", f"{V1}/wallet/share-links",
                                    {"badge_ids": [world.ids["badge"]]}),
        # Another learner's badge is not in one's own (empty) wallet; the issuer's token
        # has the issue scope, which does not write a wallet.
        "401 201 422 422 422 403 422 422 422 422"),
    row("POST /api/v1/wallet/share-links/{link_id}/revoke", "a link of ada's",
        lambda world, persona: Call(
            "POST", f"{V1}/wallet/share-links/{world.share_link()['id']}/revoke"),
        "401 200 404 404 404 403 404 404 404 404"),
    row("PUT /api/v1/wallet/profile", "own",
        lambda world, persona: Call("PUT", f"{V1}/wallet/profile", {"enabled": True}),
        "401 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/shared/{secret}", "ada's link", _get(V1 + "/shared/{shared}"),
        "200 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/profiles/{handle}", "ada's profile", _get(V1 + "/profiles/{profile}"),
        "200 200 200 200 200 200 200 200 200 200"),
    # One's own account; the audit log is the org admin's (their organization) and the
    # registry admin's. The issuer's token has scope issue, which does not write.
    row("GET /api/v1/me", "self", _get(V1 + "/me"),
        "401 200 200 200 200 200 200 200 200 200"),
    row("GET /api/v1/me/tokens", "own", _get(V1 + "/me/tokens"),
        "401 200 200 200 200 200 200 200 200 200"),
    row("POST /api/v1/me/tokens", "own", _post(V1 + "/me/tokens", {"name": "x", "scope": "read"}),
        "401 201 201 201 201 403 201 201 201 201"),
    row("DELETE /api/v1/me/tokens/{token_id}", "own",
        lambda world, persona: Call("DELETE", f"{V1}/me/tokens/{world.own_token(persona)}"),
        "401 200 200 200 200 403 200 200 200 200"),
    row("GET /api/v1/audit", "A's entries", _get(V1 + f"/audit?organization={ORG_A}"),
        "401 403 403 403 403 403 403 200 200 403"),
    row("GET /api/v1/audit.csv", "A's entries", _get(V1 + f"/audit.csv?organization={ORG_A}"),
        "401 403 403 403 403 403 403 200 200 403"),
)

# Cells where today's code answers otherwise than issue 9 (operation [case], persona):
# the status it gives now. Each is a defect; fixing it makes the cell pass, and then
# the entry must go (the cells are strict expected failures).
def _gaps(name: str, **statuses: int) -> dict[tuple[str, str], int]:
    return {(name, persona): status for persona, status in statuses.items()}


GAPS: dict[tuple[str, str], int] = {
}


def _operations_of_the_document() -> set[str]:
    app = create_app(Database.__new__(Database), Settings(database_url="sqlite://"))
    return {f"{method.upper()} {path}" for path, item in app.openapi()["paths"].items()
            for method in item}


def test_every_operation_of_the_openapi_document_has_a_row() -> None:
    missing = _operations_of_the_document() - {row.operation for row in TABLE}
    assert not missing, f"new endpoints without a policy row: {sorted(missing)}"


def test_every_row_names_an_operation_of_the_document() -> None:
    stale = {row.operation for row in TABLE} - _operations_of_the_document()
    assert not stale, f"rows of operations the API no longer has: {sorted(stale)}"


def test_every_gap_names_a_cell_of_the_table() -> None:
    cells = {(row.name, persona) for row in TABLE for persona in PERSONAS}
    assert not set(GAPS) - cells, sorted(set(GAPS) - cells)


@pytest.fixture(scope="module")
def world(module_database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Users of every persona with tokens; a published, a draft and a submitted record of
    A; a rubric; learner ada (the learner's) with an assessment and a badge; A and B set
    up to sign; an imported competency framework."""
    cheap = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER", cheap)
        secrets = _personas(module_database)
    key_dir = tmp_path_factory.mktemp("keys")
    with module_database.unit_of_work() as session:
        for organization in (ORG_A, ORG_B):
            init_issuer(session, provider_id=organization, key_dir=key_dir, actor=OPERATOR)
    client = TestClient(create_app(module_database, Settings(database_url="unused",
                                                             publish_standard=STANDARD)))
    world = World(client, secrets)
    world.ids["published"] = PUBLISHED
    world.ok("editor", Call("POST", f"{V1}/credentials", RECORD), 201)
    world.ok("editor", Call("POST", f"{V1}/credentials/{PUBLISHED}/status",
                            {"status": "submitted"}), 200)
    world.ok("review", Call("POST", f"{V1}/credentials/{PUBLISHED}/status",
                            {"status": "published"}), 200)
    world.ids["draft"] = world.draft()
    world.ids["submitted"] = world.submitted()
    world.ids["rubric"] = world.ok("assess", Call("POST", f"{V1}/rubrics", RUBRIC_DOCUMENT),
                                   201)["id"]
    world.ok("assess", Call("POST", f"{V1}/learners", {
        "id": "ada", "email": "ada@example.org", "account": "learner@matrix.example.org",
        "organization": ORG_A}), 201)
    world.ids["assessment"] = world.ok(
        "assess", Call("POST", f"{V1}/assessments", assessment_data("ada")), 201)["id"]
    issued = world.ok("issuer", Call("POST", f"{V1}/badges",
                                     {"assessment_id": world.ids["assessment"]}), 201)
    world.ids["badge"] = issued["badge"]["id"]
    world.ids["badge_document"] = issued["credential"]
    world.ids["shared"] = world.share_link()["secret"]
    profile = world.ok("learner", Call("PUT", f"{V1}/wallet/profile", {"enabled": True}), 200)
    world.ids["profile"] = profile["path"].rsplit("/", 1)[1]
    world.ids["framework"] = world.ok(
        "admin", Call("POST", f"{V1}/competency-frameworks/import/case", case_package()),
        201)["framework_id"]
    yield world


def _personas(database: Database) -> dict[str, str]:
    """A user and an API token per signed-in persona; the tokens' secrets."""
    secrets: dict[str, str] = {}
    with database.unit_of_work() as session:
        _providers(session)
        for persona, (registry_roles, memberships, scope) in ROLES.items():
            email = f"{persona}@matrix.example.org"
            service.add_user(session, email=email, display_name=None, password=PASSWORD,
                             registry_roles=registry_roles, actor=OPERATOR)
            for organization, role in memberships:
                service.add_member(session, email=email, organization_id=organization,
                                   role=role, actor=OPERATOR)
            secrets[persona] = tokens.create(session, email=email, name="matrix", scope=scope,
                                             lifetime=None, actor=OPERATOR)[1]
    return secrets


def _providers(session: Session) -> None:
    """Organizations A and B as providers (the example record names both), so that
    members can be added before the record is written."""
    upsert_providers(session, [prepare(load_record(EXAMPLE))], datetime.now(UTC))


CELLS = [pytest.param(row, persona, expected, id=f"{row.name}-{persona}",
                      marks=[pytest.mark.xfail(strict=True, reason=f"issue 9 gap: answers "
                                               f"{GAPS[(row.name, persona)]}")]
                      if (row.name, persona) in GAPS else [])
         for row in TABLE for persona, expected in zip(PERSONAS, row.expected, strict=True)]


@pytest.mark.parametrize(("row", "persona", "expected"), CELLS)
def test_operation_answers_the_persona_as_issue_9_says(world: World, row: Row, persona: str,
                                                      expected: int) -> None:
    status = world.call(persona, row.request(world, persona))
    assert status == expected, f"{row.name} as {persona}: {status}, expected {expected}"


@pytest.mark.parametrize(("persona", "sees_adas"), [
    ("learner", True), ("assess", True), ("oadmin", True), ("admin", True),
    ("editor", False), ("other", False), ("review", False), ("issuer", False),
    ("endors", False)])
def test_assessment_list_shows_only_what_the_persona_may_see(world: World, persona: str,
                                                              sees_adas: bool) -> None:
    """Lists answer 200 to every signed-in user, with only what each may see."""
    headers = {"Authorization": f"Bearer {world.tokens[persona]}"}
    listed = world.client.get(f"{V1}/assessments", headers=headers).json()
    assert (world.ids["assessment"] in {item["id"] for item in listed}) is sees_adas
    if persona == "learner":
        assert {item["learner"] for item in listed} == {"ada"}
