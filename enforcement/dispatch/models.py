"""The outbox: one message per issued letter, and what became of it.

A message is claimed before it is sent and recorded after, so a worker that dies mid-send leaves
it ``sending``; it is then marked ``uncertain`` and never sent again by itself: legal staff check
with the recipient (the message carries one Message-ID, however often it is looked at).
"""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.core.db import enum_column
from enforcement.core.time import UTCDateTime, utcnow
from enforcement.extensions import db
from enforcement.letters.models import Letter


class MessageStatus(StrEnum):
    QUEUED = "queued"  # waits for a worker
    SENDING = "sending"  # a worker claimed it and is talking to the mail server
    RETRY = "retry"  # a temporary failure: tried again at next_attempt_at
    ACCEPTED = "accepted"  # the recipient's mail server accepted it: the moment of notification
    FAILED = "failed"  # refused for good (or too many tries): legal staff act
    UNCERTAIN = "uncertain"  # a worker stopped mid-send: check before sending again
    HELD = "held"  # its letter's date passed before it went out: re-date it by a correction
    POSTED = "posted"  # sent by registered mail instead, recorded by hand


# A worker may take these; the others wait for a person or are done.
SENDABLE = (MessageStatus.QUEUED, MessageStatus.RETRY)
# These need legal staff.
NEEDS_ACTION = (MessageStatus.FAILED, MessageStatus.UNCERTAIN, MessageStatus.HELD)


class OutboxMessage(db.Model):
    """The message that carries one issued letter to its hoster."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(sa.ForeignKey("letters.id"), unique=True)
    hoster_id: Mapped[int] = mapped_column(sa.ForeignKey("hosters.id"), index=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    # The Message-ID header: the same on every attempt, so a recipient can tell a repeat.
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    status: Mapped[MessageStatus] = mapped_column(
        enum_column(MessageStatus, "message_status"), default=MessageStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    server_reply: Mapped[str | None] = mapped_column(sa.Text)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # Registered mail, recorded by hand: its track-and-trace number and when it was delivered.
    tracking_number: Mapped[str | None] = mapped_column(sa.String(100))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    letter: Mapped[Letter] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "status != 'accepted' OR accepted_at IS NOT NULL", name="accepted_has_moment"
        ),
        sa.CheckConstraint(
            "status != 'posted' OR (tracking_number IS NOT NULL AND delivered_at IS NOT NULL)",
            name="posted_has_tracking",
        ),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )
