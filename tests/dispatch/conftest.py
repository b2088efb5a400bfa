"""A real SMTP server (aiosmtpd) on the loopback address, and issued letters to send."""

import socket
from collections import deque
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from enforcement.cases.ladder import Trigger
from enforcement.casework import operations
from enforcement.dispatch.smtp import SmtpSettings
from enforcement.extensions import db
from tests.hosters.conftest import create_hoster  # noqa: F401  (fixture)
from tests.letters.conftest import case, staff  # noqa: F401  (fixtures)
from tests.metrics.conftest import add_notices  # noqa: F401  (fixture)

SENDER = "ATKM Handhaving <handhaving@atkm.example.test>"
# Monday 2 March 2026, 10:00 in Amsterdam.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Recorder:
    """Keeps what the server accepted; ``replies`` holds error replies to give first."""

    def __init__(self):
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.replies: deque[str] = deque()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.replies:
            return self.replies.popleft()
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 2.0.0 Ok: queued as TEST"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server():
    """A real SMTP server for one test; its ``handler`` records what it accepted."""
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.settings = SmtpSettings("127.0.0.1", controller.port, starttls="false", timeout=5)
    yield controller
    controller.stop()


@pytest.fixture
def sessions(app):
    """What a worker opens: a session of its own per transaction."""
    return lambda: Session(db.engine)


@pytest.fixture
def issued(session, case, staff):  # noqa: F811  (imported fixtures)
    """Factory: the case's warning letter, issued at ``at`` (it waits in the outbox)."""

    def factory(at: datetime = T0):
        letter = operations.take_step(session, case, Trigger.SEND_WARNING,
                                      actor=staff["officer"], now=at)  # fmt: skip
        operations.issue(session, letter, actor=staff["legal"], now=at)
        session.commit()
        return letter

    return factory
