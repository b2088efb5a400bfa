"""Letter commands: verify the register of issued letters."""

import click
from flask.cli import AppGroup

from enforcement.core.errors import NotFound
from enforcement.extensions import db
from enforcement.letters.services import verify_letters

letters_cli = AppGroup("letters", help="Formal letters and the register of issued letters.")


@letters_cli.command("verify")
@click.argument("kenmerk", required=False)
def verify_command(kenmerk: str | None) -> None:
    """Re-render issued letters (all, or KENMERK) and report any whose SHA-256 differs."""
    try:
        checked, failed = verify_letters(db.session, kenmerk)
    except NotFound as exc:
        raise click.ClickException(exc.message) from None
    finally:
        db.session.rollback()  # read only
    for check in failed:
        click.echo(f"{check.kenmerk}: {'; '.join(check.problems)}", err=True)
    if failed:
        raise click.ClickException(f"{len(failed)} of {checked} issued letter(s) differ.")
    click.echo(f"All {checked} issued letter(s) verified.")
