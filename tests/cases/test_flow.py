"""Walking a case up the ladder: guards, four eyes, deadlines, decisions."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from enforcement.cases.hearings import record_view
from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.models import CaseEvent, Decision, Proposal
from enforcement.cases.services import open_case
from enforcement.casework.operations import propose
from enforcement.casework.steps import StepRefused, act, approve_proposal, refuse_proposal
from enforcement.core.errors import Conflict, DomainError, PermissionDenied
from tests.cases.conftest import T0, approve_now, complete, take, weeks


def warn(session, case, staff, at=T0):
    take(session, case, Trigger.SEND_WARNING, staff, at)
    session.commit()


def escalate(session, case, staff, trigger, at, **params):
    proposal = propose(
        session, case, trigger, actor=staff["officer"], params=params, reason="Still slow", now=at
    )
    approve_now(session, proposal, staff, at)
    session.commit()
    return proposal


REASONS = "Serious: material stayed online for days after three orders."


def deadline(case, kind):
    return next(d for d in case.deadlines if d.kind == kind and d.status == "running")


def test_warning_starts_an_eight_week_improvement_window(session, case, staff):
    warn(session, case, staff)
    assert case.stage == Stage.WARNING
    window = deadline(case, "improvement_window")
    # Eight weeks from Monday 2 March 2026 end at the end of Monday 27 April (Amsterdam).
    assert window.due_at.isoformat() == "2026-04-27T21:59:59.999999+00:00"
    event = case.events[-1]
    assert (event.from_stage, event.to_stage, event.data["letter"]) == (
        "notice",
        "warning",
        "warning",
    )


def test_naming_must_wait_for_the_improvement_window(session, case, staff):
    warn(session, case, staff)
    with pytest.raises(StepRefused) as refused:
        propose(
            session,
            case,
            Trigger.INTEND_NAMING,
            actor=staff["officer"],
            reason="Slow",
            now=weeks(4),
        )
    assert "The improvement window runs until Monday 27 April 2026." in refused.value.message


def test_hoster_no_longer_breaching_cannot_be_named(session, case, staff, slow_hoster):
    warn(session, case, staff)
    session.execute(
        sa.text("UPDATE notices SET offline_at = notice_sent_at WHERE hoster_id = :h"),
        {"h": slow_hoster.id},
    )
    with pytest.raises(StepRefused, match="no longer breaches the policy"):
        propose(
            session,
            case,
            Trigger.INTEND_NAMING,
            actor=staff["officer"],
            reason="Slow",
            now=weeks(9),
        )


def test_four_eyes_the_proposer_cannot_approve(session, case, staff):
    warn(session, case, staff)
    proposal = propose(
        session,
        case,
        Trigger.INTEND_NAMING,
        actor=staff["supervisor"],
        reason="Slow",
        now=weeks(9),
    )
    with pytest.raises(PermissionDenied, match="Four eyes"):
        approve_proposal(session, proposal, actor=staff["supervisor"], now=weeks(9))
    with pytest.raises(PermissionDenied, match="Only a supervisor"):
        approve_proposal(session, proposal, actor=staff["legal"], now=weeks(9))
    approve_proposal(session, proposal, actor=staff["supervisor2"], now=weeks(9))
    # Approved, the step waits for its letter; issuing that letter completes it.
    assert case.stage == Stage.WARNING
    complete(session, case, staff, weeks(9))
    assert case.stage == Stage.NAMING_INTENT


def test_wrong_role_cannot_propose_or_act(session, case, staff):
    with pytest.raises(PermissionDenied, match="Send the warning letter is for legal or officer"):
        act(session, case, Trigger.SEND_WARNING, actor=staff["supervisor"], now=T0)
    with pytest.raises(PermissionDenied):
        open_case(
            session,
            case.hoster,
            actor=staff["legal"],
            reason="x",
            opening_figures={},
            breaches=True,
        )


def test_a_second_open_case_for_the_hoster_is_refused(session, case, staff):
    with pytest.raises(Conflict, match="already has an open case"):
        open_case(
            session,
            case.hoster,
            actor=staff["officer"],
            reason="again",
            opening_figures={},
            breaches=True,
        )


def test_guards_are_checked_again_at_approval(session, case, staff, slow_hoster):
    warn(session, case, staff)
    proposal = propose(
        session, case, Trigger.INTEND_NAMING, actor=staff["officer"], reason="Slow", now=weeks(9)
    )
    session.commit()
    session.execute(
        sa.text("UPDATE notices SET offline_at = notice_sent_at WHERE hoster_id = :h"),
        {"h": slow_hoster.id},
    )
    with pytest.raises(StepRefused, match="no longer breaches"):
        approve_proposal(session, proposal, actor=staff["supervisor"], now=weeks(10))
    session.rollback()
    assert session.get(Proposal, proposal.id).status == "pending"


def test_refusing_a_proposal_keeps_the_stage(session, case, staff):
    warn(session, case, staff)
    proposal = propose(
        session, case, Trigger.INTEND_NAMING, actor=staff["officer"], reason="Slow", now=weeks(9)
    )
    with pytest.raises(DomainError, match="Say why"):
        refuse_proposal(session, proposal, actor=staff["supervisor"], note=" ")
    refuse_proposal(session, proposal, actor=staff["supervisor"], note="Wait one more month")
    session.commit()
    assert case.stage == Stage.WARNING and proposal.status == "refused"


def test_naming_needs_the_reaction_period_and_answers_the_view_given(session, case, staff):
    warn(session, case, staff)
    escalate(session, case, staff, Trigger.INTEND_NAMING, weeks(9), reaction_weeks=2)
    with pytest.raises(StepRefused, match="reaction period runs until"):
        propose(
            session,
            case,
            Trigger.NAME_PUBLICLY,
            actor=staff["officer"],
            reason="r",
            params={"reaction": "none received"},
            now=weeks(10),
        )
    record_view(session, case, received_at=weeks(10), text="We hire more staff.", oral=False,
                actor=staff["legal"], now=weeks(10))  # fmt: skip
    with pytest.raises(StepRefused, match="Answer the hoster's view"):
        propose(
            session, case, Trigger.NAME_PUBLICLY, actor=staff["officer"], reason="r", now=weeks(12)
        )
    escalate(session, case, staff, Trigger.NAME_PUBLICLY, weeks(12),
             view_answer="More staff has not changed the figures.")  # fmt: skip
    assert case.stage == Stage.NAMED
    decision = session.scalar(sa.select(Decision))
    assert (decision.kind, decision.return_stage) == ("naming_decision", Stage.WARNING)
    assert deadline(case, "objection_term").legal_source == "Awb 6:7"


def walk_to_fine_intent(session, case, staff):
    """Warn at T0; draw up the fine report on Monday 4 May 2026 (weeks(9)); announce a fine."""
    warn(session, case, staff)
    escalate(session, case, staff, Trigger.DRAW_FINE_REPORT, weeks(9))
    with pytest.raises(StepRefused, match="Give the amount of the fine"):
        propose(session, case, Trigger.INTEND_FINE, actor=staff["officer"], reason="r",
                params={"view_weeks": 2}, now=weeks(9))  # fmt: skip
    escalate(session, case, staff, Trigger.INTEND_FINE, weeks(9), view_weeks=2, amount="1000")


def test_fine_report_cites_violations_and_starts_the_13_week_clock(session, case, staff):
    walk_to_fine_intent(session, case, staff)
    report_event = next(e for e in case.events if e.to_stage == "fine_report")
    assert report_event.data["facts"]["violations"]["count"] > 0
    clock = deadline(case, "fine_decision")
    # 13 weeks after Monday 4 May 2026 is Monday 3 August; Awb 5:51, never moved.
    assert clock.due_at.isoformat() == "2026-08-03T21:59:59.999999+00:00"


@pytest.mark.parametrize(
    ("amount", "systematic", "turnover", "problem"),
    [
        ("4150", False, None, None),
        ("4150.01", False, None, "exceeds the maximum of EUR 4,150.00"),
        ("830000", True, None, None),
        ("830000.01", True, None, "exceeds the maximum of EUR 830,000.00"),
        ("1500000", True, "20000000", None),  # 10% of turnover beats the 6th category
    ],
)
def test_fine_amount_within_the_maximum(
    session, case, staff, amount, systematic, turnover, problem
):
    if systematic:
        case.systematic, case.systematic_reason = True, "Persistent: 3 years of breaches"
    if turnover:
        case.turnover_eur, case.turnover_source = turnover, "Annual report 2025"
    walk_to_fine_intent(session, case, staff)
    proposal_args = {
        "actor": staff["officer"],
        "reason": "Fine",
        "now": weeks(12),
        "params": {
            "amount": amount,
            "amount_reasons": REASONS,
            "turnover_finding": "A fine of at most 830,000 would not deter.",
        },
    }
    if problem:
        with pytest.raises(StepRefused, match=problem):
            propose(session, case, Trigger.IMPOSE_FINE, **proposal_args)
    else:
        approve_now(
            session, propose(session, case, Trigger.IMPOSE_FINE, **proposal_args), staff, weeks(12)
        )
        assert case.stage == Stage.FINED


def test_no_fine_after_13_weeks(session, case, staff):
    walk_to_fine_intent(session, case, staff)
    proposal = propose(
        session,
        case,
        Trigger.IMPOSE_FINE,
        actor=staff["officer"],
        reason="Fine",
        params={"amount": "1000", "amount_reasons": REASONS},
        now=weeks(20),
    )
    late = T0.replace(month=8, day=4)  # the day after the clock ran out
    with pytest.raises(StepRefused, match="can no longer be imposed"):
        approve_proposal(session, proposal, actor=staff["supervisor"], now=late)


def test_close_as_complied_needs_a_full_compliant_window(session, case, staff, slow_hoster):
    warn(session, case, staff)
    args = {"actor": staff["officer"], "params": {"close_reason": "complied"}}
    with pytest.raises(StepRefused, match="full six-week window"):
        act(session, case, Trigger.CLOSE, now=weeks(3), **args)
    with pytest.raises(StepRefused, match="still breaches"):
        act(session, case, Trigger.CLOSE, now=weeks(7), **args)
    session.execute(
        sa.text("UPDATE notices SET offline_at = notice_sent_at WHERE hoster_id = :h"),
        {"h": slow_hoster.id},
    )
    take(session, case, Trigger.CLOSE, staff, weeks(7), **args)
    assert case.stage == Stage.CLOSED
    assert all(d.status != "running" for d in case.deadlines)


def test_reopen_on_relapse_keeps_history_and_counts_earlier_sanctions(session, case, staff):
    warn(session, case, staff)
    escalate(session, case, staff, Trigger.INTEND_NAMING, weeks(9))
    escalate(session, case, staff, Trigger.NAME_PUBLICLY, weeks(12), reaction="none")
    take(
        session,
        case,
        Trigger.CLOSE,
        staff,
        weeks(13),
        params={"close_reason": "withdrawn"},
        reason="Policy change",
    )
    act(session, case, Trigger.REOPEN, actor=staff["officer"], now=weeks(20), reason="Relapse")
    session.commit()
    assert case.stage == Stage.NOTICE
    reopened = case.events[-1]
    assert reopened.data["facts"]["previous_offences"][0]["decision"] == "naming_decision"
    kinds = [e.kind for e in session.scalars(sa.select(CaseEvent).order_by(CaseEvent.sequence))]
    assert kinds.count("transition") == 5 and kinds[0] == "opened"


def test_a_stale_version_is_refused(session, case, staff):
    version = case.version
    warn(session, case, staff)
    with pytest.raises(Conflict, match="This case changed"):
        act(
            session,
            case,
            Trigger.CLOSE,
            actor=staff["officer"],
            expected_version=version,
            params={"close_reason": "withdrawn"},
            now=weeks(1),
        )


def test_deadline_moment_for_days_counts_in_amsterdam(session, case, staff):
    warn(session, case, staff, at=T0 + timedelta(hours=13))  # 00:00 on 3 March in Amsterdam
    window = deadline(case, "improvement_window")
    assert window.due_at.isoformat() == "2026-04-28T21:59:59.999999+00:00"


def test_revoke_is_not_a_step_anyone_takes_directly(session, case, staff):
    with pytest.raises(DomainError, match="only by upholding an objection"):
        act(
            session,
            case,
            Trigger.REVOKE,
            actor=staff["legal"],
            now=T0,
            params={"to_stage": "warning"},
        )


def test_a_pending_proposal_is_withdrawn_when_the_case_moves_on(session, case, staff):
    warn(session, case, staff)
    proposal = propose(
        session, case, Trigger.INTEND_NAMING, actor=staff["officer"], reason="Slow", now=weeks(9)
    )
    take(
        session,
        case,
        Trigger.CLOSE,
        staff,
        weeks(9),
        params={"close_reason": "withdrawn"},
        reason="Settled",
    )
    session.commit()
    assert proposal.status == "withdrawn"
    assert "proposal_withdrawn" in [e.kind for e in case.events]
    act(session, case, Trigger.REOPEN, actor=staff["officer"], now=weeks(10), reason="Relapse")
    take(session, case, Trigger.SEND_WARNING, staff, weeks(10))
    assert (
        propose(
            session,
            case,
            Trigger.INTEND_NAMING,
            actor=staff["officer"],
            reason="Again",
            now=weeks(19),
        ).status
        == "pending"
    )


def test_the_step_names_proposer_approver_and_the_one_who_completed_it(session, case, staff):
    warn(session, case, staff)
    escalate(session, case, staff, Trigger.INTEND_NAMING, weeks(9))
    step = case.events[-1]
    # Completed by legal staff (issuing its letter), on the proposal the supervisor approved.
    assert step.kind == "transition" and step.actor_id == staff["legal"].id
    assert step.data["proposed_by"] == staff["officer"].id
    assert step.data["approved_by"] == staff["supervisor"].id


def test_a_fine_states_why_this_amount_and_above_the_sixth_category_why(session, case, staff):
    case.systematic, case.systematic_reason = True, "Persistent: 3 years of breaches"
    case.turnover_eur, case.turnover_source = "20000000", "Annual report 2025"
    walk_to_fine_intent(session, case, staff)
    args = {"actor": staff["officer"], "reason": "Fine", "now": weeks(12)}
    with pytest.raises(StepRefused, match="reasons for the amount"):
        propose(session, case, Trigger.IMPOSE_FINE, params={"amount": "1000"}, **args)
    with pytest.raises(StepRefused, match="above the sixth category needs the finding"):
        propose(session, case, Trigger.IMPOSE_FINE,
                params={"amount": "900000", "amount_reasons": REASONS}, **args)  # fmt: skip
    propose(session, case, Trigger.IMPOSE_FINE, params={"amount": "830000",
            "amount_reasons": REASONS}, **args)  # fmt: skip
