"""Decreed extra holidays (Algemene termijnenwet art. 3(3)); a removal is kept, never deleted."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.time import UTCDateTime, utcnow
from enforcement.extensions import db

IN_FORCE = "removed_at IS NULL"


class DecreedHoliday(db.Model):
    """A day a royal decree equates with a public holiday, such as the Friday after Ascension Day.

    Removing a day fills the removal columns instead of deleting the row, so the page can show
    who added and removed which day, when and why. At most one row per day is in force.
    """

    __tablename__ = "decreed_holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date)
    name: Mapped[str] = mapped_column(sa.String(200))
    # The decree that adds the day, e.g. "Besluit van 24 oktober 2016, nr. 2016001827".
    decree: Mapped[str] = mapped_column(sa.String(300))
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))  # None: the CLI
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removal_reason: Mapped[str | None] = mapped_column(sa.Text)

    added_by = relationship("User", foreign_keys=[added_by_id])
    removed_by = relationship("User", foreign_keys=[removed_by_id])

    __table_args__ = (
        # A day is in force at most once; a removed day may be decreed again later.
        sa.Index(
            "uq_decreed_holidays_day_in_force",
            "day",
            unique=True,
            sqlite_where=sa.text(IN_FORCE),
            postgresql_where=sa.text(IN_FORCE),
        ),
        sa.CheckConstraint(
            "(removed_at IS NULL AND removed_by_id IS NULL AND removal_reason IS NULL)"
            " OR (removed_at IS NOT NULL AND removal_reason IS NOT NULL)",
            name="removal_complete",
        ),
        sa.CheckConstraint("length(name) > 0 AND length(decree) > 0", name="named_and_decreed"),
    )

    @property
    def in_force(self) -> bool:
        return self.removed_at is None

    def __repr__(self) -> str:
        return f"<DecreedHoliday {self.day.isoformat()} {self.name}>"
