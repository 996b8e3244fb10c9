"""Every portal page fits a phone (390 px) and a desktop (1280 px) in headless Chromium.

``credstack serve --demo`` runs over an empty registry (the demo set, the records that
meet the standard published), and a learner earns a badge through the README's
assessment commands, so the wallet and a badge's verification have something to show;
the pages are opened signed in as that learner (a wallet is private).
A page fits when the document is no wider than the window (no sideways scrolling).
Screenshots of each page at each width go to the system temp folder.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    require_browser,
    run_cli,
    serving,
    wait_until_up,
)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
RECORD = "rru-caf-foundations-climate-adaptation"
LEARNER = "ada@example.org"
PASSWORD = "correct horse battery staple"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PAGES = {
    "search": "/",
    "search-query": "/?q=climate",
    "credential": f"/credentials/{RECORD}",
    "compare": f"/compare?id={RECORD}&id=rru-caf-climate-adaptation-in-practice"
               "&id=mru-agile-project-delivery&id=ubc-blockchain-innovation-implementation",
    "qa": "/qa",
    "alignment": f"/credentials/{RECORD}/alignment",
    "wallet": "/wallet/ada",
    "verify": "/verify",
    "verify-badge": "/verify?badge={badge}",
    "not-found": "/credentials/no-such-record",
    "login": "/login",
    "account": "/account",
}


@pytest.fixture(scope="module")
def portal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The demo portal's address, and the id of a badge issued to learner ada."""
    require_browser()
    folder = tmp_path_factory.mktemp("layout")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDSTACK_")}
    env.update(CREDSTACK_DATA_DIR=str(folder), CREDSTACK_DATABASE_URL=f"sqlite:///{folder}/x.db")
    with serving("--demo", folder=folder, env=env, timeout=120) as (url, server):
        # The first alignment page loads the ESCO snapshot and the model: not a layout matter.
        wait_until_up(f"{url}{PAGES['alignment']}", server, timeout=300)
        yield url, _issue_badge(env, folder)


def _issue_badge(env: dict[str, str], folder: Path) -> str:
    rubric = REPO / "src" / "credstack" / "assess" / "examples" / "rru-caf-foundations-rubric.yaml"
    run_cli("rubrics", "import", str(rubric), env=env)
    password_file = folder / "password.txt"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    run_cli("users", "add", LEARNER, "--password-file", str(password_file), env=env)
    run_cli("learners", "add", "ada", "--email", LEARNER, "--account", LEARNER, env=env)
    assessment = json.loads(run_cli(
        "assess", "record", str(REPO / "examples" / "rru-caf-foundations-assessment.yaml"),
        "--json", env=env))
    run_cli("issuer", "init", "--provider", "royal-roads-university", "--did-web",
            "credentials.royalroads.ca", env=env)
    badge = folder / "badge.json"
    run_cli("badges", "issue", assessment["id"], "--output", str(badge), env=env)
    return str(json.loads(badge.read_text(encoding="utf-8"))["id"])


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def signed_in(browser: Any, portal_url: tuple[str, str]) -> dict[str, Any]:
    """The browser state (session cookie) of the learner signed in once for the module."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(portal_url[0] + "/login")
    page.fill("#email", LEARNER)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(portal_url[0] + "/account", timeout=60_000)
    state: dict[str, Any] = context.storage_state()
    context.close()
    return state


@pytest.fixture
def open_page(browser: Any, portal_url: tuple[str, str],
              signed_in: dict[str, Any]) -> Iterator[Any]:
    """Open a portal path at a window size; page errors fail the test."""
    pages: list[Any] = []
    errors: list[str] = []

    def open_(path: str, viewport: dict[str, int]) -> Any:
        page = browser.new_page(viewport=viewport, storage_state=signed_in)
        page.on("pageerror", lambda error: errors.append(str(error)))
        pages.append(page)
        base, badge = portal_url
        response = page.goto(base + path.format(badge=badge))
        assert response is not None
        page.last_status = response.status
        return page

    yield open_
    for page in pages:
        page.close()
    assert errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_the_window_without_sideways_scrolling(
    open_page: Any, name: str, viewport: dict[str, int]
) -> None:
    page = open_page(PAGES[name], viewport)
    assert page.last_status == (404 if name == "not-found" else 200)
    page.screenshot(path=str(SCREENSHOTS / f"credstack-{name}-{viewport['width']}.png"),
                    full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], _too_wide(page)


def _too_wide(page: Any) -> list[str]:
    """The innermost elements reaching past the window's right edge (for the message)."""
    return list(page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
        .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > innerWidth + 1))
        .slice(0, 5).map(e => e.tagName + '.' + e.className)"""))


def test_phone_shows_search_results_in_the_first_screen(open_page: Any) -> None:
    page = open_page("/", PHONE)
    first_card = page.locator("ol.cards > li").first.bounding_box()
    assert first_card is not None and first_card["y"] < PHONE["height"] / 2
    facets = page.locator("aside.facets").bounding_box()
    assert facets is not None and facets["y"] > first_card["y"]


def test_desktop_shows_filters_beside_the_results(open_page: Any) -> None:
    page = open_page("/", DESKTOP)
    facets = page.locator("aside.facets").bounding_box()
    results = page.locator("section.results").bounding_box()
    assert facets is not None and results is not None
    assert facets["x"] < results["x"] and abs(facets["y"] - results["y"]) < 5


def test_refine_panel_is_folded_until_a_range_is_set(open_page: Any) -> None:
    from playwright.sync_api import expect

    folded = open_page("/", PHONE)
    expect(folded.get_by_label("Hours from")).to_be_hidden()
    folded.get_by_text("Refine by hours and price, or sort").click()
    expect(folded.get_by_label("Hours from")).to_be_visible()
    refined = open_page("/?hours_min=10", PHONE)
    expect(refined.get_by_label("Hours from")).to_have_value("10")
    expect(refined.get_by_label("Hours from")).to_be_visible()


def test_a_fifth_compare_tick_is_refused_in_the_page_and_by_the_server(open_page: Any) -> None:
    from playwright.sync_api import expect

    page = open_page("/?sort=title", PHONE)
    ticks = page.get_by_role("checkbox", name="Compare")
    for index in range(4):
        ticks.nth(index).check()
    expect(page.locator(".compare-limit:visible")).to_have_count(0)
    ticks.nth(4).check()
    expect(page.locator(".compare-limit:visible")).to_have_count(1)
    expect(page.locator(".compare-limit:visible")).to_have_text(
        "Up to 4 can be compared: untick one.")
    page.get_by_role("button", name="Compare selected").click()
    expect(page.locator(".notice-error")).to_contain_text(
        "You can compare at most 4 micro-credentials at once; you chose 5")
    expect(page.locator("table.compare")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "credstack-compare-refused-390.png"), full_page=True)


def test_report_chart_text_stays_inside_the_chart(browser: Any, tmp_path: Path) -> None:
    from credstack.quality.svg import WIDTH, Bar, Panel, bar_chart

    svg = tmp_path / "chart.svg"
    svg.write_text(bar_chart(
        "Australian National Microcredentials Framework (CIS) with the BC assessment "
        "principles: 51% of 100000 records compliant",
        [Panel("Records compliant, by provider, with the longest panel title we can think of "
               "for a registry report", [
                   Bar("Northern Alberta Institute of Technology, Continuing Education "
                       "and Corporate Training", 1.0, 100000, 100000),
                   Bar("SOUTHERN ALBERTA INSTITUTE OF TECHNOLOGY (SAIT) CORPORATE TRAINING",
                       0.25, 1, 4)],
               "12 more providers in summary.csv")],
    ), encoding="utf-8")
    page = browser.new_page(viewport=DESKTOP)
    try:
        page.goto(svg.as_uri())
        boxes = page.evaluate("""() => [...document.querySelectorAll('text')].map(t => {
            const b = t.getBBox(); return [t.textContent, b.x, b.x + b.width]; })""")
    finally:
        page.close()
    outside = [text for text, left, right in boxes if left < 0 or right > WIDTH]
    assert outside == []


def test_contents_list_scrolls_away_on_a_phone(open_page: Any) -> None:
    page = open_page(PAGES["credential"], PHONE)
    page.locator("#learner_effort").scroll_into_view_if_needed()
    contents = page.locator("nav.toc").bounding_box()
    effort = page.locator("#learner_effort").bounding_box()
    assert contents is not None and effort is not None
    assert contents["y"] + contents["height"] <= effort["y"]


def test_wallet_actions_keep_their_words_whole_on_a_phone(open_page: Any) -> None:
    page = open_page(PAGES["wallet"], PHONE)
    for name in ("Download", "Verify"):
        link = page.locator(".card-footer").get_by_role("link", name=name, exact=True)
        box = link.bounding_box()
        assert box is not None and box["height"] < 30, f"{name} wraps"
