"""Everything storing a record needs, computed without the database.

Preparing is pure and its result plain data, so a bulk load can prepare the next batch
in another process while this one writes (``registry.bulk``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from credstack.domain.credential import MicroCredential, Provider
from credstack.registry.facets import facet_values, search_text
from credstack.registry.postings import index_length


@dataclass(frozen=True)
class PreparedRecord:
    """One record's rows: summary, canonical document and its hash, facets, search text."""

    id: str
    providers: tuple[tuple[str, dict[str, Any]], ...]  # (id, details), the issuer first
    summary: dict[str, Any]
    document: str
    digest: str
    facets: tuple[tuple[str, str], ...]
    search: dict[str, Any]
    text: tuple[str, str, str]


def canonical_json(record: MicroCredential) -> tuple[str, str]:
    """The record's canonical JSON (sorted keys, no spaces) and its SHA-256."""
    text = json.dumps(
        record.to_document(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def _provider(provider: Provider) -> tuple[str, dict[str, Any]]:
    return provider.id, provider.model_dump(mode="json", exclude_none=True)


def prepare(record: MicroCredential) -> PreparedRecord:
    """The rows that store ``record``."""
    document, digest = canonical_json(record)
    price = float(record.price.amount) if record.price else None
    text = search_text(record)
    fields = (text.title, text.body, text.provider)
    providers = [_provider(record.provider.issuer)]
    providers.extend(_provider(other.provider) for other in record.provider.others)
    return PreparedRecord(
        id=record.id,
        providers=tuple(providers),
        summary={
            "provider_id": record.provider.issuer.id,
            "title": record.title,
            "total_hours": record.total_hours,
            "ects": record.ects,
            "eqf_level": record.eqf_level,
            "price_amount": price,
            "currency": record.price.currency if record.price else None,
            "delivery_mode": record.delivery_mode.mode.value if record.delivery_mode else None,
            "review_date": record.expiry.review_date if record.expiry else None,
            "sample": record.sample,
        },
        document=document,
        digest=digest,
        facets=tuple((facet, value[:512]) for facet, value in facet_values(record)),
        search={
            "sort_title": record.title.casefold()[:512],
            "total_hours": record.total_hours,
            "price_amount": price,
            "ects": record.ects,
            "index_length": index_length(fields),
        },
        text=fields,
    )


def prepare_documents(documents: Iterable[dict[str, Any]]) -> list[PreparedRecord]:
    """Validate plain documents and prepare them (InvalidInput on the first bad one)."""
    from credstack.registry.files import validate_document

    return [
        prepare(validate_document(document, source=f"document {document.get('id', '?')}"))
        for document in documents
    ]
