"""Holiday commands: list a year's holidays, add or remove a day the Crown decreed."""

from datetime import date, datetime

import click
from flask.cli import AppGroup

from enforcement.cli import fail
from enforcement.core.errors import DomainError
from enforcement.core.time import LOCAL_TZ, utcnow
from enforcement.deadlines import FIRST_SUPPORTED_YEAR
from enforcement.extensions import db
from enforcement.holidays.services import (
    add_decreed_holiday,
    decreed_holiday_on,
    holiday_calendar,
    remove_decreed_holiday,
)

holidays_cli = AppGroup(
    "holidays", help="The holidays statutory deadlines skip (Algemene termijnenwet)."
)
DAY = click.DateTime(formats=["%Y-%m-%d"])


def as_day(value: datetime) -> date:
    return value.date()


@holidays_cli.command("list")
@click.option(
    "--year",
    type=click.IntRange(FIRST_SUPPORTED_YEAR, 9998),
    help="The calendar year; default: this year in Europe/Amsterdam.",
)
def list_command(year: int | None) -> None:
    """List a year's Atw holidays and the decreed days in force, in date order."""
    year = year or utcnow().astimezone(LOCAL_TZ).year
    for entry in holiday_calendar(db.session, year):
        click.echo(f"{entry.day.isoformat()} {entry.day:%a}  {entry.name}  ({entry.source})")


@holidays_cli.command("add")
@click.argument("day", metavar="DATE", type=DAY)
@click.option("--name", required=True, help="What the day is, e.g. 'Friday after Ascension Day'.")
@click.option("--decree", required=True, help="The decree: its date and number or publication.")
def add_command(day: datetime, name: str, decree: str) -> None:
    """Add DATE (YYYY-MM-DD) as a day the Crown equates with a holiday (Atw art. 3(3))."""
    try:
        holiday = add_decreed_holiday(
            db.session, day=as_day(day), name=name, decree=decree, actor=None
        )
    except DomainError as exc:
        fail(exc.message)
    db.session.commit()
    click.echo(f"Added {holiday.day.isoformat()} ({holiday.name}); deadlines now skip it.")


@holidays_cli.command("remove")
@click.argument("day", metavar="DATE", type=DAY)
@click.option("--reason", required=True, help="Why the day no longer counts; kept as history.")
def remove_command(day: datetime, reason: str) -> None:
    """Take the decreed day DATE (YYYY-MM-DD) out of force; the record of it stays."""
    try:
        holiday = decreed_holiday_on(db.session, as_day(day))
        remove_decreed_holiday(db.session, holiday, reason=reason, actor=None)
    except DomainError as exc:
        fail(exc.message)
    db.session.commit()
    click.echo(f"Removed {holiday.day.isoformat()} ({holiday.name}); the record stays.")
