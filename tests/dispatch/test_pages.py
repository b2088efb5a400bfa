"""Issuing on the letter page sends the letter once the issue is committed, and the page says so."""

import pytest
import sqlalchemy as sa

from enforcement.cases.ladder import Trigger
from enforcement.casework import operations
from enforcement.core.time import utcnow
from enforcement.dispatch.models import MessageStatus, OutboxMessage
from tests.cases.pages import submit, text_of


@pytest.fixture
def app_config(mail_server):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": mail_server.port, "SMTP_STARTTLS": "false"}


def test_issuing_a_letter_sends_it_and_the_letter_page_shows_its_acceptance(
    client, signed_in, session, case, staff, mail_server
):
    letter = operations.take_step(session, case, Trigger.SEND_WARNING, actor=staff["officer"],
                                  now=utcnow())  # fmt: skip
    session.commit()
    signed_in("legal")
    page = f"/letters/{letter.id}"
    response = submit(client, page, f"/letters/{letter.id}/issue")
    assert response.status_code == 302
    [mail] = mail_server.handler.received
    message = session.scalar(sa.select(OutboxMessage))
    assert message.status == MessageStatus.ACCEPTED
    assert mail["Message-ID"] == message.message_id
    shown = text_of(client.get(page))
    assert "accepted by the hoster's mail server" in shown
    assert message.recipient in shown and "the moment of notification" in shown


def test_without_a_mail_server_the_letter_waits_in_the_outbox(
    client, signed_in, session, case, staff, mail_server, app
):
    app.config["SMTP_HOST"] = None
    letter = operations.take_step(session, case, Trigger.SEND_WARNING, actor=staff["officer"],
                                  now=utcnow())  # fmt: skip
    session.commit()
    signed_in("legal")
    submit(client, f"/letters/{letter.id}", f"/letters/{letter.id}/issue")
    assert mail_server.handler.received == []
    assert session.scalar(sa.select(OutboxMessage.status)) == MessageStatus.QUEUED
    assert "waiting for the sending worker" in text_of(client.get(f"/letters/{letter.id}"))
