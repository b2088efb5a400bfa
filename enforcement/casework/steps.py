"""Judging and carrying out a step of the ladder: the machine, the guards over a snapshot of
facts, then the event and the step's effects, all in the caller's transaction.

A step that needs a letter waits for it (``prepare_step`` records a pending step); issuing the
letter completes it (``complete_step``), so its deadlines start at the moment of notification.
The operations in enforcement.casework.operations call these; views do not.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.cases import guards
from enforcement.cases.effects import apply_effects, end_deadlines
from enforcement.cases.events import append_event
from enforcement.cases.ladder import Stage, Trigger, destinations, stage_after
from enforcement.cases.models import (
    Case,
    DeadlineStatus,
    Decision,
    PendingStep,
    Proposal,
    ProposalStatus,
)
from enforcement.cases.params import parameter_problems, with_defaults
from enforcement.cases.services import (
    add_pending_step,
    awaiting_letter_message,
    check_version,
    close_pending_step,
    pending_step,
    require_role,
    withdraw_stale_proposals,
)
from enforcement.cases.steps import STEPS, step_of_decision
from enforcement.casework.snapshot import load_facts
from enforcement.core.errors import Conflict, DomainError, PermissionDenied
from enforcement.core.time import utcnow
from enforcement.deadlines import DeadlineKind


class StepRefused(DomainError):
    """A step's conditions are not met; ``problems`` says which, in plain words."""

    status_code = 409

    def __init__(self, trigger: Trigger, problems: list[str]):
        self.problems = problems
        super().__init__(f"{STEPS[trigger].label} is not possible yet: " + " ".join(problems))


@dataclass(frozen=True)
class Judgement:
    """What judging a step found: what stops it, its parameters with defaults, what it records."""

    problems: list[str]
    params: dict[str, Any]
    facts: dict[str, Any]


def judge(
    session: Session, case: Case, trigger: Trigger, params: dict[str, Any], now: datetime
) -> Judgement:
    """Return why a step cannot happen now (machine, pending letter, parameters, guards)."""
    step = STEPS[trigger]
    params = with_defaults(step.params, params)
    if not destinations(case.stage, trigger):
        stage = case.stage.value.replace("_", " ")
        return Judgement([f"A case at the {stage} stage cannot take this step."], params, {})
    waiting = pending_step(session, case)
    if waiting is not None:
        return Judgement([awaiting_letter_message(waiting)], params, {})
    problems = parameter_problems(step.params, params)
    facts = load_facts(session, case, step, params, now)
    problems += guards.check(step.guards, facts, params)
    return Judgement(problems, params, guards.recorded_facts(facts, params, step.needs(params)))


def judged(
    session: Session, case: Case, trigger: Trigger, params: dict[str, Any], now: datetime
) -> Judgement:
    """Return the judgement of a step that may go ahead; StepRefused when it may not."""
    judgement = judge(session, case, trigger, params, now)
    if judgement.problems:
        raise StepRefused(trigger, judgement.problems)
    return judgement


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
    judgement = judged(session, case, trigger, params, now)
    return add_pending_step(session, case, trigger, actor=actor, params=judgement.params,
                            facts=judgement.facts, reason=reason, now=now,
                            proposal=proposal)  # fmt: skip


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
    """Carry out a step whose role and approval its caller checked: the machine and the guards
    are checked here against the facts as they stand, then the event and the effects.

    ``record`` adds to the event's data (the letter and pending step that completed it).
    """
    judgement = judged(session, case, trigger, params, now)
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
            "params": judgement.params,
            "facts": judgement.facts,
            "letter": STEPS[trigger].letter,
            "proposal_id": proposal.id if proposal else None,
            "proposed_by": proposal.proposed_by_id if proposal else None,
            "approved_by": proposal.decided_by_id if proposal else None,
            **(record or {}),
        },
    )
    withdraw_stale_proposals(session, case, keep=proposal, actor=actor, now=now)
    apply_effects(session, case, STEPS[trigger], judgement.params, judgement.facts, event)
    return case


def act(
    session: Session,
    case: Case,
    trigger: Trigger,
    *,
    actor: User,
    params: dict[str, Any] | None = None,
    reason: str = "",
    expected_version: int | None = None,
    now: datetime,
) -> PendingStep | None:
    """Take a step that needs no approval: return the pending step that waits for its letter,
    or None when the step (one without a letter) was carried out at once."""
    step = STEPS[trigger]
    if step.four_eyes:
        raise DomainError(f"{step.label} needs a proposal and a supervisor's approval.")
    if trigger == Trigger.REVOKE:
        raise DomainError("A decision is revoked only by upholding an objection against it.")
    require_role(actor, trigger)
    check_version(case, expected_version)
    if step.letter:
        return prepare_step(session, case, trigger, actor=actor, params=params or {},
                            reason=reason, now=now)  # fmt: skip
    perform_step(session, case, trigger, actor=actor, params=params or {}, reason=reason, now=now)
    return None


def _may_decide(proposal: Proposal, actor: User, expected_version: int | None) -> None:
    if proposal.status != ProposalStatus.PENDING:
        raise Conflict(f"This proposal was already {proposal.status}.")
    if actor.role != Role.SUPERVISOR:
        raise PermissionDenied("Only a supervisor approves or refuses an escalation.")
    if actor.id == proposal.proposed_by_id:
        raise PermissionDenied("Four eyes: the proposer cannot decide on their own proposal.")
    check_version(proposal.case, expected_version)


def _decide(
    session: Session, proposal: Proposal, actor: User, status: ProposalStatus, note: str, now
) -> None:
    """Record the supervisor's decision on a proposal; the event is named after it."""
    proposal.status, proposal.decided_by_id, proposal.decided_at = status, actor.id, now
    proposal.decision_note = note.strip() or None
    append_event(session, proposal.case, kind=status.value, actor=actor, reason=note.strip(),
                 trigger=proposal.trigger, now=now,
                 data={"proposal_id": proposal.id})  # fmt: skip


def approve_proposal(
    session: Session,
    proposal: Proposal,
    *,
    actor: User,
    note: str = "",
    expected_version: int | None = None,
    now: datetime,
) -> PendingStep | None:
    """Approve a proposal: the guards are checked again against current data, then the step is
    carried out, or waits for its letter (returned)."""
    _may_decide(proposal, actor, expected_version)
    case = proposal.case
    if case.stage != proposal.from_stage:
        raise Conflict("The case moved on since this was proposed; the proposal no longer fits.")
    _decide(session, proposal, actor, ProposalStatus.APPROVED, note, now)
    # The approver carries out the step; the event names the proposer too.
    common = {"actor": actor, "params": proposal.params, "reason": proposal.reason, "now": now,
              "proposal": proposal}  # fmt: skip
    if STEPS[proposal.trigger].letter:
        return prepare_step(session, case, proposal.trigger, **common)
    perform_step(session, case, proposal.trigger, **common)
    return None


def refuse_proposal(
    session: Session,
    proposal: Proposal,
    *,
    actor: User,
    note: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Proposal:
    """Refuse a proposal, with a reason; the case stays where it is."""
    _may_decide(proposal, actor, expected_version)
    if not note.strip():
        raise DomainError("Say why the proposal is refused.")
    _decide(session, proposal, actor, ProposalStatus.REFUSED, note, now or utcnow())
    return proposal


def complete_step(
    session: Session,
    pending: PendingStep,
    *,
    actor: User,
    now: datetime,
    record: dict[str, Any],
) -> Case:
    """Carry out a pending step now that its letter is issued (``record`` names the letter).

    The guards are checked again against the data as it stands; the step's deadlines start
    ``now``, the moment of notification.
    """
    close_pending_step(pending, actor=actor, now=now)
    record = {**record, "pending_step_id": pending.id, "prepared_by": pending.prepared_by_id,
              "prepared_at": pending.prepared_at.isoformat()}  # fmt: skip
    case = pending.case
    if pending.trigger == Trigger.REVOKE:
        decision = session.get(Decision, pending.params["decision_id"])
        revoke(session, decision, actor=actor, reason=pending.reason, now=now, record=record)
        return case
    return perform_step(session, case, pending.trigger, actor=actor, params=pending.params,
                        reason=pending.reason, now=now, proposal=pending.proposal,
                        record=record)  # fmt: skip


def revoke(
    session: Session,
    decision: Decision,
    *,
    actor: User,
    reason: str,
    now: datetime,
    record: dict[str, Any],
) -> None:
    """Revoke a decision (objection upheld); the case goes back when it still stands there."""
    decision.revoked = True
    case = decision.case
    end_deadlines(case, {DeadlineKind.OBJECTION_TERM}, status=DeadlineStatus.CANCELLED)
    made_at = stage_of_decision(decision)
    if case.stage == made_at and decision.return_stage in destinations(case.stage, Trigger.REVOKE):
        params = {"to_stage": decision.return_stage.value, "decision_id": decision.id}
        perform_step(session, case, Trigger.REVOKE, actor=actor, reason=reason.strip(), now=now,
                     params=params, record=record)  # fmt: skip
        return
    append_event(session, case, kind="decision_revoked", actor=actor, reason=reason.strip(),
                 now=now, data={"decision_id": decision.id, "stage_kept": case.stage,
                                **record})  # fmt: skip


def stage_of_decision(decision: Decision) -> Stage:
    """Return the stage the step that made this decision put the case in."""
    return stage_after(step_of_decision(decision.kind).trigger)
