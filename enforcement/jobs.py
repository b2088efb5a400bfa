"""Background work: one job queue (huey) for sending the outbox and other long work.

    .venv/bin/huey_consumer enforcement.jobs.huey -w 2      # the worker; ./run.sh starts one

Storage: Redis when ``REDIS_URL`` is set (a real deployment, several workers on several
machines), otherwise a SQLite file beside the app's (``instance/jobs.sqlite``), so the embedded
set-up needs no server. ``JOBS_IMMEDIATE=true`` runs each job at once in the caller's process
(the tests, and a set-up without a worker). Nothing is kept in a process between jobs: a job
reads the outbox from the database, and a sweep every minute sends what is due, so a job lost
with a worker is done by the next sweep.
"""

import logging
import os

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from huey import RedisHuey, SqliteHuey, crontab
from sqlalchemy.orm import Session

from config import INSTANCE_DIR
from enforcement.dispatch.services import OUTBOX_ADDED
from enforcement.dispatch.smtp import SmtpSettings
from enforcement.dispatch.worker import Run, send_due
from enforcement.extensions import db


def make_huey() -> SqliteHuey | RedisHuey:
    """Return the queue the environment asks for."""
    immediate = os.environ.get("JOBS_IMMEDIATE", "").lower() in {"1", "true", "yes"}
    if os.environ.get("REDIS_URL"):
        return RedisHuey("enforcement", url=os.environ["REDIS_URL"], immediate=immediate)
    INSTANCE_DIR.mkdir(exist_ok=True)
    return SqliteHuey("enforcement", filename=str(INSTANCE_DIR / "jobs.sqlite"),
                      immediate=immediate)  # fmt: skip


logger = logging.getLogger(__name__)
huey = make_huey()
_worker_app: Flask | None = None


def app() -> Flask:
    """Return the app a job runs in: the caller's, or one made once per worker process."""
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        from enforcement import create_app

        _worker_app = create_app()
    return _worker_app


def send_outbox() -> Run | None:
    """Send every message that is due; None when no mail server is configured."""
    flask_app = app()
    with flask_app.app_context():
        settings = SmtpSettings.from_config(flask_app.config)
        if settings is None:
            return None
        return send_due(lambda: Session(db.engine), settings=settings,
                        sender=flask_app.config["MAIL_FROM"])  # fmt: skip


@huey.task()
def send_outbox_job() -> None:
    """Send the outbox now (queued after a letter is issued)."""
    send_outbox()


@huey.periodic_task(crontab(minute="*"))
def sweep_outbox() -> None:
    """Every minute: mark stalled sends uncertain and send what is due (retries included)."""
    send_outbox()


def _send_after_commit(session: Session) -> None:
    if not session.info.pop(OUTBOX_ADDED, False):
        return
    try:
        send_outbox_job()
    except Exception:  # the queue is down: the next sweep sends it; the letter is issued
        logger.exception("Could not queue the outbox; the next sweep will send it.")


def _forget_after_rollback(session: Session) -> None:
    # What a rolled-back transaction added to the outbox is gone: nothing to send for it.
    session.info.pop(OUTBOX_ADDED, None)


def register_jobs(flask_app: Flask) -> None:
    """Queue the outbox whenever a transaction that added to it commits; with the app's
    ``JOBS_IMMEDIATE`` (the tests), jobs run at once in the caller's process."""
    if flask_app.config.get("JOBS_IMMEDIATE"):
        huey.immediate = True
    if not sa.event.contains(Session, "after_commit", _send_after_commit):
        sa.event.listen(Session, "after_commit", _send_after_commit)
        sa.event.listen(Session, "after_rollback", _forget_after_rollback)
