"""Closing a case with a penalty-payment order in force: lift it by decision (Awb 5:34), or say
why it stays; the closure letter states every sanction."""

import pytest
import sqlalchemy as sa

from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.models import Decision
from enforcement.casework.operations import propose
from enforcement.casework.steps import StepRefused, act
from enforcement.letters.kinds import get_kind
from enforcement.letters.render import render_html
from tests.cases.conftest import T0, approve_now, take, weeks

PENALTY = {"remedy": "Act on every removal order within its term.", "grace_period_days": 14,
           "amount_per_violation": "500", "maximum": "50000"}  # fmt: skip


@pytest.fixture
def ordered(session, case, staff):
    """A case with a penalty-payment order made known at weeks(12)."""
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    for trigger, at, params in [
        (Trigger.INTEND_PENALTY, weeks(9), {"view_weeks": 2}),
        (Trigger.IMPOSE_PENALTY, weeks(12), PENALTY),
    ]:
        proposal = propose(session, case, trigger, actor=staff["officer"], params=params,
                           reason="Orders left unanswered", now=at)  # fmt: skip
        approve_now(session, proposal, staff, at)
    session.commit()
    assert case.stage == Stage.PENALTY_ORDER
    return case


def close(session, case, staff, at, **params):
    return act(session, case, Trigger.CLOSE, actor=staff["officer"], now=at,
               params={"close_reason": "withdrawn", **params})  # fmt: skip


def test_closing_needs_a_word_on_the_penalty_order_in_force(session, ordered, staff):
    with pytest.raises(StepRefused, match="is in force: lift it by decision"):
        close(session, ordered, staff, weeks(20))
    with pytest.raises(StepRefused, match="give the reason"):
        close(session, ordered, staff, weeks(20), penalty_order="lift")


def closure_text(session, case, language="nl"):
    context = get_kind("closure").context(session, case, letter_date=weeks(20), language=language)
    return context, " ".join(render_html("closure", language, context).split())


def test_lifting_it_is_a_decision_with_the_objection_clause(session, ordered, staff):
    reason = "The hoster now answers every order in time."
    params = {"close_reason": "withdrawn", "penalty_order": "lift", "penalty_order_reason": reason}
    take(session, ordered, Trigger.CLOSE, staff, weeks(20), params=params)
    order = session.scalar(sa.select(Decision).where(Decision.kind == "penalty_order"))
    assert order.lifted_at == weeks(20) and not order.revoked
    context, text = closure_text(session, ordered)
    assert context["closure"]["lifts"] is True
    assert "wij heffen deze last onder dwangsom op (artikel 5:34 Awb)" in text
    assert "The hoster now answers every order in time." in text
    assert "schorst de werking van dit besluit niet" in text  # the objection clause
    assert "geen besluit" not in text


def test_keeping_it_states_why_and_is_no_decision(session, ordered, staff):
    params = {"close_reason": "withdrawn", "penalty_order": "keep",
              "penalty_order_reason": "It keeps preventing repetition."}  # fmt: skip
    take(session, ordered, Trigger.CLOSE, staff, weeks(20), params=params)
    order = session.scalar(sa.select(Decision).where(Decision.kind == "penalty_order"))
    assert order.lifted_at is None
    context, text = closure_text(session, ordered, "en")
    assert "this penalty-payment order stays in force" in text
    assert "It keeps preventing repetition." in text
    assert context["remedy"] is None and "is not a decision" in text
