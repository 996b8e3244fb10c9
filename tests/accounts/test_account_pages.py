"""Portal sign-in, sign-out and account pages: cookie flags, a new session at each
sign-in, CSRF on every form, one generic message, sessions ended on the server."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from accounts_support import PASSWORD, AddUser
from fastapi.testclient import TestClient

from credstack.accounts.errors import LoginFailed
from credstack.api.auth import SESSION_COOKIE

TOKEN_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(client: TestClient, path: str) -> str:
    match = TOKEN_FIELD.search(client.get(path).text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def sign_in(client: TestClient, email: str = "ada@example.org",
            password: str = PASSWORD) -> object:
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": form_token(client, "/login")},
                       follow_redirects=False)


@pytest.fixture
def ada(add_user: AddUser) -> None:
    add_user("ada@example.org")


@pytest.mark.usefixtures("ada")
def test_sign_in_sets_an_httponly_lax_session_cookie(client: TestClient) -> None:
    response = sign_in(client)
    assert response.status_code == 303 and response.headers["location"] == "/account"
    cookie = next(value for value in response.headers.get_list("set-cookie")
                  if value.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie


@pytest.mark.usefixtures("ada")
def test_the_cookie_is_secure_over_https(registry_db: object, client: TestClient) -> None:
    secure = TestClient(client.app, base_url="https://registry.example.org")
    response = sign_in(secure)
    cookie = next(value for value in response.headers.get_list("set-cookie")
                  if value.startswith(SESSION_COOKIE))
    assert "Secure" in cookie


@pytest.mark.usefixtures("ada")
def test_signing_in_again_gives_a_new_session_id_and_ends_the_old(client: TestClient) -> None:
    sign_in(client)
    first = client.cookies[SESSION_COOKIE]
    sign_in(client)
    assert client.cookies[SESSION_COOKIE] != first
    replay = TestClient(client.app, cookies={SESSION_COOKIE: first})
    assert replay.get("/account", follow_redirects=False).status_code == 303


@pytest.mark.usefixtures("ada")
def test_a_forged_login_post_without_the_token_is_403(client: TestClient) -> None:
    response = client.post("/login", data={"email": "ada@example.org", "password": PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


@pytest.mark.usefixtures("ada")
def test_a_forged_form_post_is_403_and_changes_nothing(client: TestClient) -> None:
    sign_in(client)
    forged = client.post("/account/tokens", data={"name": "evil", "scope": "write",
                                                  "csrf_token": "guessed"})
    assert forged.status_code == 403
    assert "evil" not in client.get("/account").text


@pytest.mark.usefixtures("ada")
def test_wrong_password_and_unknown_email_show_the_same_message(client: TestClient) -> None:
    wrong = sign_in(client, password="not the password")
    unknown = sign_in(client, email="nobody@example.org")
    assert wrong.status_code == unknown.status_code == 401
    assert LoginFailed.MESSAGE in wrong.text and LoginFailed.MESSAGE in unknown.text


@pytest.mark.usefixtures("ada")
def test_ten_failures_lock_out_with_a_message_that_names_no_account(client: TestClient) -> None:
    for _ in range(10):
        assert sign_in(client, password="not the password").status_code == 401
    locked = sign_in(client)
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.text
    assert "ada@example.org" not in locked.text.split('id="login-problem"')[1][:200]


@pytest.mark.usefixtures("ada")
def test_logout_ends_the_session_on_the_server(client: TestClient) -> None:
    sign_in(client)
    secret = client.cookies[SESSION_COOKIE]
    response = client.post("/logout", data={"csrf_token": form_token(client, "/account")},
                           follow_redirects=False)
    assert response.status_code == 303
    replay = TestClient(client.app, cookies={SESSION_COOKIE: secret})
    assert replay.get("/api/v1/me").status_code == 401


@pytest.mark.usefixtures("ada")
def test_account_page_creates_a_token_shown_once(client: TestClient) -> None:
    sign_in(client)
    created = client.post("/account/tokens", data={
        "name": "laptop", "scope": "read", "expires": "30d",
        "csrf_token": form_token(client, "/account")})
    assert created.status_code == 201
    secret = re.search(r'value="(cst_[^"]+)"', created.text)
    assert secret is not None
    page = client.get("/account").text
    assert "laptop" in page and secret.group(1) not in page
    me = TestClient(client.app).get("/api/v1/me",
                                    headers={"Authorization": f"Bearer {secret.group(1)}"})
    assert me.json()["email"] == "ada@example.org"


@pytest.mark.usefixtures("ada")
def test_changing_the_password_keeps_this_browser_signed_in_only(client: TestClient) -> None:
    other = TestClient(client.app)
    sign_in(other)
    sign_in(client)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "a brand new passphrase",
        "csrf_token": form_token(client, "/account")})
    assert response.status_code == 200 and "Password changed" in response.text
    assert client.get("/account", follow_redirects=False).status_code == 200
    assert other.get("/account", follow_redirects=False).status_code == 303


def test_account_page_sends_visitors_to_sign_in(client: TestClient) -> None:
    response = client.get("/account", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/account"


@pytest.mark.usefixtures("ada")
def test_sign_in_never_redirects_to_another_site(client: TestClient) -> None:
    token = form_token(client, "/login")
    response = client.post("/login", data={"email": "ada@example.org", "password": PASSWORD,
                                           "next": "//evil.example/", "csrf_token": token},
                           follow_redirects=False)
    assert response.headers["location"] == "/account"


@pytest.mark.usefixtures("ada")
def test_an_api_write_with_the_session_cookie_needs_the_csrf_header(client: TestClient) -> None:
    sign_in(client)
    body = {"name": "x", "scope": "read"}
    assert client.post("/api/v1/me/tokens", json=body).status_code == 403
    header = {"X-CSRF-Token": form_token(client, "/account")}
    assert client.post("/api/v1/me/tokens", json=body, headers=header).status_code == 201


@pytest.mark.usefixtures("ada")
def test_revoking_someone_elses_token_from_the_portal_is_404_and_keeps_it(
    client: TestClient, add_user: AddUser, token_for: Callable[..., str]
) -> None:
    add_user("bo@example.org")
    secret = token_for("bo@example.org")
    bo = TestClient(client.app, headers={"Authorization": f"Bearer {secret}"})
    [token] = bo.get("/api/v1/me/tokens").json()
    sign_in(client)
    response = client.post(f"/account/tokens/{token['id']}/revoke",
                           data={"csrf_token": form_token(client, "/account")})
    assert response.status_code == 404
    assert bo.get("/api/v1/me").status_code == 200


@pytest.mark.usefixtures("ada")
def test_a_wrong_current_password_is_422_and_keeps_the_old_one(client: TestClient) -> None:
    sign_in(client)
    response = client.post("/account/password", data={
        "current_password": "not the password", "new_password": "a brand new passphrase",
        "csrf_token": form_token(client, "/account")})
    assert response.status_code == 422
    assert "Current password is not the current password" in response.text
    assert sign_in(TestClient(client.app)).status_code == 303
