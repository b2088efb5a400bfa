"""Command-line interface: thin commands that parse, call a service, commit and print."""

from collections.abc import Callable
from pathlib import Path
from typing import IO, NoReturn, TypeVar

import click
from flask import Flask
from flask.cli import AppGroup

from enforcement.auth.models import Role
from enforcement.auth.services import create_user
from enforcement.core.errors import DomainError, ImportErrors
from enforcement.core.tabular import detect_format
from enforcement.extensions import db

Loaded = TypeVar("Loaded")

users_cli = AppGroup("users", help="Manage the people who use the system.")


def fail(message: str) -> NoReturn:
    """Print an error to standard error and exit with status 1, changing nothing."""
    db.session.rollback()
    raise click.ClickException(message)


def print_errors(errors: list[tuple[int, str, str]]) -> None:
    """Print every error of a file to standard error: "row 3, column kvk: reason"."""
    for row, column, reason in errors:
        where = f"row {row}" if row else "file"
        click.echo(f"{where}{f', column {column}' if column else ''}: {reason}", err=True)


def import_file(
    path: Path, file_format: str | None, load: Callable[[IO[str], str], Loaded]
) -> Loaded:
    """Open an import file (CSV or JSON Lines, UTF-8) and return what ``load`` makes of it;
    a file of unknown format, not UTF-8, or with errors (all printed) exits 1, changing
    nothing."""
    try:
        file_format = detect_format(path, file_format)
    except ValueError as exc:
        fail(str(exc))
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return load(stream, file_format)
    except UnicodeDecodeError:
        fail(f"{path.name} is not UTF-8 text; export it as UTF-8.")
    except OSError as exc:  # unreadable, or a file beside it (NAME.rejected.csv) not writable
        fail(f"{Path(exc.filename or path).name} cannot be read or written ({exc.strerror}).")
    except ImportErrors as exc:
        print_errors(exc.errors)
        fail(exc.message)


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
    from enforcement.dispatch.cli import dispatch_cli
    from enforcement.fines.cli import fines_cli
    from enforcement.holidays.cli import holidays_cli
    from enforcement.hosters.cli import hosters_cli
    from enforcement.letters.cli import letters_cli
    from enforcement.metrics.cli import metrics_cli
    from enforcement.notices.cli import notices_cli
    from enforcement.orders.cli import orders_cli
    from enforcement.public.cli import public_cli
    from enforcement.sanctions.cli import sanctions_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(hosters_cli)
    app.cli.add_command(notices_cli)
    app.cli.add_command(metrics_cli)
    app.cli.add_command(holidays_cli)
    app.cli.add_command(fines_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(letters_cli)
    app.cli.add_command(orders_cli)
    app.cli.add_command(dispatch_cli)
    app.cli.add_command(public_cli)
    app.cli.add_command(sanctions_cli)
    app.cli.add_command(seed_demo_command)
