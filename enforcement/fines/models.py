"""Fine category amounts (art. 23 Sr), indexed every two years (art. 23(9) Sr), kept as dated rows.

Each row holds the amounts of the 2nd and 6th categories from a date, with the Staatsblad (or
other) source. Supervisors add a new indexation and remove a wrong row with a reason; a removed
row stays on record. At most one row per date is in force.
"""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.time import UTCDateTime, utcnow
from enforcement.extensions import db

IN_FORCE = "removed_at IS NULL"


class FineCategoryAmounts(db.Model):
    __tablename__ = "fine_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(sa.Date)
    second: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    sixth: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    source: Mapped[str] = mapped_column(sa.String(300))
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))  # None: migration
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removal_reason: Mapped[str | None] = mapped_column(sa.Text)

    added_by = relationship("User", foreign_keys=[added_by_id])
    removed_by = relationship("User", foreign_keys=[removed_by_id])

    __table_args__ = (
        sa.Index(
            "uq_fine_categories_from_in_force",
            "effective_from",
            unique=True,
            sqlite_where=sa.text(IN_FORCE),
            postgresql_where=sa.text(IN_FORCE),
        ),
        sa.CheckConstraint("second > 0 AND sixth >= second", name="amounts_ordered"),
        sa.CheckConstraint("length(source) > 0", name="has_source"),
        sa.CheckConstraint(
            "(removed_at IS NULL AND removed_by_id IS NULL AND removal_reason IS NULL)"
            " OR (removed_at IS NOT NULL AND removal_reason IS NOT NULL)",
            name="removal_complete",
        ),
    )

    @property
    def in_force(self) -> bool:
        return self.removed_at is None
