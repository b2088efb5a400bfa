"""Steps of the ladder and their letters: a step waits for its letter; issuing it completes it.

The case pages call these instead of the bare case services::

    take_step(session, case, Trigger.SEND_WARNING, actor=officer, params={}, reason="")
    # the case stays at "notice"; its warning letter is drafted (or an existing draft adopted)
    issue(session, letter, actor=legal, now=now, prefix="ENF")
    # kenmerk, PDF, and the case goes to "warning" with its deadlines counted from ``now``

Issuing completes the step first (the guards are checked again against the data as it stands,
the event is recorded at ``now``), then gathers the letter again dated ``now`` so the deadlines
it states are the ones the case runs, then renders and freezes it. Any refusal rolls all of it
back: the letter stays a draft and the case where it was.
"""

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.cases import objections, services
from enforcement.cases.ladder import STEPS, Trigger
from enforcement.cases.models import (
    DECIDED_BY_LETTER,
    Case,
    Objection,
    ObjectionOutcome,
    PendingStep,
    Proposal,
)
from enforcement.core.errors import Conflict, PermissionDenied
from enforcement.core.time import utcnow
from enforcement.letters.context import plain
from enforcement.letters.drafts import refresh_draft, source_options
from enforcement.letters.kinds import get_kind
from enforcement.letters.models import Letter, LetterStatus
from enforcement.letters.numbering import DEFAULT_KENMERK_PREFIX
from enforcement.letters.orders import issue_removal_order, order_of_letter
from enforcement.letters.services import issue_letter, lock_draft, update_draft

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
    """Take a step without approval; return the letter it now waits for (None: done at once)."""
    now = now or utcnow()
    services.act(session, case, trigger, actor=actor, params=params, reason=reason,
                 expected_version=expected_version, now=now)  # fmt: skip
    return _letter_for_new_step(session, case, actor=actor, now=now)


def approve_step(
    session: Session,
    proposal: Proposal,
    *,
    actor: User,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Letter | None:
    """Approve a proposal; return the letter the step now waits for (None: done at once)."""
    now = now or utcnow()
    services.approve(session, proposal, actor=actor, note=note,
                     expected_version=expected_version, now=now)  # fmt: skip
    return _letter_for_new_step(session, proposal.case, actor=actor, now=now)


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
    objections.decide_objection(session, objection, outcome, actor=actor, reason=reason,
                                no_hearing_ground=no_hearing_ground,
                                expected_version=expected_version, now=now)  # fmt: skip
    if outcome not in DECIDED_BY_LETTER:
        return None
    pending = services.pending_step(session, case) if outcome == ObjectionOutcome.UPHELD else None
    return draft_step_letter(session, case, "objection_decision", pending, actor=actor, now=now,
                             objection_id=objection.id)  # fmt: skip


def _letter_for_new_step(
    session: Session, case: Case, *, actor: User, now: datetime
) -> Letter | None:
    # A step just taken or approved either waits for its letter (the case's one pending step)
    # or was done at once (then nothing waits: a waiting step refuses every other).
    pending = services.pending_step(session, case)
    if pending is None:
        return None
    kind = STEPS[pending.trigger].letter
    return draft_step_letter(session, case, kind, pending, actor=actor, now=now)


def draft_step_letter(
    session: Session,
    case: Case,
    kind: str,
    pending: PendingStep | None,
    *,
    actor: User,
    now: datetime,
    **options: Any,
) -> Letter:
    """Draft the letter of a step, or adopt a draft of it made beforehand (same kind, made
    with the same options, not yet any step's letter)."""
    letter_kind = get_kind(kind)
    existing = adoptable_draft(session, case, kind, letter_kind.take_options(options))
    if existing is None:
        return letter_kind.draft(session, case, actor=actor, letter_date=now, now=now,
                                 pending_step=pending, **options)  # fmt: skip
    context = letter_kind.context(session, case, letter_date=now,
                                  language=existing.language.value, **options)  # fmt: skip
    return update_draft(session, existing, context, actor=actor, pending_step=pending)


def adoptable_draft(
    session: Session, case: Case, kind: str, options: dict[str, Any]
) -> Letter | None:
    """Return the newest draft of this kind made with these options and tied to no step."""
    drafts = session.scalars(
        sa.select(Letter)
        .where(Letter.case_id == case.id, Letter.kind == kind, Letter.status == LetterStatus.DRAFT)
        .where(Letter.corrects_letter_id.is_(None), Letter.pending_step_id.is_(None))
        .order_by(Letter.id.desc())
    )
    wanted = options_key(options)
    for draft in drafts:
        if options_key(source_options(draft)) == wanted:
            return draft
    return None


def options_key(options: dict[str, Any]) -> str:
    """Options as given or as a stored context keeps them (ISO text), in one comparable form."""
    return json.dumps(plain(options), sort_keys=True)


def issue(
    session: Session,
    letter: Letter,
    *,
    actor: User,
    now: datetime | None = None,
    prefix: str = DEFAULT_KENMERK_PREFIX,
    signatory: Mapping[str, str] | None = None,
) -> Letter:
    """Issue a draft dated ``now``; the step (or removal order) it belongs to is completed at
    the same moment."""
    if actor.role != Role.LEGAL:
        raise PermissionDenied("Only legal staff issue letters.")
    now = now or utcnow()
    if (order := order_of_letter(session, letter)) is not None:
        return issue_removal_order(session, order, actor=actor, now=now, prefix=prefix,
                                   signatory=signatory)  # fmt: skip
    lock_draft(session, letter)
    if letter.pending_step is not None:
        objections.complete_step(session, letter.pending_step, actor=actor, now=now,
                                 record={"letter_id": letter.id})  # fmt: skip
    elif letter.kind in STEP_LETTERS and letter.corrects_letter_id is None:
        raise Conflict(
            f"A {letter.kind.replace('_', ' ')} letter is issued with its step: take the step "
            "(or have it approved) and issue the letter it waits for."
        )
    refresh_draft(session, letter, actor=actor, letter_date=now)
    return issue_letter(session, letter, actor=actor, now=now, prefix=prefix,
                        signatory=signatory)  # fmt: skip


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
    services.withdraw_step(session, pending, actor=actor, reason=reason,
                           expected_version=expected_version, now=now)  # fmt: skip
    for draft in session.scalars(
        sa.select(Letter).where(
            Letter.pending_step_id == pending.id, Letter.status == LetterStatus.DRAFT
        )
    ):
        session.delete(draft)
    session.flush()
