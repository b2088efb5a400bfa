"""Record payments against a claim and draft reminders (aanmaning, Awb 4:112) for overdue ones.

Like ``services``: session first, the actor explicit, flush, never commit.
"""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.cases.events import append_event
from enforcement.cases.models import Case
from enforcement.core.errors import DomainError, FieldErrors, PermissionDenied
from enforcement.core.time import to_local
from enforcement.letters.kinds import get_kind
from enforcement.letters.models import Letter
from enforcement.sanctions import letters as _money_letters  # noqa: F401  (registers the kinds)
from enforcement.sanctions.claims import COLLECTION, Claim, claim_by_key
from enforcement.sanctions.deadlines import sync_deadlines
from enforcement.sanctions.models import Payment
from enforcement.sanctions.services import as_amount

PAYMENT_RECORDERS = frozenset({Role.LEGAL, Role.SUPERVISOR})
REMINDER_DRAFTERS = frozenset({Role.LEGAL})
MAX_REFERENCE = 140


def record_payment(
    session: Session,
    claim_key: str,
    *,
    paid_on: date,
    amount: Decimal | str,
    payer_reference: str,
    actor: User,
    now: datetime,
) -> Payment:
    """Record a payment received against a fine or a collection decision made known."""
    if actor.role not in PAYMENT_RECORDERS:
        raise PermissionDenied("Only legal staff and supervisors record payments.")
    claim = claim_by_key(session, claim_key)
    errors: dict[str, list[str]] = {}
    try:
        amount = as_amount(amount)
    except DomainError as exc:
        errors["amount"] = [exc.message]
    reference = (payer_reference or "").strip()
    if not reference or len(reference) > MAX_REFERENCE:
        errors["payer_reference"] = [
            f"Give the payer's reference (1 to {MAX_REFERENCE} characters)."
        ]
    made_known_on = to_local(claim.made_known_at).date()
    if paid_on > to_local(now).date():
        errors["paid_on"] = ["A payment cannot be dated in the future."]
    elif paid_on < made_known_on:
        errors["paid_on"] = [f"The decision was made known on {made_known_on.isoformat()}; "
                             "a payment under it is not earlier."]  # fmt: skip
    if errors:
        raise FieldErrors(errors)
    payment = Payment(
        fine_decision_id=claim.id if claim.kind != COLLECTION else None,
        collection_id=claim.id if claim.kind == COLLECTION else None,
        hoster_id=claim.hoster_id, paid_on=paid_on, amount=amount,
        payer_reference=reference, recorded_by_id=actor.id, recorded_at=now,
    )  # fmt: skip
    session.add(payment)
    session.flush()
    case = session.get(Case, claim.case_id)
    append_event(session, case, kind="payment_recorded", actor=actor, now=now,
                 data={"claim": claim.key, "payment_id": payment.id, "amount": str(amount),
                       "paid_on": paid_on.isoformat()})  # fmt: skip
    sync_deadlines(session, case, now=now, actor=actor)
    return payment


def draft_reminder(session: Session, claim_key: str, *, actor: User, now: datetime) -> Letter:
    """Draft the reminder (aanmaning, Awb 4:112) of an overdue claim, for legal staff to issue."""
    if actor.role not in REMINDER_DRAFTERS:
        raise PermissionDenied("Only legal staff draft and issue payment reminders.")
    claim: Claim = claim_by_key(session, claim_key)
    if not claim.overdue(to_local(now).date()):
        raise DomainError("This claim is not overdue: a reminder comes after the payment term.")
    case = session.get(Case, claim.case_id)
    return get_kind("payment_reminder").draft(session, case, actor=actor, letter_date=now,
                                             now=now, claim=claim.key)  # fmt: skip


def reminders_of(session: Session, claim_keys: list[str]) -> dict[str, list[Letter]]:
    """Return the reminder letters drafted or issued per claim key."""
    letters = session.scalars(sa.select(Letter).where(Letter.kind == "payment_reminder")
                              .order_by(Letter.created_at))  # fmt: skip
    found: dict[str, list[Letter]] = {key: [] for key in claim_keys}
    for letter in letters:
        key = ((letter.context.get("source") or {}).get("options") or {}).get("claim")
        if key in found:
            found[key].append(letter)
    return found
