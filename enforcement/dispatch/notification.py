"""What the moment of notification sets: the terms of the step a letter carried start then.

Awb 3:41 makes a decision known by sending it; Awb 2:17 says an electronic message is received
when it enters the recipient's system. The moment the hoster's mail server accepted the message
is both: a removal order's hours run from it, a decision is made known at it, and the deadlines
the letter's step started begin at it (a letter goes out on its own date, so their last days
are the ones the letter states).
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.cases.events import append_event
from enforcement.cases.models import ACTIVE_DEADLINE, CaseEvent, Deadline, Decision
from enforcement.dispatch.services import message_of, record_accepted
from enforcement.letters.models import Letter
from enforcement.letters.orders import order_of_letter
from enforcement.orders.services import apply_receipt

# The events a letter completes when it is issued (the step it carried, or a revocation).
COMPLETED_BY_LETTER = ("transition", "decision_revoked")


def record_notification(
    session: Session, letter: Letter, moment: datetime, *, evidence: str
) -> None:
    """Start what the letter's notification starts, at ``moment``, and record it on the case."""
    order = order_of_letter(session, letter)
    if order is not None:
        apply_receipt(session, order, received_at=moment, evidence=evidence, actor=None,
                      now=moment)  # fmt: skip
        return
    if letter.case is None:
        return
    moved = []
    event = completed_event(session, letter)
    if event is not None:
        moved = _start_terms_at(session, event, moment)
    append_event(session, letter.case, kind="letter_sent", actor=None, reason=evidence,
                 now=moment, data={"letter_id": letter.id, "kenmerk": letter.kenmerk,
                                   "accepted_at": moment, "deadline_ids": moved})  # fmt: skip


def completed_event(session: Session, letter: Letter) -> CaseEvent | None:
    """Return the case event the letter's issue completed, if it completed one."""
    events = session.scalars(
        sa.select(CaseEvent)
        .where(CaseEvent.case_id == letter.case_id, CaseEvent.kind.in_(COMPLETED_BY_LETTER))
        .where(CaseEvent.occurred_at == letter.issued_at)
    )
    return next((e for e in events if (e.data or {}).get("letter_id") == letter.id), None)


def _start_terms_at(session: Session, event: CaseEvent, moment: datetime) -> list[int]:
    """Move the start of the terms and decisions the event made to ``moment``."""
    deadlines = session.scalars(
        sa.select(Deadline).where(
            Deadline.case_id == event.case_id,
            Deadline.starts_at == event.occurred_at,
            Deadline.status.in_(ACTIVE_DEADLINE),
        )
    ).all()
    for deadline in deadlines:
        deadline.starts_at = min(moment, deadline.due_at)
    for decision in session.scalars(sa.select(Decision).where(Decision.event_id == event.id)):
        decision.made_known_at = moment
    return [deadline.id for deadline in deadlines]


def record_past_dispatch(session: Session, letter: Letter, moment: datetime) -> None:
    """Record a letter issued in the past (demo data, history) as accepted when issued."""
    record_accepted(message_of(session, letter), "250 accepted when issued (recorded)", moment)
    record_notification(session, letter, moment, evidence="Recorded as accepted when issued.")
