"""One correction of an issued letter at a time (issue 15, finding 9)."""

import pytest

from enforcement.cases.ladder import Trigger
from enforcement.casework import operations
from enforcement.core.errors import Conflict
from enforcement.letters.drafts import draft_correction
from tests.cases.conftest import T0, slow_hoster  # noqa: F401  (fixture)
from tests.letters.test_steps import case  # noqa: F401  (fixture)


def test_a_second_open_correction_is_refused_until_the_first_is_issued(session, case, staff):  # noqa: F811
    letter = operations.take_step(session, case, Trigger.SEND_WARNING, actor=staff["officer"],
                                  now=T0)  # fmt: skip
    operations.issue(session, letter, actor=staff["legal"], now=T0)
    first = draft_correction(session, letter, actor=staff["legal"], now=T0)
    session.commit()
    with pytest.raises(Conflict, match="already being drafted"):
        draft_correction(session, letter, actor=staff["legal"], now=T0)
    session.rollback()
    operations.issue(session, first, actor=staff["legal"], now=T0)
    assert draft_correction(session, letter, actor=staff["legal"], now=T0).id != first.id
