"""Verification against this registry: its issuers' DIDs, its status lists, its trust.

did:key resolves offline; did:web resolves through the registry's own issuer documents
or a configured trust list (DID documents by DID), never the network. Status lists
come from the registry's stored, signed lists. The trusted issuers are the registry's
providers with registered issuer DIDs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from credstack import jsonparse
from credstack.badges.did import OfflineResolver
from credstack.badges.issuer_store import did_web_documents, trusted_dids
from credstack.badges.service import recorded_reason
from credstack.badges.status_store import credential_by_url
from credstack.badges.verify import VerificationReport, verify_credential
from credstack.errors import InvalidInput, Problem


def load_trust_list(path: Path) -> dict[str, dict[str, Any]]:
    """DID documents from a JSON file: a list of documents, or an object keyed by DID."""
    try:
        data = jsonparse.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InvalidInput(
            [Problem("", f"cannot read the trust list: {error}", str(path))]
        ) from None
    documents = list(data.values()) if isinstance(data, dict) else data
    if not isinstance(documents, list):
        raise InvalidInput([Problem("", "expected a list of DID documents", str(path))])
    found: dict[str, dict[str, Any]] = {}
    for index, document in enumerate(documents):
        if not isinstance(document, dict) or not isinstance(document.get("id"), str):
            raise InvalidInput(
                [Problem(f"[{index}].id", "expected a DID document with an id", str(path))]
            )
        found[document["id"]] = document
    return found


def verify(
    session: Session,
    *,
    credential: dict[str, Any] | str | bytes,
    trust_documents: Mapping[str, Mapping[str, Any]] | None = None,
    now: datetime | None = None,
) -> VerificationReport:
    """Every check of ``credential`` against this registry; never raises for bad input."""
    documents: dict[str, Mapping[str, Any]] = dict(trust_documents or {})
    documents.update(did_web_documents(session))
    return verify_credential(
        credential,
        resolver=OfflineResolver(documents=documents),
        status_fetcher=lambda url: credential_by_url(session, url=url),
        status_reasons=lambda credential_id: recorded_reason(session, credential_id=credential_id),
        trusted_issuers=trusted_dids(session),
        now=now,
    )
