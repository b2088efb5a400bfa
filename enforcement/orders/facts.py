"""The violations a sanction can rest on (art. 6(3) of the 2024 law), as plain facts.

A penalty order or a fine sanctions one thing only: not acting on a removal order within its
term. A violation qualifies when it was established, not withdrawn, and committed (its due
moment) on or after 1 July 2024, when the law took effect (Awb 5:4); for a fine, also not more
than five years ago (Awb 5:45). Read by the case guards and the sanction letters.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.notices.models import Notice
from enforcement.orders.models import LAW_IN_FORCE, RemovalOrder, RemovalOrderItem, Violation

FINE_LIMITATION = timedelta(days=5 * 365 + 1)  # Awb 5:45(1): five years (a leap day included)


@dataclass(frozen=True)
class ViolationFact:
    """One violation as a sanction cites it: the order, the item, the due moment, the proof."""

    id: int
    order_reference: str
    notice_reference: str
    due_at: datetime
    last_online_at: str | None  # ISO text, as the evidence stored it
    established_at: datetime

    def plain(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "order": self.order_reference,
            "notice": self.notice_reference,
            "due_at": self.due_at.isoformat(),
            "last_online_at": self.last_online_at,
            "established_at": self.established_at.isoformat(),
        }


def _facts_query() -> sa.Select:
    return (
        sa.select(Violation, RemovalOrder.reference, Notice.external_id)
        .join(RemovalOrder, RemovalOrder.id == Violation.order_id)
        .join(RemovalOrderItem, RemovalOrderItem.id == Violation.item_id)
        .join(Notice, Notice.id == RemovalOrderItem.notice_id)
        .order_by(Violation.due_at, Violation.id)
    )


def _fact(violation: Violation, reference: str, notice_reference: str) -> ViolationFact:
    return ViolationFact(
        id=violation.id,
        order_reference=reference,
        notice_reference=notice_reference,
        due_at=violation.due_at,
        last_online_at=(violation.evidence or {}).get("last_online_check_at"),
        established_at=violation.established_at,
    )


def qualifying_violations(
    session: Session, hoster_id: int, *, now: datetime, for_fine: bool = False
) -> list[ViolationFact]:
    """Return the hoster's violations a sanction can rest on as of ``now``, oldest first."""
    since = max(LAW_IN_FORCE, now - FINE_LIMITATION) if for_fine else LAW_IN_FORCE
    query = _facts_query().where(
        Violation.hoster_id == hoster_id,
        Violation.withdrawn_at.is_(None),
        Violation.established_at <= now,
        Violation.due_at >= since,
        Violation.due_at <= now,
    )
    return [_fact(*row) for row in session.execute(query)]


def violations_by_id(session: Session, ids: Sequence[int]) -> list[ViolationFact]:
    """Return the violations with these ids (withdrawn ones too: a letter cites what was)."""
    if not ids:
        return []
    query = _facts_query().where(Violation.id.in_(list(ids)))
    return [_fact(*row) for row in session.execute(query)]


def violations_summary(facts: Sequence[ViolationFact], limit: int) -> dict[str, Any]:
    """Return what a step records of the violations it rests on: count, first ids, span."""
    return {
        "count": len(facts),
        "ids": [fact.id for fact in facts[:limit]],
        "first_due_at": facts[0].due_at.isoformat() if facts else None,
        "last_due_at": facts[-1].due_at.isoformat() if facts else None,
    }
