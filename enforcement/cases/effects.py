"""What a step sets in motion: the deadlines it starts and ends, the decision it makes.

The step registry (steps.py) says which of these each step has; ``apply_effects`` carries them
out in the caller's transaction. The terms a step starts are ``TermStart``s: when a term starts
and when it is due, computed from the step's moment and parameters (pure).
"""

from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.cases.ladder import Stage
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

if TYPE_CHECKING:
    from enforcement.cases.steps import Step

Params = Mapping[str, Any]
# Terms that belong to one stage and end when the case leaves it.
STAGE_TERMS = {
    DeadlineKind.IMPROVEMENT_WINDOW,
    DeadlineKind.REACTION_PERIOD,
    DeadlineKind.VIEW_TERM,
}


@dataclass(frozen=True)
class TermStart:
    """A deadline a step starts: its kind, and its start and due moment from the step's."""

    kind: DeadlineKind
    due: Callable[[datetime, Params, Set[date]], datetime]
    starts: Callable[[datetime], datetime] = lambda moment: moment


def weeks_term(kind: DeadlineKind, param: str) -> TermStart:
    """A term of the number of weeks the step's parameter ``param`` gives."""
    return TermStart(
        kind, lambda moment, params, holidays: due_at(
            kind, moment, weeks=params[param], extra_holidays=holidays
        )
    )  # fmt: skip


def _grace_end(moment: datetime, params: Params, holidays: Set[date]) -> datetime:
    local_day = moment.astimezone(LOCAL_TZ).date()
    days = params["grace_period_days"]
    return end_of_day(term_end(local_day, days=days, extra_holidays=holidays))


def _report_day_start(moment: datetime) -> datetime:
    # The fine report is dated when it is drawn up, never earlier; the 13 weeks run from then.
    return datetime.combine(moment.astimezone(LOCAL_TZ).date(), datetime.min.time(), LOCAL_TZ)


def _fine_decision_due(moment: datetime, params: Params, holidays: Set[date]) -> datetime:
    return end_of_day(fine_decision_deadline(moment.astimezone(LOCAL_TZ).date()))


GRACE_PERIOD = TermStart(DeadlineKind.GRACE_PERIOD, _grace_end)
FINE_DECISION_TERM = TermStart(DeadlineKind.FINE_DECISION, _fine_decision_due, _report_day_start)


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
    case: Case, kinds: Set[str], status: DeadlineStatus = DeadlineStatus.ENDED
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


def make_decision(
    session: Session, case: Case, step: "Step", event: CaseEvent, holidays: Set[date]
) -> None:
    """Record the decision a step makes and start its objection term (Awb 6:7)."""
    decision = Decision(
        case_id=case.id,
        kind=step.letter,
        event_id=event.id,
        made_known_at=event.occurred_at,
        return_stage=stage_before(session, case, step.revoked_to_before),
    )
    session.add(decision)
    session.flush()
    rule = DEADLINE_RULES[DeadlineKind.OBJECTION_TERM]
    due = due_at(DeadlineKind.OBJECTION_TERM, event.occurred_at, extra_holidays=holidays)
    add_deadline(session, case, rule.kind, rule.source, event.occurred_at, due, decision)


def apply_effects(
    session: Session, case: Case, step: "Step", params: Params, facts: Params, event: CaseEvent
) -> None:
    """Start and end the deadlines of a step and record the decision it makes."""
    moment = event.occurred_at
    holidays = extra_holidays(session)
    end_deadlines(case, STAGE_TERMS)
    end_deadlines(case, step.ends)
    end_deadlines(case, step.cancels, status=DeadlineStatus.CANCELLED)
    for term in step.starts:
        rule = DEADLINE_RULES[term.kind]
        add_deadline(session, case, term.kind, rule.source, term.starts(moment),
                     term.due(moment, params, holidays))  # fmt: skip
    if step.decision:
        make_decision(session, case, step, event, holidays)
    if step.after is not None:
        step.after(session, facts, moment)
    session.flush()


def lift_penalty_order(session: Session, facts: Params, moment: datetime) -> None:
    """Lift the penalty-payment order the closure decided to lift (Awb 5:34), from now on."""
    recorded = facts.get("penalty_order") or {}
    if recorded.get("disposition") == "lift":
        session.get(Decision, recorded["decision_id"]).lifted_at = moment
