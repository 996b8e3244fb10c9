"""Portal fixtures: micro-credentials built from the README example, stored and published."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from account_fixtures import bearer, new_user, portal_sign_in
from credstack.api.app import create_app
from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry import service
from credstack.registry.files import load_record
from credstack.store.unit_of_work import Database

Variant = Callable[..., MicroCredential]
__all__ = ["bearer", "new_user", "portal_sign_in"]  # the fixtures, for this folder's tests


@pytest.fixture
def example(example_path: Path) -> MicroCredential:
    """The README's complete example record (Royal Roads, 28 hours, CAD 695, blended)."""
    return load_record(example_path)


@pytest.fixture
def variant(example: MicroCredential) -> Variant:
    """A copy of the example with top-level elements replaced (validated again)."""

    def make(credential_id: str, **changes: Any) -> MicroCredential:
        document = example.to_document()
        document["id"] = credential_id
        for key, value in changes.items():
            if value is None:
                document.pop(key, None)
            else:
                document[key] = value
        return MicroCredential.model_validate(document)

    return make


Store = Callable[..., None]


def _store(database: Database, record: MicroCredential, *,
           status: LifecycleStatus = LifecycleStatus.PUBLISHED) -> None:
    """Save ``record`` and move it to ``status`` through the lifecycle (no quality gate)."""
    with database.unit_of_work() as session:
        service.save(session, record=record, actor="test")
        path = {
            LifecycleStatus.DRAFT: [],
            LifecycleStatus.SUBMITTED: [LifecycleStatus.SUBMITTED],
            LifecycleStatus.PUBLISHED: [LifecycleStatus.SUBMITTED, LifecycleStatus.PUBLISHED],
            LifecycleStatus.RETIRED: [LifecycleStatus.RETIRED],
        }[status]
        for target in path:
            service.transition(session, credential_id=record.id, target=target, actor="test",
                               publish_gate=None)


@pytest.fixture
def store(database: Database) -> Store:
    """Save a record in the test database and move it to a status (default: published)."""

    def save(record: MicroCredential, *,
             status: LifecycleStatus = LifecycleStatus.PUBLISHED) -> None:
        _store(database, record, status=status)

    return save


ONLINE = {"mode": "online", "engagement": "asynchronous"}
EFFORT_10 = {"asynchronous_hours": 8, "assessment_hours": 2, "total_hours": 10}


@pytest.fixture
def portal(database: Database, example: MicroCredential, variant: Variant,
           store: Store) -> Iterator[TestClient]:
    """A client of the app over a registry of three published records and one draft."""
    store(example)
    store(variant(
        "ubc-data-basics", title="Data Analysis Basics",
        provider={"issuer": {"id": "ubc", "name": "University of British Columbia",
                             "country": "CA", "region": "CA-BC", "type": "university"}},
        delivery_mode=ONLINE, learner_effort=EFFORT_10,
        price={"amount": 300, "currency": "CAD", "tax_included": False},
    ))
    store(variant(
        "setu-climate-policy", title="Climate Policy in Practice",
        provider={"issuer": {"id": "setu", "name": "South East Technological University",
                             "country": "IE", "type": "university"}},
        language=["en-IE"], jurisdiction=["IE"], credits=[{"system": "ects", "value": 5}],
        qualification_levels=[{"framework": "nfq_ie", "level": 9}],
        price={"amount": 1200, "currency": "EUR", "tax_included": True},
    ))
    store(variant("draft-course", title="Unpublished Draft Course"),
          status=LifecycleStatus.DRAFT)
    with TestClient(create_app(database)) as client:
        yield client
