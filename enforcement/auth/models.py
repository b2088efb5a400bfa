"""Users, their roles, and the sign-in attempts that drive the lock-out."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from enforcement.core.db import enum_column
from enforcement.core.time import UTCDateTime, utcnow
from enforcement.extensions import db


class Role(StrEnum):
    OFFICER = "officer"
    LEGAL = "legal"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the session's user id: raising it ends every session of the user, in every process.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    __table_args__ = (sa.CheckConstraint("email = lower(email)", name="email_lowercase"),)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """Return the id Flask-Login keeps in the session: the user id and session version."""
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class SignInAttempt(db.Model):
    """One sign-in attempt; failures since the last success drive the lock-out."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    succeeded: Mapped[bool]
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    remote_addr: Mapped[str | None] = mapped_column(sa.String(45))

    __table_args__ = (sa.Index("ix_sign_in_attempts_email_attempted_at", "email", "attempted_at"),)
