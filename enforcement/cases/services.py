"""Case operations: open, act, propose and approve (four eyes), with the audit trail.

Each operation checks the role, the machine and the guards, changes the case, records the
event and its effects in the caller's transaction, and flushes; the caller commits once.

A step that needs a letter (``STEPS[trigger].letter``) is not carried out by ``act`` or
``approve``: they record it as a ``PendingStep`` and the case stays where it is. Issuing its
letter completes it (``complete_step``, called by enforcement.letters.steps), so the step takes
effect and its deadlines start at the moment of notification. Until then the case takes no
other step; ``withdraw_step`` drops a pending step whose letter will not be sent.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.cases.effects import apply_effects
from enforcement.cases.events import CASE_CHANGED, append_event
from enforcement.cases.guards import GuardContext, check_guards
from enforcement.cases.ladder import STEPS, Stage, Trigger, destinations, triggers_from
from enforcement.cases.models import (
    Case,
    PendingStatus,
    PendingStep,
    Proposal,
    ProposalStatus,
)
from enforcement.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from enforcement.core.time import utcnow
from enforcement.hosters.models import Hoster

# Who may drop a pending step (its letter will not be sent).
WITHDRAWERS = frozenset({Role.OFFICER, Role.LEGAL, Role.SUPERVISOR})
DEFAULT_PARAMS: dict[Trigger, dict[str, Any]] = {
    Trigger.SEND_WARNING: {"improvement_weeks": 8},
    Trigger.INTEND_NAMING: {"reaction_weeks": 2},
    Trigger.INTEND_PENALTY: {"view_weeks": 2},
    Trigger.INTEND_FINE: {"view_weeks": 2},
}


class StepRefused(DomainError):
    """A step's conditions are not met; ``problems`` says which, in plain words."""

    status_code = 409

    def __init__(self, trigger: Trigger, problems: list[str]):
        self.problems = problems
        super().__init__(f"{STEPS[trigger].label} is not possible yet: " + " ".join(problems))


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


def refusal_reasons(
    session: Session, case: Case, trigger: Trigger, params: dict[str, Any], now: datetime
) -> tuple[list[str], GuardContext]:
    """Return why a step cannot happen now (machine and guards), and what the guards found."""
    ctx = GuardContext(session, case, {**DEFAULT_PARAMS.get(trigger, {}), **params}, now)
    if not destinations(case.stage, trigger):
        stage = case.stage.value.replace("_", " ")
        return [f"A case at the {stage} stage cannot take this step."], ctx
    waiting = pending_step(session, case)
    if waiting is not None:
        return [awaiting_letter_message(waiting)], ctx
    return check_guards(ctx, trigger), ctx


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


def _require_role(actor: User, trigger: Trigger) -> None:
    if actor.role not in STEPS[trigger].roles:
        roles = " or ".join(sorted(role.value for role in STEPS[trigger].roles))
        raise PermissionDenied(f"{STEPS[trigger].label} is for {roles}.")


def act(
    session: Session,
    case: Case,
    trigger: Trigger,
    *,
    actor: User,
    params: dict[str, Any] | None = None,
    reason: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Case:
    """Take a step that needs no approval (warning, close, reopen).

    A step with a letter waits for it (``pending_step``); one without is carried out now.
    """
    if STEPS[trigger].four_eyes:
        raise DomainError(f"{STEPS[trigger].label} needs a proposal and a supervisor's approval.")
    if trigger == Trigger.REVOKE:
        raise DomainError("A decision is revoked only by upholding an objection against it.")
    _require_role(actor, trigger)
    check_version(case, expected_version)
    now = now or utcnow()
    if STEPS[trigger].letter:
        prepare_step(session, case, trigger, actor=actor, params=params or {}, reason=reason,
                     now=now)  # fmt: skip
        return case
    return perform_step(
        session, case, trigger, actor=actor, params=params or {}, reason=reason, now=now
    )


def prepare_step(
    session: Session,
    case: Case,
    trigger: Trigger,
    *,
    actor: User,
    params: dict[str, Any],
    reason: str,
    now: datetime,
    proposal: Proposal | None = None,
) -> PendingStep:
    """Record a step decided on that waits for its letter; the machine and guards are checked."""
    problems, ctx = refusal_reasons(session, case, trigger, params, now)
    if problems:
        raise StepRefused(trigger, problems)
    return add_pending_step(session, case, trigger, actor=actor, params=ctx.params,
                            facts=ctx.facts, reason=reason, now=now,
                            proposal=proposal)  # fmt: skip


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


def withdraw_step(
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
    _still_open(pending)
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


def _still_open(pending: PendingStep) -> None:
    if pending.status != PendingStatus.OPEN:
        raise Conflict(f"This step was already {pending.status}.")


def close_pending_step(pending: PendingStep, *, actor: User, now: datetime) -> None:
    """Mark a pending step completed (its letter is being issued); Conflict when it is not open."""
    _still_open(pending)
    if pending.case.stage != pending.from_stage:
        raise Conflict("The case moved on since this step was decided on.")
    pending.status, pending.closed_by_id, pending.closed_at = PendingStatus.COMPLETED, actor.id, now


def perform_step(
    session: Session,
    case: Case,
    trigger: Trigger,
    *,
    actor: User,
    params: dict[str, Any],
    reason: str,
    now: datetime,
    proposal: Proposal | None = None,
    record: dict[str, Any] | None = None,
) -> Case:
    """Carry out a step whose role and approval were checked by the caller (act, approve,
    an issued letter): the machine and the guards are checked here, then the effects.

    ``record`` adds to the event's data (the letter and pending step that completed it).
    """
    problems, ctx = refusal_reasons(session, case, trigger, params, now)
    if problems:
        raise StepRefused(trigger, problems)
    from_stage = case.stage
    allowed = destinations(from_stage, trigger)
    # Only a revocation has several destinations; its caller names the one the decision left.
    to_stage = Stage(params["to_stage"]) if trigger == Trigger.REVOKE else allowed[0]
    if to_stage not in allowed:
        raise StepRefused(trigger, [f"The case cannot go from {from_stage} to {to_stage}."])
    case.stage = to_stage
    event = append_event(
        session,
        case,
        kind="transition",
        actor=actor,
        reason=reason,
        trigger=trigger,
        from_stage=from_stage,
        to_stage=case.stage,
        now=now,
        data={
            "params": ctx.params,
            "facts": ctx.facts,
            "letter": STEPS[trigger].letter,
            "proposal_id": proposal.id if proposal else None,
            "proposed_by": proposal.proposed_by_id if proposal else None,
            "approved_by": proposal.decided_by_id if proposal else None,
            **(record or {}),
        },
    )
    withdraw_stale_proposals(session, case, keep=proposal, actor=actor, now=now)
    apply_effects(session, case, trigger, ctx, event, from_stage)
    return case


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


def propose(
    session: Session,
    case: Case,
    trigger: Trigger,
    *,
    actor: User,
    params: dict[str, Any] | None = None,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Proposal:
    """Propose an escalation; a supervisor other than the proposer approves it."""
    if not STEPS[trigger].four_eyes:
        raise DomainError(f"{STEPS[trigger].label} needs no approval; take the step directly.")
    _require_role(actor, trigger)
    check_version(case, expected_version)
    if not reason.strip():
        raise DomainError("Say why you propose this step.")
    now = now or utcnow()
    problems, ctx = refusal_reasons(session, case, trigger, params or {}, now)
    if problems:
        raise StepRefused(trigger, problems)
    if session.scalar(
        sa.select(Proposal.id).where(
            Proposal.case_id == case.id, Proposal.status == ProposalStatus.PENDING
        )
    ):
        raise Conflict("This case already has a proposal awaiting approval.")
    proposal = Proposal(
        case_id=case.id,
        trigger=trigger,
        from_stage=case.stage,
        params=ctx.params,
        reason=reason.strip(),
        proposed_by_id=actor.id,
        proposed_at=now,
    )
    session.add(proposal)
    session.flush()
    append_event(
        session,
        case,
        kind="proposed",
        actor=actor,
        reason=reason.strip(),
        trigger=trigger,
        now=now,
        data={"proposal_id": proposal.id, "params": ctx.params, "facts": ctx.facts},
    )
    return proposal


def _pending(proposal: Proposal, actor: User) -> None:
    if proposal.status != ProposalStatus.PENDING:
        raise Conflict(f"This proposal was already {proposal.status}.")
    if actor.role != Role.SUPERVISOR:
        raise PermissionDenied("Only a supervisor approves or refuses an escalation.")
    if actor.id == proposal.proposed_by_id:
        raise PermissionDenied("Four eyes: the proposer cannot decide on their own proposal.")


def approve(
    session: Session,
    proposal: Proposal,
    *,
    actor: User,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Case:
    """Approve a proposal: the guards are checked again against current data, then it is done
    (or, for a step with a letter, it waits for that letter)."""
    _pending(proposal, actor)
    case = proposal.case
    check_version(case, expected_version)
    if case.stage != proposal.from_stage:
        raise Conflict("The case moved on since this was proposed; the proposal no longer fits.")
    now = now or utcnow()
    proposal.status, proposal.decided_by_id, proposal.decided_at = (
        ProposalStatus.APPROVED,
        actor.id,
        now,
    )
    proposal.decision_note = note.strip() or None
    append_event(
        session,
        case,
        kind="approved",
        actor=actor,
        reason=note.strip(),
        trigger=proposal.trigger,
        now=now,
        data={"proposal_id": proposal.id},
    )
    if STEPS[proposal.trigger].letter:
        prepare_step(session, case, proposal.trigger, actor=actor, params=proposal.params,
                     reason=proposal.reason, now=now, proposal=proposal)  # fmt: skip
        return case
    # The approver carries out the step; the event names the proposer too.
    return perform_step(
        session,
        case,
        proposal.trigger,
        actor=actor,
        params=proposal.params,
        reason=proposal.reason,
        now=now,
        proposal=proposal,
    )


def refuse(
    session: Session,
    proposal: Proposal,
    *,
    actor: User,
    note: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Proposal:
    """Refuse a proposal, with a reason; the case stays where it is."""
    _pending(proposal, actor)
    check_version(proposal.case, expected_version)
    if not note.strip():
        raise DomainError("Say why the proposal is refused.")
    now = now or utcnow()
    proposal.status, proposal.decided_by_id, proposal.decided_at = (
        ProposalStatus.REFUSED,
        actor.id,
        now,
    )
    proposal.decision_note = note.strip()
    append_event(
        session,
        proposal.case,
        kind="refused",
        actor=actor,
        reason=note.strip(),
        trigger=proposal.trigger,
        now=now,
        data={"proposal_id": proposal.id},
    )
    return proposal


def available_actions(case: Case, user: User) -> list[Trigger]:
    """Return the steps the machine allows from the case's stage that this user may start."""
    if case.stage == Stage.CLOSED and user.role != Role.OFFICER:
        return []
    return [
        trigger
        for trigger in triggers_from(case.stage)
        if trigger != Trigger.REVOKE and user.role in STEPS[trigger].roles
    ]
