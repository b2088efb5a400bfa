"""Admin user management through the web pages, as an administrator would use them."""

import pytest
import sqlalchemy as sa

from enforcement.auth.models import Role, User
from tests.conftest import Auth, csrf_token_from

NEW_PASSWORD = "a long initial password"


def user_count(session) -> int:
    """Return how many users exist."""
    return session.scalar(sa.select(sa.func.count(User.id)))


def reload(session, user: User) -> User:
    """Return the user as the database has it now."""
    session.expire_all()
    return session.get(User, user.id)


def post_form(client, form_path: str, action: str, **data):
    """Post to ``action`` with the CSRF token from the page at ``form_path``."""
    token = csrf_token_from(client.get(form_path).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token, **data})


def create_form(email: str, password: str = NEW_PASSWORD, repeat: str | None = None, **extra):
    """Return the fields of the create-user form."""
    fields = {"email": email, "role": "officer", "password": password}
    fields["password_repeat"] = password if repeat is None else repeat
    return {**fields, **extra}


def listed(body: str, email: str) -> bool:
    """Return whether the user list links to this user."""
    return f">{email}</a>" in body


def second_client(app, user: User) -> Auth:
    """Sign a user in on a client of their own, next to the administrator's."""
    other = Auth(app.test_client())
    assert other.login(user.email).status_code == 302
    return other


def test_list_shows_users_with_role_and_state(signed_in, create_user, client):
    signed_in(Role.ADMIN)
    create_user(Role.LEGAL, email="gone@authority.example.test", active=False)
    body = client.get("/admin/users/").text
    assert "gone@authority.example.test" in body
    assert "legal" in body
    assert "no (deactivated)" in body
    assert "never" in body  # the deactivated user never signed in


@pytest.mark.parametrize("app_config", [{"USERS_PER_PAGE": 2}])
def test_list_is_paged(signed_in, create_user, client):
    signed_in(Role.ADMIN, email="a-admin@authority.example.test")
    for number in range(4):
        create_user(Role.OFFICER, email=f"officer{number}@authority.example.test")
    first = client.get("/admin/users/").text
    assert "Page 1 of 3 (5 in all)" in first
    assert listed(first, "a-admin@authority.example.test")
    assert listed(first, "officer0@authority.example.test")
    assert not listed(first, "officer1@authority.example.test")
    last = client.get("/admin/users/?page=3").text
    assert listed(last, "officer3@authority.example.test")
    assert not listed(last, "a-admin@authority.example.test")
    assert client.get("/admin/users/?page=9").status_code == 400  # past the last page


def test_admin_creates_a_user_who_can_sign_in(app, signed_in, client, session):
    signed_in(Role.ADMIN)
    data = create_form("New.Officer@Authority.example.test", role="legal")
    response = post_form(client, "/admin/users/new", "/admin/users/new", **data)
    assert response.status_code == 302
    created = session.scalar(sa.select(User).where(User.email.like("new.officer%")))
    assert created.email == "new.officer@authority.example.test"
    assert created.role == Role.LEGAL and created.active
    assert response.headers["Location"] == f"/admin/users/{created.id}"
    assert "Created legal new.officer@" in client.get(response.headers["Location"]).text
    assert Auth(app.test_client()).login(created.email, NEW_PASSWORD).status_code == 302


def test_duplicate_email_is_refused_and_nothing_changes(signed_in, create_user, client, session):
    signed_in(Role.ADMIN)
    existing = create_user(Role.OFFICER, email="taken@authority.example.test")
    before = user_count(session)
    data = create_form("Taken@authority.example.test", role="admin")
    response = post_form(client, "/admin/users/new", "/admin/users/new", **data)
    assert response.status_code == 422
    assert "A user with e-mail address taken@authority.example.test already exists." in (
        response.text
    )
    assert user_count(session) == before
    assert reload(session, existing).role == Role.OFFICER


@pytest.mark.parametrize(
    ("password", "repeat", "message"),
    [
        ("short pw", "short pw", "Use at least 12 characters."),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "The two passwords differ."),
    ],
)
def test_weak_or_mistyped_password_is_refused(
    signed_in, client, session, password, repeat, message
):
    signed_in(Role.ADMIN)
    data = create_form("weak@authority.example.test", password, repeat)
    response = post_form(client, "/admin/users/new", "/admin/users/new", **data)
    assert response.status_code == 422
    assert message in response.text
    assert session.scalar(sa.select(User).where(User.email.like("weak%"))) is None


def test_invalid_email_is_refused_next_to_the_field(signed_in, client, session):
    signed_in(Role.ADMIN)
    before = user_count(session)
    response = post_form(client, "/admin/users/new", "/admin/users/new", **create_form("no-at"))
    assert response.status_code == 422
    assert "not a valid e-mail address" in response.text
    assert user_count(session) == before


def test_role_change_ends_the_users_sessions_and_holds_at_next_sign_in(
    app, signed_in, create_user, client
):
    signed_in(Role.ADMIN)
    officer = create_user(Role.OFFICER)
    other = second_client(app, officer)
    assert other.client.get("/admin/users/").status_code == 403
    page = f"/admin/users/{officer.id}"
    response = post_form(client, page, f"{page}/role", role="admin")
    assert response.status_code == 302
    assert "now has the role admin" in client.get(page).text
    assert other.client.get("/admin/users/").status_code == 302  # signed out
    other.login(officer.email)
    assert other.client.get("/admin/users/").status_code == 200


def test_deactivated_user_is_signed_out_and_cannot_sign_in(app, signed_in, create_user, client):
    signed_in(Role.ADMIN)
    officer = create_user(Role.OFFICER)
    other = second_client(app, officer)
    assert other.client.get("/hosters/").status_code == 200
    page = f"/admin/users/{officer.id}"
    assert post_form(client, page, f"{page}/active", active="0").status_code == 302
    response = other.client.get("/hosters/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")
    refused = other.login(officer.email)
    assert refused.status_code == 401
    assert "This account is deactivated" in refused.text


def test_reactivated_user_can_sign_in_again(app, signed_in, create_user, client):
    signed_in(Role.ADMIN)
    officer = create_user(Role.OFFICER, active=False)
    page = f"/admin/users/{officer.id}"
    assert post_form(client, page, f"{page}/active", active="1").status_code == 302
    assert Auth(app.test_client()).login(officer.email).status_code == 302


def test_admin_cannot_deactivate_self(signed_in, create_user, client, session):
    admin = signed_in(Role.ADMIN)
    create_user(Role.ADMIN)  # not the last administrator: the self rule alone refuses
    page = f"/admin/users/{admin.id}"
    response = post_form(client, page, f"{page}/active", active="0")
    assert response.status_code == 302
    assert "You cannot deactivate your own account." in client.get(page).text
    assert reload(session, admin).active


def test_last_admin_cannot_demote_self(signed_in, create_user, client, session):
    admin = signed_in(Role.ADMIN)
    create_user(Role.ADMIN, active=False)  # an inactive administrator does not count
    page = f"/admin/users/{admin.id}"
    response = post_form(client, page, f"{page}/role", role="officer")
    assert response.headers["Location"] == page
    assert "last active administrator" in client.get(page).text
    assert reload(session, admin).role == Role.ADMIN


def test_admin_may_demote_self_when_another_admin_remains(signed_in, create_user, client, session):
    admin = signed_in(Role.ADMIN)
    create_user(Role.ADMIN)
    page = f"/admin/users/{admin.id}"
    response = post_form(client, page, f"{page}/role", role="supervisor")
    assert response.headers["Location"] == "/"
    assert reload(session, admin).role == Role.SUPERVISOR
    # A role change ends the user's sessions, this one too: the new role holds at next sign-in.
    assert client.get("/admin/users/").headers["Location"].startswith("/sign-in")


def test_invalid_role_or_state_is_a_message_not_an_error(signed_in, create_user, client, session):
    signed_in(Role.ADMIN)
    officer = create_user(Role.OFFICER)
    page = f"/admin/users/{officer.id}"
    assert post_form(client, page, f"{page}/role", role="root").status_code == 302
    assert "Choose one of the listed roles." in client.get(page).text
    assert post_form(client, page, f"{page}/active", active="maybe").status_code == 302
    assert "Choose to deactivate or to reactivate the account." in client.get(page).text
    officer = reload(session, officer)
    assert officer.role == Role.OFFICER and officer.active


def test_unknown_user_is_404(signed_in, client):
    signed_in(Role.ADMIN)
    response = client.get("/admin/users/9999")
    assert response.status_code == 404
    assert "No such user." in response.text
    token = csrf_token_from(client.get("/admin/users/new").text)
    assert client.post("/admin/users/9999/active", data={"csrf_token": token}).status_code == 404
