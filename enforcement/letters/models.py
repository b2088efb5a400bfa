"""The letter register: drafts, issued letters, template snapshots and the kenmerk counters.

An issued letter never changes: a flush that would change or delete one is refused, and so is
an ORM bulk UPDATE or DELETE on the letters table. A correction is a new letter that names the
one it corrects. ``flask letters verify`` detects a change made outside the app.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, relationship

from enforcement.core.db import enum_column
from enforcement.core.time import UTCDateTime, utcnow
from enforcement.extensions import db
from enforcement.hosters.models import Language


class LetterStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"


ISSUED_COLUMNS = ("kenmerk", "template_sha256", "pdf", "pdf_sha256", "issued_by_id", "issued_at")
DRAFT_CONDITION = "status = 'draft' AND " + " AND ".join(f"{c} IS NULL" for c in ISSUED_COLUMNS)
ISSUED_CONDITION = "status = 'issued' AND " + " AND ".join(
    f"{c} IS NOT NULL" for c in ISSUED_COLUMNS
)


class LetterTemplate(db.Model):
    """The source of the templates and stylesheet a letter was rendered with, once per hash."""

    __tablename__ = "letter_templates"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    source: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Letter(db.Model):
    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The addressee; a letter of a case is addressed to the case's hoster.
    hoster_id: Mapped[int] = mapped_column(sa.ForeignKey("hosters.id"))
    # None for a letter outside any case: a removal order to a hoster without an open case.
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    language: Mapped[Language] = mapped_column(enum_column(Language, "letter_language"))
    status: Mapped[LetterStatus] = mapped_column(
        enum_column(LetterStatus, "letter_status"), default=LetterStatus.DRAFT
    )
    # ENF-2026-000123: from a per-year counter, given when the letter is issued.
    kenmerk: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    # The plain values the template was filled with (enforcement.letters.context).
    context: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    template_sha256: Mapped[str | None] = mapped_column(
        sa.String(64), sa.ForeignKey("letter_templates.sha256")
    )
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The moment of notification (Awb 2:17): the step's deadlines count from it.
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    corrects_letter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letters.id"))
    # The step this letter completes when it is issued (enforcement.casework.operations.issue).
    pending_step_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pending_steps.id"))
    version: Mapped[int] = mapped_column(default=1)
    # HMAC under AUDIT_KEY of the issue record (kenmerk, hashes, who and when): see issue_seal.
    issue_seal: Mapped[str | None] = mapped_column(sa.String(64))

    case = relationship("Case")
    hoster = relationship("Hoster")
    template: Mapped[LetterTemplate | None] = relationship()
    created_by = relationship("User", foreign_keys=[created_by_id])
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    corrects: Mapped["Letter | None"] = relationship(remote_side=[id])
    pending_step = relationship("PendingStep")

    __table_args__ = (
        sa.CheckConstraint(f"({DRAFT_CONDITION}) OR ({ISSUED_CONDITION})", name="status_columns"),
        sa.CheckConstraint("corrects_letter_id <> id", name="corrects_another_letter"),
        sa.Index("ix_letters_case_id", "case_id"),
        sa.Index("ix_letters_hoster_id", "hoster_id"),
        sa.Index("ix_letters_kind_issued_at", "kind", "issued_at"),
        # A step has one letter: two people deciding on it at once cannot both draft one.
        sa.Index("uq_letters_pending_step_id", "pending_step_id", unique=True),
        # One correction of an issued letter at a time: a second waits until the first is issued.
        sa.Index(
            "uq_letters_open_correction",
            "corrects_letter_id",
            unique=True,
            postgresql_where=sa.text("status = 'draft'"),
            sqlite_where=sa.text("status = 'draft'"),
        ),
    )

    # Optimistic locking: two people issuing one draft at once cannot both succeed.
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Letter {self.id} {self.kind} {self.kenmerk or 'draft'}>"


class KenmerkCounter(db.Model):
    """The last kenmerk number given out in a year (gap-free: see letters.numbering)."""

    __tablename__ = "kenmerk_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)

    __table_args__ = (sa.CheckConstraint("last_value >= 0", name="last_value_not_negative"),)


def is_issued_in_database(session: Session, letter: Letter) -> bool:
    """Return whether the database holds the letter as issued (whatever memory says now).

    Asked of the database, not of the object: after a commit its attributes are expired, so
    memory may not know the status it had before this change.
    """
    state = sa.inspect(letter)
    if state.key is None:
        return False
    with session.no_autoflush:
        status = session.execute(
            sa.select(Letter.__table__.c.status).where(Letter.__table__.c.id == state.key[1][0])
        ).scalar()
    return status == LetterStatus.ISSUED


@sa.event.listens_for(Session, "before_flush")
def _refuse_issued_letter_changes(session: Session, flush_context, instances) -> None:
    """Issued letters and template snapshots never change: refuse a flush that would."""
    for obj in session.deleted:
        if isinstance(obj, LetterTemplate) or (
            isinstance(obj, Letter) and is_issued_in_database(session, obj)
        ):
            raise RuntimeError("an issued letter is kept as it is; it cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, LetterTemplate) and session.is_modified(obj):
            raise RuntimeError("a template snapshot is kept as it is; it cannot be changed")
        if (
            isinstance(obj, Letter)
            and session.is_modified(obj)
            and is_issued_in_database(session, obj)
        ):
            raise RuntimeError(
                "an issued letter cannot be changed; issue a correction that cites it"
            )


@sa.event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_letter_changes(state: ORMExecuteState) -> None:
    """A bulk UPDATE or DELETE would pass by the check above: refuse it on the register."""
    changes = state.is_update or state.is_delete
    if changes and state.bind_mapper and state.bind_mapper.class_ in (Letter, LetterTemplate):
        raise RuntimeError("letters change one by one, through enforcement.letters.services")
