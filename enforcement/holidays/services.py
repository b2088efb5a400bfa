"""Decreed extra holidays: list, add and remove them, keeping every removal as history."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.core.errors import Conflict, FieldErrors, NotFound
from enforcement.core.time import utcnow
from enforcement.deadlines import FIRST_SUPPORTED_YEAR, atw_holiday_names
from enforcement.holidays.models import DecreedHoliday

MAX_NAME_LENGTH = 200
MAX_DECREE_LENGTH = 300
MAX_REASON_LENGTH = 2000


@dataclass(frozen=True)
class CalendarDay:
    """A day that does not count as a working day, for display: its name and where it comes from."""

    day: date
    name: str
    source: str  # "Atw art. 3" or the decree


def extra_holidays(session: Session) -> frozenset[date]:
    """Return the decreed days in force, to pass to the deadline functions as extra holidays."""
    days = session.scalars(sa.select(DecreedHoliday.day).where(DecreedHoliday.removed_at.is_(None)))
    return frozenset(days)


def decreed_holidays(session: Session, *, include_removed: bool = False) -> list[DecreedHoliday]:
    """Return the decreed days, latest day first; with ``include_removed``, the removed ones too."""
    query = sa.select(DecreedHoliday).order_by(DecreedHoliday.day.desc(), DecreedHoliday.id.desc())
    if not include_removed:
        query = query.where(DecreedHoliday.removed_at.is_(None))
    return list(session.scalars(query))


def holiday_calendar(session: Session, year: int) -> list[CalendarDay]:
    """Return a year's Atw holidays and the decreed days in force, in date order."""
    days = [CalendarDay(day, name, "Atw art. 3") for day, name in atw_holiday_names(year).items()]
    in_force = session.scalars(
        sa.select(DecreedHoliday).where(
            DecreedHoliday.removed_at.is_(None),
            DecreedHoliday.day.between(date(year, 1, 1), date(year, 12, 31)),
        )
    )
    days.extend(CalendarDay(h.day, h.name, h.decree) for h in in_force)
    return sorted(days, key=lambda entry: entry.day)


def refusal_for_day(session: Session, day: date) -> str | None:
    """Return why a day cannot be added as a decreed holiday, or None when it can."""
    if day.year < FIRST_SUPPORTED_YEAR:
        return f"Days before {FIRST_SUPPORTED_YEAR} are outside the calendar this system keeps."
    if day.weekday() >= 5:
        return f"{day.isoformat()} is a {day:%A}: weekends never count as working days anyway."
    atw_name = atw_holiday_names(day.year).get(day)
    if atw_name is not None:
        return f"{day.isoformat()} is already a holiday under the Atw itself ({atw_name})."
    taken = session.scalar(
        sa.select(DecreedHoliday).where(
            DecreedHoliday.day == day, DecreedHoliday.removed_at.is_(None)
        )
    )
    if taken is not None:
        return f"{day.isoformat()} is already a decreed holiday ({taken.name}; {taken.decree})."
    return None


def _required_text(errors: dict, field: str, value: str | None, limit: int, hint: str) -> str:
    text = (value or "").strip()
    if not text:
        errors[field] = [hint]
    elif len(text) > limit:
        errors[field] = [f"At most {limit} characters."]
    return text


def add_decreed_holiday(
    session: Session, *, day: date, name: str, decree: str, actor: User | None
) -> DecreedHoliday:
    """Record a day the Crown equates with a holiday (Atw art. 3(3)), naming the decree.

    Raises FieldErrors for a weekend, an Atw holiday, a day already decreed or missing text, and
    Conflict when someone else adds the same day at the same moment. Flushes; the caller commits.
    """
    errors: dict[str, list[str]] = {}
    refusal = refusal_for_day(session, day)
    if refusal:
        errors["day"] = [refusal]
    name = _required_text(errors, "name", name, MAX_NAME_LENGTH, "Name the day.")
    hint = "Cite the decree, e.g. its date and Staatscourant number."
    decree = _required_text(errors, "decree", decree, MAX_DECREE_LENGTH, hint)
    if errors:
        raise FieldErrors(errors)
    holiday = DecreedHoliday(
        day=day, name=name, decree=decree, added_by_id=actor.id if actor else None
    )
    try:
        with session.begin_nested():  # a concurrent add of the same day loses cleanly
            session.add(holiday)
    except IntegrityError:
        raise Conflict(f"{day.isoformat()} was added by someone else just now.") from None
    return holiday


def remove_decreed_holiday(
    session: Session, holiday: DecreedHoliday, *, reason: str, actor: User | None
) -> DecreedHoliday:
    """Take a decreed day out of force, recording who, when and why; the row stays as history.

    Raises FieldErrors without a reason and Conflict when the day was already removed.
    """
    if not holiday.in_force:
        raise Conflict(f"{holiday.day.isoformat()} was already removed.")
    errors: dict[str, list[str]] = {}
    hint = "Say why the day is removed."
    reason = _required_text(errors, "reason", reason, MAX_REASON_LENGTH, hint)
    if errors:
        raise FieldErrors(errors)
    # Only a row still in force is updated, so of two simultaneous removals one wins cleanly.
    removed = session.execute(
        sa.update(DecreedHoliday)
        .where(DecreedHoliday.id == holiday.id, DecreedHoliday.removed_at.is_(None))
        .values(
            removed_at=utcnow(), removed_by_id=actor.id if actor else None, removal_reason=reason
        )
    )
    if removed.rowcount != 1:
        raise Conflict(f"{holiday.day.isoformat()} was removed by someone else just now.")
    session.refresh(holiday)
    return holiday


def get_decreed_holiday(session: Session, holiday_id: int) -> DecreedHoliday:
    """Return a decreed day by id (in force or removed) or raise NotFound."""
    holiday = session.get(DecreedHoliday, holiday_id)
    if holiday is None:
        raise NotFound("No such decreed holiday.")
    return holiday


def decreed_holiday_on(session: Session, day: date) -> DecreedHoliday:
    """Return the decreed day in force on a date or raise NotFound."""
    holiday = session.scalar(
        sa.select(DecreedHoliday).where(
            DecreedHoliday.day == day, DecreedHoliday.removed_at.is_(None)
        )
    )
    if holiday is None:
        raise NotFound(f"{day.isoformat()} is not a decreed holiday in force.")
    return holiday
