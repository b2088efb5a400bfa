"""The ``flask users`` commands: the password only ever comes from the prompt."""

import sqlalchemy as sa

from enforcement.auth.models import Role, User
from tests.conftest import Auth

PASSWORD = "a long cli password"


def create_command(runner, email: str, role: str = "officer", typed: str = f"{PASSWORD}\n" * 2):
    """Run ``flask users create`` with the password typed at the prompt."""
    return runner.invoke(args=["users", "create", "--email", email, "--role", role], input=typed)


def all_users(session) -> list[tuple]:
    """Return every user as (e-mail, role), fresh from the database."""
    session.expire_all()
    return [tuple(row) for row in session.execute(sa.select(User.email, User.role))]


def test_create_prompts_twice_and_the_user_can_sign_in(app, runner, session):
    result = create_command(runner, "Cli.Officer@authority.example.test")
    assert result.exit_code == 0, result.output
    assert result.output.count("Password") == 1 and "Repeat for confirmation" in result.output
    assert "Created officer cli.officer@authority.example.test." in result.output
    assert PASSWORD not in result.output
    assert all_users(session) == [("cli.officer@authority.example.test", Role.OFFICER)]
    response = Auth(app.test_client()).login("cli.officer@authority.example.test", PASSWORD)
    assert response.status_code == 302


def test_duplicate_email_is_refused_and_changes_nothing(runner, create_user, session):
    create_user(Role.LEGAL, email="taken@authority.example.test")
    before = all_users(session)
    result = create_command(runner, "TAKEN@authority.example.test", role="admin")
    assert result.exit_code != 0
    assert "A user with e-mail address taken@authority.example.test already exists." in (
        result.output
    )
    assert all_users(session) == before


def test_short_password_is_refused(runner, session):
    result = create_command(runner, "short@authority.example.test", typed="too short\n" * 2)
    assert result.exit_code != 0
    assert "Use at least 12 characters." in result.output
    assert all_users(session) == []


def test_different_passwords_create_nobody(runner, session):
    result = create_command(runner, "typo@authority.example.test", typed=f"{PASSWORD}\nother\n")
    assert result.exit_code != 0
    assert "do not match" in result.output
    assert all_users(session) == []


def test_password_is_not_an_option(runner, session):
    args = ["users", "create", "--email", "x@authority.example.test", "--role", "officer"]
    result = runner.invoke(args=[*args, "--password", PASSWORD])
    assert result.exit_code == 2
    assert "No such option '--password'" in result.output
    assert all_users(session) == []


def test_unknown_role_is_refused(runner, session):
    result = create_command(runner, "root@authority.example.test", role="root")
    assert result.exit_code == 2
    assert all_users(session) == []


def test_help_lists_the_create_command(runner):
    result = runner.invoke(args=["users", "--help"])
    assert result.exit_code == 0
    assert "create" in result.output
    assert "Manage the people who use the system." in result.output
