"""Objections (bezwaar) against a case's decisions: registered, timed, decided, never suspending.

An objection does not suspend the decision (Awb 6:16). It is on time when received within six
weeks of the decision being made known (Awb 6:7, 6:8); the decision on it is due six weeks after
the objection term ends, twelve with an advisory committee, once deferrable by six (Awb 7:10).
An upheld objection revokes the decision and moves the case back, recorded like any transition;
like every step with a letter, the revocation takes effect when the decision on the objection is
issued (enforcement.casework.steps.complete_step).
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.cases.effects import add_deadline
from enforcement.cases.events import append_event
from enforcement.cases.ladder import Trigger
from enforcement.cases.models import (
    ACTIVE_DEADLINE,
    Deadline,
    DeadlineStatus,
    Decision,
    Objection,
    ObjectionOutcome,
)
from enforcement.cases.services import add_pending_step, check_version
from enforcement.core.errors import Conflict, DomainError, PermissionDenied
from enforcement.core.time import LOCAL_TZ, utcnow
from enforcement.deadlines import (
    DEADLINE_RULES,
    DeadlineKind,
    end_of_day,
    objection_decision_due,
    objection_term_end,
)
from enforcement.holidays.services import extra_holidays

OUTCOMES = tuple(o for o in ObjectionOutcome if o != ObjectionOutcome.PENDING)


def _require_legal(actor: User) -> None:
    if actor.role != Role.LEGAL:
        raise PermissionDenied("Objections are registered and decided by legal staff.")


def _decision_due(session: Session, objection: Objection) -> date:
    notified_on = objection.decision.made_known_at.astimezone(LOCAL_TZ).date()
    holidays = extra_holidays(session)
    return objection_decision_due(
        objection_term_end(notified_on, holidays),
        advisory_committee=objection.advisory_committee,
        deferred=objection.deferred,
        extra_holidays=holidays,
    )


def _deadline_of(session: Session, objection: Objection) -> Deadline | None:
    return session.scalar(
        sa.select(Deadline).where(
            Deadline.decision_id == objection.decision_id,
            Deadline.kind == DeadlineKind.OBJECTION_DECISION,
            Deadline.status.in_(ACTIVE_DEADLINE),
        )
    )


def register_objection(
    session: Session,
    decision: Decision,
    *,
    received_on: date,
    actor: User,
    objector: str,
    grounds: str,
    advisory_committee: bool = False,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Objection:
    """Register an objection against a decision: who objects, on what grounds (Awb 6:5), when
    it was received; whether it is on time is computed."""
    _require_legal(actor)
    check_version(decision.case, expected_version)
    now = now or utcnow()
    objector, grounds = (objector or "").strip(), (grounds or "").strip()
    if not objector or not grounds:
        raise DomainError("Give who objects and the grounds of the objection (Awb 6:5).")
    notified_on = decision.made_known_at.astimezone(LOCAL_TZ).date()
    if received_on > now.astimezone(LOCAL_TZ).date():
        raise DomainError("An objection cannot be received in the future.")
    if received_on < notified_on:
        raise DomainError("An objection cannot be received before the decision was made known.")
    last_day = objection_term_end(notified_on, extra_holidays(session))
    objection = Objection(
        decision=decision,
        received_on=received_on,
        on_time=received_on <= last_day,
        objector=objector,
        grounds=grounds,
        advisory_committee=advisory_committee,
        deferred=False,
        decision_due_on=received_on,
        registered_by_id=actor.id,
        registered_at=now,
    )
    objection.decision_due_on = _decision_due(session, objection)
    session.add(objection)
    session.flush()
    rule = DEADLINE_RULES[DeadlineKind.OBJECTION_DECISION]
    add_deadline(
        session,
        decision.case,
        rule.kind,
        rule.source,
        now,
        end_of_day(objection.decision_due_on),
        decision,
    )
    append_event(
        session,
        decision.case,
        kind="objection_registered",
        actor=actor,
        now=now,
        data={
            "objection_id": objection.id,
            "decision_id": decision.id,
            "received_on": received_on.isoformat(),
            "objector": objector,
            "on_time": objection.on_time,
            "objection_term_end": last_day.isoformat(),
            "decision_due_on": objection.decision_due_on.isoformat(),
            "suspends_decision": False,
        },
    )
    return objection


def defer_objection(
    session: Session,
    objection: Objection,
    *,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Objection:
    """Defer the decision on an objection once, by six weeks (Awb 7:10(3)), with a reason."""
    _require_legal(actor)
    check_version(objection.decision.case, expected_version)
    if objection.outcome != ObjectionOutcome.PENDING:
        raise Conflict("This objection has been decided.")
    if objection.deferred:
        raise DomainError("The decision on an objection can be deferred only once.")
    if not reason.strip():
        raise DomainError("Give the reason for the deferral.")
    old_due = objection.decision_due_on
    objection.deferred = True
    objection.decision_due_on = _decision_due(session, objection)
    deadline = _deadline_of(session, objection)
    if deadline is not None:
        deadline.due_at = end_of_day(objection.decision_due_on)
    append_event(
        session,
        objection.decision.case,
        kind="objection_deferred",
        actor=actor,
        reason=reason.strip(),
        now=now or utcnow(),
        data={
            "objection_id": objection.id,
            "old_due_on": old_due.isoformat(),
            "new_due_on": objection.decision_due_on.isoformat(),
        },
    )
    return objection


def record_hearing(
    session: Session,
    objection: Objection,
    *,
    held_on: date,
    report: str,
    actor: User,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Objection:
    """Record the hearing of the objector (Awb 7:2): its day and its report."""
    _require_legal(actor)
    case = objection.decision.case
    check_version(case, expected_version)
    now = now or utcnow()
    if objection.outcome != ObjectionOutcome.PENDING:
        raise Conflict("This objection has been decided.")
    report = (report or "").strip()
    if not report:
        raise DomainError("Give the report of the hearing.")
    if held_on < objection.received_on or held_on > now.astimezone(LOCAL_TZ).date():
        raise DomainError("A hearing is held after the objection came in, and not in the future.")
    objection.hearing_on, objection.hearing_report = held_on, report
    append_event(session, case, kind="objection_hearing", actor=actor, now=now,
                 data={"objection_id": objection.id, "held_on": held_on.isoformat()})  # fmt: skip
    return objection


def record_objection_decision(
    session: Session,
    objection: Objection,
    outcome: str,
    *,
    actor: User,
    reason: str,
    no_hearing_ground: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Objection:
    """Record the decision on an objection; an upheld one will revoke the decision it targets
    when the decision on the objection is issued (a pending REVOKE step).

    The objector is heard first (Awb 7:2), unless a ground of Awb 7:3 is stated (manifestly
    inadmissible or unfounded, the objector waived it, or the objection is upheld in full)."""
    _require_legal(actor)
    case = objection.decision.case
    check_version(case, expected_version)
    if objection.outcome != ObjectionOutcome.PENDING:
        raise Conflict("This objection has been decided.")
    if outcome not in OUTCOMES:
        raise DomainError(f"Choose an outcome: {', '.join(OUTCOMES)}.")
    if not reason.strip():
        raise DomainError("Give the reasons for the decision on the objection.")
    no_hearing_ground = (no_hearing_ground or "").strip()
    if (
        outcome != ObjectionOutcome.WITHDRAWN
        and objection.hearing_on is None
        and not no_hearing_ground
    ):
        raise DomainError(
            "Hear the objector first and record the hearing (Awb 7:2), or state why no hearing "
            "is needed (Awb 7:3)."
        )
    objection.no_hearing_ground = no_hearing_ground or None
    now = now or utcnow()
    objection.outcome = outcome
    deadline = _deadline_of(session, objection)
    if deadline is not None:
        deadline.status = DeadlineStatus.ENDED
    append_event(
        session,
        case,
        kind="objection_decided",
        actor=actor,
        reason=reason.strip(),
        now=now,
        data={"objection_id": objection.id, "outcome": outcome},
    )
    if outcome == ObjectionOutcome.UPHELD:
        params = {"decision_id": objection.decision_id, "objection_id": objection.id}
        add_pending_step(session, case, Trigger.REVOKE, actor=actor, params=params, facts={},
                         reason=reason, now=now)  # fmt: skip
    return objection
