"""Dispatch commands: see the outbox and send what is due."""

from collections import Counter

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from enforcement.dispatch.models import NEEDS_ACTION, OutboxMessage
from enforcement.dispatch.services import DISPATCH_STATES
from enforcement.dispatch.smtp import SmtpSettings
from enforcement.dispatch.worker import send_due
from enforcement.extensions import db

dispatch_cli = AppGroup("dispatch", help="The outbox: letters and orders on their way out.")


@dispatch_cli.command("status")
def status_command() -> None:
    """Count the outbox's messages by state and list those that need legal staff."""
    messages = db.session.query(OutboxMessage).order_by(OutboxMessage.id).all()
    counts = Counter(message.status for message in messages)
    for state, meaning in DISPATCH_STATES.items():
        click.echo(f"{counts.get(state, 0):6d}  {state.value:10s} {meaning}")
    for message in messages:
        if message.status in NEEDS_ACTION:
            click.echo(f"  {message.letter.kenmerk}: {message.status.value}: {message.last_error}")
    db.session.rollback()


@dispatch_cli.command("send")
def send_command() -> None:
    """Send every message that is due now (the worker does this every minute)."""
    settings = SmtpSettings.from_config(current_app.config)
    if settings is None:
        raise click.ClickException("No mail server is configured: set SMTP_HOST (see README).")

    def progress(done: int, total: int, status) -> None:
        click.echo(f"[{done}/{total}] {status.value if status else 'taken by another worker'}")

    run = send_due(lambda: Session(db.engine), settings=settings,
                   sender=current_app.config["MAIL_FROM"], progress=progress)  # fmt: skip
    click.echo(f"Sent {run.sent}, failed or to retry {run.failed}, held {run.held}, "
               f"marked uncertain {run.uncertain}.")  # fmt: skip
