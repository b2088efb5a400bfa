"""Audit commands: verify the hash chains of every case's events."""

import click
from flask.cli import AppGroup

from enforcement.cases.events import verify_chains
from enforcement.extensions import db

audit_cli = AppGroup("audit", help="The append-only audit trail of the cases.")


@audit_cli.command("verify")
def verify_command() -> None:
    """Recompute every case's event hash chain; name the first broken link of each case."""
    checked, broken = verify_chains(db.session)
    for link in broken:
        click.echo(f"case {link.case_id}: event {link.sequence} {link.problem}", err=True)
    if broken:
        raise click.ClickException(f"{len(broken)} of {checked} case chain(s) are broken.")
    click.echo(f"All {checked} case chain(s) verified.")
