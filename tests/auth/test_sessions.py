"""Sessions end: sign-out, password and role changes end every session of the user on the
server; an idle session and an old one end by themselves (issue 15, finding 2)."""

import time
import types

import pytest

from enforcement.auth import login as login_module
from enforcement.auth.models import Role
from enforcement.auth.services import change_role, set_password
from tests.conftest import Auth


def copy_of_session(app, client):
    """Return a second client holding a copy of the first client's session cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def test_a_copied_cookie_stops_working_after_sign_out(app, signed_in, auth, client):
    signed_in(Role.OFFICER)
    thief = copy_of_session(app, client)
    assert thief.get("/hosters/").status_code == 200
    auth.logout()
    assert thief.get("/hosters/").status_code == 302


def test_sign_out_ends_the_users_other_sessions(app, create_user):
    user = create_user(Role.OFFICER)
    laptop, phone = app.test_client(), app.test_client()
    Auth(laptop).login(user.email)
    Auth(phone).login(user.email)
    Auth(laptop).logout()
    assert phone.get("/hosters/").status_code == 302


@pytest.mark.parametrize("change", ["password", "role"])
def test_password_or_role_change_ends_every_session(app, signed_in, client, session, change):
    user = signed_in(Role.OFFICER)
    if change == "password":
        set_password(session, user, "a brand new long passphrase")
    else:
        change_role(session, user, Role.LEGAL, actor=user)
    session.commit()
    response = client.get("/hosters/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def at(monkeypatch, seconds_from_now: float) -> None:
    moment = time.time() + seconds_from_now
    monkeypatch.setattr(login_module, "time", types.SimpleNamespace(time=lambda: moment))


def test_an_idle_session_ends(app, signed_in, client, monkeypatch):
    signed_in(Role.OFFICER)
    at(monkeypatch, 29 * 60)
    assert client.get("/hosters/").status_code == 200
    at(monkeypatch, 29 * 60 + 31 * 60)  # 31 minutes after the last request
    assert client.get("/hosters/").status_code == 302


def test_an_active_session_still_ends_after_its_lifetime(app, signed_in, client, monkeypatch):
    signed_in(Role.OFFICER)
    for minutes in range(20, 12 * 60, 20):
        at(monkeypatch, minutes * 60)
        assert client.get("/hosters/").status_code == 200
    at(monkeypatch, 12 * 3600 + 60)
    assert client.get("/hosters/").status_code == 302


def test_the_session_cookie_expires_with_the_lifetime(create_user, auth):
    user = create_user(Role.OFFICER)
    cookie = next(
        h for h in auth.login(user.email).headers.getlist("Set-Cookie") if h.startswith("session=")
    )
    assert "Expires=" in cookie
