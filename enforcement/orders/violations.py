"""Violations of removal orders (art. 6(3)): established once with their evidence, withdrawn
with a reason, never changed. Each is an event in the chain of the hoster's open case.

Each operation works in the caller's transaction and flushes; the caller commits once.
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.cases.events import append_event, plain
from enforcement.cases.models import Case
from enforcement.cases.queries import open_case_of
from enforcement.core.errors import Conflict, DomainError, FieldErrors
from enforcement.core.time import utcnow
from enforcement.notices.checks import DEFAULT_FAILURES_FOR_OFFLINE
from enforcement.orders.models import OrderStatus, RemovalOrder, Violation
from enforcement.orders.queries import ItemCompliance, order_compliance
from enforcement.orders.services import (
    ESTABLISHERS,
    MAX_EVIDENCE,
    VIOLATION_WITHDRAWERS,
    case_event,
    require_role,
)


def active_violations(session: Session, order: RemovalOrder) -> list[Violation]:
    """Return the order's violations that were not withdrawn."""
    return list(
        session.scalars(
            sa.select(Violation)
            .where(Violation.order_id == order.id, Violation.withdrawn_at.is_(None))
            .order_by(Violation.id)
        )
    )


def orders_due_by(session: Session, as_of: datetime) -> list[RemovalOrder]:
    """Return issued orders whose term ended by ``as_of``."""
    return list(
        session.scalars(
            sa.select(RemovalOrder)
            .where(RemovalOrder.status == OrderStatus.ISSUED, RemovalOrder.due_at <= as_of)
            .order_by(RemovalOrder.due_at, RemovalOrder.id)
        )
    )


def establish_violations(
    session: Session,
    *,
    as_of: datetime,
    actor: User | None,
    orders: Sequence[RemovalOrder] | None = None,
    failures_for_offline: int = DEFAULT_FAILURES_FOR_OFFLINE,
    now: datetime | None = None,
) -> list[Violation]:
    """Store a violation, with its evidence, for every violated item that has none yet.

    ``actor`` None is the system (the scheduled command). An item whose violation was withdrawn
    is not established again. ``as_of`` may not lie in the future.
    """
    require_role(actor, ESTABLISHERS, "establish violations")
    now = now or utcnow()
    if as_of > now:
        raise DomainError("Violations are established as of now or an earlier moment.")
    due = orders_due_by(session, as_of) if orders is None else [o for o in orders if o.due_at]
    established = []
    cases: dict[int, Case | None] = {}  # the open case of each hoster, looked up once
    for compliance in order_compliance(
        session, due, as_of=as_of, failures_for_offline=failures_for_offline
    ):
        order = compliance.order
        if order.hoster_id not in cases:
            cases[order.hoster_id] = open_case_of(session, order.hoster_id)
        for found in compliance.violated_unestablished():
            violation = _violation(order, found, cases[order.hoster_id], actor, as_of, now)
            session.add(violation)
            established.append(violation)
    try:
        session.flush()  # all at once; a concurrent run that stored one first makes this fail
    except IntegrityError:
        raise Conflict("Someone established these violations meanwhile. Reload.") from None
    for violation in established:
        if violation.case_id is not None:
            data = {"violation_id": violation.id, "item_id": violation.item_id,
                    **violation.evidence}  # fmt: skip
            append_event(session, cases[violation.hoster_id], kind="violation_established",
                         actor=actor, now=now, data=data)  # fmt: skip
    return established


def _violation(order, found: ItemCompliance, case, actor, as_of, now) -> Violation:
    """Return the violation of one item, with its evidence as things stand ``as_of``."""
    item = found.item
    evidence = plain({
        "order_reference": order.reference,
        "order_origin": order.origin.value,
        "notice_reference": found.notice_reference,
        "ip": item.ip,
        "content_hash": item.content_hash,
        "term_hours": order.term_hours,
        "received_at": order.received_at,
        "receipt_evidence": order.receipt_evidence,
        "due_at": order.due_at,
        "last_online_check_at": found.last_online_at,
        "inaccessible_at": found.inaccessible_at,
        "as_of": as_of,
    })  # fmt: skip
    return Violation(
        order_id=order.id,
        item_id=item.id,
        hoster_id=order.hoster_id,
        due_at=order.due_at,
        established_at=now,
        established_by_id=actor.id if actor else None,
        evidence=evidence,
        case_id=case.id if case else None,
    )


def withdraw_violation(
    session: Session,
    violation: Violation,
    *,
    actor: User,
    reason: str,
    now: datetime | None = None,
) -> Violation:
    """Withdraw a violation established wrongly, with the reason; it stays on record."""
    require_role(actor, VIOLATION_WITHDRAWERS, "withdraw violations")
    now = now or utcnow()
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": ["say why the violation is withdrawn"]})
    if len(reason) > MAX_EVIDENCE:
        raise FieldErrors({"reason": [f"at most {MAX_EVIDENCE} characters"]})
    locked = session.execute(
        sa.select(Violation.withdrawn_at).where(Violation.id == violation.id).with_for_update()
    ).scalar_one()
    if locked is not None or violation.withdrawn_at is not None:
        raise Conflict("This violation was already withdrawn.")
    violation.withdrawn_at, violation.withdrawn_by_id = now, actor.id
    violation.withdrawal_reason = reason
    session.flush()
    case_event(session, violation.hoster_id, "violation_withdrawn", actor=actor, now=now,
                reason=reason, data={"violation_id": violation.id, "item_id": violation.item_id,
                                     "order_id": violation.order_id})  # fmt: skip
    return violation
