"""Gatherers and context functions of the money letters, registered in letters.kinds.

- ``collection_decision``: the collection decision (invorderingsbeschikking, Awb 5:37) fixing
  the forfeited penalties it covers, with the facts of each violation, the payment term (Awb
  5:33) and the objection clause. It cannot be made known once the power to collect any of its
  forfeitures has lapsed (Awb 5:35): the context refuses a letter date past that day.
- ``payment_reminder``: the reminder (aanmaning, Awb 4:112) to pay an overdue fine or
  collection decision within two weeks; not a decision.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from enforcement.cases.models import Case
from enforcement.core.errors import DomainError
from enforcement.core.time import to_local
from enforcement.deadlines import term_end
from enforcement.letters.builders import base, notified_on, remedy
from enforcement.letters.context import Gathered
from enforcement.letters.kinds import LetterKind, register_kind
from enforcement.letters.records import decision_reference, gathered, register_payment_status
from enforcement.orders.facts import violations_by_id
from enforcement.sanctions import claims
from enforcement.sanctions.queries import PAYMENT_WEEKS, REMINDER_WEEKS, get_collection, lapse_day


def gather_collection_decision(
    session: Session, case: Case, *, collection_id: int | str | None = None
) -> Gathered:
    """Gather a collection decision: its forfeitures, their violations, the penalty order."""
    if collection_id is None:
        raise DomainError("A collection decision letter needs collection_id.")
    collection = get_collection(session, int(collection_id))
    if collection.case_id != case.id:
        raise DomainError("That collection decision belongs to another case.")
    if collection.penalty_decision.revoked:
        raise DomainError("The penalty order was revoked: nothing under it can be collected.")
    facts_by_id = {f.id: f for f in violations_by_id(
        session, [f.violation_id for f in collection.forfeitures])}  # fmt: skip
    forfeitures = [
        {**facts_by_id[f.violation_id].plain(), "amount": str(f.amount),
         "forfeited_on": to_local(f.forfeited_at).date(), "lapses_on": lapse_day(f)}
        for f in collection.forfeitures
    ]  # fmt: skip
    facts = {
        "collection_id": collection.id,
        "amount": str(collection.amount),
        "forfeitures": forfeitures,
        "penalty_order": decision_reference(session, collection.penalty_decision),
        "reasons": collection.reasons,
    }
    source = {"kind": "collection_decision", "options": {"collection_id": collection.id},
              "step": None}  # fmt: skip
    return gathered(session, case, facts=facts, source=source)


def collection_decision(
    gathered: Gathered, *, language: str, letter_date: date | datetime, kenmerk: str | None
) -> dict[str, Any]:
    """Build the collection decision: amounts per violation, the payment term, the remedy."""
    facts = gathered.facts
    forfeitures = [dict(row) for row in facts["forfeitures"]]
    if not forfeitures:
        raise DomainError("A collection decision covers at least one forfeiture.")
    made_known = notified_on(letter_date)
    last_day = min(_day(row["lapses_on"]) for row in forfeitures)
    if made_known > last_day:
        raise DomainError(f"The power to collect lapsed on {last_day.isoformat()} (Awb 5:35): "
                          "this collection decision can no longer be made known.")  # fmt: skip
    holidays = gathered.extra_holidays
    for row in forfeitures:
        row["forfeited_on"] = _day(row["forfeited_on"]).isoformat()
        row["due_on"] = term_end(_day(row["forfeited_on"]), weeks=PAYMENT_WEEKS,
                                 extra_holidays=holidays).isoformat()  # fmt: skip
        row["lapses_on"] = _day(row["lapses_on"]).isoformat()
    context = base("collection_decision", gathered, language, letter_date, kenmerk)
    due_on = max(row["due_on"] for row in forfeitures)
    context["collection"] = {
        "amount": str(Decimal(facts["amount"]).quantize(Decimal("0.01"))),
        "count": len(forfeitures),
        "reasons": facts.get("reasons") or "",
        "penalty_order": dict(facts["penalty_order"]),
        "due_on": due_on,
        "overdue_at_notification": due_on < made_known.isoformat(),
        "payment_weeks": PAYMENT_WEEKS,
    }
    context["forfeitures"] = forfeitures
    context["violations"] = forfeitures  # the evidence files list them
    context["violation_count"] = len(forfeitures)
    context["remedy"] = remedy(letter_date, holidays)
    return context


def gather_payment_reminder(session: Session, case: Case, *, claim: str | None = None) -> Gathered:
    """Gather the reminder of an overdue claim (``fine:<id>`` or ``collection:<id>``)."""
    if not claim:
        raise DomainError("A payment reminder needs the claim it is about.")
    found = claims.claim_by_key(session, str(claim))
    if found.case_id != case.id:
        raise DomainError("That claim belongs to another case.")
    facts = {"claim": found.plain()}
    return gathered(session, case, facts=facts,
                    source={"kind": "payment_reminder", "options": {"claim": found.key},
                            "step": None})  # fmt: skip


def payment_reminder(
    gathered: Gathered, *, language: str, letter_date: date | datetime, kenmerk: str | None
) -> dict[str, Any]:
    """Build the reminder (Awb 4:112): what is owed, by which decision, pay within two weeks."""
    claim = dict(gathered.facts["claim"])
    if claim["revoked"]:
        raise DomainError("The decision was revoked: nothing is owed under it.")
    if Decimal(claim["balance"]) <= 0:
        raise DomainError("Nothing is outstanding on this claim.")
    context = base("payment_reminder", gathered, language, letter_date, kenmerk)
    pay_by = term_end(notified_on(letter_date), weeks=REMINDER_WEEKS,
                      extra_holidays=gathered.extra_holidays)  # fmt: skip
    context["claim"] = claim
    context["reminder"] = {"weeks": REMINDER_WEEKS, "pay_by": pay_by.isoformat()}
    return context


def _day(value: date | str) -> date:
    if isinstance(value, str):
        return datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)
    return value


# The money side's letters, not steps of the ladder: registered with the letter kinds.
register_kind(LetterKind("collection_decision", gather_collection_decision, collection_decision,
                         options=("collection_id",), required=("collection_id",),
                         own_decision=True))  # fmt: skip
register_kind(LetterKind("payment_reminder", gather_payment_reminder, payment_reminder,
                         options=("claim",), required=("claim",)))  # fmt: skip


def fine_payments(session: Session, case: Case) -> dict[int, dict[str, Any]]:
    """Return what was paid under the case's fine decisions, for the closure letter."""
    return {
        claim.id: {"amount": str(claim.amount), "paid": str(claim.paid),
                   "balance": str(claim.outstanding), "settled": claim.outstanding <= 0}
        for claim in claims.fine_claims(session, case.hoster_id)
        if claim.case_id == case.id
    }  # fmt: skip


register_payment_status(fine_payments)
