"""Fixtures for the public pages: a fined case, a penalty order, the facts of art. 9."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.models import Decision
from enforcement.casework.operations import propose
from enforcement.public.pagecache import forget
from enforcement.public.report import clear_cache
from tests.cases.conftest import (  # noqa: F401  (fixtures)
    T0,
    approve_now,
    case,
    slow_hoster,
    staff,
    take,
    weeks,
)
from tests.hosters.conftest import create_hoster  # noqa: F401  (fixture)
from tests.metrics.conftest import add_notices  # noqa: F401  (fixture)

FINE = {"amount": "1000", "amount_reasons": "Three orders left unanswered"}
PENALTY = {"remedy": "Act on every removal order within its term.", "grace_period_days": 14,
           "amount_per_violation": "500", "maximum": "50000"}  # fmt: skip
# The fine is imposed (its letter issued) on Monday 25 May 2026, 10:00 UTC (12:00 in Amsterdam):
# the two weeks run 26 May to 8 June; art. 9 allows publication from Tuesday 9 June 2026, 00:00
# Amsterdam time (8 June, 22:00 UTC).
FINED_AT = weeks(12)
EARLIEST = datetime(2026, 6, 8, 22, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_figures():
    """Each test has a database of its own: forget figures and charts of earlier tests."""
    clear_cache()
    forget()
    yield
    clear_cache()
    forget()


def impose(session, case, staff, steps) -> Decision:  # noqa: F811  (fixture names)
    """Take the sanction steps (each approved and its letter issued at once); return the
    decision the last one made."""
    for trigger, at, params in steps:
        proposal = propose(session, case, trigger, actor=staff["officer"], params=params,
                           reason="Orders left unanswered", now=at)  # fmt: skip
        approve_now(session, proposal, staff, at)
    session.commit()
    return case_decisions(case)[-1]


def case_decisions(case) -> list[Decision]:  # noqa: F811
    from enforcement.extensions import db

    query = sa.select(Decision).where(Decision.case_id == case.id).order_by(Decision.id)
    return list(db.session.scalars(query))


@pytest.fixture
def fine(session, case, staff) -> Decision:  # noqa: F811  (imported fixtures)
    """A fine decision on the slow hoster, made known at FINED_AT."""
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    decision = impose(session, case, staff, [
        (Trigger.DRAW_FINE_REPORT, weeks(9), {}),
        (Trigger.INTEND_FINE, weeks(9), {"view_weeks": 2, "amount": "1000"}),
        (Trigger.IMPOSE_FINE, FINED_AT, FINE),
    ])  # fmt: skip
    assert case.stage == Stage.FINED and decision.kind == "fine_decision"
    return decision


@pytest.fixture
def penalty(session, case, staff) -> Decision:  # noqa: F811
    """A penalty-payment order on the slow hoster, made known at weeks(12)."""
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    decision = impose(session, case, staff, [
        (Trigger.INTEND_PENALTY, weeks(9), {"view_weeks": 2}),
        (Trigger.IMPOSE_PENALTY, weeks(12), PENALTY),
    ])  # fmt: skip
    assert decision.kind == "penalty_order"
    return decision


@pytest.fixture
def named(session, case, staff) -> Decision:  # noqa: F811
    """A naming decision on the slow hoster: warned at T0, naming announced at weeks(9) over
    the figures since the warning, named at weeks(12)."""
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    decision = impose(session, case, staff, [
        (Trigger.INTEND_NAMING, weeks(9), {}),
        (Trigger.NAME_PUBLICLY, weeks(12), {}),
    ])  # fmt: skip
    assert case.stage == Stage.NAMED and decision.kind == "naming_decision"
    return decision


@pytest.fixture
def demo(session):
    """The demo data as `flask seed-demo` adds it: Harbour VPS named, a fine on Jade Racks."""
    from enforcement.core.time import utcnow
    from enforcement.demo import seed_demo, seed_demo_cases, seed_demo_notices, seed_demo_orders
    from enforcement.public.demo import seed_demo_publication

    now = utcnow()
    seed_demo(session)
    seed_demo_notices(session, now)
    seed_demo_cases(session, now)
    seed_demo_orders(session, now)
    assert seed_demo_publication(session, now) == (2, 1)
    session.commit()
