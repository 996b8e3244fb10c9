"""The API documentation page works offline: every asset it names is served here."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

CHROMIUM = Path("/usr/bin/chromium")

REFERENCE = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


def test_docs_page_references_no_other_host(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "//" not in "".join(REFERENCE.findall(page.text))
    assert "https://" not in page.text and "http://" not in page.text


def test_every_asset_the_docs_page_names_is_served(client: TestClient) -> None:
    page = client.get("/api/v1/docs").text
    references = REFERENCE.findall(page)
    assert len(references) == 4  # style sheet, icon, Swagger UI, the script starting it
    for reference in references:
        asset = client.get(reference)
        assert asset.status_code == 200, reference
        assert len(asset.content) > 200


def test_docs_page_loads_this_servers_openapi_document(client: TestClient) -> None:
    assert 'data-openapi="/api/v1/openapi.json"' in client.get("/api/v1/docs").text


def test_unknown_asset_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/docs/assets/secrets.txt").status_code == 404


@pytest.mark.browser
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the page, not storage
def test_docs_page_renders_every_operation_with_other_hosts_unreachable(
    served: httpx.Client,
) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import Route, sync_playwright

    local = str(served.base_url).rstrip("/")
    outside: list[str] = []

    def only_local(route: Route) -> None:
        if route.request.url.startswith(local):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.route("**/*", only_local)
            page.goto(f"{local}/api/v1/docs")
            page.wait_for_selector(".opblock", timeout=30_000)
            shown = page.locator(".opblock").count()
        finally:
            browser.close()
    operations = served.get("/api/v1/openapi.json").json()["paths"]
    assert shown == sum(len(methods) for methods in operations.values())
    assert outside == []
