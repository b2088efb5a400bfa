"""Plain helpers (not fixtures) that store removal orders and their violations for other tests."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from enforcement.deadlines import hours_deadline
from enforcement.notices.models import Notice
from enforcement.orders.models import (
    OrderOrigin,
    OrderStatus,
    RemovalOrder,
    RemovalOrderItem,
    Violation,
)


def add_violations(session, hoster, *, due_at: datetime, count: int = 3,
                   reference: str = "EXT-BEVEL-1") -> list[Violation]:  # fmt: skip
    """Store an imported order on ``count`` of the hoster's notices, due at ``due_at``, with a
    violation established for each item an hour later; commit and return the violations."""
    notices = list(session.scalars(
        sa.select(Notice).where(Notice.hoster_id == hoster.id, Notice.notice_sent_at < due_at)
        .order_by(Notice.id).limit(count)
    ))  # fmt: skip
    assert len(notices) == count, "the hoster needs notices sent before the due moment"
    received = due_at - timedelta(hours=12)
    order = RemovalOrder(
        reference=reference, hoster_id=hoster.id, origin=OrderOrigin.IMPORTED,
        status=OrderStatus.ISSUED, term_hours=12, issued_at=received, received_at=received,
        due_at=hours_deadline(received, 12), receipt_evidence="test", drafted_at=received,
        items=[RemovalOrderItem(notice_id=n.id, url=n.url, ip=n.ip) for n in notices],
    )  # fmt: skip
    session.add(order)
    session.flush()
    violations = [
        Violation(order_id=order.id, item_id=item.id, hoster_id=hoster.id, due_at=order.due_at,
                  established_at=order.due_at + timedelta(hours=1),
                  evidence={"last_online_check_at": (order.due_at + timedelta(minutes=30))
                            .isoformat()})
        for item in order.items
    ]  # fmt: skip
    session.add_all(violations)
    session.commit()
    return violations
