"""The search page: query, facets that filter when clicked, ranges, sort, pages, cards."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from credstack.domain.vocabulary import LifecycleStatus
from credstack.web.search_view import PAGE_SIZE

Factory = Callable[..., Any]


def card_ids(page: str) -> list[str]:
    """The record ids of the result cards, in order."""
    return re.findall(r'<h3 id="title-([^"]+)">', page)


def facet_href(page: str, facet: str, value: str) -> str:
    """The link of one facet value."""
    match = re.search(
        rf'<a href="([^"]*)" class="facet-option[^"]*"[^>]*data-facet="{facet}" '
        rf'data-value="{re.escape(value)}"', page)
    assert match, f"no facet link {facet}={value}"
    return html.unescape(match.group(1))


def test_lists_published_records_only(portal: TestClient) -> None:
    page = portal.get("/").text
    assert sorted(card_ids(page)) == [
        "rru-caf-foundations-climate-adaptation", "setu-climate-policy", "ubc-data-basics"]
    assert "Unpublished Draft Course" not in page


def test_credentials_path_is_the_same_search(portal: TestClient) -> None:
    assert card_ids(portal.get("/credentials?q=data").text) == ["ubc-data-basics"]


def test_query_matches_title_words(portal: TestClient) -> None:
    page = portal.get("/", params={"q": "climate policy"}).text
    assert card_ids(page) == ["setu-climate-policy"]
    assert 'value="climate policy"' in page


def test_card_shows_provider_hours_price_level_and_delivery(portal: TestClient) -> None:
    page = portal.get("/", params={"q": "policy"}).text
    for shown in ("South East Technological University", "28 h", "EUR 1,200.00",
                  "Irish NFQ level 9", "Blended"):
        assert shown in page
    assert '<input type="checkbox" name="id" value="setu-climate-policy">' in page


def test_facet_counts_describe_the_results(portal: TestClient) -> None:
    page = portal.get("/").text
    assert re.search(r'data-value="CA-BC">\s*<span class="facet-label">British Columbia \(CA-BC\)'
                     r'</span>\s*<span class="count">2<', page)


def test_clicking_a_facet_filters_and_clicking_again_removes_it(portal: TestClient) -> None:
    href = facet_href(portal.get("/").text, "delivery_mode", "online")
    filtered = portal.get(href).text
    assert card_ids(filtered) == ["ubc-data-basics"]
    assert "Delivery mode: Online" in filtered
    again = facet_href(filtered, "delivery_mode", "online")
    assert sorted(card_ids(portal.get(again).text)) == [
        "rru-caf-foundations-climate-adaptation", "setu-climate-policy", "ubc-data-basics"]


def test_facet_shows_provider_names_not_ids(portal: TestClient) -> None:
    page = portal.get("/").text
    assert re.search(r'data-value="ubc">\s*<span class="facet-label">University of British '
                     r'Columbia<', page)


def test_hours_range_filters(portal: TestClient) -> None:
    page = portal.get("/", params={"hours_max": "12"}).text
    assert card_ids(page) == ["ubc-data-basics"]
    assert 'id="hours_max" name="hours_max" value="12"' in page


def test_price_range_filters_in_the_chosen_currency(portal: TestClient) -> None:
    params = {"price_min": "500", "price_max": "1000", "currency": "CAD"}
    page = portal.get("/", params=params).text
    assert card_ids(page) == ["rru-caf-foundations-climate-adaptation"]


def test_price_range_without_a_currency_asks_for_one(portal: TestClient) -> None:
    page = portal.get("/", params={"price_max": "1000"}).text
    assert "Price: choose one currency" in page
    assert len(card_ids(page)) == 3


def test_sort_by_price_orders_cheapest_first(portal: TestClient) -> None:
    page = portal.get("/", params={"sort": "price"}).text
    assert card_ids(page) == [
        "ubc-data-basics", "rru-caf-foundations-climate-adaptation", "setu-climate-policy"]


def test_bad_numbers_are_explained_not_rejected(portal: TestClient) -> None:
    response = portal.get("/", params={"hours_min": "lots", "sort": "best"})
    assert response.status_code == 200
    assert "Hours from: expected a number of 0 or more, got &#39;lots&#39;" in response.text
    assert "Sort: &#39;best&#39; is not one of" in response.text
    assert len(card_ids(response.text)) == 3


def test_query_text_is_escaped(portal: TestClient) -> None:
    page = portal.get("/", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_no_results_says_so(portal: TestClient) -> None:
    page = portal.get("/", params={"q": "astrophysics"}).text
    assert "No micro-credentials found" in page
    assert card_ids(page) == []


def test_pages_link_to_the_next_page(portal: TestClient, variant: Factory, store: Factory) -> None:
    for number in range(PAGE_SIZE):
        store(variant(f"extra-{number:02d}", title=f"Extra course {number:02d}"))
    first = portal.get("/", params={"sort": "title"}).text
    assert len(card_ids(first)) == PAGE_SIZE
    assert "Page 1 of 2" in first
    next_link = re.search(r'<a href="([^"]+)" rel="next"', first)
    assert next_link
    second = portal.get(html.unescape(next_link.group(1))).text
    assert len(card_ids(second)) == 3
    assert set(card_ids(first)).isdisjoint(card_ids(second))


def test_retired_records_are_not_listed(
    portal: TestClient, variant: Factory, store: Factory
) -> None:
    store(variant("old-course", title="Retired Old Course"), status=LifecycleStatus.RETIRED)
    assert "old-course" not in card_ids(portal.get("/").text)
