"""What art. 9 publication needs besides the decision: interim relief, appeal, the hoster's
response to its naming. Each row belongs to a decision; its changes are events in the case chain."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.cases.models import Decision
from enforcement.core.db import enum_column
from enforcement.core.time import UTCDateTime, utcnow
from enforcement.extensions import db


class ReliefOutcome(StrEnum):
    """Where a request for interim relief (voorlopige voorziening, Awb 8:81) stands."""

    PENDING = "pending"
    GRANTED = "granted"  # the court suspended the decision
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class AppealOutcome(StrEnum):
    """Where an appeal (beroep) to the court stands."""

    PENDING = "pending"
    ANNULLED = "annulled"  # the court annulled the decision
    DISMISSED = "dismissed"
    WITHDRAWN = "withdrawn"


class InterimRelief(db.Model):
    """A request for interim relief against a decision; art. 9 publication waits while pending."""

    __tablename__ = "interim_reliefs"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[ReliefOutcome] = mapped_column(
        enum_column(ReliefOutcome, "relief_outcome"), default=ReliefOutcome.PENDING
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decision: Mapped[Decision] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "(outcome = 'pending') = (decided_at IS NULL)", name="decided_has_moment"
        ),
        sa.CheckConstraint(
            "decided_at IS NULL OR decided_at >= requested_at", name="decided_after_request"
        ),
    )


class Appeal(db.Model):
    """An appeal to the court against a decision (after the objection was decided)."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), index=True)
    lodged_on: Mapped[date] = mapped_column(sa.Date)
    outcome: Mapped[AppealOutcome] = mapped_column(
        enum_column(AppealOutcome, "appeal_outcome"), default=AppealOutcome.PENDING
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decision: Mapped[Decision] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "(outcome = 'pending') = (decided_at IS NULL)", name="decided_has_moment"
        ),
    )


class NamingResponse(db.Model):
    """The hoster's response to its naming, shown beside its figures because it asked for that."""

    __tablename__ = "naming_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), unique=True)
    text: Mapped[str] = mapped_column(sa.Text)
    received_on: Mapped[date] = mapped_column(sa.Date)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decision: Mapped[Decision] = relationship()

    __table_args__ = (sa.CheckConstraint("length(text) > 0", name="has_text"),)
