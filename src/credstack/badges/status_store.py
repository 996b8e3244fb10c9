"""Bitstring Status Lists in storage: allocate a bit per badge, flip it, publish the list.

One list per issuer DID and purpose (W3C Bitstring Status List v1.0 section 2.1): a
status list credential must be issued by the credential's own issuer, so after a
did:key rotation new badges get a new list. Indexes are drawn at random among the free
ones (section 6.1, "herd privacy": a sequential index would leak issuance order). The
signed list credential is stored and re-signed only when a bit changes, so serving it
needs no private key.

Functions take the session as a keyword and never commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from credstack.badges.issuer_store import IssuerInfo, KeyRing
from credstack.badges.proof import sign_data_integrity
from credstack.badges.status import MINIMUM_LENGTH, StatusList, status_list_credential
from credstack.errors import NotFound
from credstack.store.tables.badges import IssuedBadgeRow, StatusListRow

# Leave a tenth of each list unused so random draws stay cheap and indexes well spread.
FILL_LIMIT = 0.9


def _now() -> datetime:
    return datetime.now(UTC)


def list_url(base_url: str, list_id: str) -> str:
    """Where a status list credential is published."""
    return f"{base_url}/status/{list_id}"


def _sign(
    session: Session, row: StatusListRow, status_list: StatusList, keys: KeyRing
) -> dict[str, Any]:
    unsigned = status_list_credential(
        list_id=row.url,
        issuer=row.issuer_did,
        purpose=row.purpose,
        status_list=status_list,
        valid_from=_now(),
    )
    key = keys.signing_key(session, provider_id=row.provider_id, did=row.issuer_did)
    return sign_data_integrity(unsigned, key)


def _new_list(
    session: Session, *, issuer: IssuerInfo, did: str, purpose: str, keys: KeyRing
) -> StatusListRow:
    count = (
        session.scalar(
            select(func.count())
            .select_from(StatusListRow)
            .where(StatusListRow.provider_id == issuer.provider_id)
        )
        or 0
    )
    list_id = f"{issuer.provider_id}-{purpose}-{count + 1}"
    status_list = StatusList(MINIMUM_LENGTH)
    row = StatusListRow(
        id=list_id,
        provider_id=issuer.provider_id,
        issuer_did=did,
        purpose=purpose,
        url=list_url(issuer.base_url, list_id),
        length=status_list.length,
        bits=bytes(status_list.length // 8),
        used=0,
        credential={},
        updated_at=_now(),
    )
    row.credential = _sign(session, row, status_list, keys)
    session.add(row)
    session.flush()
    return row


def _open_list(
    session: Session, *, issuer: IssuerInfo, did: str, purpose: str, keys: KeyRing
) -> StatusListRow:
    for row in session.scalars(
        select(StatusListRow)
        .where(
            StatusListRow.provider_id == issuer.provider_id,
            StatusListRow.issuer_did == did,
            StatusListRow.purpose == purpose,
        )
        .order_by(StatusListRow.id)
    ):
        if row.used < int(row.length * FILL_LIMIT):
            return row
    return _new_list(session, issuer=issuer, did=did, purpose=purpose, keys=keys)


def allocate(
    session: Session,
    *,
    issuer: IssuerInfo,
    purpose: str,
    keys: KeyRing,
    count: int = 1,
) -> list[tuple[StatusListRow, int]]:
    """``count`` free (list, index) slots for new badges of ``issuer`` under its DID."""
    slots: list[tuple[StatusListRow, int]] = []
    did = issuer.did
    while len(slots) < count:
        row = _open_list(session, issuer=issuer, did=did, purpose=purpose, keys=keys)
        taken = set(
            session.scalars(
                select(IssuedBadgeRow.status_index).where(IssuedBadgeRow.status_list_id == row.id)
            )
        )
        taken.update(index for slot_row, index in slots if slot_row.id == row.id)
        room = int(row.length * FILL_LIMIT) - row.used
        granted = min(room, count - len(slots))
        for _ in range(granted):
            index = secrets.randbelow(row.length)
            while index in taken:
                index = secrets.randbelow(row.length)
            taken.add(index)
            slots.append((row, index))
        row.used += granted
        session.flush()
    return slots


def set_bit(
    session: Session, *, list_id: str, index: int, value: bool, keys: KeyRing
) -> StatusListRow:
    """Set (or clear) bit ``index`` of a list and re-sign its credential."""
    row = session.get(StatusListRow, list_id, with_for_update=True)
    if row is None:
        raise NotFound(f"no status list '{list_id}'")
    row.bits = with_bit(row.bits, index, value)
    row.credential = _sign(session, row, StatusList(row.length, row.bits), keys)
    row.updated_at = _now()
    session.flush()
    return row


def with_bit(bits: bytes, index: int, value: bool) -> bytes:
    """``bits`` with bit ``index`` set or cleared; bit 0 is the most significant bit of
    byte 0 (Bitstring Status List section 3.2)."""
    if not 0 <= index < len(bits) * 8:
        raise NotFound(f"status list index {index} is outside the list")
    data = bytearray(bits)
    mask = 1 << (7 - index % 8)
    if value:
        data[index // 8] |= mask
    else:
        data[index // 8] &= ~mask & 0xFF
    return bytes(data)


def bit(bits: bytes, index: int) -> bool:
    """Whether bit ``index`` of ``bits`` is set (same bit order as ``with_bit``)."""
    return bool(bits[index // 8] >> (7 - index % 8) & 1)


def list_credential(session: Session, *, list_id: str) -> dict[str, Any]:
    """The signed status list credential of ``list_id``; ``NotFound`` if absent."""
    row = session.get(StatusListRow, list_id)
    if row is None:
        raise NotFound(f"no status list '{list_id}'")
    return dict(row.credential)


def credential_by_url(session: Session, *, url: str) -> dict[str, Any]:
    """The signed status list credential published at ``url``; ``NotFound`` if not ours."""
    row = session.scalars(select(StatusListRow).where(StatusListRow.url == url)).first()
    if row is None:
        raise NotFound(f"status list '{url}' is not one of this registry's lists")
    return dict(row.credential)


def lists_of(
    session: Session, *, provider_ids: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Summaries of status lists (optionally of some issuers)."""
    query = select(StatusListRow)
    if provider_ids is not None:
        query = query.where(StatusListRow.provider_id.in_(list(provider_ids)))
    return [
        {
            "id": row.id,
            "provider": row.provider_id,
            "purpose": row.purpose,
            "url": row.url,
            "issuer": row.issuer_did,
            "used": row.used,
            "length": row.length,
        }
        for row in session.scalars(query.order_by(StatusListRow.id))
    ]
