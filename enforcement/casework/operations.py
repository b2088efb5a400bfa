"""The operations on a case that the pages and the command line call, one verb each.

    letter = take_step(session, case, Trigger.SEND_WARNING, actor=officer)
    # the case stays at "notice"; its warning letter is drafted (or a draft adopted)
    issue(session, letter, actor=legal, now=now)
    # kenmerk, PDF, and the case goes to "warning" with its deadlines counted from ``now``

A step with a letter waits for it; issuing the letter completes the step first (the guards are
checked again against the data as it stands, the event is recorded at ``now``), then gathers the
letter again dated ``now`` so the deadlines it states are the ones the case runs, then renders
and freezes it. Any refusal rolls all of it back: the letter stays a draft and the case where it
was. Each operation flushes; the caller commits once.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.cases.events import append_event
from enforcement.cases.ladder import Trigger
from enforcement.cases.models import (
    DECIDED_BY_LETTER,
    Case,
    Objection,
    ObjectionOutcome,
    PendingStep,
    Proposal,
    ProposalStatus,
)
from enforcement.cases.objections import record_objection_decision
from enforcement.cases.services import (
    check_version,
    mark_withdrawn,
    pending_step,
    require_role,
)
from enforcement.cases.steps import STEPS
from enforcement.casework.steps import (
    StepRefused,
    act,
    approve_proposal,
    complete_step,
    judge,
    refuse_proposal,
)
from enforcement.core.errors import Conflict, DomainError, PermissionDenied
from enforcement.core.time import utcnow
from enforcement.dispatch.services import enqueue
from enforcement.letters.drafts import draft_step_letter, refresh_draft
from enforcement.letters.models import Letter, LetterStatus
from enforcement.letters.numbering import DEFAULT_KENMERK_PREFIX
from enforcement.letters.orders import issue_removal_order, order_of_letter
from enforcement.letters.services import issue_letter, lock_draft

__all__ = [
    "StepRefused",
    "approve",
    "decide_objection",
    "issue",
    "propose",
    "refuse",
    "take_step",
    "withdraw_step",
]

# Refusing a proposal drafts nothing: the operation is the step engine's own.
refuse = refuse_proposal
# Letters that only go out as the letter of their step (or as a correction of one that did).
# A decision on an objection also answers objections that change nothing (rejected ones).
STEP_LETTERS = frozenset(
    step.letter for step in STEPS.values() if step.letter and step.trigger != Trigger.REVOKE
)


def take_step(
    session: Session,
    case: Case,
    trigger: Trigger,
    *,
    actor: User,
    params: dict[str, Any] | None = None,
    reason: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Letter | None:
    """Take a step that needs no approval; return the letter it now waits for (None: done)."""
    now = now or utcnow()
    pending = act(session, case, trigger, actor=actor, params=params, reason=reason,
                  expected_version=expected_version, now=now)  # fmt: skip
    return _letter_of(session, pending, actor=actor, now=now)


def _letter_of(session: Session, pending: PendingStep | None, *, actor: User, now: datetime):
    if pending is None:
        return None
    kind = STEPS[pending.trigger].letter
    return draft_step_letter(session, pending.case, kind, pending, actor=actor, now=now)


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
    step = STEPS[trigger]
    if not step.four_eyes:
        raise DomainError(f"{step.label} needs no approval; take the step directly.")
    require_role(actor, trigger)
    check_version(case, expected_version)
    if not reason.strip():
        raise DomainError("Say why you propose this step.")
    now = now or utcnow()
    judgement = judge(session, case, trigger, params or {}, now)
    if judgement.problems:
        raise StepRefused(trigger, judgement.problems)
    if session.scalar(
        sa.select(Proposal.id).where(
            Proposal.case_id == case.id, Proposal.status == ProposalStatus.PENDING
        )
    ):
        raise Conflict("This case already has a proposal awaiting approval.")
    proposal = Proposal(case_id=case.id, trigger=trigger, from_stage=case.stage,
                        params=judgement.params, reason=reason.strip(), proposed_by_id=actor.id,
                        proposed_at=now)  # fmt: skip
    session.add(proposal)
    session.flush()
    append_event(session, case, kind="proposed", actor=actor, reason=reason.strip(),
                 trigger=trigger, now=now,
                 data={"proposal_id": proposal.id, "params": judgement.params,
                       "facts": judgement.facts})  # fmt: skip
    return proposal


def approve(
    session: Session,
    proposal: Proposal,
    *,
    actor: User,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Letter | None:
    """Approve a proposal: the guards are checked again against current data, then it is done
    or, for a step with a letter, it waits for it; return that letter (None: done)."""
    now = now or utcnow()
    pending = approve_proposal(session, proposal, actor=actor, note=note,
                               expected_version=expected_version, now=now)  # fmt: skip
    return _letter_of(session, pending, actor=actor, now=now)


def withdraw_step(
    session: Session,
    pending: PendingStep,
    *,
    actor: User,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> None:
    """Withdraw a step whose letter will not be sent; its draft letter is discarded."""
    mark_withdrawn(session, pending, actor=actor, reason=reason,
                   expected_version=expected_version, now=now or utcnow())  # fmt: skip
    for draft in session.scalars(
        sa.select(Letter).where(
            Letter.pending_step_id == pending.id, Letter.status == LetterStatus.DRAFT
        )
    ):
        session.delete(draft)
    session.flush()


def decide_objection(
    session: Session,
    objection: Objection,
    outcome: str,
    *,
    actor: User,
    reason: str,
    no_hearing_ground: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Letter | None:
    """Decide on an objection and draft the decision on it (an upheld one completes, when
    issued, the revocation it waits for)."""
    now = now or utcnow()
    case = objection.decision.case
    record_objection_decision(session, objection, outcome, actor=actor, reason=reason,
                              no_hearing_ground=no_hearing_ground,
                              expected_version=expected_version, now=now)  # fmt: skip
    if outcome not in DECIDED_BY_LETTER:
        return None
    pending = pending_step(session, case) if outcome == ObjectionOutcome.UPHELD else None
    return draft_step_letter(session, case, "objection_decision", pending, actor=actor, now=now,
                             objection_id=objection.id)  # fmt: skip


def issue(
    session: Session,
    letter: Letter,
    *,
    actor: User,
    now: datetime | None = None,
    prefix: str = DEFAULT_KENMERK_PREFIX,
    signatory: Mapping[str, str] | None = None,
) -> Letter:
    """Issue a draft dated ``now`` and put it in the outbox; the step (or removal order) it
    belongs to is completed at the same moment, and its terms start when the hoster's mail
    server accepts the message (enforcement.dispatch.notification)."""
    if actor.role != Role.LEGAL:
        raise PermissionDenied("Only legal staff issue letters.")
    now = now or utcnow()
    if (order := order_of_letter(session, letter)) is not None:
        issued = issue_removal_order(session, order, actor=actor, now=now, prefix=prefix,
                                     signatory=signatory)  # fmt: skip
        enqueue(session, issued, now=now)
        return issued
    lock_draft(session, letter)
    if letter.pending_step is not None:
        complete_step(session, letter.pending_step, actor=actor, now=now,
                      record={"letter_id": letter.id})  # fmt: skip
    elif letter.kind in STEP_LETTERS and letter.corrects_letter_id is None:
        raise Conflict(
            f"A {letter.kind.replace('_', ' ')} letter is issued with its step: take the step "
            "(or have it approved) and issue the letter it waits for."
        )
    refresh_draft(session, letter, actor=actor, letter_date=now)
    issue_letter(session, letter, actor=actor, now=now, prefix=prefix, signatory=signatory)
    enqueue(session, letter, now=now)  # sent by a worker once this transaction commits
    return letter
