"""The outbox's life: a message is queued with its letter, claimed, sent, and recorded.

Each step is a small transaction of its own in the worker (enforcement.dispatch.worker): the
claim is committed before the mail server is called and the outcome after, so two workers never
send one message and a worker that dies mid-send leaves a trace (``sending``) that
``reap_stalled`` turns into ``uncertain`` for legal staff, never into a second send.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.core.time import to_local, utcnow
from enforcement.dispatch.mail import Outgoing, body_text, subject_line
from enforcement.dispatch.models import SENDABLE, MessageStatus, OutboxMessage
from enforcement.letters.context import REMOVAL_ORDER_KIND, SENDER
from enforcement.letters.models import Letter, LetterStatus
from enforcement.letters.render import render_subject

# The domain of the Message-IDs: the authority's own.
MESSAGE_DOMAIN = SENDER["email"].rpartition("@")[2]
# What each state means to legal staff.
DISPATCH_STATES = {
    MessageStatus.QUEUED: "in the outbox, waiting for the sending worker",
    MessageStatus.SENDING: "being sent",
    MessageStatus.RETRY: "the mail server did not take it yet; it is tried again",
    MessageStatus.ACCEPTED: "accepted by the hoster's mail server",
    MessageStatus.FAILED: "refused: send it another way (registered mail) and record that",
    MessageStatus.UNCERTAIN: "the worker stopped while sending: ask the hoster whether it arrived",
    MessageStatus.HELD: "not sent on its date: issue a correction dated today",
    MessageStatus.POSTED: "sent by registered mail",
}
# Tries, and the wait before each next one: about a day in all, then it fails for good.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# Set on a session that added to the outbox: once it commits, the queue is told (enforcement.jobs).
OUTBOX_ADDED = "outbox_added"
# A claim older than this without an outcome: the worker stopped mid-send.
STALLED_AFTER = timedelta(minutes=10)


def enqueue(session: Session, letter: Letter, *, now: datetime) -> OutboxMessage:
    """Put an issued letter in the outbox, to the hoster's formal e-mail address (Awb 2:14)."""
    if letter.status != LetterStatus.ISSUED:
        raise ValueError("only an issued letter is sent")
    subject = render_subject(letter.template.source, letter.context) or letter.kind
    message = OutboxMessage(
        letter_id=letter.id,
        hoster_id=letter.hoster_id,
        recipient=letter.hoster.formal_email,
        subject=subject_line(letter.kenmerk, subject),
        body=body_text(
            letter.language.value, kenmerk=letter.kenmerk, sender=SENDER["name"], subject=subject
        ),
        message_id=f"<{letter.kenmerk.lower()}.{letter.id}@{MESSAGE_DOMAIN}>",
        status=MessageStatus.QUEUED,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(message)
    session.flush()
    session.info[OUTBOX_ADDED] = True
    return message


def due_message_ids(session: Session, now: datetime, limit: int = 100) -> list[int]:
    """Return the messages a worker may send now, oldest first."""
    return list(
        session.scalars(
            sa.select(OutboxMessage.id)
            .where(OutboxMessage.status.in_(SENDABLE), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
    )


def claim(session: Session, message_id: int, now: datetime) -> bool:
    """Take a message for sending; False when another worker has it or it is not due.

    One UPDATE that only succeeds from a sendable state: of two workers, one wins.
    """
    result = session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status.in_(SENDABLE))
        .where(OutboxMessage.next_attempt_at <= now)
        .values(
            status=MessageStatus.SENDING,
            claimed_at=now,
            updated_at=now,
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def too_late(letter: Letter, now: datetime) -> bool:
    """A letter goes out on its date: after that day its terms would be wrong (a removal
    order's term runs from receipt, so an order is never too late)."""
    if letter.kind == REMOVAL_ORDER_KIND:
        return False
    return to_local(now).date() > to_local(letter.issued_at).date()


def outgoing(message: OutboxMessage, sender: str) -> Outgoing:
    """Return what the worker sends for a message."""
    letter = message.letter
    return Outgoing(message.message_id, sender, message.recipient, message.subject,
                    message.body, f"{letter.kenmerk}.pdf", letter.pdf)  # fmt: skip


def record_accepted(message: OutboxMessage, reply: str, moment: datetime) -> None:
    """Record that the recipient's server accepted the message: the moment of notification."""
    message.status, message.accepted_at = MessageStatus.ACCEPTED, moment
    message.server_reply, message.last_error, message.updated_at = reply[:2000], None, moment


def record_failure(message: OutboxMessage, error: str, *, permanent: bool, now: datetime) -> None:
    """Record a failed try: again later with backoff, or failed for good."""
    message.last_error, message.updated_at = error[:2000], now
    if permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = MessageStatus.FAILED
        return
    message.status = MessageStatus.RETRY
    message.next_attempt_at = now + BACKOFF[min(message.attempts, len(BACKOFF)) - 1]


def hold(message: OutboxMessage, now: datetime) -> None:
    """Hold a message whose letter's date has passed: legal staff re-date it by a correction."""
    message.status, message.updated_at = MessageStatus.HELD, now
    message.last_error = "The letter's date has passed; issue a correction dated today."


def reap_stalled(session: Session, now: datetime | None = None) -> int:
    """Mark messages claimed long ago without an outcome as uncertain; return how many."""
    now = now or utcnow()
    result = session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.SENDING)
        .where(OutboxMessage.claimed_at < now - STALLED_AFTER)
        .values(
            status=MessageStatus.UNCERTAIN,
            updated_at=now,
            last_error="The worker stopped while sending: ask the hoster whether it "
            "arrived before sending it again.",
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def message_of(session: Session, letter: Letter) -> OutboxMessage | None:
    """Return the outbox message of a letter, if it has one."""
    return session.scalar(sa.select(OutboxMessage).where(OutboxMessage.letter_id == letter.id))
