"""Search requests as data."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from credstack.domain.vocabulary import LifecycleStatus

# The statuses everyone may see (accounts.model.PUBLIC_STATUSES).
PUBLIC_STATUSES = (LifecycleStatus.PUBLISHED, LifecycleStatus.RETIRED)


def facet_filters(**chosen: list[str] | None) -> dict[str, tuple[str, ...]]:
    """Facet filters from named option values, leaving out those not given."""
    return {name: tuple(values) for name, values in chosen.items() if values}


class SortOrder(StrEnum):
    """How results are ordered."""

    RELEVANCE = "relevance"
    TITLE = "title"
    HOURS = "hours"
    PRICE = "price"
    NEWEST = "newest"


@dataclass(frozen=True)
class SearchRequest:
    """A search: free text, facet filters, ranges, lifecycle status, order and page.

    ``visible_providers`` bounds what the searcher may see whatever ``statuses`` asks:
    published and retired records, and records of any status of these providers;
    ``None`` (the default of the search engine): every record. Searches made for an
    actor go through ``registry.records.search_records``, which sets it from the policy.
    """

    text: str = ""
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    statuses: tuple[LifecycleStatus, ...] = (LifecycleStatus.PUBLISHED,)
    hours_min: float | None = None
    hours_max: float | None = None
    price_min: float | None = None
    price_max: float | None = None
    ects_min: float | None = None
    ects_max: float | None = None
    sort: SortOrder = SortOrder.RELEVANCE
    limit: int = 20
    offset: int = 0
    with_facets: bool = True
    visible_providers: frozenset[str] | None = None
