"""The case record: opening a case, its version, its pending step and stale proposals.

The operations that take, propose, approve and complete steps are enforcement.casework's;
these are the pieces of the record they share. They flush; the caller commits once.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.cases.events import CASE_CHANGED, append_event
from enforcement.cases.ladder import Stage, Trigger, triggers_from
from enforcement.cases.models import (
    Case,
    PendingStatus,
    PendingStep,
    Proposal,
    ProposalStatus,
)
from enforcement.cases.steps import STEPS
from enforcement.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from enforcement.core.time import utcnow
from enforcement.hosters.models import Hoster

# Who may drop a pending step (its letter will not be sent).
WITHDRAWERS = frozenset({Role.OFFICER, Role.LEGAL, Role.SUPERVISOR})


def check_version(case: Case, expected_version: int | None) -> None:
    """Refuse to act on a case that changed since the user loaded it."""
    if expected_version is not None and case.version != expected_version:
        raise Conflict(CASE_CHANGED)


def get_case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("No such case.")
    return case


def open_case(
    session: Session,
    hoster: Hoster,
    *,
    actor: User,
    reason: str,
    opening_figures: dict[str, Any],
    breaches: bool,
    now: datetime | None = None,
) -> Case:
    """Open a case at the notice stage for a hoster that breaches, or with a written reason."""
    if actor.role != Role.OFFICER:
        raise PermissionDenied("Only an enforcement officer opens a case.")
    if not breaches and not reason.strip():
        raise DomainError("This hoster does not breach the policy; give a written reason.")
    open_case_id = session.scalar(
        sa.select(Case.id).where(Case.hoster_id == hoster.id, Case.stage != Stage.CLOSED)
    )
    if open_case_id is not None:
        raise Conflict(f"{hoster.trade_name} already has an open case (#{open_case_id}).")
    now = now or utcnow()
    case = Case(
        hoster_id=hoster.id,
        stage=Stage.NOTICE,
        opened_by_id=actor.id,
        opened_at=now,
        opening_reason=reason.strip(),
        opening_figures=opening_figures,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    append_event(
        session,
        case,
        kind="opened",
        actor=actor,
        reason=reason.strip(),
        to_stage=Stage.NOTICE,
        data={"figures": opening_figures},
        now=now,
    )
    return case


def pending_step(session: Session, case: Case) -> PendingStep | None:
    """Return the case's step that waits for its letter, if any."""
    return session.scalar(
        sa.select(PendingStep).where(
            PendingStep.case_id == case.id, PendingStep.status == PendingStatus.OPEN
        )
    )


def awaiting_letter_message(pending: PendingStep) -> str:
    return (
        f"“{STEPS[pending.trigger].label}” waits for its letter: legal staff issue it (or it "
        "is withdrawn) before the case takes another step."
    )


def require_role(actor: User, trigger: Trigger) -> None:
    if actor.role not in STEPS[trigger].roles:
        roles = " or ".join(sorted(role.value for role in STEPS[trigger].roles))
        raise PermissionDenied(f"{STEPS[trigger].label} is for {roles}.")


def add_pending_step(
    session: Session,
    case: Case,
    trigger: Trigger,
    *,
    actor: User,
    params: dict[str, Any],
    facts: dict[str, Any],
    reason: str,
    now: datetime,
    proposal: Proposal | None = None,
) -> PendingStep:
    """Add the pending step and its event (the caller checked that it may be taken)."""
    waiting = pending_step(session, case)
    if waiting is not None:
        raise Conflict(awaiting_letter_message(waiting))
    pending = PendingStep(
        case_id=case.id,
        trigger=trigger,
        from_stage=case.stage,
        params=params,
        facts=facts,
        reason=reason.strip(),
        proposal_id=proposal.id if proposal else None,
        prepared_by_id=actor.id,
        prepared_at=now,
    )
    session.add(pending)
    session.flush()
    append_event(
        session,
        case,
        kind="step_prepared",
        actor=actor,
        reason=reason.strip(),
        trigger=trigger,
        now=now,
        data={"pending_step_id": pending.id, "params": params, "facts": facts,
              "letter": STEPS[trigger].letter,
              "proposal_id": proposal.id if proposal else None},
    )  # fmt: skip
    return pending


def may_withdraw(pending: PendingStep | None, user: User) -> bool:
    """Return whether the user may withdraw the step: an approved one only a supervisor."""
    if pending is None or user.role not in WITHDRAWERS:
        return False
    return pending.proposal_id is None or user.role == Role.SUPERVISOR


def mark_withdrawn(
    session: Session,
    pending: PendingStep,
    *,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> PendingStep:
    """Drop a pending step whose letter will not be sent; the case stays where it is."""
    if actor.role not in WITHDRAWERS:
        raise PermissionDenied("Only officers, legal staff and supervisors withdraw a step.")
    if not may_withdraw(pending, actor):  # four eyes: what a supervisor approved, only one undoes
        raise PermissionDenied("Only a supervisor withdraws a step a supervisor approved.")
    still_open(pending)
    check_version(pending.case, expected_version)
    if not reason.strip():
        raise DomainError("Say why the step is withdrawn.")
    now = now or utcnow()
    pending.status, pending.closed_by_id, pending.closed_at = PendingStatus.WITHDRAWN, actor.id, now
    append_event(
        session,
        pending.case,
        kind="step_withdrawn",
        actor=actor,
        reason=reason.strip(),
        trigger=pending.trigger,
        now=now,
        data={"pending_step_id": pending.id},
    )
    return pending


def still_open(pending: PendingStep) -> None:
    if pending.status != PendingStatus.OPEN:
        raise Conflict(f"This step was already {pending.status}.")


def close_pending_step(pending: PendingStep, *, actor: User, now: datetime) -> None:
    """Mark a pending step completed (its letter is being issued); Conflict when it is not open."""
    still_open(pending)
    if pending.case.stage != pending.from_stage:
        raise Conflict("The case moved on since this step was decided on.")
    pending.status, pending.closed_by_id, pending.closed_at = PendingStatus.COMPLETED, actor.id, now


def withdraw_stale_proposals(
    session: Session, case: Case, *, keep: Proposal | None, actor: User, now: datetime
) -> None:
    """Withdraw proposals still pending for a stage the case has left."""
    stale = session.scalars(
        sa.select(Proposal).where(
            Proposal.case_id == case.id, Proposal.status == ProposalStatus.PENDING
        )
    ).all()
    for proposal in stale:
        if proposal is keep:
            continue
        proposal.status, proposal.decided_by_id, proposal.decided_at = (
            ProposalStatus.WITHDRAWN,
            actor.id,
            now,
        )
        proposal.decision_note = f"The case moved on to {case.stage.value}."
        append_event(
            session,
            case,
            kind="proposal_withdrawn",
            actor=actor,
            now=now,
            trigger=proposal.trigger,
            reason=proposal.decision_note,
            data={"proposal_id": proposal.id},
        )


def available_actions(case: Case, user: User) -> list[Trigger]:
    """Return the steps the machine allows from the case's stage that this user may start."""
    if case.stage == Stage.CLOSED and user.role != Role.OFFICER:
        return []
    return [
        trigger
        for trigger in triggers_from(case.stage)
        if trigger != Trigger.REVOKE and user.role in STEPS[trigger].roles
    ]
