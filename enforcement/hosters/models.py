"""The hosting companies under supervision, their announced IP ranges and their change history."""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.db import enum_column
from enforcement.core.time import UTCDateTime, utcnow
from enforcement.extensions import db


class Language(StrEnum):
    """The language formal letters to a hoster are written in."""

    NL = "nl"
    EN = "en"


class Hoster(db.Model):
    __tablename__ = "hosters"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Chamber of Commerce (Kamer van Koophandel) number: 8 digits, kept as text for leading zeros.
    kvk: Mapped[str] = mapped_column(sa.String(8), unique=True)
    trade_name: Mapped[str] = mapped_column(sa.String(200))
    legal_name: Mapped[str] = mapped_column(sa.String(200))
    country: Mapped[str] = mapped_column(sa.String(2))
    postal_address: Mapped[str | None] = mapped_column(sa.Text)
    formal_email: Mapped[str] = mapped_column(sa.String(254))
    abuse_contact: Mapped[str] = mapped_column(sa.String(254))
    language: Mapped[Language] = mapped_column(enum_column(Language, "language"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    ip_ranges: Mapped[list["HosterIpRange"]] = relationship(
        back_populates="hoster", cascade="all, delete-orphan", order_by="HosterIpRange.cidr"
    )
    changes: Mapped[list["HosterChange"]] = relationship(
        back_populates="hoster", order_by="HosterChange.id.desc()"
    )

    __table_args__ = (
        sa.CheckConstraint("length(kvk) = 8", name="kvk_eight_digits"),
        sa.CheckConstraint("length(country) = 2", name="country_alpha2"),
    )
    # Optimistic locking: an edit based on a stale version fails instead of overwriting.
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Hoster {self.kvk} {self.trade_name}>"


class HosterIpRange(db.Model):
    """A CIDR range a hoster announces; notices are attributed by the longest matching prefix."""

    __tablename__ = "hoster_ip_ranges"

    id: Mapped[int] = mapped_column(primary_key=True)
    hoster_id: Mapped[int] = mapped_column(sa.ForeignKey("hosters.id", ondelete="CASCADE"))
    # Normalized network form (host bits zero, IPv6 compressed); unique across all hosters.
    cidr: Mapped[str] = mapped_column(sa.String(43), unique=True)
    ip_version: Mapped[int] = mapped_column(sa.SmallInteger)
    prefix_length: Mapped[int] = mapped_column(sa.SmallInteger)

    hoster: Mapped[Hoster] = relationship(back_populates="ip_ranges")

    __table_args__ = (
        sa.CheckConstraint("ip_version IN (4, 6)", name="ip_version_4_or_6"),
        sa.CheckConstraint(
            "prefix_length >= 0 AND prefix_length <= 128", name="prefix_length_range"
        ),
        sa.Index("ix_hoster_ip_ranges_hoster_id", "hoster_id"),
    )


class HosterChange(db.Model):
    """An append-only record of who changed what on a hoster, and when."""

    __tablename__ = "hoster_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    hoster_id: Mapped[int] = mapped_column(sa.ForeignKey("hosters.id", ondelete="CASCADE"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Where the change came from: "web", or "import <file name>" for the command line.
    source: Mapped[str] = mapped_column(sa.String(200))
    action: Mapped[str] = mapped_column(sa.String(20))
    # {field: [old, new]}; old is null on creation.
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

    hoster: Mapped[Hoster] = relationship(back_populates="changes")
    actor = relationship("User")

    __table_args__ = (
        sa.CheckConstraint("action IN ('created', 'updated')", name="action_known"),
        sa.Index("ix_hoster_changes_hoster_id", "hoster_id"),
    )
