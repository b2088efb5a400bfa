"""``flask public publish``: record art. 9 publication events in the case chains."""

from datetime import datetime

import click
from flask.cli import AppGroup

from enforcement.core.time import utcnow
from enforcement.extensions import db
from enforcement.public.services import record_publications

public_cli = AppGroup("public", help="The public pages: publication of decisions (art. 9).")


@public_cli.command("publish")
@click.option("--as-of", "as_of", default=None, help="ISO moment with time zone; default now.")
def publish_command(as_of: str | None) -> None:
    """Record every publication, update, suspension and withdrawal due as of now (run it every
    few minutes; running it twice records nothing twice)."""
    now = datetime.fromisoformat(as_of) if as_of else utcnow()
    if now.tzinfo is None:
        raise click.BadParameter("give a time zone, e.g. 2026-03-17T00:00:00+01:00")
    done = record_publications(db.session, now)
    db.session.commit()
    for entry, action in done:
        click.echo(f"{action:<10} decision {entry.decision_id} ({entry.kind}, {entry.hoster_name})")
    click.echo(f"{len(done)} publication event(s) recorded.")
