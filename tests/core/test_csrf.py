"""CSRF protection: a form posted without this site's token is refused and changes nothing."""

import pytest
import sqlalchemy as sa

from enforcement.auth.models import Role, SignInAttempt, User
from tests.conftest import DEFAULT_PASSWORD

FORGED = "ImZvcmdlZCI.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"
NEW_USER = {
    "email": "forged@authority.example.test",
    "role": "admin",
    "password": "a long enough password",
    "password_repeat": "a long enough password",
}


def count(session, model) -> int:
    """Return how many rows a table has."""
    session.expire_all()
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("token", [None, FORGED, ""])
def test_sign_in_without_a_valid_token_is_refused(create_user, client, session, token):
    user = create_user(Role.OFFICER)
    client.get("/sign-in")  # a session exists, so only the token is wrong
    data = {"email": user.email, "password": DEFAULT_PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/sign-in", data=data)
    assert response.status_code == 400
    assert "not sent from this site" in response.text
    assert count(session, SignInAttempt) == 0
    assert client.get("/hosters/").status_code == 302  # not signed in


def test_token_from_another_session_is_refused(app, create_user, auth, client, session):
    user = create_user(Role.OFFICER)
    other_token = auth.csrf()
    fresh = app.test_client()
    data = {"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": other_token}
    assert fresh.post("/sign-in", data=data).status_code == 400
    assert count(session, SignInAttempt) == 0


@pytest.mark.parametrize("token", [None, FORGED])
def test_forged_admin_form_creates_nobody(signed_in, client, session, token):
    signed_in(Role.ADMIN)
    before = count(session, User)
    data = dict(NEW_USER) if token is None else {**NEW_USER, "csrf_token": token}
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 400
    assert count(session, User) == before


def test_json_client_gets_a_json_csrf_error(client):
    response = client.post("/sign-in", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json["status"] == 400
