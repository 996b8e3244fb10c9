"""What of a record is searchable: facet values and full-text fields (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from credstack.domain.credential import MicroCredential
from credstack.domain.vocabulary import AlignmentStatus
from credstack.registry.text_index import index_text

FACETS = (
    "provider",
    "jurisdiction",
    "level",
    "delivery_mode",
    "language",
    "assessment_method",
    "credit_system",
    "currency",
    "competency",
)

_ACCEPTED = {AlignmentStatus.ACCEPTED, AlignmentStatus.MANUAL}


def facet_values(record: MicroCredential) -> set[tuple[str, str]]:
    """Every (facet, value) pair of ``record``; multi-valued facets give several pairs."""
    pairs: set[tuple[str, str]] = {("provider", record.provider.issuer.id)}
    pairs.update(("jurisdiction", value) for value in record.jurisdiction or [])
    if record.provider.issuer.region:
        pairs.add(("jurisdiction", record.provider.issuer.region))
    pairs.add(("jurisdiction", record.provider.issuer.country))
    for level in record.qualification_levels:
        pairs.add(("level", f"{level.framework.value}:{level.level}"))
        if level.eqf is not None:
            pairs.add(("level", f"eqf:{level.eqf}"))
    if record.delivery_mode:
        pairs.add(("delivery_mode", record.delivery_mode.mode.value))
    pairs.update(("language", tag.split("-")[0].lower()) for tag in record.language)
    if record.assessment:
        pairs.update(("assessment_method", method.value) for method in record.assessment.methods)
    pairs.update(("credit_system", credit.system.value) for credit in record.credits)
    if record.price:
        # Prices compare only within one currency (ISO 4217): a price range needs one.
        pairs.add(("currency", record.price.currency))
    pairs.update(("competency", uri) for uri in accepted_competency_uris(record))
    return pairs


def accepted_competency_uris(record: MicroCredential) -> set[str]:
    """URIs of competencies the record is aligned to (accepted or added by a reviewer)."""
    uris = {
        alignment.uri
        for outcome in record.learning_outcomes
        for alignment in outcome.alignments
        if alignment.status in _ACCEPTED
    }
    uris.update(
        alignment.uri
        for alignment in record.industry_alignment or []
        if alignment.status in _ACCEPTED
    )
    return uris


@dataclass(frozen=True)
class SearchText:
    """The weighted text fields of the full-text index, as index terms."""

    title: str
    body: str
    provider: str


def search_text(record: MicroCredential) -> SearchText:
    """Title; description, topics and outcomes; provider names."""
    body_parts = [record.description.summary, record.description.structure or ""]
    body_parts.extend(record.description.topics)
    body_parts.extend(outcome.statement for outcome in record.learning_outcomes)
    providers = [record.provider.issuer.name]
    providers.extend(other.provider.name for other in record.provider.others)
    return SearchText(
        title=index_text(record.title),
        body=index_text(" ".join(part for part in body_parts if part)),
        provider=_provider_terms(" ".join(providers)),
    )


@lru_cache(maxsize=4096)
def _provider_terms(names: str) -> str:
    # A provider's name recurs on every record it issues: reduce it to terms once.
    return index_text(names)
