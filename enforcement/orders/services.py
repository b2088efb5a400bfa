"""Removal-order operations: draft, mark issued, record receipt, establish and withdraw violations.

Each works in the caller's transaction and flushes; the caller commits once. The order's letter
is drafted, issued and discarded by enforcement.letters.orders, which calls these. Every change
that matters to a case (an order issued or imported, its receipt, a violation established or
withdrawn) is an event in the chain of the hoster's open case, when it has one.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from enforcement.auth.models import Role, User
from enforcement.cases.events import append_event, plain
from enforcement.cases.queries import open_case_of
from enforcement.core.errors import Conflict, DomainError, FieldErrors, PermissionDenied
from enforcement.core.time import format_local, utcnow
from enforcement.deadlines import hours_deadline
from enforcement.hosters.models import Hoster
from enforcement.notices.models import Notice
from enforcement.orders.models import (
    MAX_TERM_HOURS,
    MIN_TERM_HOURS,
    OrderOrigin,
    OrderStatus,
    RemovalOrder,
    RemovalOrderItem,
    Violation,
)
from enforcement.orders.queries import MAX_NOTICES_OFFERED

DRAFTERS = frozenset({Role.OFFICER, Role.LEGAL})
ISSUERS = frozenset({Role.LEGAL})
RECEIPT_RECORDERS = frozenset({Role.LEGAL})
ESTABLISHERS = frozenset({Role.OFFICER, Role.LEGAL, Role.SUPERVISOR})
VIOLATION_WITHDRAWERS = frozenset({Role.LEGAL, Role.SUPERVISOR})
READERS = frozenset({Role.OFFICER, Role.LEGAL, Role.SUPERVISOR})
MAX_REASONS = 5000
MAX_EVIDENCE = 2000
ORDER_CHANGED = "This removal order changed while you were looking at it. Reload and try again."


def require_role(actor: User | None, roles: frozenset[Role], what: str) -> None:
    if actor is not None and actor.role not in roles:
        raise PermissionDenied(f"Your role may not {what}.")


def check_term_hours(term_hours: Any) -> int:
    """Return the term as a whole number of hours from 1 to 12, or raise ValueError."""
    if isinstance(term_hours, bool) or not isinstance(term_hours, int):
        raise ValueError("the term is a whole number of hours")
    if not MIN_TERM_HOURS <= term_hours <= MAX_TERM_HOURS:
        raise ValueError(
            f"the term is {MIN_TERM_HOURS} to {MAX_TERM_HOURS} hours (art. 6(4): at most twelve)"
        )
    return term_hours


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(ORDER_CHANGED) from None


def case_event(session, hoster_id, kind, *, actor, reason="", data, now) -> None:
    """Append an event to the hoster's open case, if it has one."""
    case = open_case_of(session, hoster_id)
    if case is not None:
        append_event(session, case, kind=kind, actor=actor, reason=reason, data=data, now=now)


def permitted_actions(order: RemovalOrder, role: Role) -> dict[str, bool]:
    """Return which actions the page offers this role on this order."""
    draft = order.status == OrderStatus.DRAFT
    issued_here = not draft and order.letter_id is not None
    return {
        "issue": draft and role in ISSUERS,
        "discard": draft and role in DRAFTERS,
        "drop_offline": draft and role in DRAFTERS,
        "record_receipt": issued_here and role in RECEIPT_RECORDERS,
        "establish": not draft and order.due_at is not None and role in ESTABLISHERS,
        "withdraw": role in VIOLATION_WITHDRAWERS,
    }


# Drafting ---------------------------------------------------------------------------------------


def draft_order(
    session: Session,
    hoster: Hoster,
    notice_ids: Sequence[int],
    *,
    actor: User,
    term_hours: int,
    reasons: str = "",
    now: datetime | None = None,
) -> RemovalOrder:
    """Add a draft order for some of a hoster's notices that are still online."""
    require_role(actor, DRAFTERS, "draft removal orders")
    now = now or utcnow()
    errors: dict[str, list[str]] = {}
    try:
        term_hours = check_term_hours(term_hours)
    except ValueError as exc:
        errors["term_hours"] = [str(exc)]
    reasons = (reasons or "").strip()
    if len(reasons) > MAX_REASONS:
        errors["reasons"] = [f"at most {MAX_REASONS} characters"]
    wanted = sorted(set(notice_ids))
    if not wanted:
        errors["notices"] = ["select at least one notice that is still online"]
    elif len(wanted) > MAX_NOTICES_OFFERED:
        errors["notices"] = [f"an order lists at most {MAX_NOTICES_OFFERED} notices"]
    if errors:
        raise FieldErrors(errors)
    notices = list(
        session.scalars(
            sa.select(Notice).where(Notice.id.in_(wanted), Notice.hoster_id == hoster.id)
        )
    )
    if len(notices) != len(wanted):
        missing = len(wanted) - len(notices)
        raise DomainError(f"{missing} of the selected notices are not notices of this hoster.")
    offline = [n for n in notices if n.offline_at is not None]
    if offline:
        raise DomainError(
            f"{len(offline)} of the selected notices are no longer online; reload the list."
        )
    case = open_case_of(session, hoster.id)
    order = RemovalOrder(
        hoster_id=hoster.id,
        case_id=case.id if case else None,
        origin=OrderOrigin.SYSTEM,
        status=OrderStatus.DRAFT,
        term_hours=term_hours,
        reasons=reasons,
        drafted_by_id=actor.id,
        drafted_at=now,
        items=[
            RemovalOrderItem(notice_id=n.id, url=n.url, ip=n.ip, content_hash=n.content_hash)
            for n in sorted(notices, key=lambda n: (n.notice_sent_at, n.id))
        ],
    )
    session.add(order)
    _flush(session)
    return order


def require_draft(order: RemovalOrder) -> None:
    if order.status != OrderStatus.DRAFT:
        raise Conflict(f"Removal order {order.reference} was issued and never changes.")


def offline_items(order: RemovalOrder) -> list[RemovalOrderItem]:
    """Return the items of an order whose notice is no longer online."""
    return [item for item in order.items if item.notice.offline_at is not None]


def refuse_offline_items(order: RemovalOrder) -> None:
    """Refuse to issue an order that lists data no longer online: it is dropped from the draft
    first."""
    if offline := offline_items(order):
        raise DomainError(
            f"{len(offline)} item(s) of this order are offline now; remove them from the draft "
            "before it is issued."
        )


def drop_offline_items(session: Session, order: RemovalOrder, *, actor: User) -> int:
    """Remove from a draft the items that went offline since it was drafted; return how many."""
    require_role(actor, DRAFTERS, "change removal orders")
    require_draft(order)
    gone = offline_items(order)
    if len(gone) == len(order.items):
        raise DomainError("Every item of this draft is offline now: discard the draft instead.")
    for item in gone:
        order.items.remove(item)
    _flush(session)
    return len(gone)


def mark_issued(
    session: Session, order: RemovalOrder, *, reference: str, actor: User, now: datetime
) -> None:
    """Record that a draft was issued under a reference (its letter's kenmerk)."""
    require_role(actor, ISSUERS, "issue removal orders")
    require_draft(order)
    refuse_offline_items(order)
    order.status, order.reference = OrderStatus.ISSUED, reference
    order.issued_by_id, order.issued_at = actor.id, now
    _flush(session)
    case_event(session, order.hoster_id, "removal_order_issued", actor=actor, now=now,
                data=order_summary(order))  # fmt: skip


def order_summary(order: RemovalOrder) -> dict[str, Any]:
    """Return what a case event records of an order (no URL: the event chain is widely read)."""
    return plain({
        "order_id": order.id,
        "reference": order.reference,
        "origin": order.origin.value,
        "term_hours": order.term_hours,
        "issued_at": order.issued_at,
        "received_at": order.received_at,
        "due_at": order.due_at,
        "items": len(order.items),
    })  # fmt: skip


# Receipt ----------------------------------------------------------------------------------------


def record_receipt(
    session: Session,
    order: RemovalOrder,
    *,
    received_at: datetime,
    evidence: str,
    actor: User,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> RemovalOrder:
    """Record when the hoster received an issued order (Awb 2:17) and the evidence of it; the
    term runs from then. A recorded receipt is corrected only while no violation rests on it."""
    require_role(actor, RECEIPT_RECORDERS, "record the receipt of removal orders")
    now = now or utcnow()
    if expected_version is not None and order.version != expected_version:
        raise Conflict(ORDER_CHANGED)
    if order.status != OrderStatus.ISSUED:
        raise Conflict("A draft has not been sent; issue it first.")
    errors = receipt_errors(order, received_at, evidence, now)
    if errors:
        raise FieldErrors(errors)
    if order.received_at is not None and has_active_violations(session, order):
        raise Conflict(
            "Violations of this order rest on its recorded receipt; withdraw them first."
        )
    return apply_receipt(session, order, received_at=received_at, evidence=evidence,
                         actor=actor, now=now)  # fmt: skip


def apply_receipt(
    session: Session,
    order: RemovalOrder,
    *,
    received_at: datetime,
    evidence: str,
    actor: User | None,
    now: datetime,
) -> RemovalOrder:
    """Set the moment of receipt and the term's end, with its case event (``actor`` None: the
    mail server's acceptance, recorded by the dispatch worker)."""
    previous = order.received_at
    order.received_at = received_at
    order.due_at = hours_deadline(received_at, order.term_hours)
    order.receipt_evidence = evidence.strip()
    order.receipt_recorded_by_id = actor.id if actor else None
    order.receipt_recorded_at = now
    _flush(session)
    data = {**order_summary(order), "previous_received_at": plain(previous)}
    case_event(session, order.hoster_id, "removal_order_received", actor=actor, now=now,
                reason=order.receipt_evidence, data=data)  # fmt: skip
    return order


def receipt_errors(
    order: RemovalOrder, received_at: datetime, evidence: str, now: datetime
) -> dict[str, list[str]]:
    """Return what is wrong with a receipt, by field (empty when nothing is)."""
    errors: dict[str, list[str]] = {}
    if received_at.tzinfo is None:
        errors["received_at"] = ["the moment needs a time zone"]
    elif received_at < order.issued_at:
        errors["received_at"] = [
            f"before the order was issued ({format_local(order.issued_at)}, Amsterdam time)"
        ]
    elif received_at > now:
        errors["received_at"] = ["is in the future: record the receipt once it has happened"]
    evidence = (evidence or "").strip()
    if not evidence:
        errors["evidence"] = ["say how the receipt is known (e.g. the mail server's delivery line)"]
    elif len(evidence) > MAX_EVIDENCE:
        errors["evidence"] = [f"at most {MAX_EVIDENCE} characters"]
    return errors


def has_active_violations(session: Session, order: RemovalOrder) -> bool:
    """Return whether a violation of the order is in force (established, not withdrawn)."""
    query = sa.select(Violation.id).where(
        Violation.order_id == order.id, Violation.withdrawn_at.is_(None)
    )
    return session.scalar(query.limit(1)) is not None
