"""Read the money side of a hoster's sanctions: penalty orders and their ledgers, claims.

A claim is what the hoster owes by a decision made known: a fine (Awb 4:86) or a collection
decision over forfeited penalties (Awb 5:37). Reads only; ``services`` writes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.cases.models import Case, CaseEvent, Decision
from enforcement.core.errors import NotFound
from enforcement.core.time import to_local
from enforcement.deadlines import end_of_day, expiry_date, term_end
from enforcement.holidays.services import extra_holidays
from enforcement.orders.facts import qualifying_violations
from enforcement.sanctions.ledger import Ledger, PenaltyTerms, ViolationAt, compute_ledger
from enforcement.sanctions.models import CollectionDecision, Forfeiture

PAYMENT_WEEKS = 6  # Awb 4:87 (a fine), 5:33 (a forfeited penalty)
REMINDER_WEEKS = 2  # Awb 4:112: the reminder gives two weeks
PENALTY_ORDER, FINE_DECISION = "penalty_order", "fine_decision"
ZERO = Decimal("0.00")


def step_params(session: Session, decision: Decision) -> dict[str, Any]:
    """Return the parameters of the step that made a decision (amounts as text)."""
    event = session.get(CaseEvent, decision.event_id)
    return dict((event.data or {}).get("params") or {})


def get_decision(session: Session, decision_id: int, kind: str) -> Decision:
    decision = session.get(Decision, decision_id)
    if decision is None or decision.kind != kind:
        raise NotFound(f"No such {kind.replace('_', ' ')}.")
    return decision


def penalty_terms(session: Session, decision: Decision) -> PenaltyTerms:
    """Return a penalty order's terms: made known, grace end (Awb 5:32a), amounts, lifting."""
    params = step_params(session, decision)
    made_known_on = to_local(decision.made_known_at).date()
    grace_end = term_end(made_known_on, days=int(params["grace_period_days"]),
                         extra_holidays=extra_holidays(session))  # fmt: skip
    return PenaltyTerms(
        made_known_at=decision.made_known_at,
        grace_ends_at=end_of_day(grace_end),
        amount_per_violation=Decimal(str(params["amount_per_violation"])),
        maximum=Decimal(str(params["maximum"])),
        lifted_at=decision.lifted_at,
        revoked=decision.revoked,
    )


@dataclass
class PenaltyLedger:
    """A penalty order's ledger with the forfeitures a supervisor confirmed, by violation id."""

    decision: Decision
    ledger: Ledger
    confirmed: dict[int, Forfeiture] = field(default_factory=dict)

    @property
    def confirmed_total(self) -> Decimal:
        return sum((f.amount for f in self.confirmed.values()), ZERO)

    def unconfirmed(self) -> list[int]:
        """Return the violations that forfeit by the ledger and wait for confirmation."""
        return [line.violation.id for line in self.ledger.forfeiting
                if line.violation.id not in self.confirmed]  # fmt: skip

    def uncollected(self) -> list[Forfeiture]:
        """Return confirmed forfeitures no (unrefused) collection decision covers yet."""
        return sorted((f for f in self.confirmed.values() if f.collection_id is None),
                      key=lambda f: (f.forfeited_at, f.id))  # fmt: skip

    def collection_lapses_on(self) -> date | None:
        """Return the day the power to collect the oldest uncollected forfeiture lapses (5:35)."""
        first = self.uncollected()
        return lapse_day(first[0]) if first else None


def lapse_day(forfeiture: Forfeiture) -> date:
    """Return the last day a forfeiture can be collected: one year after its day (Awb 5:35)."""
    return expiry_date(to_local(forfeiture.forfeited_at).date())


def lapsed(forfeiture: Forfeiture, now: datetime) -> bool:
    """Return whether the power to collect a forfeiture has lapsed at ``now``."""
    return now > end_of_day(lapse_day(forfeiture))


def penalty_ledger(session: Session, decision: Decision, *, now: datetime) -> PenaltyLedger:
    """Return a penalty order's ledger as of ``now`` over the hoster's violations.

    A violation confirmed as forfeited under another penalty order is left out: it forfeits once.
    """
    hoster_id = decision.case.hoster_id
    elsewhere = set(session.scalars(sa.select(Forfeiture.violation_id).where(
        Forfeiture.hoster_id == hoster_id, Forfeiture.penalty_decision_id != decision.id,
    )))  # fmt: skip
    violations = [
        ViolationAt(fact.id, fact.due_at, fact.order_reference, fact.notice_reference)
        for fact in qualifying_violations(session, hoster_id, now=now)
        if fact.id not in elsewhere
    ]
    ledger = compute_ledger(penalty_terms(session, decision), violations, now=now)
    confirmed = session.scalars(
        sa.select(Forfeiture).where(Forfeiture.penalty_decision_id == decision.id)
    )
    return PenaltyLedger(decision, ledger, {f.violation_id: f for f in confirmed})


def penalty_orders(session: Session, hoster_id: int | None = None) -> list[Decision]:
    """Return the penalty orders made known (of one hoster), newest first."""
    query = sa.select(Decision).where(Decision.kind == PENALTY_ORDER)
    if hoster_id is not None:
        query = query.join(Case, Case.id == Decision.case_id).where(Case.hoster_id == hoster_id)
    return list(session.scalars(query.order_by(Decision.made_known_at.desc())))


def collections_of(session: Session, decision: Decision) -> list[CollectionDecision]:
    """Return the collection decisions drafted under a penalty order, newest first."""
    return list(session.scalars(
        sa.select(CollectionDecision).where(CollectionDecision.penalty_decision_id == decision.id)
        .order_by(CollectionDecision.drafted_at.desc())
    ))  # fmt: skip


def get_collection(session: Session, collection_id: int) -> CollectionDecision:
    collection = session.get(CollectionDecision, collection_id)
    if collection is None:
        raise NotFound("No such collection decision.")
    return collection
