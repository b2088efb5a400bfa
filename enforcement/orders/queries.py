"""Read-only queries: orders with their items' compliance, a hoster's orders, orders falling due.

Compliance is computed (enforcement.orders.compliance) from facts loaded in a few queries for
any number of orders: the items with their notices, every check of those notices, and the
violations already established.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from enforcement.core.errors import NotFound
from enforcement.hosters.models import Hoster
from enforcement.metrics.services import window_bounds
from enforcement.notices.checks import DEFAULT_FAILURES_FOR_OFFLINE
from enforcement.notices.models import Notice
from enforcement.notices.probes import checks_by_notice
from enforcement.orders.compliance import (
    Counts,
    ItemStatus,
    count_statuses,
    inaccessibility,
    item_status,
    last_online_check,
)
from enforcement.orders.models import (
    OrderStatus,
    RemovalOrder,
    RemovalOrderItem,
    Violation,
)

IN_CHUNK = 1000  # ids per IN (...) list: well within what both databases take
MAX_NOTICES_OFFERED = 1000  # the most notices the drafting page lists (and an order holds)


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """An order item as compliance reads it, with what its notice says of going offline."""

    id: int
    notice_id: int
    url: str
    ip: str | None
    content_hash: str | None
    notice_reference: str
    offline_at: datetime | None
    reappeared_at: datetime | None


@dataclass(frozen=True)
class ItemCompliance:
    item: ItemFacts
    notice_reference: str
    status: ItemStatus
    inaccessible_at: datetime | None
    reappeared_at: datetime | None
    # The last check that found the content online, up to the due moment (or as_of).
    last_online_at: datetime | None
    violation: Violation | None

    @property
    def reappeared_after_compliance(self) -> bool:
        return self.status == ItemStatus.COMPLIED and self.reappeared_at is not None


@dataclass(frozen=True)
class OrderCompliance:
    order: RemovalOrder
    as_of: datetime
    items: list[ItemCompliance]
    counts: Counts

    def violated_unestablished(self) -> list[ItemCompliance]:
        """Return the violated items no violation was established for yet."""
        return [i for i in self.items if i.status == ItemStatus.VIOLATED and i.violation is None]


def get_order(session: Session, order_id: int) -> RemovalOrder:
    """Return an order by id, or raise NotFound."""
    order = session.get(RemovalOrder, order_id)
    if order is None:
        raise NotFound("No such removal order.")
    return order


def get_order_by_reference(session: Session, reference: str) -> RemovalOrder:
    """Return an issued order by its reference (kenmerk), or raise NotFound."""
    order = session.scalar(sa.select(RemovalOrder).where(RemovalOrder.reference == reference))
    if order is None:
        raise NotFound("No removal order has that reference.")
    return order


def _chunks(values: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def violations_by_item(session: Session, order_ids: Sequence[int]) -> dict[int, Violation]:
    """Return the violations established for the items of these orders, by item id."""
    found: dict[int, Violation] = {}
    for chunk in _chunks(sorted(set(order_ids))):
        for violation in session.scalars(sa.select(Violation).where(Violation.order_id.in_(chunk))):
            found[violation.item_id] = violation
    return found


def order_compliance(
    session: Session,
    orders: Sequence[RemovalOrder],
    *,
    as_of: datetime,
    failures_for_offline: int = DEFAULT_FAILURES_FOR_OFFLINE,
) -> list[OrderCompliance]:
    """Return each order's items with their status as of a moment, in the orders' order."""
    if not orders:
        return []
    items = items_by_order(session, [order.id for order in orders])
    checks = checks_by_notice(session, [i.notice_id for rows in items.values() for i in rows])
    violations = violations_by_item(session, [order.id for order in orders])
    result = []
    for order in orders:
        since = order.received_at or order.issued_at or as_of
        found = [
            _item_compliance(item, order, since, as_of, checks.get(item.notice_id, []),
                             violations.get(item.id), failures_for_offline)
            for item in items.get(order.id, [])
        ]  # fmt: skip
        result.append(OrderCompliance(order, as_of, found, count_statuses(i.status for i in found)))
    return result


def items_by_order(session: Session, order_ids: Sequence[int]) -> dict[int, list[ItemFacts]]:
    """Return the items of these orders with their notices' facts, by order id, in order."""
    found: dict[int, list[ItemFacts]] = defaultdict(list)
    columns = (RemovalOrderItem.id, RemovalOrderItem.notice_id, RemovalOrderItem.url,
               RemovalOrderItem.ip, RemovalOrderItem.content_hash, Notice.external_id,
               Notice.offline_at, Notice.reappeared_at)  # fmt: skip
    for chunk in _chunks(sorted(set(order_ids))):
        rows = session.execute(
            sa.select(RemovalOrderItem.order_id, *columns)
            .join(Notice, Notice.id == RemovalOrderItem.notice_id)
            .where(RemovalOrderItem.order_id.in_(chunk))
            .order_by(RemovalOrderItem.id)
        )
        for order_id, *values in rows:
            found[order_id].append(ItemFacts(*values))
    return found


def _item_compliance(item, order, since, as_of, checks, violation, failures) -> ItemCompliance:
    found = inaccessibility(
        checks=checks,
        offline_at=item.offline_at,
        reappeared_at=item.reappeared_at,
        since=since,
        original_hash=item.content_hash,
        failures_for_offline=failures,
    )
    until = min(order.due_at, as_of) if order.due_at else as_of
    return ItemCompliance(
        item=item,
        notice_reference=item.notice_reference,
        status=item_status(found.inaccessible_at, order.due_at, as_of),
        inaccessible_at=found.inaccessible_at,
        reappeared_at=found.reappeared_at,
        last_online_at=last_online_check(checks, until, item.content_hash),
        violation=violation,
    )


def issued_orders(
    session: Session,
    *,
    hoster_id: int | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> list[RemovalOrder]:
    """Return issued orders by reference; with days, those received in that window
    (calendar days in Europe/Amsterdam)."""
    query = sa.select(RemovalOrder).where(RemovalOrder.status == OrderStatus.ISSUED)
    if hoster_id is not None:
        query = query.where(RemovalOrder.hoster_id == hoster_id)
    if first_day is not None:
        query = query.where(RemovalOrder.received_at >= window_bounds(first_day, first_day)[0])
    if last_day is not None:
        query = query.where(RemovalOrder.received_at < window_bounds(last_day, last_day)[1])
    return list(
        session.scalars(query.options(selectinload(RemovalOrder.hoster)).order_by(
            RemovalOrder.reference
        ))
    )  # fmt: skip


def hoster_orders(session: Session, hoster_id: int) -> list[RemovalOrder]:
    """Return a hoster's orders, drafts included, the newest first."""
    return list(
        session.scalars(
            sa.select(RemovalOrder)
            .where(RemovalOrder.hoster_id == hoster_id)
            .order_by(RemovalOrder.drafted_at.desc(), RemovalOrder.id.desc())
        )
    )


def orders_falling_due(session: Session, *, now: datetime, hours: int) -> list[RemovalOrder]:
    """Return issued orders whose term ends within the next ``hours`` (the soonest first)."""
    return list(
        session.scalars(
            sa.select(RemovalOrder)
            .where(RemovalOrder.status == OrderStatus.ISSUED)
            .where(RemovalOrder.due_at > now, RemovalOrder.due_at <= now + timedelta(hours=hours))
            .options(selectinload(RemovalOrder.hoster))
            .order_by(RemovalOrder.due_at, RemovalOrder.id)
        )
    )


def orders_awaiting_receipt(session: Session) -> list[RemovalOrder]:
    """Return issued orders whose receipt is not recorded yet: their term has not started."""
    return list(
        session.scalars(
            sa.select(RemovalOrder)
            .where(RemovalOrder.status == OrderStatus.ISSUED, RemovalOrder.received_at.is_(None))
            .options(selectinload(RemovalOrder.hoster))
            .order_by(RemovalOrder.issued_at, RemovalOrder.id)
        )
    )


def draft_orders(session: Session) -> list[RemovalOrder]:
    """Return the draft orders waiting to be issued, the oldest first."""
    return list(
        session.scalars(
            sa.select(RemovalOrder)
            .where(RemovalOrder.status == OrderStatus.DRAFT)
            .options(selectinload(RemovalOrder.hoster))
            .order_by(RemovalOrder.drafted_at, RemovalOrder.id)
        )
    )


def still_online_notices(
    session: Session, hoster: Hoster, *, sent_before: datetime, limit: int = MAX_NOTICES_OFFERED
) -> tuple[list[Notice], int]:
    """Return a hoster's notices still online that were sent before a moment (the oldest
    first, at most ``limit``), and how many there are in all."""
    where = (
        Notice.hoster_id == hoster.id,
        Notice.offline_at.is_(None),
        Notice.notice_sent_at <= sent_before,
    )
    total = session.scalar(sa.select(sa.func.count()).select_from(Notice).where(*where))
    notices = session.scalars(
        sa.select(Notice).where(*where).order_by(Notice.notice_sent_at, Notice.id).limit(limit)
    )
    return list(notices), total


def orders_of_notices(session: Session, notice_ids: Sequence[int]) -> dict[int, list[str]]:
    """Return, per notice, the references (or "draft") of the orders that list it already."""
    found: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(sorted(set(notice_ids))):
        rows = session.execute(
            sa.select(RemovalOrderItem.notice_id, RemovalOrder.reference)
            .join(RemovalOrder, RemovalOrder.id == RemovalOrderItem.order_id)
            .where(RemovalOrderItem.notice_id.in_(chunk))
            .order_by(RemovalOrder.id)
        )
        for notice_id, reference in rows:
            found[notice_id].append(reference or "draft")
    return found
