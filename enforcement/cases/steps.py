"""The steps of the ladder, each described once: who takes it, whether a supervisor approves
it, its letter, whether that letter is a decision, its parameters, its guards, and the deadlines
it starts and ends.

Forms (the case page's step form is built from ``PARAMS`` and ``Step.params``), guards, effects,
letters and pages read this registry; adding a step is an entry here, its letter template and
its tests. Where a step leads is the state machine's (ladder.py).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from enforcement.auth.models import Role
from enforcement.cases import guards as g
from enforcement.cases.effects import (
    FINE_DECISION_TERM,
    GRACE_PERIOD,
    TermStart,
    lift_penalty_order,
    weeks_term,
)
from enforcement.cases.ladder import Stage, Trigger
from enforcement.deadlines import DeadlineKind

CASE_WORKERS = frozenset({Role.OFFICER, Role.LEGAL})
# Escalations may be proposed by a supervisor too; another supervisor then approves.
PROPOSERS = frozenset({Role.OFFICER, Role.LEGAL, Role.SUPERVISOR})


@dataclass(frozen=True)
class Step:
    """One step of the ladder."""

    trigger: Trigger
    label: str
    roles: frozenset[Role]
    four_eyes: bool
    # The kind of letter that carries the step; it takes effect when that letter is issued.
    letter: str | None
    params: tuple[str, ...] = ()
    guards: tuple[g.Guard, ...] = ()
    starts: tuple[TermStart, ...] = ()
    ends: frozenset[str] = frozenset()
    cancels: frozenset[str] = frozenset()
    # A decision (besluit) open to objection: an upheld objection returns the case to the stage
    # it stood at before it entered this one.
    revoked_to_before: Stage | None = None
    # A further effect, given the facts the step recorded (lifting a penalty order on closing).
    after: Callable[[Session, dict[str, Any], datetime], None] | None = None

    @property
    def decision(self) -> bool:
        return self.revoked_to_before is not None

    def needs(self, params: g.Params) -> set:
        """Return the facts this step's guards read with these params."""
        return g.needs_of(self.guards, params)


STEPS: dict[Trigger, Step] = {
    step.trigger: step
    for step in (
        Step(Trigger.SEND_WARNING, "Send the warning letter", CASE_WORKERS, False, "warning",
             params=("improvement_weeks",),
             starts=(weeks_term(DeadlineKind.IMPROVEMENT_WINDOW, "improvement_weeks"),)),
        Step(Trigger.INTEND_NAMING, "Announce public naming", PROPOSERS, True, "naming_intent",
             params=("reaction_weeks",),
             guards=(g.improvement_window_over, g.still_breaching),
             starts=(weeks_term(DeadlineKind.REACTION_PERIOD, "reaction_weeks"),)),
        # The reaction period always runs out first; a view given in it is answered.
        Step(Trigger.NAME_PUBLICLY, "Name publicly", PROPOSERS, True, "naming_decision",
             params=("view_answer",),
             guards=(g.reaction_period_over, g.view_answered),
             revoked_to_before=Stage.NAMING_INTENT),
        # Sanctions rest on violated removal orders only (art. 6(3)), never on the 24-hour norm.
        Step(Trigger.INTEND_PENALTY, "Announce a penalty-payment order", PROPOSERS, True,
             "penalty_intent", params=("view_weeks",),
             guards=(g.from_warning(g.improvement_window_over), g.violated_orders),
             starts=(weeks_term(DeadlineKind.VIEW_TERM, "view_weeks"),)),
        Step(Trigger.IMPOSE_PENALTY, "Impose the penalty-payment order", PROPOSERS, True,
             "penalty_order",
             params=("view_answer", "remedy", "grace_period_days", "amount_per_violation",
                     "maximum"),
             guards=(g.heard, g.penalty_parameters, g.violated_orders),
             starts=(GRACE_PERIOD,), revoked_to_before=Stage.PENALTY_INTENT),
        # The report is dated when it is drawn up (its letter issued) and cites what stands then.
        Step(Trigger.DRAW_FINE_REPORT, "Draw up the fine report", frozenset({Role.OFFICER}),
             True, "fine_report",
             guards=(g.violated_orders_for_fine,), starts=(FINE_DECISION_TERM,)),
        # The intent names the amount its letter announces; it may not exceed the maximum either.
        Step(Trigger.INTEND_FINE, "Announce the fine", PROPOSERS, True, "fine_intent",
             params=("view_weeks", "amount"),
             guards=(g.amount_within_maximum, g.view_term_within_fine_term,
                     g.violated_orders_for_fine),
             starts=(weeks_term(DeadlineKind.VIEW_TERM, "view_weeks"),)),
        Step(Trigger.IMPOSE_FINE, "Impose the fine", PROPOSERS, True, "fine_decision",
             params=("view_answer", "amount", "amount_reasons", "turnover_finding"),
             guards=(g.within_fine_term, g.heard, g.amount_within_maximum, g.amount_reasoned,
                     g.turnover_route_found, g.violated_orders_for_fine),
             ends=frozenset({DeadlineKind.FINE_DECISION}),
             revoked_to_before=Stage.FINE_REPORT),
        Step(Trigger.CLOSE, "Close the case", frozenset({Role.OFFICER, Role.SUPERVISOR}), False,
             "closure", params=("close_reason", "penalty_order", "penalty_order_reason"),
             guards=(g.close_reason_valid, g.penalty_order_disposed),
             cancels=frozenset({DeadlineKind.FINE_DECISION, DeadlineKind.GRACE_PERIOD}),
             after=lift_penalty_order),
        Step(Trigger.REOPEN, "Reopen the case", frozenset({Role.OFFICER}), False, None,
             guards=(g.breaches_again, g.previous_offences)),
        # Only an upheld objection revokes a decision (its decision on objection is the letter).
        Step(Trigger.REVOKE, "Revoke the decision (objection upheld)", frozenset({Role.LEGAL}),
             False, "objection_decision"),
    )
}  # fmt: skip


def step_label(trigger: str) -> str:
    """Return the label of a trigger (or its stored text); unknown text comes back as it is."""
    return STEPS[Trigger(trigger)].label if trigger in set(Trigger) else trigger


def step_of_decision(kind: str) -> Step:
    """Return the step whose letter makes a decision of this kind."""
    return next(step for step in STEPS.values() if step.decision and step.letter == kind)
