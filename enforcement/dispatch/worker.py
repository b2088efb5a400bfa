"""The sending worker: claim, send, record, each in a transaction of its own.

Called by the job queue (enforcement.jobs) and by ``flask dispatch send``. It commits, like a
view: the claim must be visible to other workers before the mail server is called, and the
outcome must be kept whatever happens next.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from enforcement.core.time import utcnow
from enforcement.dispatch.mail import build_email
from enforcement.dispatch.models import MessageStatus, OutboxMessage
from enforcement.dispatch.notification import record_notification
from enforcement.dispatch.services import (
    claim,
    due_message_ids,
    hold,
    outgoing,
    reap_stalled,
    record_accepted,
    record_failure,
    too_late,
)
from enforcement.dispatch.smtp import PermanentFailure, SmtpSettings, TemporaryFailure, deliver

SessionFactory = Callable[[], Session]
Clock = Callable[[], datetime]


@dataclass
class Run:
    """What one pass over the outbox did."""

    sent: int = 0
    failed: int = 0
    held: int = 0
    skipped: int = 0
    uncertain: int = 0
    outcomes: dict[int, MessageStatus | None] = field(default_factory=dict)


def send_message(
    sessions: SessionFactory,
    message_id: int,
    *,
    settings: SmtpSettings,
    sender: str,
    clock: Clock = utcnow,
) -> MessageStatus | None:
    """Send one message if it is due and nobody else has it; return what became of it (None:
    not ours to send). ``clock`` tells the time (the moment of acceptance is read from it)."""
    with sessions() as session:
        now = clock()
        if not claim(session, message_id, now):
            session.rollback()
            return None
        message = session.get(OutboxMessage, message_id)
        if too_late(message.letter, now):
            hold(message, now)
            session.commit()
            return MessageStatus.HELD
        email = build_email(outgoing(message, sender))
        session.commit()  # the claim is on record before the server hears of the message
    try:
        reply = deliver(settings, email)
    except (TemporaryFailure, PermanentFailure) as exc:
        return _record(sessions, message_id, clock(), failure=exc)
    return _record(sessions, message_id, clock(), reply=reply)


def _record(sessions: SessionFactory, message_id: int, moment: datetime, *, reply: str = "",
            failure: Exception | None = None) -> MessageStatus:  # fmt: skip
    with sessions() as session:
        message = session.get(OutboxMessage, message_id)
        if failure is not None:
            permanent = isinstance(failure, PermanentFailure)
            record_failure(message, str(failure), permanent=permanent, now=moment)
        else:
            record_accepted(message, reply, moment)
            evidence = f"Accepted by {message.recipient}'s mail server: {reply}"[:500]
            record_notification(session, message.letter, moment, evidence=evidence)
        session.commit()
        return message.status


def send_due(
    sessions: SessionFactory,
    *,
    settings: SmtpSettings,
    sender: str,
    clock: Clock = utcnow,
    progress: Callable[[int, int, MessageStatus | None], None] | None = None,
) -> Run:
    """Mark stalled sends uncertain, then send every message that is due."""
    run = Run()
    with sessions() as session:
        run.uncertain = reap_stalled(session, clock())
        ids = due_message_ids(session, clock())
        session.commit()
    for done, message_id in enumerate(ids, start=1):
        status = send_message(sessions, message_id, settings=settings, sender=sender, clock=clock)
        run.outcomes[message_id] = status
        if status == MessageStatus.ACCEPTED:
            run.sent += 1
        elif status == MessageStatus.HELD:
            run.held += 1
        elif status is None:
            run.skipped += 1
        else:
            run.failed += 1
        if progress is not None:
            progress(done, len(ids), status)
    return run
