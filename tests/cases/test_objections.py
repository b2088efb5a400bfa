"""Objections: on time or late, due dates, deferral once, an upheld one moves the case back."""

from datetime import date

import pytest
import sqlalchemy as sa

from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.models import Decision
from enforcement.cases.objections import (
    defer_objection,
    record_hearing,
    record_objection_decision,
    register_objection,
)
from enforcement.casework.operations import propose
from enforcement.core.errors import DomainError, PermissionDenied
from tests.cases.conftest import OBJECTOR, T0, approve_now, complete, take, weeks


@pytest.fixture
def named(session, case, staff):
    """The case after public naming, made known on Monday 25 May 2026 (Whit Monday) 10:00 UTC."""
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    for trigger, at, params in [
        (Trigger.INTEND_NAMING, weeks(9), {}),
        (Trigger.NAME_PUBLICLY, weeks(12), {"reaction": "none"}),
    ]:
        proposal = propose(
            session, case, trigger, actor=staff["officer"], reason="Slow", params=params, now=at
        )
        approve_now(session, proposal, staff, at)
    session.commit()
    return session.scalar(sa.select(Decision))


def test_an_objection_is_on_time_within_six_weeks(session, named, staff):
    # Made known Monday 25 May 2026: six weeks end Monday 6 July 2026 (a working day).
    objection = register_objection(
        session,
        named,
        received_on=date(2026, 7, 6),
        objector="Hoster B.V.",
        grounds="Too short.",
        actor=staff["legal"],
        now=weeks(20),
    )
    assert objection.on_time
    # Decision due six weeks after the objection term: Monday 17 August 2026 (Awb 7:10).
    assert objection.decision_due_on == date(2026, 8, 17)
    late = register_objection(
        session,
        named,
        received_on=date(2026, 7, 7),
        objector="Hoster B.V.",
        grounds="Too short.",
        actor=staff["legal"],
        now=weeks(20),
    )
    assert not late.on_time


def test_an_objection_does_not_suspend_the_decision(session, case, named, staff):
    register_objection(
        session,
        named,
        received_on=date(2026, 6, 1),
        objector="Hoster B.V.",
        grounds="Too short.",
        actor=staff["legal"],
        now=weeks(14),
    )
    assert case.stage == Stage.NAMED and not named.revoked
    assert case.events[-1].data["suspends_decision"] is False


def test_deferral_once_with_reason(session, named, staff):
    objection = register_objection(
        session,
        named,
        received_on=date(2026, 6, 1),
        objector="Hoster B.V.",
        grounds="Too short.",
        actor=staff["legal"],
        now=weeks(14),
    )
    with pytest.raises(DomainError, match="reason"):
        defer_objection(session, objection, actor=staff["legal"], reason="")
    defer_objection(session, objection, actor=staff["legal"], reason="Complex file")
    assert objection.decision_due_on == date(2026, 9, 28)  # 12 weeks after 6 July, Monday
    with pytest.raises(DomainError, match="only once"):
        defer_objection(session, objection, actor=staff["legal"], reason="Again")


def test_an_upheld_objection_revokes_and_moves_the_case_back(session, case, named, staff):
    objection = register_objection(
        session,
        named,
        received_on=date(2026, 6, 1),
        objector="Hoster B.V.",
        grounds="Too short.",
        actor=staff["legal"],
        now=weeks(14),
    )
    with pytest.raises(PermissionDenied):
        record_objection_decision(
            session,
            objection,
            "upheld",
            no_hearing_ground="Manifestly unfounded (Awb 7:3(b)).",
            actor=staff["officer"],
            reason="x",
        )
    record_objection_decision(
        session,
        objection,
        "upheld",
        no_hearing_ground="Manifestly unfounded (Awb 7:3(b)).",
        actor=staff["legal"],
        reason="The naming lacked a reaction period",
        now=weeks(16),
    )
    session.commit()
    # The revocation waits for the decision on the objection to be issued.
    assert not named.revoked and case.stage == Stage.NAMED
    complete(session, case, staff, weeks(17))
    session.commit()
    assert named.revoked and case.stage == Stage.WARNING
    revoke = case.events[-1]
    assert (revoke.trigger, revoke.from_stage, revoke.to_stage) == ("revoke", "named", "warning")


def test_a_rejected_objection_leaves_the_decision(session, case, named, staff):
    objection = register_objection(
        session,
        named,
        received_on=date(2026, 6, 1),
        objector="Hoster B.V.",
        grounds="Too short.",
        actor=staff["legal"],
        now=weeks(14),
    )
    record_objection_decision(
        session,
        objection,
        "rejected",
        no_hearing_ground="Manifestly unfounded (Awb 7:3(b)).",
        actor=staff["legal"],
        reason="Unfounded",
        now=weeks(16),
    )
    assert not named.revoked and case.stage == Stage.NAMED


def test_an_objection_cannot_predate_the_decision(session, named, staff):
    with pytest.raises(DomainError, match="before the decision was made known"):
        register_objection(
            session,
            named,
            received_on=date(2026, 5, 24),
            objector="Hoster B.V.",
            grounds="Too short.",
            actor=staff["legal"],
            now=weeks(14),
        )


def test_the_decision_term_moves_only_by_the_deferral(session, case, named, staff):
    from enforcement.cases.terms import extend_deadline

    register_objection(
        session,
        named,
        received_on=date(2026, 6, 1),
        objector="Hoster B.V.",
        grounds="Too short.",
        actor=staff["legal"],
        now=weeks(14),
    )
    term = next(d for d in case.deadlines if d.kind == "objection_decision")
    with pytest.raises(DomainError, match="fixed by law"):
        extend_deadline(session, term, weeks(30), actor=staff["legal"], reason="Busy")


def test_an_objection_names_its_objector_and_grounds(session, named, staff):
    with pytest.raises(DomainError, match="who objects and the grounds"):
        register_objection(session, named, received_on=date(2026, 6, 1), objector=" ",
                           grounds="Too short.", actor=staff["legal"], now=weeks(14))  # fmt: skip
    objection = register_objection(session, named, received_on=date(2026, 6, 1), **OBJECTOR,
                                   actor=staff["legal"], now=weeks(14))  # fmt: skip
    assert (objection.objector, objection.grounds) == (OBJECTOR["objector"], OBJECTOR["grounds"])


def test_the_objector_is_heard_before_the_decision_unless_a_ground_says_why_not(
    session, named, staff
):
    objection = register_objection(session, named, received_on=date(2026, 6, 1), **OBJECTOR,
                                   actor=staff["legal"], now=weeks(14))  # fmt: skip
    with pytest.raises(DomainError, match="Hear the objector first"):
        record_objection_decision(session, objection, "rejected", actor=staff["legal"],
                         reason="The figures stand.", now=weeks(16))  # fmt: skip
    with pytest.raises(DomainError, match="not in the future"):
        record_hearing(session, objection, held_on=date(2026, 12, 31), report="Heard.",
                       actor=staff["legal"], now=weeks(15))  # fmt: skip
    record_hearing(session, objection, held_on=date(2026, 6, 10), report="The objector spoke.",
                   actor=staff["legal"], now=weeks(15))  # fmt: skip
    record_objection_decision(session, objection, "rejected", actor=staff["legal"],
                     reason="The figures stand.", now=weeks(16))  # fmt: skip
    assert objection.outcome == "rejected" and objection.hearing_on == date(2026, 6, 10)
