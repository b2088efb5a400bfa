from datetime import UTC, datetime, timedelta

import pytest

from enforcement.cases.services import open_case, pending_step
from enforcement.casework.steps import act, approve_proposal, complete_step
from tests.hosters.conftest import create_hoster  # noqa: F401  (fixture)
from tests.metrics.conftest import add_notices  # noqa: F401  (fixture)
from tests.orders.factories import add_violations

# Monday 2 March 2026, 10:00 UTC: the moment the test cases open.
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


# Who objects and why (Awb 6:5), and why an objection is decided without a hearing (Awb 7:3).
OBJECTOR = {"objector": "Slowhost B.V.", "grounds": "The term was too short to respond."}
NO_HEARING = "Manifestly unfounded (Awb 7:3(b))."


def weeks(n: float) -> datetime:
    return T0 + timedelta(weeks=n)


@pytest.fixture
def staff(create_user):
    """One user per role, plus a second officer and a second supervisor."""
    return {
        "officer": create_user("officer"),
        "officer2": create_user("officer"),
        "legal": create_user("legal"),
        "supervisor": create_user("supervisor"),
        "supervisor2": create_user("supervisor"),
        "admin": create_user("admin"),
    }


@pytest.fixture
def slow_hoster(session, create_hoster, add_notices):  # noqa: F811  (imported fixtures)
    """A hoster that takes 30 h on half its notices, from six weeks before T0 to 40 weeks after,
    and left three items of a removal order online past its term the day before T0: the
    violations (art. 6(3)) the sanction steps rest on."""
    hoster = create_hoster(1, trade_name="Slowhost")
    moments = []
    for half_day in range(-6 * 14, 40 * 14):
        sent = T0 + timedelta(hours=12 * half_day)
        moments.append((sent, sent + timedelta(hours=30 if half_day % 2 else 2), None))
    add_notices(hoster, moments)
    add_violations(session, hoster, due_at=T0 - timedelta(days=1))
    return hoster


@pytest.fixture
def case(session, slow_hoster, staff):
    """An open case for the slow hoster, opened by the officer at T0."""
    opened = open_case(
        session,
        slow_hoster,
        actor=staff["officer"],
        reason="Breaches policy",
        opening_figures={"window": "test"},
        breaches=True,
        now=T0,
    )
    session.commit()
    return opened


def complete(session, case, staff, at: datetime):
    """Complete the step that waits for its letter, as issuing that letter does.

    The ladder's own tests stop at the case layer; tests/letters/test_steps.py issues the real
    letters and checks that issuing is what completes the step.
    """
    pending = pending_step(session, case)
    assert pending is not None, "no step waits for its letter"
    return complete_step(session, pending, actor=staff["legal"], now=at, record={})


def take(session, case, trigger, staff, at: datetime, *, actor=None, **kwargs):
    """Take a step without approval and, when it waits for its letter, complete it at ``at``."""
    act(session, case, trigger, actor=actor or staff["officer"], now=at, **kwargs)
    if pending_step(session, case) is not None:
        complete(session, case, staff, at)
    return case


def approve_now(session, proposal, staff, at: datetime, *, actor=None, **kwargs):
    """Approve a proposal and complete its step at ``at`` (its letter issued at once)."""
    approve_proposal(session, proposal, actor=actor or staff["supervisor"], now=at, **kwargs)
    complete(session, proposal.case, staff, at)
    return proposal.case
