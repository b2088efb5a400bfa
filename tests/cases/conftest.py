from datetime import UTC, datetime, timedelta

import pytest

from enforcement.cases.services import open_case
from tests.hosters.conftest import create_hoster  # noqa: F401  (fixture)
from tests.metrics.conftest import add_notices  # noqa: F401  (fixture)

# Monday 2 March 2026, 10:00 UTC: the moment the test cases open.
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


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
def slow_hoster(create_hoster, add_notices):  # noqa: F811  (imported fixtures)
    """A hoster that takes 30 h on half its notices, from six weeks before T0 to 40 weeks after."""
    hoster = create_hoster(1, trade_name="Slowhost")
    moments = []
    for half_day in range(-6 * 14, 40 * 14):
        sent = T0 + timedelta(hours=12 * half_day)
        moments.append((sent, sent + timedelta(hours=30 if half_day % 2 else 2), None))
    add_notices(hoster, moments)
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
