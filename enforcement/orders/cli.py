"""Removal order commands: import orders issued elsewhere, report compliance, establish
violations."""

import csv
import json
import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from enforcement.cli import fail, import_file
from enforcement.core.errors import DomainError
from enforcement.core.tabular import FORMATS, iter_records
from enforcement.core.time import format_local, utcnow
from enforcement.extensions import db
from enforcement.metrics.cli import parse_day, parse_moment
from enforcement.notices.cli import zone_option
from enforcement.orders.exports import COMPLIANCE_CSV_COLUMNS, compliance_csv_rows, compliance_json
from enforcement.orders.importing import import_orders
from enforcement.orders.queries import OrderCompliance, issued_orders, order_compliance
from enforcement.orders.violations import establish_violations

orders_cli = AppGroup("orders", help="Removal orders (art. 6): import, compliance, violations.")
TABLE_HEADERS = ("reference", "kvk", "received", "due", "term", "complied", "violated", "pending")


@orders_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "file_format", type=click.Choice(FORMATS), help="Default: from the name.")
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
@click.option("--assume-tz", help="Zone for timestamps without offset, e.g. Europe/Amsterdam.")
def import_command(path: Path, file_format: str | None, dry_run: bool,
                   assume_tz: str | None) -> None:  # fmt: skip
    """Import removal orders issued outside the system, from CSV or JSON Lines.

    One row per item, columns: reference, hoster (KvK number), notice_id, source (optional
    where the notice id is unique), issued_at, received_at (ISO 8601 with UTC offset, or
    without one and --assume-tz),
    term_hours (1 to 12). Rows with one reference form one order. A file with any error
    imports nothing and lists every error by row; importing it again changes nothing.
    """
    zone = zone_option(assume_tz)

    def load(stream, fmt):
        records = iter_records(stream, fmt)
        return import_orders(db.session, records, source_name=path.name, now=utcnow(),
                             assume_tz=zone)  # fmt: skip

    try:
        report = import_file(path, file_format, load)
    except DomainError as exc:  # an order added meanwhile by someone else
        fail(exc.message)
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run: {report.summary()}; nothing was changed.")
        return
    db.session.commit()
    click.echo(f"{report.summary()}.")


def window_option(first_day: str | None, last_day: str | None) -> tuple[date | None, date | None]:
    """Return the days of --from and --to: both, or neither."""
    if (first_day is None) != (last_day is None):
        raise click.UsageError("Give both --from and --to, or neither.")
    if first_day is None:
        return None, None
    start, end = parse_day(first_day, "--from"), parse_day(last_day, "--to")
    if end < start:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    return start, end


@orders_cli.command("compliance")
@click.option("--from", "first_day", help="First day of receipt (Europe/Amsterdam).")
@click.option("--to", "last_day", help="Last day of receipt, inclusive.")
@click.option("--as-of", help="Status as of this moment (ISO 8601 with offset); default now.")
@click.option(
    "--format", "output", type=click.Choice(["table", "json", "csv"]), default="table",
    show_default=True,
)  # fmt: skip
def compliance_command(first_day: str | None, last_day: str | None, as_of: str | None,
                       output: str) -> None:  # fmt: skip
    """Report each issued order's items as complied, violated or pending.

    Without --from and --to every issued order, including those whose receipt is not recorded
    (their term has not started). JSON goes to standard output alone; messages to standard
    error. The CSV has one row per item.
    """
    start, end = window_option(first_day, last_day)
    moment = parse_moment(as_of)
    orders = issued_orders(db.session, first_day=start, last_day=end)
    failures = current_app.config["CHECK_FAILURES_FOR_OFFLINE"]
    found = order_compliance(db.session, orders, as_of=moment, failures_for_offline=failures)
    click.echo(f"{len(found)} issued order(s).", err=True)
    if output == "json":
        click.echo(json.dumps([compliance_json(oc) for oc in found], indent=2))
    elif output == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COMPLIANCE_CSV_COLUMNS)
        writer.writerows(row for oc in found for row in compliance_csv_rows(oc))
    else:
        print_table(found)


def print_table(found: list[OrderCompliance]) -> None:
    """Print one line per order, times in Amsterdam."""
    lines = [list(TABLE_HEADERS)] + [
        [oc.order.reference, oc.order.hoster.kvk, format_local(oc.order.received_at),
         format_local(oc.order.due_at), f"{oc.order.term_hours} h", str(oc.counts.complied),
         str(oc.counts.violated), str(oc.counts.pending)]
        for oc in found
    ]  # fmt: skip
    widths = [max(len(line[i]) for line in lines) for i in range(len(TABLE_HEADERS))]
    for line in lines:
        click.echo("  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)))


@orders_cli.command("establish")
@click.option("--as-of", help="Establish as of this moment (ISO 8601 with offset); default now.")
def establish_command(as_of: str | None) -> None:
    """Store a violation, with its evidence, for every item not made inaccessible in its term.

    Meant to run from cron or a worker every few minutes; a run establishes each violation
    once, so running it again establishes nothing new.
    """
    moment = parse_moment(as_of)
    failures = current_app.config["CHECK_FAILURES_FOR_OFFLINE"]
    try:
        violations = establish_violations(
            db.session, as_of=moment, actor=None, failures_for_offline=failures
        )
    except DomainError as exc:
        fail(exc.message)
    references = sorted({violation.order.reference for violation in violations})
    db.session.commit()
    orders = f" (orders {', '.join(references)})" if references else ""
    click.echo(f"{len(violations)} violation(s) established{orders}.")
