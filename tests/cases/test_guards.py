"""The ladder's conditions as pure functions: a snapshot of facts and the params in, a reason out.

No database: each case builds the snapshot a step would be judged on.
"""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from enforcement.cases import guards
from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.models import DeadlineStatus
from enforcement.cases.params import parameter_problems, with_defaults
from enforcement.cases.queries import HosterFigures
from enforcement.cases.snapshot import CaseFacts, Cited, Need, StandingOrder, Term, View
from enforcement.cases.steps import STEPS
from enforcement.deadlines import DeadlineKind
from enforcement.fines.amounts import FineCategories
from enforcement.metrics.policy import Thresholds

NOW = datetime(2026, 6, 1, 10, tzinfo=UTC)
CATEGORIES = (FineCategories(date(2018, 1, 1), Decimal("8700"), Decimal("870000"), "Stb. 2017"),)
NONE_CITED = Cited(0, {"count": 0, "ids": []})
TWO_CITED = Cited(2, {"count": 2, "ids": [7, 8]})


def facts(**changes) -> CaseFacts:
    base = CaseFacts(now=NOW, stage=Stage.WARNING, stage_entered_at=NOW - timedelta(weeks=9))
    return replace(base, **changes)


def term(kind, due, status=DeadlineStatus.RUNNING, starts=NOW - timedelta(weeks=2)) -> Term:
    return Term(kind, status, starts, due)


def verdict(reasons: list[str]) -> HosterFigures:
    return HosterFigures(date(2026, 4, 1), date(2026, 6, 1), NOW, None, Thresholds(), reasons)


def problems(trigger: Trigger, snapshot: CaseFacts, **params) -> list[str]:
    step = STEPS[trigger]
    params = with_defaults(step.params, params)
    return parameter_problems(step.params, params) + guards.check(step.guards, snapshot, params)


FINE_READY = {
    "amount": "5000",
    "amount_reasons": "Three orders ignored for days.",
    "view_answer": "",
}


@pytest.mark.parametrize(
    ("trigger", "snapshot", "params", "expected"),
    [
        # The naming intent waits for the improvement window and needs a breach since the warning.
        (Trigger.INTEND_NAMING,
         facts(terms=(term(DeadlineKind.IMPROVEMENT_WINDOW, NOW + timedelta(days=1)),),
               figures_since_step=verdict(["slow"])), {}, "improvement window runs until"),
        (Trigger.INTEND_NAMING,
         facts(terms=(term(DeadlineKind.IMPROVEMENT_WINDOW, NOW - timedelta(days=1)),),
               figures_since_step=verdict([])), {}, "no longer breaches"),
        (Trigger.INTEND_NAMING,
         facts(terms=(term(DeadlineKind.IMPROVEMENT_WINDOW, NOW - timedelta(seconds=1)),),
               figures_since_step=verdict(["slow"])), {}, None),
        (Trigger.INTEND_NAMING, facts(figures_since_step=verdict(["slow"])),
         {"reaction_weeks": 1}, "reaction period is at least 2 weeks"),
        # A suspended term holds the step whatever its date.
        (Trigger.NAME_PUBLICLY,
         facts(terms=(term(DeadlineKind.REACTION_PERIOD, NOW - timedelta(days=3),
                           DeadlineStatus.SUSPENDED),)), {}, "reaction period is suspended"),
        # A view received is answered by the decision.
        (Trigger.NAME_PUBLICLY, facts(views=(View(1, NOW - timedelta(days=2), False),)), {},
         "Answer the hoster's view"),
        (Trigger.NAME_PUBLICLY, facts(views=(View(1, NOW - timedelta(days=2), False),)),
         {"view_answer": "Our measurements stand."}, None),
        # Sanctions rest on violated removal orders.
        (Trigger.INTEND_PENALTY, facts(violations=NONE_CITED), {}, "No established violation"),
        (Trigger.INTEND_PENALTY, facts(violations=TWO_CITED), {}, None),
        (Trigger.INTEND_PENALTY,
         facts(violations=TWO_CITED,
               terms=(term(DeadlineKind.IMPROVEMENT_WINDOW, NOW + timedelta(days=3)),)),
         {}, "improvement window runs until"),
        # From the named stage the improvement window no longer matters.
        (Trigger.INTEND_PENALTY,
         facts(stage=Stage.NAMED, violations=TWO_CITED,
               terms=(term(DeadlineKind.IMPROVEMENT_WINDOW, NOW + timedelta(days=3)),)),
         {}, None),
        # The view term runs: decide only after it, unless the view came in.
        (Trigger.IMPOSE_PENALTY,
         facts(violations=TWO_CITED,
               terms=(term(DeadlineKind.VIEW_TERM, NOW + timedelta(days=1)),)),
         {"remedy": "Act on every order", "grace_period_days": 2, "amount_per_violation": "1000",
          "maximum": "50000"}, "term for the hoster's view runs until"),
        (Trigger.IMPOSE_PENALTY,
         facts(violations=TWO_CITED, views=(View(3, NOW - timedelta(hours=1), True),),
               terms=(term(DeadlineKind.VIEW_TERM, NOW + timedelta(days=1)),)),
         {"remedy": "Act on every order", "grace_period_days": 2, "amount_per_violation": "1000",
          "maximum": "50000", "view_answer": "Heard; the order stands."}, None),
        (Trigger.IMPOSE_PENALTY, facts(violations=TWO_CITED),
         {"remedy": "Act", "grace_period_days": 0, "amount_per_violation": "1000",
          "maximum": "500"}, "a grace period of at least one day, a maximum at least"),
        # Fines: within the maximum, with reasons, above the sixth category only with a finding.
        (Trigger.IMPOSE_FINE, facts(fine_violations=TWO_CITED, fine_categories=CATEGORIES),
         {**FINE_READY, "amount": "9000"}, "exceeds the maximum of EUR 8,700.00"),
        (Trigger.IMPOSE_FINE, facts(fine_violations=TWO_CITED, fine_categories=CATEGORIES),
         {**FINE_READY, "amount_reasons": " "}, "Give the reasons for the amount"),
        (Trigger.IMPOSE_FINE,
         facts(fine_violations=TWO_CITED, fine_categories=CATEGORIES, systematic=True,
               turnover_eur=Decimal("20000000")),
         {**FINE_READY, "amount": "1000000"}, "needs the finding"),
        (Trigger.IMPOSE_FINE,
         facts(fine_violations=TWO_CITED, fine_categories=CATEGORIES, systematic=True,
               turnover_eur=Decimal("20000000")),
         {**FINE_READY, "amount": "1000000", "turnover_finding": "Too low for this turnover."},
         None),
        (Trigger.IMPOSE_FINE, facts(fine_violations=TWO_CITED, fine_categories=()),
         FINE_READY, "No fine category amounts are known"),
        (Trigger.IMPOSE_FINE,
         facts(fine_violations=TWO_CITED, fine_categories=CATEGORIES,
               terms=(term(DeadlineKind.FINE_DECISION, NOW - timedelta(days=1)),)),
         FINE_READY, "can no longer be imposed"),
        (Trigger.DRAW_FINE_REPORT, facts(fine_violations=NONE_CITED), {},
         "in the last five years, not fined before"),
        # The fine intent's view term must end before the 13 weeks of Awb 5:51.
        (Trigger.INTEND_FINE,
         facts(fine_violations=TWO_CITED, fine_categories=CATEGORIES,
               terms=(term(DeadlineKind.FINE_DECISION, NOW + timedelta(weeks=1)),)),
         {"amount": "5000", "view_weeks": 2}, "shorten it"),
        (Trigger.INTEND_FINE,
         facts(fine_violations=TWO_CITED, fine_categories=CATEGORIES,
               terms=(term(DeadlineKind.FINE_DECISION, NOW + timedelta(weeks=3)),)),
         {"amount": "5000", "view_weeks": 2}, None),
        # Closing: a reason, and a word on the penalty order in force.
        (Trigger.CLOSE, facts(), {}, "Choose why the case closes"),
        (Trigger.CLOSE, facts(penalty_order=StandingOrder(4, NOW - timedelta(weeks=5))),
         {"close_reason": "withdrawn"}, "lift it by decision (Awb 5:34) or keep it"),
        (Trigger.CLOSE, facts(penalty_order=StandingOrder(4, NOW - timedelta(weeks=5))),
         {"close_reason": "withdrawn", "penalty_order": "lift",
          "penalty_order_reason": "Complies."}, None),
        (Trigger.CLOSE,
         facts(stage_entered_at=NOW - timedelta(weeks=5), figures_since_step=verdict([])),
         {"close_reason": "complied"}, "six-week window"),
        (Trigger.CLOSE, facts(figures_since_step=verdict(["slow"])),
         {"close_reason": "complied"}, "still breaches"),
        (Trigger.REOPEN, facts(stage=Stage.CLOSED, figures_recent=verdict([])), {},
         "does not breach the policy over the last six weeks"),
    ],
)  # fmt: skip
def test_a_step_is_refused_for_what_its_facts_lack(trigger, snapshot, params, expected):
    found = " ".join(problems(trigger, snapshot, **params))
    if expected is None:
        assert found == ""
    else:
        assert expected in found


@pytest.mark.parametrize(
    ("trigger", "params", "wanted"),
    [
        (Trigger.SEND_WARNING, {}, set()),
        (Trigger.INTEND_NAMING, {}, {Need.FIGURES_SINCE_STEP}),
        (Trigger.INTEND_PENALTY, {}, {Need.VIOLATIONS}),
        (Trigger.IMPOSE_FINE, {}, {Need.VIEWS, Need.FINE_CATEGORIES, Need.FINE_VIOLATIONS}),
        (Trigger.INTEND_FINE, {}, {Need.FINE_CATEGORIES, Need.HOLIDAYS, Need.FINE_VIOLATIONS}),
        (Trigger.CLOSE, {"close_reason": "withdrawn"}, {Need.PENALTY_ORDER}),
        (Trigger.CLOSE, {"close_reason": "complied"}, {Need.PENALTY_ORDER,
                                                       Need.FIGURES_SINCE_STEP}),
        (Trigger.REOPEN, {}, {Need.FIGURES_RECENT, Need.PREVIOUS_OFFENCES}),
    ],
)  # fmt: skip
def test_a_step_loads_only_the_facts_its_guards_read(trigger, params, wanted):
    assert STEPS[trigger].needs(params) == wanted


def test_a_step_records_the_facts_it_rested_on():
    snapshot = facts(
        fine_violations=TWO_CITED,
        fine_categories=CATEGORIES,
        views=(View(3, NOW - timedelta(days=1), True),),
        figures_since_step=verdict(["slow"]),
    )
    params = {"view_answer": "Answered.", "amount": "5000"}
    record = guards.recorded_facts(snapshot, params, STEPS[Trigger.IMPOSE_FINE].needs(params))
    assert record["violations"] == {"count": 2, "ids": [7, 8]}
    assert record["maximum_fine"] == "8700"
    assert record["view"] == {"id": 3, "received_at": (NOW - timedelta(days=1)).isoformat(),
                              "oral": True}  # fmt: skip
    assert record["figures"]["breach_reasons"] == ["slow"]


def test_an_unanswered_view_is_not_recorded_as_answered():
    snapshot = facts(views=(View(3, NOW, False),))
    assert "view" not in guards.recorded_facts(snapshot, {}, {Need.VIEWS})
