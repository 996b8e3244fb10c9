"""Providers: first-class entities shared by the records that name them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from credstack.errors import NotFound
from credstack.registry.prepared import PreparedRecord
from credstack.registry.query import PUBLIC_STATUSES
from credstack.store.tables.registry import CredentialRow, ProviderRow


def _provider_values(provider_id: str, details: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "id": provider_id,
        "name": details["name"],
        "country": details["country"],
        "region": details.get("region"),
        "type": details["type"],
        "document": details,
        "updated_at": now,
    }


def upsert_providers(session: Session, prepared: Sequence[PreparedRecord], now: datetime) -> None:
    """Insert the providers the records name, and update those whose details changed."""
    providers: dict[str, dict[str, Any]] = {}
    for item in prepared:
        issuer_id, issuer = item.providers[0]
        providers[issuer_id] = issuer
        for provider_id, details in item.providers[1:]:
            providers.setdefault(provider_id, details)
    stored: dict[str, Any] = {
        key: document
        for key, document in session.execute(
            select(ProviderRow.id, ProviderRow.document).where(ProviderRow.id.in_(list(providers)))
        )
    }
    connection = session.connection()
    new = [
        _provider_values(key, details, now)
        for key, details in providers.items()
        if key not in stored
    ]
    if new:
        connection.execute(insert(ProviderRow), new)
    for key, document in stored.items():
        # The latest record naming a provider is the latest word on its details.
        if providers[key] != document:
            values = _provider_values(key, providers[key], now)
            connection.execute(update(ProviderRow).where(ProviderRow.id == key).values(**values))


def list_providers(
    session: Session, *, visible_providers: frozenset[str] | None = None
) -> list[dict[str, Any]]:
    """Every provider with the number of records it issues.

    With ``visible_providers`` (what a searcher may see, as ``SearchRequest`` has it) the
    counts leave out unpublished records of every other provider: a draft that the
    reader may not see counts nowhere."""
    query = select(CredentialRow.provider_id, func.count()).group_by(CredentialRow.provider_id)
    if visible_providers is not None:
        query = query.where(or_(
            CredentialRow.status.in_([status.value for status in PUBLIC_STATUSES]),
            CredentialRow.provider_id.in_(sorted(visible_providers)),
        ))
    counts: dict[str, int] = {
        provider_id: int(count) for provider_id, count in session.execute(query)
    }
    rows = session.scalars(select(ProviderRow).order_by(ProviderRow.name))
    return [{**row.document, "credentials": int(counts.get(row.id, 0))} for row in rows]


def get_provider(session: Session, *, provider_id: str) -> dict[str, Any]:
    """One provider's details."""
    row = session.get(ProviderRow, provider_id)
    if row is None:
        raise NotFound(f"no provider with id '{provider_id}'")
    return dict(row.document)
