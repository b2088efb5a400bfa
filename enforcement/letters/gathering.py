"""One gatherer per letter kind: collect from a case what its letter cites (reads only).

A gatherer returns ``Gathered`` (enforcement.letters.context): the step's recorded params and
facts, the measurement of the window the step relied on, the cited notices, the case's issued
letters, the decreed holidays, and ``source`` (the options it was given, so a draft can be
gathered again for a later date). Options arrive as values or as the ISO text a stored
context keeps them in.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from enforcement.cases.ladder import Trigger
from enforcement.cases.models import Case
from enforcement.cases.services import DEFAULT_PARAMS
from enforcement.core.errors import DomainError
from enforcement.core.time import to_local
from enforcement.letters.context import Gathered
from enforcement.letters.records import (
    StepRecord,
    gathered,
    measure,
    relied_on_figures,
    step_record,
)

WARNING_OPTIONS = ("first_day", "last_day", "as_of", "improvement_ends")


def as_day(value: date | str) -> date:
    """Return a day given as a date (or a moment) or as ISO text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return to_local(value).date() if isinstance(value, datetime) else value


def as_moment(value: datetime | str) -> datetime:
    """Return an aware moment given as a datetime or as ISO text."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        raise DomainError("A moment needs a time zone.")
    return moment


def optional_step(session: Session, case: Case, trigger: Trigger) -> StepRecord | None:
    """Return the step's record, or None when the case has not taken or proposed it."""
    try:
        return step_record(session, case, trigger)
    except DomainError:
        return None


def source(kind: str, options: dict[str, Any], step: StepRecord | None) -> dict[str, Any]:
    """Return how a letter was gathered: its kind, the options given, the step it read."""
    return {"kind": kind, "options": options, "step": step.plain() if step else None}


def gather_warning(
    session: Session,
    case: Case,
    *,
    first_day: date | str | None = None,
    last_day: date | str | None = None,
    as_of: datetime | str | None = None,
    improvement_ends: date | str | None = None,
) -> Gathered:
    """Gather the warning: the window given, or the one the case was opened (or reopened) on."""
    step = optional_step(session, case, Trigger.SEND_WARNING)
    options = {"first_day": first_day, "last_day": last_day, "as_of": as_of,
               "improvement_ends": improvement_ends}  # fmt: skip
    options = {name: value for name, value in options.items() if value is not None}
    if first_day is None or last_day is None or as_of is None:
        recorded = relied_on_figures(session, case, step)
        if recorded is None:
            raise DomainError("Give the window the warning relies on; the case records none.")
        first_day = first_day or recorded["window"][0]
        last_day = last_day or recorded["window"][1]
        as_of = as_of or recorded["as_of"]
    measurement, notices = measure(
        session, case, as_day(first_day), as_day(last_day), as_moment(as_of)
    )
    weeks = (step.params if step else {}).get(
        "improvement_weeks", DEFAULT_PARAMS[Trigger.SEND_WARNING]["improvement_weeks"]
    )
    facts = {
        "improvement_weeks": weeks,
        "improvement_ends": as_day(improvement_ends) if improvement_ends else None,
    }
    return gathered(
        session, case, facts=facts, source=source("warning", options, step),
        measurement=measurement, notices=notices,
    )  # fmt: skip
