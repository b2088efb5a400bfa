"""Audit checkpoints: the heads of every case's chain and of the letter register, sealed."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from enforcement.core.time import UTCDateTime, utcnow
from enforcement.extensions import db


class AuditCheckpoint(db.Model):
    """A sealed record of where every chain stood, so that removing its end shows."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # {case id: [last sequence, its hash, the case's stage]}
    case_heads: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # {year: the last kenmerk number given out}
    letter_heads: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # HMAC-SHA256 under AUDIT_KEY over the canonical JSON of the three fields above.
    seal: Mapped[str] = mapped_column(sa.String(64))
