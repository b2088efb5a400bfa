"""``flask dispatch``: the outbox at a glance, and sending what is due with progress."""

from enforcement.dispatch.models import MessageStatus
from enforcement.dispatch.services import message_of
from tests.dispatch.conftest import T0


def test_status_counts_the_outbox_by_state(runner, issued):
    issued()
    result = runner.invoke(args=["dispatch", "status"])
    assert result.exit_code == 0
    assert "     1  queued" in result.output


def test_send_without_a_mail_server_says_what_to_set(runner, issued):
    issued()
    result = runner.invoke(args=["dispatch", "send"])
    assert result.exit_code != 0 and "set SMTP_HOST" in result.output


def test_send_holds_a_letter_whose_date_has_passed_and_shows_progress(
    app, runner, session, issued, mail_server
):
    letter = issued(T0)  # issued in March; sending today is too late for its terms
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mail_server.port, SMTP_STARTTLS="false")
    result = runner.invoke(args=["dispatch", "send"])
    assert result.exit_code == 0, result.output
    assert "[1/1] held" in result.output and "held 1" in result.output
    session.expire_all()
    assert message_of(session, letter).status == MessageStatus.HELD
    assert mail_server.handler.received == []
