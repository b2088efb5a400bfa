"""Notices from the hotline, where they came from, and the monitor's probes of them.

Never the material itself: a notice keeps its URL (shown to signed-in staff only), the IP,
the times, and a content hash.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.time import UTCDateTime, utcnow
from enforcement.extensions import db
from enforcement.hosters.models import Hoster


class NoticeSource(db.Model):
    """Who sends notices (a hotline, the monitor); notice ids are unique per source."""

    __tablename__ = "notice_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    # SHA-256 of the source's API token; the token itself is shown once and never stored.
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notice(db.Model):
    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("notice_sources.id"))
    external_id: Mapped[str] = mapped_column(sa.String(200))
    url: Mapped[str] = mapped_column(sa.Text)
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    hoster_id: Mapped[int] = mapped_column(sa.ForeignKey("hosters.id"))
    notice_sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    offline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reappeared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    content_hash: Mapped[str | None] = mapped_column(sa.String(128))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source: Mapped[NoticeSource] = relationship()
    hoster: Mapped[Hoster] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("source_id", "external_id", name="uq_notices_source_external_id"),
        sa.CheckConstraint(
            "offline_at IS NULL OR offline_at >= notice_sent_at", name="offline_after_sent"
        ),
        # Covers the figures query: window by hoster and sent time, reading only these columns.
        sa.Index(
            "ix_notices_hoster_sent",
            "hoster_id",
            "notice_sent_at",
            "offline_at",
            "reappeared_at",
        ),
    )


class NoticeRevision(db.Model):
    """The values a notice had before an import changed them: a notice keeps its history."""

    __tablename__ = "notice_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("notices.id", ondelete="CASCADE"),
                                           index=True)  # fmt: skip
    url: Mapped[str] = mapped_column(sa.Text)
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    hoster_id: Mapped[int] = mapped_column(sa.ForeignKey("hosters.id"))
    notice_sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    offline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reappeared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    content_hash: Mapped[str | None] = mapped_column(sa.String(128))
    # When the import replaced these values (they held from the previous revision until then).
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NoticeCheck(db.Model):
    """One probe of a notice's URL by the monitor."""

    __tablename__ = "notice_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("notices.id", ondelete="CASCADE"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    online: Mapped[bool]
    content_hash: Mapped[str | None] = mapped_column(sa.String(128))

    __table_args__ = (
        sa.UniqueConstraint("notice_id", "checked_at", name="uq_notice_checks_notice_checked_at"),
    )
