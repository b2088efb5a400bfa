"""Changing a case's deadlines: only with a recorded reason, each change an event in the chain."""

from datetime import datetime

from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.cases.events import append_event
from enforcement.cases.models import (
    Deadline,
    DeadlineStatus,
)
from enforcement.cases.services import check_version
from enforcement.core.errors import DomainError, PermissionDenied
from enforcement.core.time import utcnow
from enforcement.deadlines import DeadlineKind

MAY_CHANGE_DEADLINES = {Role.LEGAL, Role.SUPERVISOR}
# Terms fixed by law that nobody may stretch; the decision on an objection moves only by its
# one deferral (Awb 7:10(3), enforcement.cases.objections.defer_objection).
FIXED_KINDS = {
    DeadlineKind.FINE_DECISION,
    DeadlineKind.OBJECTION_TERM,
    DeadlineKind.REMOVAL_ORDER,
    DeadlineKind.OBJECTION_DECISION,
    DeadlineKind.COLLECTION_LAPSE,
    DeadlineKind.PAYMENT_TERM,
}


def _check(deadline: Deadline, actor: User, reason: str, expected_version: int | None) -> None:
    if actor.role not in MAY_CHANGE_DEADLINES:
        raise PermissionDenied("Only legal staff or a supervisor change a deadline.")
    if not reason.strip():
        raise DomainError("Give the reason for changing this deadline.")
    if deadline.kind in FIXED_KINDS:
        raise DomainError(f"The {deadline.kind.replace('_', ' ')} is fixed by law.")
    check_version(deadline.case, expected_version)


def _record(session, deadline, kind, actor, reason, now, **data) -> None:
    append_event(
        session,
        deadline.case,
        kind=kind,
        actor=actor,
        reason=reason.strip(),
        now=now,
        data={"deadline_id": deadline.id, "deadline_kind": deadline.kind, **data},
    )


def extend_deadline(
    session: Session,
    deadline: Deadline,
    new_due_at: datetime,
    *,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Deadline:
    """Move a running deadline later, recording who, when and why."""
    _check(deadline, actor, reason, expected_version)
    if deadline.status != DeadlineStatus.RUNNING:
        raise DomainError("Only a running deadline can be extended.")
    if new_due_at <= deadline.due_at:
        raise DomainError("An extension moves the deadline later.")
    old = deadline.due_at
    deadline.due_at = new_due_at
    _record(
        session,
        deadline,
        "deadline_extended",
        actor,
        reason,
        now or utcnow(),
        old_due_at=old.isoformat(),
        new_due_at=new_due_at.isoformat(),
    )
    return deadline


def suspend_deadline(
    session: Session,
    deadline: Deadline,
    *,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Deadline:
    """Suspend a running deadline (e.g. while interim relief is asked); the clock stops."""
    _check(deadline, actor, reason, expected_version)
    if deadline.status != DeadlineStatus.RUNNING:
        raise DomainError("Only a running deadline can be suspended.")
    now = now or utcnow()
    deadline.status, deadline.suspended_at = DeadlineStatus.SUSPENDED, now
    _record(session, deadline, "deadline_suspended", actor, reason, now)
    return deadline


def resume_deadline(
    session: Session,
    deadline: Deadline,
    *,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Deadline:
    """Resume a suspended deadline; its due moment moves by the time it was suspended."""
    _check(deadline, actor, reason, expected_version)
    if deadline.status != DeadlineStatus.SUSPENDED or deadline.suspended_at is None:
        raise DomainError("Only a suspended deadline can be resumed.")
    now = now or utcnow()
    old = deadline.due_at
    deadline.due_at = old + (now - deadline.suspended_at)
    deadline.status, deadline.suspended_at = DeadlineStatus.RUNNING, None
    _record(
        session,
        deadline,
        "deadline_resumed",
        actor,
        reason,
        now,
        old_due_at=old.isoformat(),
        new_due_at=deadline.due_at.isoformat(),
    )
    return deadline
