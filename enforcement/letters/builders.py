"""Context functions of the letter kinds, and the parts they share (deadlines, decisions).

Each takes ``Gathered`` and returns the template's plain values; pure (no database), so
tests fill it with stand-ins. Deadlines count from the letter's own date, the moment of
notification (Awb 2:17), with the decreed holidays the gatherer found.
"""

from datetime import date, datetime
from typing import Any

from enforcement.core.time import to_local
from enforcement.deadlines import DeadlineKind, due_at
from enforcement.letters.context import (
    Gathered,
    letter_moment,
    plain,
    warning_context,
)


def term_end(
    kind: DeadlineKind, letter_date: date | datetime, weeks: int, holidays: frozenset[date]
) -> str:
    """Return the last day of a term of ``weeks`` from the letter's moment, as ISO text."""
    end = due_at(kind, letter_moment(letter_date), weeks=weeks, extra_holidays=holidays)
    return to_local(end).date().isoformat()


def warning(
    gathered: Gathered, *, language: str, letter_date: date | datetime, kenmerk: str | None
) -> dict[str, Any]:
    """Build the warning letter (not a decision): figures, norm, improvement window."""
    facts = gathered.facts
    deadline = facts.get("improvement_ends") or term_end(
        DeadlineKind.IMPROVEMENT_WINDOW,
        letter_date,
        facts["improvement_weeks"],
        gathered.extra_holidays,
    )
    context = warning_context(
        gathered.case,
        gathered.measurement,
        gathered.notices,
        date.fromisoformat(deadline) if isinstance(deadline, str) else deadline,
        language=language,
        letter_date=letter_date,
        kenmerk=kenmerk,
    )
    context["earlier_letters"] = plain(list(gathered.earlier_letters))
    context["source"] = plain(dict(gathered.source))
    return context
