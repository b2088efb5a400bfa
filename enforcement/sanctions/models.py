"""Confirmed forfeitures, collection decisions (invorderingsbeschikking) and payments.

A forfeiture happens by operation of law (Awb 5:33); the ledger (``sanctions.ledger``) computes
it from the violations. A supervisor's confirmation freezes one line as a ``Forfeiture``: its
amount never changes afterwards, and one violation forfeits at most once, under one order.
A collection decision (Awb 5:37) fixes confirmed forfeitures for collection; it is drafted by
legal staff, approved by another person (four eyes), and made known by issuing its letter.
A payment is recorded against a fine decision or a collection decision.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from enforcement.core.db import enum_column
from enforcement.core.time import UTCDateTime, utcnow
from enforcement.extensions import db

MONEY = sa.Numeric(12, 2)


class CollectionStatus(StrEnum):
    DRAFT = "draft"  # drafted, awaiting a second person's approval
    APPROVED = "approved"  # approved; its letter is drafted and waits to be issued
    REFUSED = "refused"  # refused by the approver; its forfeitures are free again


class Forfeiture(db.Model):
    """One violation's forfeited amount under a penalty order, confirmed by a supervisor."""

    __tablename__ = "forfeitures"

    id: Mapped[int] = mapped_column(primary_key=True)
    penalty_decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"))
    # One violation forfeits once, under one order: a second confirmation is refused.
    violation_id: Mapped[int] = mapped_column(sa.ForeignKey("violations.id"), unique=True)
    hoster_id: Mapped[int] = mapped_column(sa.ForeignKey("hosters.id"))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    # The violation's due moment: the moment of forfeiture (Awb 5:33).
    forfeited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The ledger line as it stood when confirmed: outcome, running total, why.
    ledger_line: Mapped[dict] = mapped_column(sa.JSON)
    confirmed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The collection decision that covers it (none, or one that was not refused).
    collection_id: Mapped[int | None] = mapped_column(sa.ForeignKey("collection_decisions.id"))

    confirmed_by = relationship("User")
    penalty_decision = relationship("Decision")
    violation = relationship("Violation")
    collection: Mapped["CollectionDecision | None"] = relationship(back_populates="forfeitures")

    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.Index("ix_forfeitures_penalty_decision_id", "penalty_decision_id"),
        sa.Index("ix_forfeitures_hoster_id", "hoster_id"),
    )


class CollectionDecision(db.Model):
    """A collection decision (invorderingsbeschikking, Awb 5:37) over confirmed forfeitures."""

    __tablename__ = "collection_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    hoster_id: Mapped[int] = mapped_column(sa.ForeignKey("hosters.id"))
    penalty_decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"))
    status: Mapped[CollectionStatus] = mapped_column(
        enum_column(CollectionStatus, "collection_status"), default=CollectionStatus.DRAFT
    )
    amount: Mapped[Decimal] = mapped_column(MONEY)
    reasons: Mapped[str] = mapped_column(sa.Text, default="")
    drafted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    # Its letter (drafted on approval); the decision is made known when the letter is issued.
    letter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letters.id"), unique=True)
    version: Mapped[int] = mapped_column(default=1)

    case = relationship("Case")
    penalty_decision = relationship("Decision")
    letter = relationship("Letter")
    drafted_by = relationship("User", foreign_keys=[drafted_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    forfeitures: Mapped[list[Forfeiture]] = relationship(
        back_populates="collection", order_by="Forfeiture.forfeited_at"
    )

    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint(
            "status = 'draft' OR (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
            name="decided_has_decider",
        ),
        sa.CheckConstraint(
            "decided_by_id IS NULL OR decided_by_id <> drafted_by_id", name="four_eyes"
        ),
        sa.CheckConstraint(
            "letter_id IS NULL OR status = 'approved'", name="letter_only_when_approved"
        ),
        sa.Index("ix_collection_decisions_case_id", "case_id"),
    )
    __mapper_args__ = {"version_id_col": version}


class Payment(db.Model):
    """A payment received against a fine decision or a collection decision."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    fine_decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"))
    collection_id: Mapped[int | None] = mapped_column(sa.ForeignKey("collection_decisions.id"))
    hoster_id: Mapped[int] = mapped_column(sa.ForeignKey("hosters.id"))
    paid_on: Mapped[date] = mapped_column(sa.Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    payer_reference: Mapped[str] = mapped_column(sa.String(140))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by = relationship("User")

    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint(
            "(fine_decision_id IS NULL) <> (collection_id IS NULL)", name="one_target"
        ),
        sa.CheckConstraint("length(payer_reference) > 0", name="has_reference"),
        sa.Index("ix_payments_fine_decision_id", "fine_decision_id"),
        sa.Index("ix_payments_collection_id", "collection_id"),
    )


FROZEN = {
    Forfeiture: ("penalty_decision_id", "violation_id", "hoster_id", "amount", "forfeited_at",
                 "ledger_line", "confirmed_by_id", "confirmed_at"),
    Payment: ("fine_decision_id", "collection_id", "hoster_id", "paid_on", "amount",
              "payer_reference", "recorded_by_id", "recorded_at"),
}  # fmt: skip


@sa.event.listens_for(Session, "before_flush")
def _refuse_money_changes(session: Session, flush_context, instances) -> None:
    """A confirmed forfeiture and a recorded payment are frozen: never changed or deleted."""
    for obj in session.deleted:
        if type(obj) in FROZEN:
            raise RuntimeError(f"a {type(obj).__name__.lower()} is never deleted")
    for obj in session.dirty:
        frozen = FROZEN.get(type(obj))
        if not frozen or not session.is_modified(obj):
            continue
        state = sa.inspect(obj)
        if any(state.attrs[name].history.has_changes() for name in frozen):
            raise RuntimeError(f"a {type(obj).__name__.lower()} never changes once recorded")
