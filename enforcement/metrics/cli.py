"""Metrics commands: the per-hoster figures report."""

import csv
import json
import sys
from datetime import date, datetime

import click
from flask.cli import AppGroup

from enforcement.core.tabular import safe_cell
from enforcement.core.time import utcnow
from enforcement.extensions import db
from enforcement.metrics.figures import FIGURE_NAMES
from enforcement.metrics.services import report_rows

metrics_cli = AppGroup("metrics", help="Takedown figures per hoster.")
REPORT_COLUMNS = ("hoster_kvk", "hoster_name", *FIGURE_NAMES, "breach", "breach_reasons")


def parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None


def parse_moment(value: str | None) -> datetime:
    if not value:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not ISO 8601", param_hint="--as-of") from None
    if moment.tzinfo is None:
        raise click.BadParameter(
            f"{value!r} has no UTC offset (e.g. 2026-03-01T12:00+01:00)", param_hint="--as-of"
        )
    return moment


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


@metrics_cli.command("report")
@click.option("--from", "first_day", required=True, help="First day (Europe/Amsterdam).")
@click.option("--to", "last_day", required=True, help="Last day, inclusive.")
@click.option("--as-of", help="Measure as of this moment (ISO 8601 with offset); default now.")
@click.option(
    "--format", "output", type=click.Choice(["table", "json", "csv"]), default="table",
    show_default=True,
)  # fmt: skip
def report_command(first_day: str, last_day: str, as_of: str | None, output: str) -> None:
    """Print one row per hoster with notices sent in the window, with its figures and breach.

    An empty median_hours or p90_hours means "more than the window": the rank fell on a notice
    still online at --as-of. JSON goes to standard output alone; messages to standard error.
    """
    start, end = parse_day(first_day, "--from"), parse_day(last_day, "--to")
    if end < start:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    rows = report_rows(db.session, start, end, parse_moment(as_of))
    click.echo(f"{len(rows)} hoster(s) with notices from {start} to {end}.", err=True)
    if output == "json":
        click.echo(json.dumps(rows, indent=2))
    elif output == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(REPORT_COLUMNS)
        writer.writerows([safe_cell(cell(row[c])) for c in REPORT_COLUMNS] for row in rows)
    else:
        print_table(rows)


def print_table(rows: list[dict]) -> None:
    headers = ["kvk", "hoster", "notices", "24h%", ">48h%", ">72h%", "median h", "p90 h",
               "online", "relapsed", "breach"]  # fmt: skip
    keys = ["hoster_kvk", "hoster_name", *FIGURE_NAMES, "breach"]
    table = [headers] + [
        [cell(row[k]) if row[k] is not None or "hours" not in k else "> window" for k in keys]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    for line in table:
        click.echo("  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)))
