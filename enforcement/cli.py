"""Command-line interface: thin commands that parse, call a service, commit and print."""

from typing import NoReturn

import click
from flask import Flask
from flask.cli import AppGroup

from enforcement.auth.models import Role
from enforcement.auth.services import create_user
from enforcement.core.errors import DomainError
from enforcement.extensions import db

users_cli = AppGroup("users", help="Manage the people who use the system.")


def fail(message: str) -> NoReturn:
    """Print an error to standard error and exit with status 1, changing nothing."""
    db.session.rollback()
    raise click.ClickException(message)


@users_cli.command("create")
@click.option("--email", required=True, help="The user's e-mail address (their sign-in name).")
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in Role]), help="The user's role."
)
def users_create(email: str, role: str) -> None:
    """Create a user; the password is prompted twice (never an argument) and stored hashed."""
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(db.session, email=email, password=password, role=role, actor=None)
    except DomainError as exc:
        fail(exc.message)
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


def register_commands(app: Flask) -> None:
    from enforcement.cases.cli import audit_cli
    from enforcement.demo import seed_demo_command
    from enforcement.holidays.cli import holidays_cli
    from enforcement.hosters.cli import hosters_cli
    from enforcement.letters.cli import letters_cli
    from enforcement.metrics.cli import metrics_cli
    from enforcement.notices.cli import notices_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(hosters_cli)
    app.cli.add_command(notices_cli)
    app.cli.add_command(metrics_cli)
    app.cli.add_command(holidays_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(letters_cli)
    app.cli.add_command(seed_demo_command)
