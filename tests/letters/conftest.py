from datetime import UTC, date, datetime, timedelta

import pytest

from enforcement.cases.queries import hoster_figures
from enforcement.cases.services import open_case
from enforcement.letters.drafts import draft_warning
from tests.hosters.conftest import create_hoster  # noqa: F401  (fixture)
from tests.metrics.conftest import add_notices  # noqa: F401  (fixture)
from tests.orders.factories import add_violations

# Monday 2 March 2026, 10:00 in Amsterdam: the case opens and the warning is drafted.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FIRST_DAY, LAST_DAY = date(2026, 1, 19), date(2026, 3, 1)
IMPROVEMENT_ENDS = date(2026, 4, 27)


@pytest.fixture
def staff(create_user):
    return {role: create_user(role) for role in ("officer", "legal", "supervisor", "admin")}


@pytest.fixture
def case(session, create_hoster, add_notices, staff):  # noqa: F811  (imported fixtures)
    """An open case for a hoster with 24 notices in the window, every other one 30 hours late."""
    hoster = create_hoster(3, legal_name="Traaghost Hosting B.V.", language="nl")
    moments = []
    for number in range(24):
        sent = datetime(2026, 2, 2, 8, 0, tzinfo=UTC) + timedelta(hours=20 * number)
        late = number % 2 == 1
        offline = None if number == 23 else sent + timedelta(hours=30 if late else 2)
        moments.append((sent, offline, None))
    add_notices(hoster, moments)
    figures = hoster_figures(session, hoster.id, FIRST_DAY, LAST_DAY, T0).frozen()
    opened = open_case(session, hoster, actor=staff["officer"], reason="Slow",
                       opening_figures=figures, breaches=True, now=T0)  # fmt: skip
    session.commit()
    # The violations of a removal order that the sanction steps rest on (art. 6(3)).
    add_violations(session, hoster, due_at=T0 - timedelta(days=1))
    return opened


@pytest.fixture
def draft(session, case, staff):
    """Factory: a committed warning draft for the case, by the officer."""

    def factory(on_case=None):
        letter = draft_warning(
            session, on_case or case, actor=staff["officer"], first_day=FIRST_DAY,
            last_day=LAST_DAY, as_of=T0, improvement_ends=IMPROVEMENT_ENDS, letter_date=T0, now=T0,
        )  # fmt: skip
        session.commit()
        return letter

    return factory
