"""Sign-in in headless Chromium against a real ``credstack serve``: sign in, a forged form
post refused, a token created, sign out, and the lockout after repeated failures; at a
desktop width and at 390 px. Users are added with ``credstack users add`` as an operator
would (production Argon2id parameters)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from accounts_support import PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
CLI = [str(Path(sys.executable).with_name("credstack"))]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / \
    "rru-climate-adaptation-foundations.yaml"
WIDTHS = (1280, 390)


def _browser_problem() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def _credstack(*args: str) -> None:
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"credstack {' '.join(args)}: {result.stdout}{result.stderr}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module", params=WIDTHS)
def width(request: pytest.FixtureRequest) -> int:
    """The viewport width; each gets its own server (sign-in throttling is per address)."""
    return int(request.param)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, width: int) -> Iterator[str]:
    """A running ``credstack serve`` with one user."""
    problem = _browser_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test required under CI=true: {problem}")
        pytest.skip(problem)
    folder = tmp_path_factory.mktemp("accounts-portal")
    db = f"sqlite:///{folder / 'x.db'}"
    password_file = folder / "password.txt"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    _credstack("import", str(EXAMPLE), "--db", db)
    _credstack("users", "add", f"ada{width}@example.org", "--password-file",
               str(password_file), "--db", db)
    port = _free_port()
    log = (folder / "serve.log").open("wb")
    server = subprocess.Popen([*CLI, "serve", "--port", str(port), "--db", db],
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/login", timeout=2):
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "serve failed"
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_sign_in_forged_post_token_sign_out_and_lockout(base_url: str, width: int) -> None:
    from playwright.sync_api import expect, sync_playwright

    email = f"ada{width}@example.org"
    # Each sign-in hashes with the production Argon2id parameters: slow on a busy machine.
    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", lambda message: problems.append(message.text)
                if message.type == "error" else None)

        # Sign in: the account page names the user.
        page.goto(base_url + "/account")
        expect(page).to_have_url(base_url + "/login?next=/account")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#account-email")).to_have_text(email)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(Path(tempfile.gettempdir()) / f"credstack-account-{width}.png"),
                        full_page=True)

        # A forged post with the session cookie but without the form's token: 403, no token.
        forged = page.request.post(base_url + "/account/tokens",
                                   form={"name": "forged", "scope": "write"})
        assert forged.status == 403
        page.reload()
        expect(page.get_by_text("forged")).to_have_count(0)

        # Create a token: its secret is shown once.
        page.get_by_label("Name", exact=True).fill("laptop")
        page.get_by_role("button", name="Create token").click()
        expect(page.locator("#new-token input")).to_have_value(re.compile(r"^cst_"))
        page.goto(base_url + "/account")
        expect(page.locator("#new-token")).to_have_count(0)

        # Sign out: the session is gone.
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(base_url + "/")
        page.goto(base_url + "/account")
        expect(page).to_have_url(base_url + "/login?next=/account")

        # Ten wrong passwords, then even the right one waits, with a generic message.
        for _ in range(10):
            page.get_by_label("Email").fill(email)
            page.get_by_label("Password").fill("not the password")
            page.get_by_role("button", name="Sign in").click()
            expect(page.locator("#login-problem")).to_have_text("Wrong email or password.")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#login-problem")).to_contain_text(
            "Too many failed sign-in attempts")
        browser.close()
    assert not [problem for problem in problems
                if "Content Security Policy" in problem or "Refused" in problem], problems
