"""The audit trail shows tampering by someone with database access but without AUDIT_KEY
(issue 15, finding 1)."""

import hashlib
import json

import sqlalchemy as sa

from enforcement.cases.events import hashed_fields
from enforcement.cases.ladder import Trigger
from enforcement.cases.models import CaseEvent
from enforcement.cases.services import open_case
from enforcement.core import sealing
from tests.cases.conftest import T0, take
from tests.cases.test_audit import history  # noqa: F401  (fixture)


def verify(runner):
    return runner.invoke(args=["audit", "verify"])


def checkpoint(runner):
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output


def outside_the_app(session, statement: str, **values) -> None:
    """Run SQL on a connection of its own, past the ORM's refusals, as an intruder would."""
    with session.get_bind().begin() as connection:
        connection.execute(sa.text(statement), values)
    session.expire_all()


def delete_events(session, case_id: int, where: str = "") -> None:
    outside_the_app(session, f"DELETE FROM case_events WHERE case_id = :c {where}", c=case_id)


def test_a_deleted_last_event_shows_against_the_checkpoint(runner, session, history):  # noqa: F811
    checkpoint(runner)
    assert verify(runner).exit_code == 0
    last = max(event.sequence for event in history.events)
    delete_events(session, history.id, f"AND sequence = {last}")
    result = verify(runner)
    assert result.exit_code == 1
    assert f"case {history.id}: event {last}, recorded by checkpoint 1, is gone" in result.output


def test_a_deleted_case_history_shows(runner, session, history):  # noqa: F811
    delete_events(session, history.id)
    result = verify(runner)
    assert result.exit_code == 1
    assert f"case {history.id}: has no events" in result.output


def test_a_stage_set_outside_the_events_shows(runner, session, history):  # noqa: F811
    outside_the_app(session, "UPDATE cases SET stage = 'fined' WHERE id = :c", c=history.id)
    result = verify(runner)
    assert result.exit_code == 1
    assert "does not follow from its events" in result.output


def test_an_event_rehashed_with_plain_sha256_shows(runner, session, history):  # noqa: F811
    event = session.scalar(sa.select(CaseEvent).where(CaseEvent.case_id == history.id,
                                                      CaseEvent.sequence == 1))  # fmt: skip
    fields = {**hashed_fields(event), "reason": "Forged"}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    forged = hashlib.sha256(f"{event.previous_hash}\n{canonical}".encode()).hexdigest()
    outside_the_app(session, "UPDATE case_events SET reason = 'Forged', hash = :h WHERE id = :i",
                    h=forged, i=event.id)  # fmt: skip
    result = verify(runner)
    assert result.exit_code == 1
    assert f"case {history.id}: event 1 its content was changed" in result.output


def test_a_forged_checkpoint_shows(runner, session, history):  # noqa: F811
    checkpoint(runner)
    outside_the_app(session, "UPDATE audit_checkpoints SET case_heads = '{}'")
    result = verify(runner)
    assert result.exit_code == 1 and "its seal does not match" in result.output


def test_events_hashed_before_keying_still_verify(runner, session, slow_hoster, staff):
    """Rows from before migration 0011 (plain SHA-256) verify; new ones are keyed after them."""
    sealing.configure(None)
    try:
        case = open_case(session, slow_hoster, actor=staff["officer"], reason="Breaches",
                         opening_figures={"window": "test"}, breaches=True, now=T0)  # fmt: skip
        take(session, case, Trigger.SEND_WARNING, staff, T0)
        session.commit()
    finally:
        sealing.configure("test-audit-key")
    assert {event.hash_scheme for event in case.events} == {1}
    assert verify(runner).exit_code == 0
    take(session, case, Trigger.CLOSE, staff, T0, params={"close_reason": "withdrawn"},
         reason="Mistake")  # fmt: skip
    session.commit()
    assert case.events[-1].hash_scheme == 2
    result = verify(runner)
    assert result.exit_code == 0, result.output
