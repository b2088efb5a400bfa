"""Two users acting on one case at once, over two real database connections."""

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.models import Case, CaseEvent, PendingStep, Proposal
from enforcement.casework.operations import propose
from enforcement.casework.steps import StepRefused, act, approve_proposal
from enforcement.core.errors import Conflict
from enforcement.extensions import db
from tests.cases.conftest import T0, take, weeks
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL's real connections")


def load(connection_session: Session, case_id: int, user_id: int) -> tuple[Case, User]:
    return connection_session.get(Case, case_id), connection_session.get(User, user_id)


def test_two_officers_act_at_once_and_only_one_succeeds(app, case, staff):
    with Session(db.engine) as first, Session(db.engine) as second:
        case_a, officer_a = load(first, case.id, staff["officer"].id)
        case_b, officer_b = load(second, case.id, staff["officer2"].id)
        act(first, case_a, Trigger.SEND_WARNING, actor=officer_a, now=T0)
        first.commit()
        # The second sees the warning waiting for its letter (and, had it not, the case's
        # version and the one-open-step index would refuse it at commit).
        with pytest.raises(StepRefused, match="waits for its letter"):
            act(
                second,
                case_b,
                Trigger.CLOSE,
                actor=officer_b,
                now=T0,
                params={"close_reason": "withdrawn"},
                reason="Mistake",
            )
        second.rollback()
    with Session(db.engine) as check:
        waiting = check.scalars(
            sa.select(PendingStep.trigger).where(PendingStep.case_id == case.id)
        )
        assert list(waiting) == [Trigger.SEND_WARNING]
        assert check.get(Case, case.id).stage == Stage.NOTICE
        actors = check.scalars(sa.select(CaseEvent.actor_id).where(CaseEvent.case_id == case.id))
        assert staff["officer2"].id not in set(actors)


def test_two_supervisors_approve_the_same_proposal_once(app, session, case, staff):
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    proposal = propose(
        session, case, Trigger.INTEND_NAMING, actor=staff["officer"], reason="Slow", now=weeks(9)
    )
    session.commit()
    with Session(db.engine) as first, Session(db.engine) as second:
        proposal_a = first.get(Proposal, proposal.id)
        proposal_b = second.get(Proposal, proposal.id)
        proposal_b.case  # noqa: B018  (load the case row before the other commits)
        approve_proposal(
            first, proposal_a, actor=first.get(User, staff["supervisor"].id), now=weeks(9)
        )
        first.commit()
        with pytest.raises(Conflict):
            approve_proposal(
                second, proposal_b, actor=second.get(User, staff["supervisor2"].id), now=weeks(9)
            )
        second.rollback()
    with Session(db.engine) as check:
        stored = check.get(Proposal, proposal.id)
        assert (stored.status, stored.decided_by_id) == ("approved", staff["supervisor"].id)
        # One approval, one step waiting for its letter.
        prepared = check.scalar(
            sa.select(sa.func.count()).where(
                CaseEvent.case_id == case.id, CaseEvent.kind == "step_prepared"
            )
        )
        waiting = check.scalars(sa.select(PendingStep).where(PendingStep.case_id == case.id))
        assert prepared == 2 and [p.proposal_id for p in waiting] == [None, proposal.id]
