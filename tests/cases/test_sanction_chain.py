"""The law's chain: a sanction rests on violated removal orders (art. 6(3)) and nothing else.

A penalty order or a fine needs established violations of removal orders by the hoster that
stand (not withdrawn), committed on or after 1 July 2024 (Awb 5:4); a fine, also not more than
five years ago (Awb 5:45). The fine report is dated when drawn up, and the hoster's view on a
fine intent must be heard before the 13 weeks of Awb 5:51 end.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.services import open_case
from enforcement.casework.operations import propose
from enforcement.casework.steps import StepRefused
from enforcement.core.time import to_local
from enforcement.orders.models import Violation
from tests.cases.conftest import T0, approve_now, take, weeks
from tests.orders.factories import add_violations

NO_VIOLATION = "No established violation of a removal order"
SANCTION_STEPS = [Trigger.INTEND_PENALTY, Trigger.DRAW_FINE_REPORT]


@pytest.fixture
def bare_case(session, create_hoster, add_notices, staff):
    """An open case, warned at T0, for a hoster with notices but no removal order."""
    hoster = create_hoster(7, trade_name="Orderless")
    sent = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    add_notices(hoster, [(sent + timedelta(days=n), None, None) for n in range(6)])
    case = open_case(session, hoster, actor=staff["officer"], reason="Slow", opening_figures={},
                     breaches=True, now=T0)  # fmt: skip
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    session.commit()
    return case


def proposal_for(session, case, trigger, staff, at):
    params = {"view_weeks": 2} if trigger == Trigger.INTEND_PENALTY else {}
    return propose(session, case, trigger, actor=staff["officer"], params=params,
                   reason="Persistent", now=at)  # fmt: skip


@pytest.mark.parametrize("trigger", SANCTION_STEPS)
def test_no_sanction_without_a_violated_removal_order(session, bare_case, staff, trigger):
    with pytest.raises(StepRefused, match=NO_VIOLATION):
        proposal_for(session, bare_case, trigger, staff, weeks(9))
    assert bare_case.stage == Stage.WARNING


@pytest.mark.parametrize("trigger", SANCTION_STEPS)
def test_withdrawn_violations_do_not_count(session, bare_case, staff, trigger):
    for violation in add_violations(session, bare_case.hoster, due_at=T0 - timedelta(days=3)):
        violation.withdrawn_at, violation.withdrawn_by_id = T0, staff["legal"].id
        violation.withdrawal_reason = "Monitor outage"
    session.commit()
    with pytest.raises(StepRefused, match=NO_VIOLATION):
        proposal_for(session, bare_case, trigger, staff, weeks(9))


@pytest.mark.parametrize("trigger", SANCTION_STEPS)
def test_nothing_before_the_law_took_effect_counts(session, bare_case, staff, trigger):
    # Due at 30 June 2024, 23:00 Amsterdam time: before 1 July 2024 (Awb 5:4).
    add_violations(session, bare_case.hoster, due_at=datetime(2024, 6, 30, 21, 0, tzinfo=UTC))
    with pytest.raises(StepRefused, match=NO_VIOLATION):
        proposal_for(session, bare_case, trigger, staff, weeks(9))


def test_a_fine_rests_only_on_violations_of_the_last_five_years(session, bare_case, staff):
    add_violations(session, bare_case.hoster, due_at=datetime(2024, 7, 2, 10, 0, tzinfo=UTC))
    later = datetime(2029, 8, 1, 10, 0, tzinfo=UTC)  # five years after them, and a month
    with pytest.raises(StepRefused, match="in the last five years"):
        proposal_for(session, bare_case, Trigger.DRAW_FINE_REPORT, staff, later)
    # A penalty order prevents repetition; Awb 5:45 limits fines only.
    assert proposal_for(session, bare_case, Trigger.INTEND_PENALTY, staff, later).id


def test_the_step_records_the_violations_it_rests_on(session, case, staff):
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    approve_now(session, proposal_for(session, case, Trigger.INTEND_PENALTY, staff, weeks(9)),
                staff, weeks(9))  # fmt: skip
    event = next(e for e in case.events if e.to_stage == Stage.PENALTY_INTENT.value)
    recorded = event.data["facts"]["violations"]
    stored = session.scalars(sa.select(Violation.id).where(Violation.hoster_id == case.hoster_id))
    assert recorded["count"] == 3 and recorded["ids"] == sorted(stored)
    assert recorded["first_due_at"] == (T0 - timedelta(days=1)).isoformat()


def test_the_fine_report_is_dated_when_drawn_up(session, case, staff):
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    proposal = proposal_for(session, case, Trigger.DRAW_FINE_REPORT, staff, weeks(9))
    approve_now(session, proposal, staff, weeks(10))  # its letter issued a week later
    clock = next(d for d in case.deadlines if d.kind == "fine_decision")
    # Drawn up (issued) on Monday 11 May 2026: 13 weeks to Monday 10 August (Awb 5:51).
    assert to_local(clock.starts_at).date() == date(2026, 5, 11)
    assert clock.due_at.isoformat() == "2026-08-10T21:59:59.999999+00:00"


def test_a_view_term_ending_after_the_13_weeks_is_refused(session, case, staff):
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    approve_now(session, proposal_for(session, case, Trigger.DRAW_FINE_REPORT, staff, weeks(9)),
                staff, weeks(9))  # fmt: skip
    params = {"view_weeks": 2, "amount": "1000"}
    # Twelve weeks after the report, two more weeks of view would end past 3 August.
    with pytest.raises(StepRefused, match="after the fine must be decided on"):
        propose(session, case, Trigger.INTEND_FINE, actor=staff["officer"], params=params,
                reason="Fine", now=weeks(21))  # fmt: skip
    assert propose(session, case, Trigger.INTEND_FINE, actor=staff["officer"], params=params,
                   reason="Fine", now=weeks(10)).id  # fmt: skip


def test_no_second_fine_for_violations_fined_before(session, case, slow_hoster, staff):
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    for trigger, at, params in [
        (Trigger.DRAW_FINE_REPORT, weeks(9), {}),
        (Trigger.INTEND_FINE, weeks(9), {"view_weeks": 2, "amount": "1000"}),
        (Trigger.IMPOSE_FINE, weeks(12), {"amount": "1000", "amount_reasons": "Three orders"}),
    ]:
        proposal = propose(session, case, trigger, actor=staff["officer"], params=params,
                           reason="Fine", now=at)  # fmt: skip
        approve_now(session, proposal, staff, at)
    case.stage = Stage.CLOSED  # closed; the hoster gets a new case later
    session.commit()
    later = open_case(session, slow_hoster, actor=staff["officer"], reason="Relapse",
                      opening_figures={}, breaches=True, now=weeks(20))  # fmt: skip
    take(session, later, Trigger.SEND_WARNING, staff, weeks(20))
    session.commit()
    with pytest.raises(StepRefused, match="not fined before"):
        proposal_for(session, later, Trigger.DRAW_FINE_REPORT, staff, weeks(21))
    fresh = add_violations(session, slow_hoster, due_at=weeks(20), reference="EXT-BEVEL-2")
    proposal = proposal_for(session, later, Trigger.DRAW_FINE_REPORT, staff, weeks(21))
    approve_now(session, proposal, staff, weeks(21))
    event = next(e for e in later.events if e.to_stage == Stage.FINE_REPORT.value)
    assert event.data["facts"]["violations"]["ids"] == [v.id for v in fresh]
