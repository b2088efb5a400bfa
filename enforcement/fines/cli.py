"""Fine category commands: list, add an indexation, remove a wrong row."""

from datetime import date

import click
from flask.cli import AppGroup

from enforcement.cli import fail
from enforcement.core.errors import DomainError
from enforcement.core.time import LOCAL_TZ, utcnow
from enforcement.extensions import db
from enforcement.fines.amounts import staleness
from enforcement.fines.services import add_categories, all_rows, category_table, remove_categories
from enforcement.metrics.cli import parse_day

fines_cli = AppGroup("fines", help="The fine category amounts (art. 23 Sr) of the maximum fine.")


@fines_cli.command("list")
def list_command() -> None:
    """List the category amounts, removed rows too, and warn when they may be out of date."""
    for row in all_rows(db.session):
        state = "in force" if row.in_force else f"removed: {row.removal_reason}"
        click.echo(f"{row.effective_from}  2nd EUR {row.second:>12,}  6th EUR {row.sixth:>14,}  "
                   f"{row.source}  ({state})")  # fmt: skip
    warning = staleness(category_table(db.session), utcnow().astimezone(LOCAL_TZ).date())
    if warning:
        click.echo(warning, err=True)


@fines_cli.command("add")
@click.option("--from", "first_day", required=True, help="The day the amounts take effect.")
@click.option("--second", required=True, help="The 2nd category in euros, e.g. 5150.")
@click.option("--sixth", required=True, help="The 6th category in euros, e.g. 1030000.")
@click.option("--source", required=True, help="The publication, e.g. 'Stb. 2023, 123'.")
def add_command(first_day: str, second: str, sixth: str, source: str) -> None:
    """Add the amounts of an indexation (art. 23(9) Sr) from a day, with their source."""
    try:
        row = add_categories(db.session, effective_from=parse_day(first_day, "--from"),
                             second=second, sixth=sixth, source=source, actor=None)  # fmt: skip
    except DomainError as exc:
        fail(exc.message)
    db.session.commit()
    click.echo(f"Added: from {row.effective_from}, 2nd EUR {row.second:,}, 6th EUR {row.sixth:,}.")


@fines_cli.command("remove")
@click.argument("first_day")
@click.option("--reason", required=True, help="Why these amounts are removed.")
def remove_command(first_day: str, reason: str) -> None:
    """Remove the amounts in force from a day (they stay on record with the reason)."""
    day: date = parse_day(first_day, "FIRST_DAY")
    row = next((r for r in all_rows(db.session) if r.effective_from == day and r.in_force), None)
    if row is None:
        fail(f"No amounts from {day} are in force.")
    try:
        remove_categories(db.session, row, reason=reason, actor=None)
    except DomainError as exc:
        fail(exc.message)
    db.session.commit()
    click.echo(f"Removed the amounts from {day}; the record stays.")
