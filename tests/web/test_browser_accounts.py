"""The demo registry's accounts in headless Chromium, as a newcomer meets them after
``credstack serve --demo``: the demo banner on every page, signing in with a demo
account and the demo password, a forged form post refused, signing out, and the lockout
after repeated failures. At a desktop width (1280 px) and a phone's (390 px), each with
its own server (sign-in throttling counts failures per client address)."""

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
)

from credstack.accounts.demo import DEMO_ACCOUNTS
from credstack.accounts.passwords import DEMO_PASSWORD
from credstack.registry.demo import DEMO_DRAFT

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
WIDTHS = (1280, 390)
EDITOR = next(a.email for a in DEMO_ACCOUNTS if a.email.startswith("editor@"))
REVIEWER = next(a.email for a in DEMO_ACCOUNTS if a.email.startswith("reviewer@"))
LEARNER = next(a.email for a in DEMO_ACCOUNTS if a.email.startswith("learner@"))
# Production Argon2id parameters at every sign-in: slow on a busy shared machine.
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module", params=WIDTHS)
def width(request: pytest.FixtureRequest) -> int:
    """The viewport width; each gets its own server."""
    return int(request.param)


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory, width: int) -> dict[str, str]:
    """The environment of a fresh data folder and database (for serve and the CLI)."""
    folder = tmp_path_factory.mktemp(f"demo-accounts-{width}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDSTACK_")}
    env.update(CREDSTACK_DATA_DIR=str(folder), CREDSTACK_DATABASE_URL=f"sqlite:///{folder}/x.db")
    return env


@pytest.fixture(scope="module")
def demo_url(demo_env: dict[str, str]) -> Iterator[str]:
    """``credstack serve --demo`` over the fresh database."""
    require_browser()
    folder = Path(demo_env["CREDSTACK_DATA_DIR"])
    with serving("--demo", folder=folder, env=demo_env, timeout=120) as (url, _server):
        yield url


@pytest.fixture
def page(demo_url: str, width: int) -> Iterator[Any]:
    """A fresh browser page at ``width``; script errors and CSP refusals fail the test."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        opened = browser.new_page(viewport={"width": width, "height": 900})
        opened.on("pageerror", lambda error: problems.append(str(error)))
        # A 404 page or a refused sign-in logs its status; a refused script or style
        # (Content-Security-Policy) is what counts.
        opened.on("console", lambda message: problems.append(message.text)
                  if "Refused" in message.text else None)
        yield opened
        browser.close()
    assert problems == []


def _sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _fits(page: Any, width: int) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= width)


def test_every_page_says_it_is_a_demo_registry(page: Any, demo_url: str, width: int) -> None:
    from playwright.sync_api import expect

    for path in ("/", "/login", "/qa", "/verify", "/credentials/no-such-record"):
        page.goto(demo_url + path)
        expect(page.locator(".demo-banner")).to_contain_text("Demo registry")
        expect(page.locator(".demo-banner")).to_contain_text(DEMO_PASSWORD)
        assert _fits(page, width), path


def test_editor_signs_in_a_forged_post_is_refused_and_signs_out(
    page: Any, demo_url: str, width: int
) -> None:
    from playwright.sync_api import expect

    page.goto(demo_url + "/account")
    expect(page).to_have_url(demo_url + "/login?next=/account")
    _sign_in(page, demo_url, EDITOR, DEMO_PASSWORD)
    expect(page.locator("#account-email")).to_have_text(EDITOR)
    expect(page.locator(".demo-banner")).to_be_visible()
    assert _fits(page, width)
    page.screenshot(path=str(SCREENSHOTS / f"credstack-demo-account-{width}.png"),
                    full_page=True)

    # The session cookie without the form's CSRF token: refused, nothing made.
    forged = page.request.post(demo_url + "/account/tokens",
                               form={"name": "forged", "scope": "write"})
    assert forged.status == 403
    page.reload()
    expect(page.get_by_text("forged")).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(demo_url + "/")
    page.goto(demo_url + "/account")
    expect(page).to_have_url(demo_url + "/login?next=/account")


def _sign_out(page: Any, base: str) -> None:
    from playwright.sync_api import expect

    page.goto(base + "/account")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(base + "/")


def test_the_editor_submits_and_the_reviewer_approves_and_publishes(
    page: Any, demo_url: str, width: int
) -> None:
    from playwright.sync_api import expect

    record = f"{demo_url}/credentials/{DEMO_DRAFT}"
    assert page.goto(record).status == 404  # a draft: not even its existence shows
    page.goto(demo_url + "/login?next=/account")
    _sign_in(page, demo_url, EDITOR, DEMO_PASSWORD)
    expect(page.locator("#account-email")).to_have_text(EDITOR)
    # The editor submits through the API with the portal session and its CSRF token.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    submitted = page.request.post(f"{demo_url}/api/v1/credentials/{DEMO_DRAFT}/status",
                                  data={"status": "submitted"},
                                  headers={"X-CSRF-Token": str(token)})
    assert submitted.status == 200, submitted.text()
    assert page.goto(demo_url + "/review").status == 403  # editors do not review
    _sign_out(page, demo_url)

    page.goto(demo_url + "/login?next=/review")
    _sign_in(page, demo_url, REVIEWER, DEMO_PASSWORD)
    item = page.locator(f"#review-{DEMO_DRAFT}")
    expect(item).to_contain_text("Meets")
    assert _fits(page, width)
    page.screenshot(path=str(SCREENSHOTS / f"credstack-demo-review-{width}.png"),
                    full_page=True)
    item.get_by_role("button", name="Approve and publish").click()
    expect(page.locator("#review-message")).to_have_text("Published.")
    expect(page.locator(f"#review-{DEMO_DRAFT}")).to_have_count(0)
    _sign_out(page, demo_url)

    assert page.goto(record).status == 200  # published: anyone reads it


def _badge_for_the_demo_learner(env: dict[str, str]) -> None:
    """The README's assessment commands, for learner ada linked to the demo learner."""
    run_cli("rubrics", "import", str(REPO / "src" / "credstack" / "assess" / "examples" /
                                     "rru-caf-foundations-rubric.yaml"), env=env)
    run_cli("learners", "add", "ada", "--email", "ada@example.org", "--account", LEARNER,
            env=env)
    assessment = json.loads(run_cli(
        "assess", "record", str(REPO / "examples" / "rru-caf-foundations-assessment.yaml"),
        "--json", env=env))
    run_cli("issuer", "init", "--provider", "royal-roads-university", env=env)
    run_cli("badges", "issue", assessment["id"], env=env)


def test_a_learners_share_link_shows_the_badge_to_anyone(
    page: Any, demo_url: str, demo_env: dict[str, str], width: int
) -> None:
    from playwright.sync_api import expect

    _badge_for_the_demo_learner(demo_env)
    page.goto(demo_url + "/login?next=/wallet")
    _sign_in(page, demo_url, LEARNER, DEMO_PASSWORD)
    expect(page.locator(".card")).to_have_count(1)
    page.get_by_label("Share").check()
    page.get_by_role("button", name="Create share link").click()
    link = page.get_by_label("New share link").input_value()
    assert _fits(page, width)
    _sign_out(page, demo_url)

    page.goto(demo_url + "/wallet/ada")  # private: signed out, the sign-in form
    expect(page).to_have_url(demo_url + "/login?next=/wallet/ada")
    assert page.goto(link).status == 200
    expect(page.locator(".card .badge-title")).to_have_text(
        "Foundations of Climate Adaptation")
    expect(page.locator(".demo-banner")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / f"credstack-demo-shared-{width}.png"),
                    full_page=True)


def test_repeated_failures_lock_the_account_with_one_generic_message(
    page: Any, demo_url: str, width: int
) -> None:
    """Runs last for its server: the failures also throttle the client address."""
    from playwright.sync_api import expect

    page.goto(demo_url + "/login")
    for _ in range(10):
        _sign_in(page, demo_url, LEARNER, "not the demo password")
        expect(page.locator("#login-problem")).to_have_text("Wrong email or password.")
    _sign_in(page, demo_url, LEARNER, DEMO_PASSWORD)
    expect(page.locator("#login-problem")).to_contain_text("Too many failed sign-in attempts")
    page.screenshot(path=str(SCREENSHOTS / f"credstack-demo-lockout-{width}.png"))
