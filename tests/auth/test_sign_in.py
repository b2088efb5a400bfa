"""Signing in and out through the real form."""

import re

import pytest
import sqlalchemy as sa

from enforcement.auth.models import Role, SignInAttempt, User
from tests.conftest import DEFAULT_PASSWORD

WRONG = "E-mail address or password is wrong."
FLASH = re.compile(r'<p class="flash flash-(\w+)" role="status">([^<]*)</p>')


def flashes(html: str) -> list[tuple[str, str]]:
    """Return the (category, text) of every flash message on a page."""
    return FLASH.findall(html)


def test_sign_in_and_out(create_user, auth, client):
    user = create_user("officer")
    response = auth.login(user.email)
    assert response.status_code == 302
    assert client.get("/hosters/").status_code == 200
    auth.logout()
    assert client.get("/hosters/").status_code == 302


def test_sign_in_records_the_moment_and_the_attempt(create_user, auth, session):
    user = create_user(Role.LEGAL)
    assert auth.login(user.email.upper()).status_code == 302
    session.expire_all()
    assert session.get(User, user.id).last_sign_in_at is not None
    attempt = session.scalars(sa.select(SignInAttempt)).one()
    assert attempt.succeeded and attempt.email == user.email


def test_sign_out_ends_the_session(signed_in, auth, client):
    signed_in(Role.SUPERVISOR)
    response = auth.logout()
    assert response.headers["Location"] == "/sign-in"
    assert ("info", "You are signed out.") in flashes(client.get("/sign-in").text)
    assert client.get("/").headers["Location"].startswith("/sign-in?next=")


def test_sign_out_needs_a_post_with_a_token(signed_in, client):
    signed_in(Role.OFFICER)
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 400
    assert client.get("/hosters/").status_code == 200  # still signed in


@pytest.mark.parametrize("email", ["officer1@authority.example.test", "nobody@example.test"])
def test_wrong_password_and_unknown_email_get_the_same_answer(create_user, auth, email):
    create_user(Role.OFFICER)  # officer1@authority.example.test
    response = auth.login(email, "not the password")
    assert response.status_code == 401
    assert flashes(response.text) == [("error", WRONG)]
    assert "<h1>Sign in</h1>" in response.text  # the form again, not a redirect
    assert "Location" not in response.headers


def test_failed_attempt_is_recorded(create_user, auth, session):
    user = create_user(Role.OFFICER)
    auth.login(user.email, "not the password")
    attempt = session.scalars(sa.select(SignInAttempt)).one()
    assert not attempt.succeeded and attempt.email == user.email


def test_deactivated_account_is_named_only_with_the_right_password(create_user, auth):
    user = create_user(Role.OFFICER, active=False)
    wrong = auth.login(user.email, "not the password")
    assert wrong.status_code == 401
    assert flashes(wrong.text) == [("error", WRONG)]
    right = auth.login(user.email, DEFAULT_PASSWORD)
    assert right.status_code == 401
    assert flashes(right.text) == [("error", "This account is deactivated. Ask an administrator.")]


def test_empty_form_stays_on_the_page(auth, client, session):
    token = auth.csrf()
    response = client.post("/sign-in", data={"csrf_token": token, "email": "", "password": ""})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert session.scalar(sa.select(sa.func.count(SignInAttempt.id))) == 0
