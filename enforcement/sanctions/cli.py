"""Sanctions commands: the money report."""

import csv
import json
import sys

import click
from flask.cli import AppGroup

from enforcement.core.time import utcnow
from enforcement.extensions import db
from enforcement.hosters.models import Hoster
from enforcement.sanctions.deadlines import sync_all
from enforcement.sanctions.reports import COLUMNS, plain_rows, report

sanctions_cli = AppGroup("sanctions", help="The money side of the sanctions.")
HEADERS = ("kvk", "hoster", "imposed", "forfeited", "decided", "paid", "outstanding", "refund")


@sanctions_cli.command("report")
@click.option(
    "--format", "output", type=click.Choice(["table", "json", "csv"]), default="table",
    show_default=True,
)  # fmt: skip
@click.option("--hoster", "kvk", help="Only this hoster (KvK number).")
def report_command(output: str, kvk: str | None) -> None:
    """Print per hoster and in total: imposed, forfeited, decided, paid, outstanding, refund due.

    Amounts are euros as decimal text (1250.00), never floats. JSON goes to standard output
    alone; messages to standard error.
    """
    hoster_id = None
    if kvk is not None:
        hoster_id = db.session.scalar(db.select(Hoster.id).where(Hoster.kvk == kvk))
        if hoster_id is None:
            raise click.BadParameter(f"no hoster has KvK number {kvk!r}", param_hint="--hoster")
    rows = plain_rows(report(db.session, hoster_id))
    click.echo(f"{len(rows) - 1} hoster(s) with sanction amounts.", err=True)
    if output == "json":
        click.echo(json.dumps(rows, indent=2))
    elif output == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([row[c] for c in COLUMNS] for row in rows)
    else:
        table = [list(HEADERS)] + [[row[c] for c in COLUMNS] for row in rows]
        widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS))]
        for line in table:
            pairs = enumerate(zip(line, widths, strict=True))
            cells = [
                value.ljust(width) if i < 2 else value.rjust(width) for i, (value, width) in pairs
            ]
            click.echo("  ".join(cells))


@sanctions_cli.command("deadlines")
def deadlines_command() -> None:
    """Start and end the money deadlines (collection lapse, payment terms) of every case.

    Run it every few minutes with ``orders establish``: it picks up fines and collection
    decisions made known by issuing their letters.
    """
    changed = sync_all(db.session, now=utcnow())
    db.session.commit()
    click.echo(f"Money deadlines changed in {changed} case(s).")
