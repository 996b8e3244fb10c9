"""The real portal in headless Chromium: search, filter by a facet, open a record, compare.

Runs ``credstack import``, ``credstack lifecycle`` (through the registry's quality gate)
and ``credstack serve`` as a user would, then drives Debian's /usr/bin/chromium with
Playwright. Screenshots go to the system temp folder for a person to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, require_browser, run_cli, serving

from credstack.demo import CREDENTIALS_DIR

pytestmark = pytest.mark.browser

PUBLISHED = ("rru-caf-foundations-climate-adaptation", "rru-caf-climate-adaptation-in-practice",
             "mru-agile-project-delivery")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running ``credstack serve`` over a registry with three published records."""
    require_browser()
    folder = tmp_path_factory.mktemp("portal")
    records = folder / "records"
    records.mkdir()
    for credential_id in (*PUBLISHED, "ubc-blockchain-innovation-implementation"):
        shutil.copy(CREDENTIALS_DIR / f"{credential_id}.yaml", records)
    db = f"sqlite:///{folder / 'x.db'}"
    run_cli("import", str(records), "--db", db)
    for credential_id in PUBLISHED:
        run_cli("lifecycle", credential_id, "--to", "submitted", "--db", db)
        run_cli("lifecycle", credential_id, "--to", "published", "--db", db)
    with serving("--db", db, folder=folder) as (url, _):
        yield url


def test_search_filter_open_and_compare(base_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))

        # Search: only published records are listed.
        page.goto(base_url + "/")
        page.get_by_label("Search titles, descriptions, learning outcomes and providers").fill(
            "climate")
        page.get_by_role("button", name="Search", exact=True).click()
        cards = page.locator("ol.cards > li")
        expect(cards).to_have_count(2)
        page.screenshot(path=str(SCREENSHOTS / "credstack-search.png"), full_page=True)

        # A facet narrows the results and shows as selected.
        page.goto(base_url + "/")
        expect(cards).to_have_count(3)
        page.locator('a[data-facet="provider"][data-value="mount-royal-university"]').click()
        expect(cards).to_have_count(1)
        expect(page.locator("a.facet-option.selected")).to_contain_text("Mount Royal")
        assert "provider=mount-royal-university" in page.url

        # Open a credential: the whole CIS with the learner-effort table.
        page.goto(base_url + "/?q=foundations")
        page.locator("ol.cards h3 a").first.click()
        expect(page.locator("h1")).to_have_text("Foundations of Climate Adaptation")
        expect(page.locator("#learner_effort table tfoot td")).to_have_text("28 h")
        expect(page.locator("#price")).to_contain_text("CAD 695.00")
        page.screenshot(path=str(SCREENSHOTS / "credstack-credential.png"), full_page=True)

        # Tick two results and compare them side by side.
        page.goto(base_url + "/?sort=title")
        page.get_by_role("checkbox", name="Compare").nth(0).check()
        page.get_by_role("checkbox", name="Compare").nth(1).check()
        page.get_by_role("button", name="Compare selected").click()
        expect(page.locator("table.compare thead th")).to_have_count(2)
        expect(page.locator('tr[data-element="learner_effort"] th')).to_contain_text(
            "Learner effort")
        page.screenshot(path=str(SCREENSHOTS / "credstack-compare.png"), full_page=True)

        browser.close()
    assert errors == []
    # Everything the pages load comes from the portal itself: no CDN, no web fonts.
    assert all(url.startswith(base_url) for url in requests)


def test_quality_dashboard_and_verification_page(base_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        page.goto(base_url + "/")
        page.get_by_role("link", name="Quality").click()
        expect(page.locator("h1")).to_have_text("Quality dashboard")
        page.get_by_label("Framework").select_option("eu-cmf")
        page.get_by_role("button", name="Show").click()
        assert "framework=eu-cmf" in page.url
        expect(page.locator("#providers-title")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / "credstack-qa.png"), full_page=True)

        page.get_by_role("link", name="Verify a badge").click()
        page.get_by_label("Credential (JSON or VC-JWT)").fill('{"type": ["VerifiableCredential"]}')
        page.get_by_role("button", name="Verify").click()
        expect(page.locator(".verdict")).to_have_text("Not verified")
        expect(page.locator('tr[data-check="proof"]')).to_contain_text("Failed")
        page.screenshot(path=str(SCREENSHOTS / "credstack-verify.png"), full_page=True)
        browser.close()
