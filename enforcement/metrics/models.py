"""The breach policy, kept as dated versions: each change is a new row (who, when, why)."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.time import UTCDateTime, utcnow
from enforcement.extensions import db


class BreachPolicy(db.Model):
    """Thresholds in force from ``effective_from`` until a later version takes over."""

    __tablename__ = "breach_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(sa.Date)
    min_notices: Mapped[int]
    min_offline_within_24h_pct: Mapped[float]
    max_online_over_72h_pct: Mapped[float]
    reason: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by = relationship("User")

    __table_args__ = (
        sa.CheckConstraint("min_notices >= 1", name="min_notices_positive"),
        sa.CheckConstraint(
            "min_offline_within_24h_pct >= 0 AND min_offline_within_24h_pct <= 100",
            name="offline_pct_range",
        ),
        sa.CheckConstraint(
            "max_online_over_72h_pct >= 0 AND max_online_over_72h_pct <= 100",
            name="online_pct_range",
        ),
    )
