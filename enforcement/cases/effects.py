"""What each step sets in motion: the deadlines it starts and ends, the decision it makes."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.cases.guards import GuardContext
from enforcement.cases.ladder import STEPS, Stage, Trigger
from enforcement.cases.models import (
    ACTIVE_DEADLINE,
    Case,
    CaseEvent,
    Deadline,
    DeadlineStatus,
    Decision,
)
from enforcement.core.time import LOCAL_TZ
from enforcement.deadlines import (
    DEADLINE_RULES,
    DeadlineKind,
    due_at,
    end_of_day,
    fine_decision_deadline,
    term_end,
)
from enforcement.holidays.services import extra_holidays

# Terms that belong to one stage and end when the case leaves it.
STAGE_TERMS = {
    DeadlineKind.IMPROVEMENT_WINDOW,
    DeadlineKind.REACTION_PERIOD,
    DeadlineKind.VIEW_TERM,
}
GRACE_PERIOD = ("grace_period", "Awb 5:32a")
TERM_STARTED = {
    Trigger.SEND_WARNING: (DeadlineKind.IMPROVEMENT_WINDOW, "improvement_weeks"),
    Trigger.INTEND_NAMING: (DeadlineKind.REACTION_PERIOD, "reaction_weeks"),
    Trigger.INTEND_PENALTY: (DeadlineKind.VIEW_TERM, "view_weeks"),
    Trigger.INTEND_FINE: (DeadlineKind.VIEW_TERM, "view_weeks"),
}
# The step before a decision whose starting stage an upheld objection returns the case to.
INTENT_STAGE = {
    Trigger.NAME_PUBLICLY: Stage.NAMING_INTENT,
    Trigger.IMPOSE_PENALTY: Stage.PENALTY_INTENT,
    Trigger.IMPOSE_FINE: Stage.FINE_REPORT,
}


def add_deadline(
    session: Session,
    case: Case,
    kind: str,
    source: str,
    start: datetime,
    due: datetime,
    decision: Decision | None = None,
) -> Deadline:
    deadline = Deadline(
        case_id=case.id,
        kind=kind,
        legal_source=source,
        starts_at=start,
        due_at=due,
        decision_id=decision.id if decision else None,
    )
    session.add(deadline)
    case.deadlines.append(deadline)
    return deadline


def end_deadlines(
    case: Case, kinds: set[str], status: DeadlineStatus = DeadlineStatus.ENDED
) -> None:
    for deadline in case.deadlines:
        if deadline.kind in kinds and deadline.status in ACTIVE_DEADLINE:
            deadline.status = status


def stage_before(session: Session, case: Case, stage: Stage) -> Stage:
    """Return the stage the case came from when it last entered ``stage``."""
    from_stage = session.scalar(
        sa.select(CaseEvent.from_stage)
        .where(
            CaseEvent.case_id == case.id,
            CaseEvent.to_stage == stage.value,
            CaseEvent.kind == "transition",
        )
        .order_by(CaseEvent.sequence.desc())
        .limit(1)
    )
    return Stage(from_stage) if from_stage else Stage.WARNING


def make_decision(session: Session, case: Case, trigger: Trigger, event: CaseEvent) -> None:
    """Record the decision a step makes and start its objection term (Awb 6:7)."""
    decision = Decision(
        case_id=case.id,
        kind=STEPS[trigger].letter,
        event_id=event.id,
        made_known_at=event.occurred_at,
        return_stage=stage_before(session, case, INTENT_STAGE[trigger]),
    )
    session.add(decision)
    session.flush()
    rule = DEADLINE_RULES[DeadlineKind.OBJECTION_TERM]
    due = due_at(
        DeadlineKind.OBJECTION_TERM, event.occurred_at, extra_holidays=extra_holidays(session)
    )
    add_deadline(session, case, rule.kind, rule.source, event.occurred_at, due, decision)


def apply_effects(
    session: Session,
    case: Case,
    trigger: Trigger,
    ctx: GuardContext,
    event: CaseEvent,
    from_stage: Stage,
) -> None:
    """Start and end the deadlines of a step and record the decision it makes."""
    now = event.occurred_at
    end_deadlines(case, STAGE_TERMS)
    if trigger in TERM_STARTED:
        kind, param = TERM_STARTED[trigger]
        due = due_at(kind, now, weeks=ctx.params[param], extra_holidays=extra_holidays(session))
        add_deadline(session, case, kind, DEADLINE_RULES[kind].source, now, due)
    if trigger == Trigger.IMPOSE_PENALTY:
        grace_end = term_end(
            now.astimezone(LOCAL_TZ).date(),
            days=ctx.params["grace_period_days"],
            extra_holidays=extra_holidays(session),
        )
        add_deadline(session, case, *GRACE_PERIOD, now, end_of_day(grace_end))
    if trigger == Trigger.DRAW_FINE_REPORT:
        report_date = now.astimezone(LOCAL_TZ).date()  # dated when drawn up, never earlier
        rule = DEADLINE_RULES[DeadlineKind.FINE_DECISION]
        start = datetime.combine(report_date, datetime.min.time(), LOCAL_TZ)
        due = end_of_day(fine_decision_deadline(report_date))
        add_deadline(session, case, rule.kind, rule.source, start, due)
    if trigger in INTENT_STAGE:
        make_decision(session, case, trigger, event)
    if trigger == Trigger.IMPOSE_FINE:
        end_deadlines(case, {DeadlineKind.FINE_DECISION})
    if trigger == Trigger.CLOSE:
        end_deadlines(case, {DeadlineKind.FINE_DECISION, GRACE_PERIOD[0]},
                      status=DeadlineStatus.CANCELLED)  # fmt: skip
        lift_penalty_order(session, ctx, now)
    session.flush()


def lift_penalty_order(session: Session, ctx: GuardContext, now: datetime) -> None:
    """Lift the penalty-payment order the closure decided to lift (Awb 5:34), from now on."""
    recorded = ctx.facts.get("penalty_order") or {}
    if recorded.get("disposition") == "lift":
        session.get(Decision, recorded["decision_id"]).lifted_at = now
