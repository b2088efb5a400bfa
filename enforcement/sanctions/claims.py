"""Claims: what a hoster owes by a fine decision (Awb 4:86) or a collection decision (5:37),
what it paid, and what is outstanding, overdue or to be refunded.

A fine is due six weeks after it was made known (Awb 4:87); a forfeited penalty six weeks after
its forfeiture (Awb 5:33), so a collection decision is due on the last of its forfeitures' days.
A revoked decision (an upheld objection, an annulment) is owed no longer: what was paid under it
is a refund due; so is whatever was paid beyond the amount.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.cases.models import Case, Decision
from enforcement.core.errors import NotFound
from enforcement.core.time import to_local
from enforcement.deadlines import term_end
from enforcement.holidays.services import extra_holidays
from enforcement.letters.models import Letter, LetterStatus
from enforcement.sanctions.models import CollectionDecision, CollectionStatus, Payment
from enforcement.sanctions.queries import FINE_DECISION, PAYMENT_WEEKS, ZERO, step_params

FINE, COLLECTION = "fine", "collection"


@dataclass
class Claim:
    """One decision the hoster must pay under, with its payments."""

    kind: str  # FINE or COLLECTION
    id: int
    case_id: int
    hoster_id: int
    hoster_name: str
    amount: Decimal
    made_known_at: datetime
    due_on: date
    revoked: bool
    kenmerk: str | None
    payments: list[Payment] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), ZERO)

    @property
    def owed(self) -> Decimal:
        """What the decision makes payable: nothing once it was revoked."""
        return ZERO if self.revoked else self.amount

    @property
    def outstanding(self) -> Decimal:
        return max(self.owed - self.paid, ZERO)

    @property
    def refund_due(self) -> Decimal:
        return max(self.paid - self.owed, ZERO)

    def overdue(self, today: date) -> bool:
        return self.outstanding > 0 and today > self.due_on

    def plain(self) -> dict[str, Any]:
        """Return the claim as plain values (amounts as decimal text), for letters and JSON."""
        return {
            "key": self.key, "kind": self.kind, "id": self.id, "kenmerk": self.kenmerk,
            "amount": str(self.amount), "paid": str(self.paid),
            "balance": str(self.outstanding), "refund_due": str(self.refund_due),
            "made_known_on": to_local(self.made_known_at).date().isoformat(),
            "due_on": self.due_on.isoformat(), "revoked": self.revoked,
        }  # fmt: skip


def _payments(session: Session, column, ids: list[int]) -> dict[int, list[Payment]]:
    found: dict[int, list[Payment]] = {}
    if ids:
        rows = session.scalars(sa.select(Payment).where(column.in_(ids))
                               .order_by(Payment.paid_on, Payment.id))  # fmt: skip
        for payment in rows:
            found.setdefault(getattr(payment, column.key), []).append(payment)
    return found


def _kenmerk(session: Session, case_id: int, kind: str) -> str | None:
    return session.scalar(
        sa.select(Letter.kenmerk).where(Letter.case_id == case_id, Letter.kind == kind,
                                        Letter.status == LetterStatus.ISSUED)
        .order_by(Letter.issued_at.desc()).limit(1)
    )  # fmt: skip


def fine_claims(session: Session, hoster_id: int | None = None) -> list[Claim]:
    """Return every fine decision made known (of one hoster) as a claim."""
    query = (sa.select(Decision, Case).join(Case, Case.id == Decision.case_id)
             .where(Decision.kind == FINE_DECISION))  # fmt: skip
    if hoster_id is not None:
        query = query.where(Case.hoster_id == hoster_id)
    rows = session.execute(query.order_by(Decision.made_known_at)).all()
    payments = _payments(session, Payment.fine_decision_id, [d.id for d, _ in rows])
    holidays = extra_holidays(session)
    return [
        Claim(FINE, decision.id, case.id, case.hoster_id, case.hoster.trade_name,
              Decimal(str(step_params(session, decision)["amount"])).quantize(Decimal("0.01")),
              decision.made_known_at,
              term_end(to_local(decision.made_known_at).date(), weeks=PAYMENT_WEEKS,
                       extra_holidays=holidays),
              decision.revoked, _kenmerk(session, case.id, FINE_DECISION),
              payments.get(decision.id, []))
        for decision, case in rows
    ]  # fmt: skip


def collection_claims(session: Session, hoster_id: int | None = None) -> list[Claim]:
    """Return every collection decision made known (its letter issued) as a claim."""
    query = (sa.select(CollectionDecision, Letter)
             .join(Letter, Letter.id == CollectionDecision.letter_id)
             .where(CollectionDecision.status == CollectionStatus.APPROVED,
                    Letter.status == LetterStatus.ISSUED))  # fmt: skip
    if hoster_id is not None:
        query = query.where(CollectionDecision.hoster_id == hoster_id)
    rows = session.execute(query.order_by(Letter.issued_at)).all()
    payments = _payments(session, Payment.collection_id, [c.id for c, _ in rows])
    holidays = extra_holidays(session)
    claims = []
    for collection, letter in rows:
        due_on = max(term_end(to_local(f.forfeited_at).date(), weeks=PAYMENT_WEEKS,
                              extra_holidays=holidays) for f in collection.forfeitures)  # fmt: skip
        claims.append(Claim(
            COLLECTION, collection.id, collection.case_id, collection.hoster_id,
            collection.case.hoster.trade_name, collection.amount, letter.issued_at, due_on,
            collection.penalty_decision.revoked, letter.kenmerk,
            payments.get(collection.id, []),
        ))  # fmt: skip
    return claims


def all_claims(session: Session, hoster_id: int | None = None) -> list[Claim]:
    """Return every claim (of one hoster), oldest made known first."""
    claims = fine_claims(session, hoster_id) + collection_claims(session, hoster_id)
    return sorted(claims, key=lambda c: (c.made_known_at, c.key))


def claim_by_key(session: Session, key: str) -> Claim:
    """Return the claim ``fine:<id>`` or ``collection:<id>``; NotFound otherwise."""
    kind, _, number = key.partition(":")
    if kind not in (FINE, COLLECTION) or not number.isdigit():
        raise NotFound("No such claim.")
    if kind == FINE:
        decision = session.get(Decision, int(number))
        found = fine_claims(session, decision.case.hoster_id) if decision else []
    else:
        collection = session.get(CollectionDecision, int(number))
        found = collection_claims(session, collection.hoster_id) if collection else []
    for claim in found:
        if claim.key == key:
            return claim
    raise NotFound("No such claim: it is not a decision made known that can be paid.")
