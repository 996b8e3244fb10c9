"""The search page as data: reading the query string, facet links, pages, result cards.

Pure functions over the request's query parameters (a list of (name, value) pairs, as
an HTML form sends them) and the registry's search result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from credstack.domain.vocabulary import LifecycleStatus
from credstack.registry.query import SearchRequest, SortOrder
from credstack.registry.service import StoredCredential
from credstack.web import labels

PAGE_SIZE = 20
MAX_PAGE = 5_000
FACETS_SHOWN = tuple(labels.FACET_LABELS)
# Filters the page accepts besides the shown facets (e.g. a link from an alignment).
HIDDEN_FACETS = ("competency",)
RANGES = (
    ("hours_min", "Hours from"),
    ("hours_max", "Hours to"),
    ("price_min", "Price from"),
    ("price_max", "Price to"),
)
SORT_LABELS: dict[SortOrder, str] = {
    SortOrder.RELEVANCE: "Relevance",
    SortOrder.TITLE: "Title",
    SortOrder.HOURS: "Fewest hours",
    SortOrder.PRICE: "Lowest price",
    SortOrder.NEWEST: "Recently updated",
}

Params = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class SearchForm:
    """What the visitor asked for, and what in it could not be understood."""

    text: str = ""
    facets: Mapping[str, tuple[str, ...]] | None = None
    ranges: Mapping[str, float] | None = None
    sort: SortOrder = SortOrder.RELEVANCE
    page: int = 1
    problems: tuple[str, ...] = ()

    def range_value(self, name: str) -> str:
        """The form field's current value ('' when unset)."""
        value = (self.ranges or {}).get(name)
        return "" if value is None else labels.number(value)

    @property
    def refining(self) -> bool:
        """Whether a range or a sort order is set (the refine panel then shows open)."""
        return bool(self.ranges) or self.sort != SortOrder.RELEVANCE

    def is_selected(self, facet: str, value: str) -> bool:
        """Whether the facet value is one of the active filters."""
        return value in (self.facets or {}).get(facet, ())


def _number(raw: str, label: str, problems: list[str]) -> float | None:
    text = raw.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        problems.append(f"{label}: expected a number of 0 or more, got '{raw}'")
        return None
    return value


def parse_search(params: Params) -> SearchForm:
    """Read the search form from query parameters; bad values become messages, not errors."""
    problems: list[str] = []
    first: dict[str, str] = {}
    facets: dict[str, list[str]] = {}
    for name, value in params:
        if name in FACETS_SHOWN or name in HIDDEN_FACETS:
            if value and value not in facets.setdefault(name, []):
                facets[name].append(value)
        else:
            first.setdefault(name, value)
    ranges: dict[str, float] = {}
    for name, label in RANGES:
        parsed = _number(first.get(name, ""), label, problems)
        if parsed is not None:
            ranges[name] = parsed
    for low, high, label in (("hours_min", "hours_max", "Hours"),
                             ("price_min", "price_max", "Price")):
        if low in ranges and high in ranges and ranges[low] > ranges[high]:
            problems.append(f"{label}: the 'from' value is above the 'to' value")
            del ranges[low], ranges[high]
    price_given = "price_min" in ranges or "price_max" in ranges
    if price_given and len(facets.get("currency", [])) != 1:
        problems.append("Price: choose one currency; a price range compares amounts in one")
        ranges.pop("price_min", None)
        ranges.pop("price_max", None)
    sort = SortOrder.RELEVANCE
    raw_sort = first.get("sort", "")
    if raw_sort:
        try:
            sort = SortOrder(raw_sort)
        except ValueError:
            problems.append(f"Sort: '{raw_sort}' is not one of {', '.join(SORT_LABELS.values())}")
    page = 1
    raw_page = first.get("page", "").strip()
    if raw_page:
        # str.isdigit() accepts '¹' and other digits int() refuses: check ASCII too.
        if raw_page.isascii() and raw_page.isdigit() and 1 <= int(raw_page) <= MAX_PAGE:
            page = int(raw_page)
        else:
            problems.append(f"Page: expected a whole number from 1 to {MAX_PAGE}, got '{raw_page}'")
    return SearchForm(
        text=first.get("q", "").strip()[:500],
        facets={name: tuple(values) for name, values in facets.items()},
        ranges=ranges,
        sort=sort,
        page=page,
        problems=tuple(problems),
    )


def to_request(form: SearchForm) -> SearchRequest:
    """The registry search for a form: published records only (the public registry)."""
    ranges = form.ranges or {}
    return SearchRequest(
        text=form.text,
        facets=dict(form.facets or {}),
        statuses=(LifecycleStatus.PUBLISHED,),
        hours_min=ranges.get("hours_min"),
        hours_max=ranges.get("hours_max"),
        price_min=ranges.get("price_min"),
        price_max=ranges.get("price_max"),
        sort=form.sort,
        limit=PAGE_SIZE,
        offset=(form.page - 1) * PAGE_SIZE,
    )


def link(params: Params, *, remove: Sequence[tuple[str, str | None]] = (),
         add: Sequence[tuple[str, str]] = (), path: str = "/") -> str:
    """``path`` with the query ``params`` less ``remove`` (value None: every value) plus ``add``.

    The page number is always dropped: a changed filter starts again at page 1.
    """
    kept = [
        (name, value)
        for name, value in params
        if name != "page"
        and not any(name == r_name and (r_value is None or value == r_value)
                    for r_name, r_value in remove)
    ]
    kept.extend(add)
    query = urlencode(kept)
    return f"{path}?{query}" if query else path


@dataclass(frozen=True)
class FacetOption:
    """One value of a facet with its count; the link toggles it as a filter."""

    value: str
    label: str
    count: int
    selected: bool
    href: str


@dataclass(frozen=True)
class FacetGroup:
    """A facet's name and its values."""

    name: str
    label: str
    options: tuple[FacetOption, ...]


def facet_label(facet: str, value: str, provider_names: Mapping[str, str]) -> str:
    """How a facet value reads on the page."""
    if facet == "provider":
        return provider_names.get(value, value)
    if facet == "jurisdiction":
        return labels.jurisdiction(value)
    if facet == "level":
        return labels.level_facet(value)
    if facet == "language":
        return labels.language(value)
    if facet == "credit_system":
        return labels.credit_system_facet(value)
    return labels.humanize(value)


def facet_groups(
    form: SearchForm,
    counts: Mapping[str, Mapping[str, int]],
    params: Params,
    provider_names: Mapping[str, str],
) -> list[FacetGroup]:
    """Every shown facet with its values; selected values stay listed (count 0 if none)."""
    groups = []
    for facet in FACETS_SHOWN:
        values = dict(counts.get(facet, {}))
        for chosen in (form.facets or {}).get(facet, ()):
            values.setdefault(chosen, 0)
        options = []
        for value, count in values.items():
            selected = form.is_selected(facet, value)
            href = (link(params, remove=[(facet, value)]) if selected
                    else link(params, add=[(facet, value)]))
            options.append(FacetOption(value, facet_label(facet, value, provider_names),
                                       count, selected, href))
        groups.append(FacetGroup(facet, labels.FACET_LABELS[facet], tuple(options)))
    return groups


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in force, with a link that removes it."""

    label: str
    remove_href: str


def active_filters(form: SearchForm, params: Params,
                   provider_names: Mapping[str, str]) -> list[ActiveFilter]:
    """The facet filters in force, each removable."""
    return [
        ActiveFilter(
            f"{labels.FACET_LABELS.get(facet, labels.humanize(facet))}: "
            f"{facet_label(facet, value, provider_names)}",
            link(params, remove=[(facet, value)]),
        )
        for facet, values in (form.facets or {}).items()
        for value in values
    ]


@dataclass(frozen=True)
class Pagination:
    """Where this page sits among all pages of results."""

    page: int
    pages: int
    first_item: int
    last_item: int
    previous_href: str | None
    next_href: str | None


def pagination(form: SearchForm, total: int, params: Params, shown: int) -> Pagination:
    """Page numbers and previous / next links for ``total`` results."""
    pages = max(1, math.ceil(total / PAGE_SIZE))

    def page_link(number: int) -> str:
        return link(params, add=[("page", str(number))] if number > 1 else [])

    first_item = (form.page - 1) * PAGE_SIZE + 1 if shown else 0
    return Pagination(
        page=form.page,
        pages=pages,
        first_item=first_item,
        last_item=first_item + shown - 1 if shown else 0,
        previous_href=page_link(form.page - 1) if 1 < form.page <= pages + 1 else None,
        next_href=page_link(form.page + 1) if form.page < pages else None,
    )


@dataclass(frozen=True)
class ResultCard:
    """A search result as the card shows it."""

    id: str
    title: str
    href: str
    provider: str
    hours: str
    price: str
    levels: str
    delivery_mode: str
    languages: str
    summary: str
    review_due: bool
    sample: bool


def _price(price: Mapping[str, object] | None) -> str:
    if not price:
        return "Not stated"
    amount = float(str(price["amount"]))
    return "Free" if amount == 0 else labels.money(amount, str(price["currency"]))


def result_card(stored: StoredCredential) -> ResultCard:
    """The card of one search result (built on the record's summary)."""
    record = stored.record
    summary = stored.summary()
    price = summary["price"]
    levels = ", ".join(labels.level(q.framework, q.level) for q in record.qualification_levels)
    text = record.description.summary
    return ResultCard(
        id=record.id,
        title=record.title,
        href=f"/credentials/{record.id}",
        provider=summary["provider"]["name"],
        hours=labels.hours(summary["total_hours"]) or "Not stated",
        price=_price(price),
        levels=levels or "Not stated",
        delivery_mode=labels.humanize(summary["delivery_mode"]) if summary["delivery_mode"]
        else "Not stated",
        languages=", ".join(labels.language(tag) for tag in record.language) or "Not stated",
        summary=text if len(text) <= 220 else text[:217].rsplit(" ", 1)[0] + "…",
        review_due=bool(summary["review_due"]),
        sample=record.sample,
    )
