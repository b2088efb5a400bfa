"""The hoster's view on an intent is stored and answered, never a checkbox (Awb 4:8, 3:46)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from enforcement.cases.hearings import current_views, record_view
from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.models import CaseEvent, HosterView
from enforcement.casework.operations import propose
from enforcement.casework.steps import StepRefused
from enforcement.core.errors import DomainError, FieldErrors, PermissionDenied
from enforcement.core.time import format_local
from tests.cases.conftest import T0, approve_now, take, weeks
from tests.cases.pages import submit

PENALTY = {"remedy": "Act on every removal order within its term.", "grace_period_days": 14,
           "amount_per_violation": "500", "maximum": "50000"}  # fmt: skip


@pytest.fixture
def intended(session, case, staff):
    """A case at the penalty intent since weeks(9); its two-week view term ends at weeks(11)."""
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    proposal = propose(session, case, Trigger.INTEND_PENALTY, actor=staff["officer"],
                       params={"view_weeks": 2}, reason="Persistent", now=weeks(9))  # fmt: skip
    approve_now(session, proposal, staff, weeks(9))
    session.commit()
    assert case.stage == Stage.PENALTY_INTENT
    return case


def decide(session, case, staff, at, **params):
    return propose(session, case, Trigger.IMPOSE_PENALTY, actor=staff["officer"],
                   params={**PENALTY, **params}, reason="Order", now=at)  # fmt: skip


def test_no_decision_before_the_view_term_ends_without_a_view(session, intended, staff):
    with pytest.raises(StepRefused, match="term for the hoster's view runs until"):
        decide(session, intended, staff, weeks(9) + timedelta(hours=1))


def test_a_view_received_allows_deciding_early_but_must_be_answered(session, intended, staff):
    record_view(session, intended, received_at=weeks(10), text="We disagree with item 2.",
                oral=False, actor=staff["legal"], now=weeks(10))  # fmt: skip
    session.commit()
    with pytest.raises(StepRefused, match="Answer the hoster's view"):
        decide(session, intended, staff, weeks(10))
    proposal = decide(session, intended, staff, weeks(10), view_answer="Item 2 was online.")
    approve_now(session, proposal, staff, weeks(10))
    event = session.scalars(sa.select(CaseEvent).where(CaseEvent.to_stage == "penalty_order"))
    assert next(iter(event)).data["facts"]["view"]["oral"] is False


def test_recording_a_view_is_an_event_and_checks_its_moment(session, intended, staff):
    with pytest.raises(FieldErrors) as early:
        record_view(session, intended, received_at=weeks(9) - timedelta(days=1), text="x",
                    oral=False, actor=staff["legal"], now=weeks(10))  # fmt: skip
    assert "before the intent was made known" in early.value.errors["received_at"][0]
    with pytest.raises(FieldErrors):
        record_view(session, intended, received_at=weeks(11), text="x", oral=False,
                    actor=staff["legal"], now=weeks(10))  # fmt: skip
    with pytest.raises(FieldErrors):
        record_view(session, intended, received_at=weeks(10), text="  ", oral=True,
                    actor=staff["legal"], now=weeks(10))  # fmt: skip
    with pytest.raises(PermissionDenied):
        record_view(session, intended, received_at=weeks(10), text="x", oral=False,
                    actor=staff["officer"], now=weeks(10))  # fmt: skip
    session.rollback()
    view = record_view(session, intended, received_at=weeks(10), text="Report of the hearing.",
                       oral=True, actor=staff["legal"], now=weeks(10))  # fmt: skip
    session.commit()
    assert current_views(session, intended) == [view]
    kinds = session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == intended.id))
    assert "view_received" in list(kinds)


def test_no_view_can_be_recorded_outside_an_intent(session, case, staff):
    with pytest.raises(DomainError, match="no intent"):
        record_view(session, case, received_at=T0, text="x", oral=False, actor=staff["legal"],
                    now=T0)  # fmt: skip


def test_legal_staff_record_the_view_on_the_case_page(client, signed_in, session, intended):
    signed_in("legal")
    path = f"/cases/{intended.id}"
    moment = format_local(weeks(10), "%Y-%m-%dT%H:%M")
    response = submit(client, path, f"{path}/views", received_at=moment,
                      text="Our view, sent by e-mail.")  # fmt: skip
    assert response.status_code == 302
    assert session.scalar(sa.select(HosterView.text)) == "Our view, sent by e-mail."
    page = client.get(path).get_data(as_text=True)
    assert "Our view, sent by e-mail." in page
    assert "view on the intent (1)" in page
