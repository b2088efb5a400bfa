"""The event chain: append-only in the app, and any edit outside it is found."""

import pytest
import sqlalchemy as sa

from enforcement.cases.events import verify_chains
from enforcement.cases.ladder import Trigger
from enforcement.cases.models import CaseEvent
from tests.cases.conftest import T0, take, weeks


@pytest.fixture
def history(session, case, staff):
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    take(
        session,
        case,
        Trigger.CLOSE,
        staff,
        weeks(1),
        params={"close_reason": "withdrawn"},
        reason="Mistake",
    )
    session.commit()
    return case


def test_verify_passes_then_names_the_edited_event(runner, session, history):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "All 1 case chain(s) verified." in result.output
    session.execute(sa.text("UPDATE case_events SET reason = 'Forged' WHERE sequence = 2"))
    session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"case {history.id}: event 2 its content was changed" in result.output


def test_a_deleted_event_breaks_the_chain(session, history):
    session.execute(sa.text("DELETE FROM case_events WHERE sequence = 2"))
    checked, broken = verify_chains(session)
    assert (checked, broken[0].sequence, broken[0].problem) == (
        1,
        3,
        "an event is missing before it",
    )


def test_the_app_refuses_to_change_or_delete_an_event(session, history):
    event = session.scalar(sa.select(CaseEvent).where(CaseEvent.sequence == 1))
    event.reason = "rewritten"
    with pytest.raises(RuntimeError, match="append-only"):
        session.flush()
    session.rollback()
    session.delete(session.scalar(sa.select(CaseEvent).where(CaseEvent.sequence == 1)))
    with pytest.raises(RuntimeError, match="append-only"):
        session.flush()
