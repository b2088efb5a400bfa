"""A penalty order made known at weeks(12), a grace period of 14 days (to Monday 8 June 2026),
EUR 500 per violation and a maximum of EUR 1,200; violations before and after the grace end."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.models import Decision
from enforcement.casework.operations import propose
from enforcement.sanctions.queries import penalty_ledger
from enforcement.sanctions.services import confirm_forfeitures
from tests.cases.conftest import T0, approve_now, case, slow_hoster, staff, take, weeks  # noqa: F401
from tests.hosters.conftest import create_hoster  # noqa: F401  (fixture)
from tests.metrics.conftest import add_notices  # noqa: F401  (fixture)
from tests.orders.factories import add_violations

PENALTY = {"remedy": "Act on every removal order within its term.", "grace_period_days": 14,
           "amount_per_violation": "500", "maximum": "1200"}  # fmt: skip
# The grace period ends at the end of Monday 8 June 2026, Amsterdam time.
AFTER_GRACE = weeks(15)  # Monday 15 June 2026, 10:00 UTC
NOW = weeks(20)
MADE_KNOWN = weeks(12)  # Monday 25 May 2026


def impose(session, case, staff, params=PENALTY, at=MADE_KNOWN):  # noqa: F811
    """Take the case to a penalty order made known at ``at``; return its decision."""
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    for trigger, moment, step_params in [
        (Trigger.INTEND_PENALTY, at - timedelta(weeks=3), {"view_weeks": 2}),
        (Trigger.IMPOSE_PENALTY, at, params),
    ]:
        proposal = propose(session, case, trigger, actor=staff["officer"], params=step_params,
                           reason="Orders left unanswered", now=moment)  # fmt: skip
        approve_now(session, proposal, staff, moment)
    session.commit()
    assert case.stage == Stage.PENALTY_ORDER
    return session.scalar(sa.select(Decision).where(Decision.case_id == case.id,
                                                    Decision.kind == "penalty_order"))  # fmt: skip


@pytest.fixture
def order(session, case, staff):  # noqa: F811
    """The penalty order, and two more removal orders violated: one on the grace end's day,
    one (on the same three notices) a week after it."""
    decision = impose(session, case, staff)
    add_violations(session, case.hoster, due_at=weeks(14), reference="EXT-BEVEL-2")
    add_violations(session, case.hoster, due_at=AFTER_GRACE, reference="EXT-BEVEL-3")
    return decision


@pytest.fixture
def confirmed(session, order, staff):  # noqa: F811
    """The order's three forfeitures (500, 500, 200), confirmed by a supervisor at NOW."""
    ids = penalty_ledger(session, order, now=NOW).unconfirmed()
    forfeitures = confirm_forfeitures(session, order, ids, actor=staff["supervisor"], now=NOW)
    session.commit()
    return forfeitures
