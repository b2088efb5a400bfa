"""User management services: the rules hold whatever the caller (web page or command) is."""

import pytest

from enforcement.auth import services
from enforcement.auth.models import Role
from enforcement.auth.services import (
    EmailTaken,
    change_role,
    check_password_strength,
    get_user,
    set_active,
)
from enforcement.core.errors import Conflict, FieldErrors, NotFound

PASSWORD = "a long enough password"


def new_user(session, email: str, password: str = PASSWORD, role: str = "officer"):
    """Call the create service directly, as the command line does."""
    return services.create_user(session, email=email, password=password, role=role, actor=None)


def test_create_user_normalizes_and_hashes(session):
    user = new_user(session, " Mixed@Authority.Example.Test ", role="legal")
    assert user.email == "mixed@authority.example.test"
    assert user.role == Role.LEGAL and user.active
    assert PASSWORD not in user.password_hash


def test_create_user_reports_every_bad_field_at_once(session):
    with pytest.raises(FieldErrors) as caught:
        new_user(session, "no-at", password="short", role="root")
    assert set(caught.value.errors) == {"email", "role", "password"}


def test_duplicate_email_is_a_conflict_on_the_email_field(create_user, session):
    create_user(Role.OFFICER, email="taken@authority.example.test")
    with pytest.raises(EmailTaken) as caught:
        new_user(session, "TAKEN@authority.example.test")
    assert isinstance(caught.value, Conflict)
    assert caught.value.errors == {
        "email": ["A user with e-mail address taken@authority.example.test already exists."]
    }


@pytest.mark.parametrize(("password", "ok"), [("x" * 11, False), ("x" * 12, True), ("", False)])
def test_password_strength(password, ok):
    if ok:
        check_password_strength(password)
    else:
        with pytest.raises(FieldErrors, match="at least 12 characters"):
            check_password_strength(password)


def test_get_user_raises_not_found(session):
    with pytest.raises(NotFound):
        get_user(session, 404)


def test_last_active_admin_keeps_the_role(create_user, session):
    admin = create_user(Role.ADMIN)
    create_user(Role.ADMIN, active=False)
    officer = create_user(Role.OFFICER)
    with pytest.raises(Conflict, match="last active administrator"):
        change_role(session, admin, Role.LEGAL, actor=officer)
    assert change_role(session, admin, Role.ADMIN, actor=admin).role == Role.ADMIN


def test_last_active_admin_cannot_be_deactivated_by_anyone(create_user, session):
    admin = create_user(Role.ADMIN)
    officer = create_user(Role.OFFICER)
    with pytest.raises(Conflict, match="last active administrator"):
        set_active(session, admin, False, actor=officer)
    assert admin.active


def test_nobody_deactivates_themselves(create_user, session):
    admin = create_user(Role.ADMIN)
    create_user(Role.ADMIN)
    with pytest.raises(Conflict, match="your own account"):
        set_active(session, admin, False, actor=admin)


def test_an_admin_may_go_when_another_remains(create_user, session):
    first, second = create_user(Role.ADMIN), create_user(Role.ADMIN)
    assert not set_active(session, first, False, actor=second).active
    with pytest.raises(Conflict):
        change_role(session, second, Role.OFFICER, actor=second)
    assert set_active(session, first, True, actor=second).active
    assert change_role(session, second, Role.OFFICER, actor=first).role == Role.OFFICER


@pytest.mark.parametrize(
    ("password", "email", "reason"),
    [
        ("password1234", "", "most common"),
        ("Wachtwoord123", "", "most common"),
        ("correct horse battery staple", "", "most common"),
        ("jan.jansen-secret", "jan.jansen@authority.example.test", "e-mail address's name"),
        ("my JANSEN is long enough", "jansen@authority.example.test", "e-mail address's name"),
    ],
)
def test_common_passwords_and_the_email_name_are_refused(password, email, reason):
    """Issue 15, finding 9: passwords were checked for length only."""
    with pytest.raises(FieldErrors, match=reason):
        check_password_strength(password, email)


def test_a_user_cannot_be_given_a_password_with_their_name(session):
    with pytest.raises(FieldErrors, match="e-mail address's name"):
        new_user(session, "pieter@authority.example.test", password="pieter is my password")
