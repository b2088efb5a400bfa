"""Letter commands: verify the register of issued letters."""

import click
from flask.cli import AppGroup

from enforcement.core.errors import NotFound
from enforcement.extensions import db
from enforcement.letters.services import register_gaps, verify_letters

letters_cli = AppGroup("letters", help="Formal letters and the register of issued letters.")


@letters_cli.command("verify")
@click.argument("kenmerk", required=False)
def verify_command(kenmerk: str | None) -> None:
    """Re-render issued letters (all, or KENMERK) and report any whose SHA-256 or seal differs,
    and any gap in the kenmerken."""
    try:
        checked, failed = verify_letters(db.session, kenmerk)
        gaps = register_gaps(db.session) if kenmerk is None else []
    except NotFound as exc:
        raise click.ClickException(exc.message) from None
    finally:
        db.session.rollback()  # read only
    for check in failed:
        click.echo(f"{check.kenmerk}: {'; '.join(check.problems)}", err=True)
    for gap in gaps:
        click.echo(f"register {gap}", err=True)
    if failed or gaps:
        differ = f"{len(failed)} of {checked} issued letter(s) differ."
        raise click.ClickException(differ + (f" {len(gaps)} year(s) have gaps." if gaps else ""))
    click.echo(f"All {checked} issued letter(s) verified.")
    if kenmerk is None:
        click.echo("The register has no gaps.")
