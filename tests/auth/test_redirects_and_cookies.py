"""Where sign-in sends you next, and how the session cookie is flagged."""

import re

import pytest

from enforcement.auth.models import Role

EVIL_TARGETS = [
    "https://evil.example.test/",
    "//evil.example.test",
    "/\\evil.example.test",
    "javascript:alert(1)",
    "/\t/evil.example.test",
    "http:/evil.example.test",
]


def session_cookie(response) -> str:
    """Return the Set-Cookie header that carries the session."""
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert len(cookies) == 1, response.headers
    return cookies[0]


@pytest.mark.parametrize("target", ["/hosters/", "/hosters/?q=host&page=2", "/admin/users/"])
def test_local_next_is_followed(create_user, auth, target):
    user = create_user(Role.ADMIN)
    response = auth.login(user.email, next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_foreign_or_odd_next_goes_to_the_start_page(create_user, auth, target):
    user = create_user(Role.OFFICER)
    response = auth.login(user.email, next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_anonymous_visit_round_trips_through_sign_in(create_user, auth, client):
    user = create_user(Role.ADMIN)
    bounced = client.get("/admin/users/?page=1")
    assert bounced.headers["Location"] == "/sign-in?next=/admin/users/?page%3D1"
    page = client.get(bounced.headers["Location"]).text
    next_url = re.search(r'name="next" type="hidden" value="([^"]*)"', page).group(1)
    assert next_url == "/admin/users/?page=1"
    response = auth.login(user.email, next_url=next_url)
    assert response.headers["Location"] == "/admin/users/?page=1"


def test_session_cookie_is_httponly_and_samesite_lax(create_user, auth):
    user = create_user(Role.OFFICER)
    cookie = session_cookie(auth.login(user.email))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # the test config runs over plain http


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}])
def test_session_cookie_is_secure_when_configured(client):
    cookie = session_cookie(client.get("/sign-in"))  # the CSRF token starts a session
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
