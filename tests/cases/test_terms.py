"""Deadlines change only with a recorded reason, and never the ones the law fixes."""

from datetime import timedelta

import pytest

from enforcement.cases.effects import add_deadline
from enforcement.cases.ladder import Trigger
from enforcement.cases.terms import extend_deadline, resume_deadline, suspend_deadline
from enforcement.core.errors import DomainError, PermissionDenied
from tests.cases.conftest import T0, take, weeks


@pytest.fixture
def window(session, case, staff):
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    session.commit()
    return next(d for d in case.deadlines if d.kind == "improvement_window")


def test_extension_needs_a_reason_and_is_recorded(session, case, window, staff):
    later = window.due_at + timedelta(weeks=2)
    with pytest.raises(DomainError, match="reason"):
        extend_deadline(session, window, later, actor=staff["legal"], reason=" ")
    with pytest.raises(PermissionDenied):
        extend_deadline(session, window, later, actor=staff["officer"], reason="x")
    extend_deadline(
        session, window, later, actor=staff["legal"], reason="Hoster asked", now=weeks(1)
    )
    event = case.events[-1]
    assert event.kind == "deadline_extended" and event.reason == "Hoster asked"
    assert event.data["new_due_at"] == later.isoformat()


def test_suspension_stops_the_clock(session, case, window, staff):
    due = window.due_at
    suspend_deadline(
        session, window, actor=staff["supervisor"], reason="Interim relief asked", now=weeks(2)
    )
    assert window.status == "suspended"
    resume_deadline(
        session, window, actor=staff["supervisor"], reason="Court decided", now=weeks(5)
    )
    assert window.due_at == due + timedelta(weeks=3)
    assert [e.kind for e in case.events[-2:]] == ["deadline_suspended", "deadline_resumed"]


def test_terms_fixed_by_law_cannot_be_stretched(session, case, staff):
    fixed = add_deadline(session, case, "fine_decision", "Awb 5:51", T0, weeks(13))
    with pytest.raises(DomainError, match="fixed by law"):
        extend_deadline(session, fixed, weeks(14), actor=staff["legal"], reason="Busy")
