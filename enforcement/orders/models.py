"""Removal orders (bevel), the data each orders made inaccessible, and established violations.

A removal order is addressed to one hoster and lists notices of that hoster (URL, IP, content
hash, as they stood when the order was drafted). Its term, a whole number of hours from 1 to 12,
runs from the moment the hoster received it (Awb 3:41, 2:17). Not acting on it within that term
is the one violation a penalty order or fine can rest on (art. 6(3)); a violation, once
established, never changes: a wrong one is withdrawn with a reason.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from enforcement.core.db import enum_column
from enforcement.core.time import LOCAL_TZ, UTCDateTime, utcnow
from enforcement.extensions import db
from enforcement.hosters.models import Hoster
from enforcement.notices.models import Notice

# The 2024 law took effect on 1 July 2024 (Stb. 2024, 162), Amsterdam time: no removal order is
# older, and no conduct before it can be sanctioned (Awb 5:4).
LAW_IN_FORCE = datetime(2024, 7, 1, tzinfo=LOCAL_TZ)
MIN_TERM_HOURS = 1
MAX_TERM_HOURS = 12  # art. 6(4): at most twelve hours
DEFAULT_TERM_HOURS = 12
# Awb 4:11(a): no prior view (zienswijze) where urgency requires it; stored with every order.
URGENCY_GROUND = "Awb 4:11, aanhef en onder a (spoedeisendheid)"


class OrderStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"


class OrderOrigin(StrEnum):
    SYSTEM = "system"  # drafted and issued here, with its letter
    IMPORTED = "imported"  # issued outside the system (history, another tool)


class RemovalOrder(db.Model):
    __tablename__ = "removal_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The kenmerk of its letter, or the reference it was issued under elsewhere; none as a draft.
    reference: Mapped[str | None] = mapped_column(sa.String(60), unique=True)
    hoster_id: Mapped[int] = mapped_column(sa.ForeignKey("hosters.id"))
    # The hoster's open case when the order was drafted or imported, if it had one.
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"))
    origin: Mapped[OrderOrigin] = mapped_column(enum_column(OrderOrigin, "order_origin"))
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus, "order_status"))
    term_hours: Mapped[int] = mapped_column(sa.SmallInteger, default=DEFAULT_TERM_HOURS)
    # The facts and circumstances, and the reasons, in the drafter's words (art. 6(4)).
    reasons: Mapped[str] = mapped_column(sa.Text, default="")
    urgency_ground: Mapped[str] = mapped_column(sa.String(200), default=URGENCY_GROUND)
    letter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letters.id"), unique=True)
    # Where an imported order came from ("import orders.csv").
    source: Mapped[str | None] = mapped_column(sa.String(200))
    drafted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The moment the hoster received the order (Awb 2:17); its term counts from here.
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    receipt_evidence: Mapped[str | None] = mapped_column(sa.Text)
    receipt_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    receipt_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # received_at + term_hours, exact elapsed time (a term in hours never moves, Atw art. 4).
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    hoster: Mapped[Hoster] = relationship()
    items: Mapped[list["RemovalOrderItem"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="RemovalOrderItem.id"
    )
    letter = relationship("Letter")
    drafted_by = relationship("User", foreign_keys=[drafted_by_id])
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    receipt_recorded_by = relationship("User", foreign_keys=[receipt_recorded_by_id])

    __table_args__ = (
        sa.CheckConstraint(
            f"term_hours >= {MIN_TERM_HOURS} AND term_hours <= {MAX_TERM_HOURS}",
            name="term_hours_range",
        ),
        sa.CheckConstraint(
            "status = 'draft' OR (reference IS NOT NULL AND issued_at IS NOT NULL)",
            name="issued_has_reference",
        ),
        sa.CheckConstraint(
            "status = 'issued' OR (received_at IS NULL AND reference IS NULL)",
            name="draft_not_received",
        ),
        sa.CheckConstraint(
            "(received_at IS NULL AND due_at IS NULL) OR "
            "(received_at IS NOT NULL AND due_at IS NOT NULL AND receipt_evidence IS NOT NULL)",
            name="received_has_due_and_evidence",
        ),
        sa.CheckConstraint(
            "received_at IS NULL OR received_at >= issued_at", name="received_after_issue"
        ),
        sa.CheckConstraint("due_at IS NULL OR due_at > received_at", name="due_after_receipt"),
        sa.Index("ix_removal_orders_hoster_id", "hoster_id"),
        sa.Index("ix_removal_orders_due_at", "due_at"),
    )
    # Optimistic locking: two people issuing or recording receipt at once cannot both succeed.
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<RemovalOrder {self.id} {self.reference or 'draft'}>"


class RemovalOrderItem(db.Model):
    """One piece of data an order tells the hoster to make inaccessible: one notice's URL."""

    __tablename__ = "removal_order_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("removal_orders.id", ondelete="CASCADE"))
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("notices.id"))
    # As the order states them, kept even if the notice is later re-imported.
    url: Mapped[str] = mapped_column(sa.Text)
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    content_hash: Mapped[str | None] = mapped_column(sa.String(128))

    order: Mapped[RemovalOrder] = relationship(back_populates="items")
    notice: Mapped[Notice] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("order_id", "notice_id", name="uq_removal_order_items_order_notice"),
        sa.Index("ix_removal_order_items_notice_id", "notice_id"),
    )


VIOLATION_FACTS = (
    "order_id",
    "item_id",
    "hoster_id",
    "due_at",
    "established_at",
    "evidence",
    "case_id",
)


class Violation(db.Model):
    """An order item not made inaccessible within its term (art. 6(3)): established once,
    never changed; a wrong one is withdrawn with a reason."""

    __tablename__ = "violations"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("removal_orders.id"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("removal_order_items.id"), unique=True)
    hoster_id: Mapped[int] = mapped_column(sa.ForeignKey("hosters.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    established_at: Mapped[datetime] = mapped_column(UTCDateTime)
    established_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The order, the item, the due moment, the last check that found it online, what the
    # monitor knew: plain JSON, as it was when the violation was established.
    evidence: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)

    order: Mapped[RemovalOrder] = relationship()
    item: Mapped[RemovalOrderItem] = relationship()
    established_by = relationship("User", foreign_keys=[established_by_id])
    withdrawn_by = relationship("User", foreign_keys=[withdrawn_by_id])

    __table_args__ = (
        sa.CheckConstraint(
            "(withdrawn_at IS NULL AND withdrawn_by_id IS NULL AND withdrawal_reason IS NULL) OR "
            "(withdrawn_at IS NOT NULL AND withdrawn_by_id IS NOT NULL "
            "AND withdrawal_reason IS NOT NULL)",
            name="withdrawal_complete",
        ),
        sa.Index("ix_violations_hoster_id", "hoster_id"),
    )


@sa.event.listens_for(Session, "before_flush")
def _refuse_violation_changes(session: Session, flush_context, instances) -> None:
    """A violation is a fact a sanction rests on: only its withdrawal may be added, once."""
    for obj in session.deleted:
        if isinstance(obj, Violation):
            raise RuntimeError("a violation is never deleted; withdraw it with a reason")
    for obj in session.dirty:
        if not isinstance(obj, Violation) or not session.is_modified(obj):
            continue
        state = sa.inspect(obj)
        changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
        withdrawn_before = state.attrs.withdrawn_at.history.deleted
        if changed & set(VIOLATION_FACTS) or any(withdrawn_before):
            raise RuntimeError("an established violation never changes; withdraw it instead")
