"""Context functions of the letter kinds, and the parts they share (deadlines, decisions).

Each takes ``Gathered`` and returns the template's plain values; pure (no database), so
tests fill it with stand-ins. Deadlines count from the letter's own date, the moment of
notification (Awb 2:17), with the decreed holidays the gatherer found. The penalty and fine
kinds are in ``enforcement.letters.sanctions``.
"""

from datetime import date, datetime, timedelta
from typing import Any

from enforcement.cases.guards import CLOSE_REASONS
from enforcement.cases.models import DECIDED_BY_LETTER
from enforcement.core.time import to_local
from enforcement.deadlines import DeadlineKind, due_at, objection_term_end
from enforcement.letters.context import (
    Gathered,
    common_context,
    letter_moment,
    plain,
    warning_context,
)

# Art. 9 of the 2024 law: publication waits at least two weeks after the decision is made known.
PUBLICATION_WAIT = timedelta(weeks=2)
OBJECTION_OUTCOMES = DECIDED_BY_LETTER


def notified_on(letter_date: date | datetime) -> date:
    """Return the day the letter is made known, in Amsterdam."""
    return letter_moment(letter_date).date()


def term(
    kind: DeadlineKind, letter_date: date | datetime, weeks: int, holidays: frozenset[date]
) -> dict[str, Any]:
    """Return a term of ``weeks`` from the letter's moment: its length and last day."""
    end = due_at(kind, letter_moment(letter_date), weeks=weeks, extra_holidays=holidays)
    return {"weeks": weeks, "ends_on": to_local(end).date().isoformat()}


def remedy(letter_date: date | datetime, holidays: frozenset[date], kind: str = "objection"):
    """Return a decision's remedy: objection (or appeal) within six weeks, its last day."""
    last_day = objection_term_end(notified_on(letter_date), holidays)
    return {"kind": kind, "last_day": last_day.isoformat()}


def base(kind: str, gathered: Gathered, language: str, letter_date, kenmerk) -> dict[str, Any]:
    """Return the shared context (header, addressee, figures, notices) of a registry kind."""
    return common_context(
        kind, gathered, language=language, letter_date=letter_date, kenmerk=kenmerk
    )


def warning(
    gathered: Gathered, *, language: str, letter_date: date | datetime, kenmerk: str | None
) -> dict[str, Any]:
    """Build the warning letter (not a decision): figures, norm, improvement window."""
    facts = gathered.facts
    deadline = facts.get("improvement_ends")
    if deadline is None:
        weeks, holidays = facts["improvement_weeks"], gathered.extra_holidays
        deadline = term(DeadlineKind.IMPROVEMENT_WINDOW, letter_date, weeks, holidays)["ends_on"]
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


def naming_intent(
    gathered: Gathered, *, language: str, letter_date: date | datetime, kenmerk: str | None
) -> dict[str, Any]:
    """Build the notice of intent to name publicly (not a decision): figures, reaction period."""
    context = base("naming_intent", gathered, language, letter_date, kenmerk)
    context["reaction"] = term(
        DeadlineKind.REACTION_PERIOD,
        letter_date,
        gathered.facts["reaction_weeks"],
        gathered.extra_holidays,
    )
    return context


def naming_decision(
    gathered: Gathered, *, language: str, letter_date: date | datetime, kenmerk: str | None
) -> dict[str, Any]:
    """Build the decision to publish (art. 9): what is published, from when, the objection."""
    facts = gathered.facts
    context = base("naming_decision", gathered, language, letter_date, kenmerk)
    context["heard"] = dict(facts["heard"]) if facts.get("heard") else None
    context["publication"] = {
        "not_before": (notified_on(letter_date) + PUBLICATION_WAIT).isoformat(),
        "pending_objections": plain(list(facts.get("pending_objections", []))),
    }
    context["remedy"] = remedy(letter_date, gathered.extra_holidays)
    return context


def objection_decision(
    gathered: Gathered, *, language: str, letter_date: date | datetime, kenmerk: str | None
) -> dict[str, Any]:
    """Build the decision on an objection (Awb 7:11): outcome, reasons, and the appeal."""
    facts = gathered.facts
    objection = dict(facts["objection"])
    if objection["outcome"] not in OBJECTION_OUTCOMES:
        raise ValueError(f"no decision letter for an objection that is {objection['outcome']}")
    context = base("objection_decision", gathered, language, letter_date, kenmerk)
    context["objection"] = plain(objection)
    context["objected"] = plain(dict(facts["objected"]))
    context["returned_to"] = facts.get("returned_to")
    context["remedy"] = remedy(letter_date, gathered.extra_holidays, kind="appeal")
    return context


def closure(
    gathered: Gathered, *, language: str, letter_date: date | datetime, kenmerk: str | None
) -> dict[str, Any]:
    """Build the closure letter (not a decision): why the case closes, with the figures."""
    facts = gathered.facts
    if facts["close_reason"] not in CLOSE_REASONS:
        raise ValueError(f"unknown reason to close: {facts['close_reason']!r}")
    context = base("closure", gathered, language, letter_date, kenmerk)
    disposition = dict(facts.get("penalty_order") or {})
    context["closure"] = {
        "reason": facts["close_reason"],
        "note": facts.get("note") or "",
        "revoked": plain(list(facts.get("revoked", []))),
        "sanctions": plain(list(facts.get("sanctions", []))),
        "penalty_order": {"disposition": disposition.get("disposition"),
                          "decision_id": disposition.get("decision_id"),
                          "reason": disposition.get("reason") or ""},
    }  # fmt: skip
    # Lifting a penalty-payment order is a decision (Awb 5:34): the letter then carries the
    # objection clause.
    lifts = disposition.get("disposition") == "lift"
    context["closure"]["lifts"] = lifts
    context["remedy"] = remedy(letter_date, gathered.extra_holidays) if lifts else None
    return context
