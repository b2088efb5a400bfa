"""Issued letters go out through a real SMTP server; the moment it accepts one starts its terms."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.cases.models import CaseEvent, Deadline
from enforcement.deadlines import DeadlineKind
from enforcement.dispatch.models import MessageStatus, OutboxMessage
from enforcement.dispatch.services import STALLED_AFTER, message_of
from enforcement.dispatch.smtp import SmtpSettings
from enforcement.dispatch.worker import send_due, send_message
from enforcement.extensions import db
from tests.conftest import ON_POSTGRES
from tests.dispatch.conftest import SENDER, T0, free_port


def at(moment):
    return lambda: moment


def run(sessions, mail_server, moment):
    return send_due(sessions, settings=mail_server.settings, sender=SENDER, clock=at(moment))


def test_issuing_puts_the_letter_in_the_outbox_and_sends_nothing_yet(session, issued):
    letter = issued()
    message = message_of(session, letter)
    assert message.status == MessageStatus.QUEUED
    assert message.recipient == letter.hoster.formal_email
    assert message.subject.startswith(f"{letter.kenmerk}: Waarschuwing")
    assert letter.kenmerk in message.body and "Geachte" in message.body


def test_the_server_receives_the_letter_and_its_moment_starts_the_terms(
    session, sessions, mail_server, issued
):
    letter = issued()
    accepted = T0 + timedelta(minutes=3)
    result = run(sessions, mail_server, accepted)
    assert (result.sent, result.failed) == (1, 0)
    [mail] = mail_server.handler.received
    assert mail_server.handler.envelopes == [("handhaving@atkm.example.test",
                                              [letter.hoster.formal_email])]  # fmt: skip
    assert mail["Subject"].startswith(letter.kenmerk)
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == f"{letter.kenmerk}.pdf"
    assert attachment.get_content() == letter.pdf
    session.expire_all()
    message = message_of(session, letter)
    assert (message.status, message.accepted_at) == (MessageStatus.ACCEPTED, accepted)
    assert mail["Message-ID"] == message.message_id
    window = session.scalar(
        sa.select(Deadline).where(Deadline.kind == DeadlineKind.IMPROVEMENT_WINDOW)
    )
    assert window.starts_at == accepted
    sent = session.scalar(sa.select(CaseEvent).where(CaseEvent.kind == "letter_sent"))
    assert sent.data["letter_id"] == letter.id and sent.data["deadline_ids"] == [window.id]


def test_a_temporary_refusal_is_tried_again_later_and_then_sent(
    session, sessions, mail_server, issued
):
    letter = issued()
    mail_server.handler.replies.append("451 4.3.0 Try again later")
    first = run(sessions, mail_server, T0 + timedelta(minutes=1))
    assert (first.sent, first.failed) == (0, 1)
    session.expire_all()
    message = message_of(session, letter)
    assert message.status == MessageStatus.RETRY and "451" in message.last_error
    assert message.next_attempt_at == T0 + timedelta(minutes=2)
    assert run(sessions, mail_server, T0 + timedelta(seconds=90)).sent == 0  # not due yet
    assert run(sessions, mail_server, T0 + timedelta(minutes=2)).sent == 1
    assert len(mail_server.handler.received) == 1


def test_a_permanent_refusal_fails_for_legal_staff_to_act(session, sessions, mail_server, issued):
    letter = issued()
    mail_server.handler.replies.append("550 5.1.1 No such mailbox")
    run(sessions, mail_server, T0 + timedelta(minutes=1))
    session.expire_all()
    message = message_of(session, letter)
    assert message.status == MessageStatus.FAILED and "550" in message.last_error
    assert run(sessions, mail_server, T0 + timedelta(hours=2)).sent == 0


def test_an_unreachable_server_is_a_temporary_failure(session, sessions, issued):
    letter = issued()
    nobody = SmtpSettings("127.0.0.1", free_port(), starttls="false", timeout=2)
    send_due(sessions, settings=nobody, sender=SENDER, clock=at(T0 + timedelta(minutes=1)))
    session.expire_all()
    message = message_of(session, letter)
    assert message.status == MessageStatus.RETRY and "ConnectionRefused" in message.last_error


def test_a_letter_not_sent_on_its_date_is_held_not_sent(session, sessions, mail_server, issued):
    letter = issued()
    result = run(sessions, mail_server, T0 + timedelta(days=1))
    assert (result.sent, result.held) == (0, 1)
    assert mail_server.handler.received == []
    session.expire_all()
    assert message_of(session, letter).status == MessageStatus.HELD


def test_a_send_cut_off_midway_is_never_sent_again_by_itself(
    session, sessions, mail_server, issued
):
    letter = issued()
    message = message_of(session, letter)
    # A worker claimed it and died before it recorded an outcome.
    message.status, message.claimed_at, message.attempts = MessageStatus.SENDING, T0, 1
    session.commit()
    result = run(sessions, mail_server, T0 + STALLED_AFTER + timedelta(seconds=1))
    assert (result.uncertain, result.sent) == (1, 0)
    assert mail_server.handler.received == []
    session.expire_all()
    assert message_of(session, letter).status == MessageStatus.UNCERTAIN


@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL's real connections")
def test_two_workers_send_one_message_once(session, mail_server, issued):
    letter = issued()
    message_id = message_of(session, letter).id
    session.commit()
    barrier, outcomes = threading.Barrier(2), []

    def worker():
        barrier.wait()
        outcomes.append(send_message(lambda: Session(db.engine), message_id,
                                     settings=mail_server.settings, sender=SENDER,
                                     clock=at(T0 + timedelta(minutes=1))))  # fmt: skip

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=str) == sorted([MessageStatus.ACCEPTED, None], key=str)
    assert len(mail_server.handler.received) == 1
    assert session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1
