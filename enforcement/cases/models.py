"""Cases, their append-only event chain, proposals awaiting approval, deadlines, objections."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from enforcement.cases.ladder import Stage, Trigger
from enforcement.core.db import enum_column
from enforcement.core.time import UTCDateTime, utcnow
from enforcement.extensions import db
from enforcement.hosters.models import Hoster

OPEN_CASE_CONDITION = "stage <> 'closed'"


class ProposalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"  # the case moved on before anyone decided


class PendingStatus(StrEnum):
    """Where a step waiting for its letter stands."""

    OPEN = "open"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class DeadlineStatus(StrEnum):
    RUNNING = "running"
    SUSPENDED = "suspended"
    ENDED = "ended"
    CANCELLED = "cancelled"


# A deadline still counting (or paused): not ended or cancelled.
ACTIVE_DEADLINE = (DeadlineStatus.RUNNING, DeadlineStatus.SUSPENDED)


class ObjectionOutcome(StrEnum):
    PENDING = "pending"
    UPHELD = "upheld"
    REJECTED = "rejected"
    INADMISSIBLE = "inadmissible"
    WITHDRAWN = "withdrawn"


# Outcomes answered by a decision on the objection (a withdrawn objection needs none).
DECIDED_BY_LETTER = (ObjectionOutcome.UPHELD, ObjectionOutcome.REJECTED,
                     ObjectionOutcome.INADMISSIBLE)  # fmt: skip


class CloseReason(StrEnum):
    COMPLIED = "complied"  # figures within the policy for a full window
    WITHDRAWN = "withdrawn"
    REVOKED_ON_OBJECTION = "revoked_on_objection"


class Case(db.Model):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    hoster_id: Mapped[int] = mapped_column(sa.ForeignKey("hosters.id"))
    stage: Mapped[Stage] = mapped_column(enum_column(Stage, "stage"))
    opened_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opening_reason: Mapped[str] = mapped_column(sa.Text)
    # The figures that justified opening (or reopening), frozen: {window, as_of, figures, ...}.
    opening_figures: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # Art. 8 of the 2024 law: a higher maximum fine for systematic or persistent breach.
    systematic: Mapped[bool] = mapped_column(default=False)
    systematic_reason: Mapped[str | None] = mapped_column(sa.Text)
    turnover_eur: Mapped[Decimal | None] = mapped_column(sa.Numeric(15, 2))
    turnover_source: Mapped[str | None] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    hoster: Mapped[Hoster] = relationship()
    opened_by = relationship("User")
    events: Mapped[list["CaseEvent"]] = relationship(
        back_populates="case", order_by="CaseEvent.sequence"
    )
    deadlines: Mapped[list["Deadline"]] = relationship(
        back_populates="case", order_by="Deadline.due_at"
    )

    __table_args__ = (
        # One open case per hoster; closed cases stay as history.
        sa.Index(
            "uq_cases_one_open_per_hoster",
            "hoster_id",
            unique=True,
            sqlite_where=sa.text(OPEN_CASE_CONDITION),
            postgresql_where=sa.text(OPEN_CASE_CONDITION),
        ),
        sa.CheckConstraint(
            "NOT systematic OR systematic_reason IS NOT NULL", name="systematic_has_reason"
        ),
        sa.CheckConstraint(
            "turnover_eur IS NULL OR turnover_source IS NOT NULL", name="turnover_has_source"
        ),
    )
    # Optimistic locking: two users acting on one case cannot both succeed.
    __mapper_args__ = {"version_id_col": version}


class CaseEvent(db.Model):
    """One append-only entry of a case's history, chained to the previous one by its hash."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    sequence: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(40))
    trigger: Mapped[str | None] = mapped_column(sa.String(40))
    from_stage: Mapped[str | None] = mapped_column(sa.String(20))
    to_stage: Mapped[str | None] = mapped_column(sa.String(20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    # The data the step relied on: figures, parameters, deadlines, the letter it needs.
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    previous_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))
    # 1: plain SHA-256 (events before migration 0011); 2: HMAC-SHA256 under AUDIT_KEY.
    hash_scheme: Mapped[int] = mapped_column(sa.SmallInteger, default=1, server_default="1")

    case: Mapped[Case] = relationship(back_populates="events")
    actor = relationship("User")

    __table_args__ = (
        sa.UniqueConstraint("case_id", "sequence", name="uq_case_events_case_sequence"),
        sa.CheckConstraint("hash_scheme IN (1, 2)", name="hash_scheme_known"),
    )


class Proposal(db.Model):
    """An escalation proposed by one user, carried out only on approval by another."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    trigger: Mapped[Trigger] = mapped_column(enum_column(Trigger, "trigger"))
    from_stage: Mapped[Stage] = mapped_column(enum_column(Stage, "proposal_stage"))
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    reason: Mapped[str] = mapped_column(sa.Text)
    proposed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(20), default=ProposalStatus.PENDING.value)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(sa.Text)

    case: Mapped[Case] = relationship()
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'refused', 'withdrawn')", name="status_known"
        ),
        sa.CheckConstraint(
            "status = 'pending' OR (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
            name="decided_has_decider",
        ),
        # A withdrawal (the case moved on) may be the proposer's own doing; a decision never is.
        sa.CheckConstraint(
            "status = 'withdrawn' OR decided_by_id IS NULL OR decided_by_id <> proposed_by_id",
            name="four_eyes",
        ),
        sa.Index(
            "uq_proposals_one_pending_per_case",
            "case_id",
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        ),
    )


class PendingStep(db.Model):
    """A step decided on (taken, or approved by a supervisor) that waits for its letter.

    A step that needs a letter is completed only when legal staff issue that letter: the
    moment of notification (Awb 3:40) is when it takes effect, and its deadlines start then.
    Until then the case stays where it is and takes no other step.
    """

    __tablename__ = "pending_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    trigger: Mapped[Trigger] = mapped_column(enum_column(Trigger, "pending_trigger"))
    from_stage: Mapped[Stage] = mapped_column(enum_column(Stage, "pending_stage"))
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # What the guards found when the step was decided on (figures, violations, ...).
    facts: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    # The approved proposal it carries out, for a four-eyes step.
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id"))
    prepared_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    prepared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(20), default=PendingStatus.OPEN.value)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship()
    proposal: Mapped[Proposal | None] = relationship()
    prepared_by = relationship("User", foreign_keys=[prepared_by_id])

    __table_args__ = (
        sa.CheckConstraint("status IN ('open', 'completed', 'withdrawn')", name="status_known"),
        sa.CheckConstraint(
            "status = 'open' OR (closed_by_id IS NOT NULL AND closed_at IS NOT NULL)",
            name="closed_has_closer",
        ),
        sa.Index(
            "uq_pending_steps_one_open_per_case",
            "case_id",
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        ),
    )


class Deadline(db.Model):
    """A term a case runs: its kind, legal source and due moment; changes are case events."""

    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    legal_source: Mapped[str] = mapped_column(sa.String(100))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(20), default=DeadlineStatus.RUNNING.value)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # For a decision's objection term: the decision it belongs to.
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"))

    case: Mapped[Case] = relationship(back_populates="deadlines")

    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('running', 'suspended', 'ended', 'cancelled')", name="status_known"
        ),
        sa.CheckConstraint("due_at >= starts_at", name="due_after_start"),
        sa.Index("ix_deadlines_status_due_at", "status", "due_at"),
    )


class Decision(db.Model):
    """A decision (besluit) a step made known: naming, penalty order, fine; objections target it."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("case_events.id"))
    made_known_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The stage the case stood in before the step that led here; an upheld objection returns it.
    return_stage: Mapped[Stage] = mapped_column(enum_column(Stage, "return_stage"))
    revoked: Mapped[bool] = mapped_column(default=False)
    # A penalty-payment order lifted by a decision (Awb 5:34), from this moment on.
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship()


class Objection(db.Model):
    """An objection (bezwaar) against a decision; it does not suspend the decision (Awb 6:16)."""

    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"))
    received_on: Mapped[date] = mapped_column(sa.Date)
    on_time: Mapped[bool]
    advisory_committee: Mapped[bool] = mapped_column(default=False)
    deferred: Mapped[bool] = mapped_column(default=False)
    decision_due_on: Mapped[date] = mapped_column(sa.Date)
    outcome: Mapped[str] = mapped_column(sa.String(20), default=ObjectionOutcome.PENDING.value)
    # Who objects and on what grounds (Awb 6:5); empty only on objections registered earlier.
    objector: Mapped[str | None] = mapped_column(sa.String(300))
    grounds: Mapped[str | None] = mapped_column(sa.Text)
    # The hearing (Awb 7:2): when, and its report; or why none was held (Awb 7:3).
    hearing_on: Mapped[date | None] = mapped_column(sa.Date)
    hearing_report: Mapped[str | None] = mapped_column(sa.Text)
    no_hearing_ground: Mapped[str | None] = mapped_column(sa.Text)
    registered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decision: Mapped[Decision] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "outcome IN ('pending', 'upheld', 'rejected', 'inadmissible', 'withdrawn')",
            name="outcome_known",
        ),
        sa.CheckConstraint(
            "(hearing_on IS NULL) = (hearing_report IS NULL)", name="hearing_has_report"
        ),
    )


class HosterView(db.Model):
    """The hoster's view (zienswijze, Awb 4:8) on an intent, in writing or as the report of an
    oral hearing; the decision that follows must answer it."""

    __tablename__ = "hoster_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    # The intent it answers (the step that led to the stage the case stood at).
    intent: Mapped[Trigger] = mapped_column(enum_column(Trigger, "view_intent"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    oral: Mapped[bool] = mapped_column(default=False)
    # The view as given, or the report of the oral hearing.
    text: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()
    recorded_by = relationship("User")

    __table_args__ = (
        sa.CheckConstraint("length(text) > 0", name="has_text"),
        sa.Index("ix_hoster_views_case_id", "case_id"),
    )
