"""Context functions of the sanction letters: penalty-payment order and administrative fine.

The intent and the order of a last onder dwangsom (Awb 5:31d-5:39, art. 7 of the 2024 law),
and the report, intent and decision of a bestuurlijke boete (Awb 5:40-5:53, art. 8). Pure, as
in ``enforcement.letters.builders``; amounts are Decimal text in the context.
"""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from enforcement.deadlines import DeadlineKind, fine_decision_deadline, term_end
from enforcement.fines.amounts import (
    TURNOVER_SHARE,
    FineCategories,
    categories_on,
    maximum_fine,
)
from enforcement.letters.builders import base, notified_on, remedy, term
from enforcement.letters.context import Gathered

PAYMENT_WEEKS = 6  # Awb 5:33 (a forfeited penalty) and 4:87 (a fine)
PENALTY_TERMS = ("remedy", "grace_period_days", "amount_per_violation", "maximum")


def _amount(value: Decimal | int | str) -> Decimal:
    amount = Decimal(str(value))
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"not a positive amount: {value!r}")
    return amount.quantize(Decimal("0.01"))


def penalty_terms(facts: Mapping[str, Any]) -> dict[str, Any]:
    """Return an order's remedy, grace period, amount per violation and maximum (5:32a, 5:32b)."""
    amount, maximum = _amount(facts["amount_per_violation"]), _amount(facts["maximum"])
    if maximum < amount:
        raise ValueError("the maximum is less than the amount per violation")
    return {
        "remedy": facts["remedy"],
        "grace_period_days": int(facts["grace_period_days"]),
        "amount_per_violation": str(amount),
        "maximum": str(maximum),
        "violations_to_maximum": int(maximum // amount),
    }


def penalty_intent(
    gathered: Gathered, *, language: str, letter_date: date | datetime, kenmerk: str | None
) -> dict[str, Any]:
    """Build the intent to impose a penalty-payment order (not a decision): the view term."""
    facts = gathered.facts
    context = base("penalty_intent", gathered, language, letter_date, kenmerk)
    context["view"] = term(
        DeadlineKind.VIEW_TERM, letter_date, facts["view_weeks"], gathered.extra_holidays
    )
    known = all(facts.get(name) is not None for name in PENALTY_TERMS)
    context["intended"] = penalty_terms(facts) if known else None
    context.update(violations_part(facts))
    return context


def violations_part(facts: Mapping[str, Any]) -> dict[str, Any]:
    """Return the violations of removal orders a sanction rests on (art. 6(3)), as cited."""
    cited = [dict(violation) for violation in facts["violations"]]
    return {"violations": cited, "violation_count": int(facts.get("violation_count", len(cited)))}


def penalty_order(
    gathered: Gathered, *, language: str, letter_date: date | datetime, kenmerk: str | None
) -> dict[str, Any]:
    """Build the penalty-payment order: remedy, grace period and its end, amounts, payment."""
    facts = gathered.facts
    context = base("penalty_order", gathered, language, letter_date, kenmerk)
    order = penalty_terms(facts)
    grace_end = term_end(
        notified_on(letter_date),
        days=order["grace_period_days"],
        extra_holidays=gathered.extra_holidays,
    )
    context["order"] = {**order, "grace_ends_on": grace_end.isoformat()}
    context["heard"] = dict(facts["heard"]) if facts.get("heard") else None
    context["payment_weeks"] = PAYMENT_WEEKS
    context["remedy"] = remedy(letter_date, gathered.extra_holidays)
    context.update(violations_part(facts))
    return context


def report_part(report: Mapping[str, Any], letter_date: date | datetime) -> dict[str, Any]:
    """Return the fine report's date (the day it is drawn up: the report letter's own date
    until it was issued), the violations it cites, and the 13 weeks of Awb 5:51."""
    recorded = report.get("report_date")
    report_date = date.fromisoformat(str(recorded)) if recorded else notified_on(letter_date)
    cited = [dict(violation) for violation in report["violations"]]
    return {
        "date": report_date.isoformat(),
        "violation_count": int(report.get("count") or len(cited)),
        "cited_count": len(cited),
        "first_due_at": cited[0]["due_at"] if cited else None,
        "last_due_at": cited[-1]["due_at"] if cited else None,
        "decision_due_on": fine_decision_deadline(report_date).isoformat(),
    }


def category_rows(facts: Mapping[str, Any]) -> list[FineCategories]:
    """Return the fine category table the gatherer found (plain rows: from, second, sixth)."""
    return [
        FineCategories(date.fromisoformat(str(row["effective_from"])), Decimal(str(row["second"])),
                       Decimal(str(row["sixth"])), row.get("source", ""))
        for row in facts["categories"]
    ]  # fmt: skip


def fine_maximum(facts: Mapping[str, Any], on: date) -> dict[str, Any]:
    """Return the maximum fine on a day and why: category 2, or 6 / 10% turnover (art. 8)."""
    categories = categories_on(category_rows(facts), on)
    systematic = bool(facts.get("systematic"))
    turnover = facts.get("turnover_eur")
    turnover = Decimal(str(turnover)) if turnover is not None else None
    maximum = maximum_fine(categories, systematic=systematic, turnover_eur=turnover)
    if not systematic:
        basis = "second_category"
    else:
        basis = "turnover" if maximum > categories.sixth else "sixth_category"
    return {
        "amount": str(maximum),
        "basis": basis,
        "second_category": str(categories.second),
        "sixth_category": str(categories.sixth),
        "categories_from": categories.effective_from.isoformat(),
        "categories_source": categories.source,
        "systematic": systematic,
        "systematic_reason": facts.get("systematic_reason") or "",
        "turnover": str(turnover) if turnover is not None else None,
        "turnover_source": facts.get("turnover_source") or "",
        "turnover_share_pct": str(int(TURNOVER_SHARE * 100)),
    }


def fine_amounts(facts: Mapping[str, Any], on: date) -> dict[str, Any]:
    """Return the fine's amount beside the maximum that applies; ValueError above it."""
    maximum = fine_maximum(facts, on)
    amount = _amount(facts["amount"])
    if amount > Decimal(maximum["amount"]):
        raise ValueError(f"the fine of {amount} exceeds the maximum of {maximum['amount']}")
    return {"amount": str(amount), "maximum": maximum}


def fine_report(
    gathered: Gathered, *, language: str, letter_date: date | datetime, kenmerk: str | None
) -> dict[str, Any]:
    """Build the fine report (rapport, Awb 5:48; not a decision): the violations, cited."""
    context = base("fine_report", gathered, language, letter_date, kenmerk)
    report = gathered.facts["report"]
    context["report"] = report_part(report, letter_date)
    context["violations"] = [dict(violation) for violation in report["violations"]]
    context["violation_count"] = context["report"]["violation_count"]
    return context


def fine_intent(
    gathered: Gathered, *, language: str, letter_date: date | datetime, kenmerk: str | None
) -> dict[str, Any]:
    """Build the intent to fine (not a decision): amount, maximum, view term, report annexed."""
    facts = gathered.facts
    context = base("fine_intent", gathered, language, letter_date, kenmerk)
    context["report"] = report_part(facts["report"], facts["report"]["report_date"])
    context["violations"] = [dict(violation) for violation in facts["report"]["violations"]]
    context["violation_count"] = context["report"]["violation_count"]
    context["view"] = term(
        DeadlineKind.VIEW_TERM, letter_date, facts["view_weeks"], gathered.extra_holidays
    )
    context["fine"] = fine_amounts(facts, notified_on(letter_date))
    return context


def fine_decision(
    gathered: Gathered, *, language: str, letter_date: date | datetime, kenmerk: str | None
) -> dict[str, Any]:
    """Build the decision imposing the fine (Awb 5:52): amount, maximum and basis, payment."""
    facts = gathered.facts
    context = base("fine_decision", gathered, language, letter_date, kenmerk)
    context["report"] = report_part(facts["report"], facts["report"]["report_date"])
    context["violations"] = [dict(violation) for violation in facts["report"]["violations"]]
    context["violation_count"] = context["report"]["violation_count"]
    context["fine"] = {**fine_amounts(facts, notified_on(letter_date)),
                       "reasons": facts.get("amount_reasons") or "",
                       "turnover_finding": facts.get("turnover_finding") or ""}  # fmt: skip
    payment_due = term_end(
        notified_on(letter_date), weeks=PAYMENT_WEEKS, extra_holidays=gathered.extra_holidays
    )
    context["payment"] = {"weeks": PAYMENT_WEEKS, "due_on": payment_due.isoformat()}
    context["heard"] = dict(facts["heard"]) if facts.get("heard") else None
    context["remedy"] = remedy(letter_date, gathered.extra_holidays)
    return context
