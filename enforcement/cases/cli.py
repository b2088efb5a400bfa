"""Audit commands: verify the case chains and the checkpoints; record a checkpoint."""

import click
from flask.cli import AppGroup

from enforcement.cases.events import verify_chains
from enforcement.casework.audit import checkpoint_problems, make_checkpoint, stage_problems
from enforcement.core.errors import DomainError
from enforcement.extensions import db

audit_cli = AppGroup("audit", help="The append-only audit trail of the cases.")


@audit_cli.command("verify")
def verify_command() -> None:
    """Recompute every case's event hash chain, name the first broken link of each case, check
    each case's stage against its events, and find every head the latest checkpoint recorded."""
    checked, broken = verify_chains(db.session)
    for link in broken:
        click.echo(f"case {link.case_id}: event {link.sequence} {link.problem}", err=True)
    problems = stage_problems(db.session)
    checkpoint, missing = checkpoint_problems(db.session)
    for line in problems + missing:
        click.echo(line, err=True)
    db.session.rollback()  # read only
    if broken or problems or missing:
        raise click.ClickException(
            f"{len(broken)} of {checked} case chain(s) are broken; "
            f"{len(problems) + len(missing)} other problem(s)."
        )
    click.echo(f"All {checked} case chain(s) verified.")
    click.echo(
        f"Checked against checkpoint {checkpoint.id}." if checkpoint else "No checkpoint yet."
    )


@audit_cli.command("checkpoint")
def checkpoint_command() -> None:
    """Seal the heads of every case chain and of the letter register (run it regularly)."""
    try:
        checkpoint = make_checkpoint(db.session)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"Checkpoint {checkpoint.id}: {len(checkpoint.case_heads)} case chain(s), "
               f"{len(checkpoint.letter_heads)} register year(s).")  # fmt: skip
