"""Four eyes hold: only a supervisor withdraws a step a supervisor approved (issue 15,
finding 7)."""

import pytest

from enforcement.cases.models import PendingStep
from enforcement.casework import operations
from enforcement.core.errors import PermissionDenied
from tests.cases.conftest import weeks
from tests.letters.test_steps import approved_naming_intent, case  # noqa: F401  (fixture)


@pytest.mark.parametrize("role", ["officer", "legal"])
def test_others_cannot_withdraw_an_approved_step(session, case, staff, role):  # noqa: F811
    letter = approved_naming_intent(session, case, staff)
    pending = session.get(PendingStep, letter.pending_step_id)
    with pytest.raises(PermissionDenied, match="Only a supervisor"):
        operations.withdraw_step(session, pending, actor=staff[role], reason="Undo", now=weeks(9))
    session.rollback()
    assert session.get(PendingStep, letter.pending_step_id).status == "open"


def test_a_supervisor_withdraws_an_approved_step(session, case, staff):  # noqa: F811
    letter = approved_naming_intent(session, case, staff)
    pending = session.get(PendingStep, letter.pending_step_id)
    operations.withdraw_step(session, pending, actor=staff["supervisor"], reason="Wrong",
                             now=weeks(9))  # fmt: skip
    assert pending.status == "withdrawn"


def test_the_case_page_offers_an_officer_no_withdrawal_of_it(
    session,
    case,  # noqa: F811
    staff,
    client,
    signed_in,
):
    letter = approved_naming_intent(session, case, staff)
    signed_in("officer")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"/cases/pending-steps/{letter.pending_step_id}/withdraw" not in page
