"""The conditions of the ladder's steps: pure functions of a snapshot of facts and the params.

Every guard returns None when met, or a sentence a user understands saying what is missing. A
guard reads only its arguments (``CaseFacts``, loaded before the step, and the step's
parameters); ``@needs`` names the facts that cost a query, so the loader reads just those.
The step registry (steps.py) says which guards each step has. What a step records of the facts
it rested on (the figures, the violations cited, the view answered) is ``recorded_facts``.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from enforcement.cases.ladder import Stage
from enforcement.cases.models import CloseReason, DeadlineStatus
from enforcement.cases.snapshot import CaseFacts, Need
from enforcement.core.time import format_local
from enforcement.deadlines import DeadlineKind, due_at
from enforcement.fines.amounts import categories_on, maximum_fine

Params = Mapping[str, Any]
Guard = Callable[[CaseFacts, Params], str | None]
CLOSE_REASONS = tuple(CloseReason)
COMPLIANCE_WINDOW = timedelta(weeks=6)
PENALTY_ORDER_DISPOSITIONS = ("lift", "keep")


def needs(*wanted: Need, when: Callable[[Params], bool] | None = None) -> Callable:
    """Mark the facts a guard reads (only ``when`` its params call for them, if given)."""

    def mark(guard: Guard) -> Guard:
        guard.needs = lambda params: set(wanted) if when is None or when(params) else set()
        return guard

    return mark


def needs_of(guards: Iterable[Guard], params: Params) -> set[Need]:
    """Return every fact these guards read with these params."""
    return {need for guard in guards for need in getattr(guard, "needs", lambda _: set())(params)}


def _term_over(facts: CaseFacts, kind: DeadlineKind, label: str) -> str | None:
    term = facts.running(kind)
    if term is None:
        return None
    if term.status == DeadlineStatus.SUSPENDED:
        return f"The {label} is suspended."
    if facts.now <= term.due_at:
        return f"The {label} runs until {format_local(term.due_at, '%A %d %B %Y')}."
    return None


def improvement_window_over(facts: CaseFacts, params: Params) -> str | None:
    return _term_over(facts, DeadlineKind.IMPROVEMENT_WINDOW, "improvement window")


def reaction_period_over(facts: CaseFacts, params: Params) -> str | None:
    return _term_over(facts, DeadlineKind.REACTION_PERIOD, "reaction period")


@needs(Need.FIGURES_SINCE_STEP)
def still_breaching(facts: CaseFacts, params: Params) -> str | None:
    if facts.figures_since_step.reasons:
        return None
    return "The hoster no longer breaches the policy over the period since the last step."


@needs(Need.FIGURES_RECENT)
def breaches_again(facts: CaseFacts, params: Params) -> str | None:
    if facts.figures_recent.reasons:
        return None
    return "The hoster does not breach the policy over the last six weeks."


@needs(Need.PREVIOUS_OFFENCES)
def previous_offences(facts: CaseFacts, params: Params) -> None:
    """Never refuses: on reopening, the hoster's earlier decisions are recorded as a record."""
    return None


@needs(Need.VIEWS)
def heard(facts: CaseFacts, params: Params) -> str | None:
    """Decide only after the view term, or on a view received, which the step must answer."""
    if not facts.views:
        return _term_over(facts, DeadlineKind.VIEW_TERM, "term for the hoster's view")
    return view_answered(facts, params)


@needs(Need.VIEWS)
def view_answered(facts: CaseFacts, params: Params) -> str | None:
    """A view the hoster gave on the intent is answered on its merits by the decision."""
    if not facts.views or (params.get("view_answer") or "").strip():
        return None
    received = format_local(facts.views[0].received_at, "%d %B %Y")
    return f"Answer the hoster's view of {received}: the decision must respond to it."


def amount(params: Params, name: str) -> Decimal | None:
    """Return a positive finite amount parameter, or None."""
    try:
        value = Decimal(str(params.get(name, "")))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


def penalty_parameters(facts: CaseFacts, params: Params) -> str | None:
    missing = []
    if not (params.get("remedy") or "").strip():
        missing.append("the remedy")
    grace = params.get("grace_period_days")
    if not isinstance(grace, int) or grace < 1:
        missing.append("a grace period of at least one day")
    per_violation, maximum = amount(params, "amount_per_violation"), amount(params, "maximum")
    if per_violation is None:
        missing.append("a positive amount per violation")
    if maximum is None or (per_violation is not None and maximum < per_violation):
        missing.append("a maximum at least the amount per violation")
    return f"The order needs {', '.join(missing)}." if missing else None


@needs(Need.VIOLATIONS)
def violated_orders(facts: CaseFacts, params: Params) -> str | None:
    """A penalty order rests on violated removal orders (art. 6(3), 7)."""
    if facts.violations.count:
        return None
    return _no_violations("")


@needs(Need.FINE_VIOLATIONS)
def violated_orders_for_fine(facts: CaseFacts, params: Params) -> str | None:
    """A fine rests on violated removal orders of the last five years (art. 8; Awb 5:45), not
    fined before (Awb 5:43)."""
    if facts.fine_violations.count:
        return None
    return _no_violations("in the last five years, not fined before, ")


def _no_violations(period: str) -> str:
    return (
        f"No established violation of a removal order {period}(art. 6(3) of the 2024 law) "
        "by this hoster since 1 July 2024: a sanction can rest on nothing else."
    )


@needs(Need.HOLIDAYS)
def view_term_within_fine_term(facts: CaseFacts, params: Params) -> str | None:
    """The hoster's view on a fine intent must be heard before the 13 weeks of Awb 5:51 end."""
    term = facts.running(DeadlineKind.FINE_DECISION)
    weeks = params.get("view_weeks")
    if term is None or not isinstance(weeks, int):
        return None
    view_ends = due_at(
        DeadlineKind.VIEW_TERM, facts.now, weeks=weeks, extra_holidays=facts.extra_holidays
    )
    if view_ends <= term.due_at:
        return None
    return (
        f"The term for the hoster's view would end on {format_local(view_ends, '%d %B %Y')}, "
        f"after the fine must be decided on ({format_local(term.due_at, '%d %B %Y')}, "
        "Awb 5:51): shorten it."
    )


def within_fine_term(facts: CaseFacts, params: Params) -> str | None:
    term = facts.running(DeadlineKind.FINE_DECISION)
    if term is not None and facts.now > term.due_at:
        return (
            "The 13 weeks after the fine report (Awb 5:51) ended on "
            f"{format_local(term.due_at, '%d %B %Y')}; the fine can no longer be imposed."
        )
    return None


def fine_maximum(facts: CaseFacts) -> Decimal | None:
    """Return the highest fine allowed today (art. 8); None when no category amounts are known."""
    try:
        categories = categories_on(facts.fine_categories, facts.today)
    except ValueError:
        return None
    return maximum_fine(categories, systematic=facts.systematic, turnover_eur=facts.turnover_eur)


@needs(Need.FINE_CATEGORIES)
def amount_within_maximum(facts: CaseFacts, params: Params) -> str | None:
    fine = amount(params, "amount")
    if fine is None:
        return "Give the amount of the fine."
    maximum = fine_maximum(facts)
    if maximum is None:
        return "No fine category amounts are known for today: add them (fine categories page)."
    if fine > maximum:
        return f"The fine of EUR {fine:,.2f} exceeds the maximum of EUR {maximum:,.2f}."
    return None


def amount_reasoned(facts: CaseFacts, params: Params) -> str | None:
    """The fine decision states why this amount (Awb 5:46(2))."""
    if (params.get("amount_reasons") or "").strip():
        return None
    return (
        "Give the reasons for the amount: the seriousness and duration of the violations, the "
        "degree of blame and the circumstances (Awb 5:46)."
    )


@needs(Need.FINE_CATEGORIES)
def turnover_route_found(facts: CaseFacts, params: Params) -> str | None:
    """Above the 6th category only with the finding that it does not allow an appropriate fine."""
    fine = amount(params, "amount")
    if fine is None or not facts.fine_categories:
        return None
    if fine <= categories_on(facts.fine_categories, facts.today).sixth:
        return None
    if (params.get("turnover_finding") or "").strip():
        return None
    return (
        "A fine above the sixth category needs the finding that that category does not allow "
        "an appropriate fine (art. 8(2) of the 2024 law)."
    )


@needs(Need.PENALTY_ORDER)
def penalty_order_disposed(facts: CaseFacts, params: Params) -> str | None:
    """Closing with a penalty order in force lifts it by decision (Awb 5:34) or says why not."""
    order = facts.penalty_order
    if order is None:
        return None
    choice = params.get("penalty_order")
    if choice in PENALTY_ORDER_DISPOSITIONS and (params.get("penalty_order_reason") or "").strip():
        return None
    made_known = format_local(order.made_known_at, "%d %B %Y")
    return (
        f"The penalty-payment order made known on {made_known} is in force: lift it by "
        "decision (Awb 5:34) or keep it, and give the reason."
    )


def _complied(params: Params) -> bool:
    return params.get("close_reason") == CloseReason.COMPLIED


@needs(Need.FIGURES_SINCE_STEP, when=_complied)
def close_reason_valid(facts: CaseFacts, params: Params) -> str | None:
    if params.get("close_reason") not in CLOSE_REASONS:
        return f"Choose why the case closes: {', '.join(CLOSE_REASONS)}."
    if not _complied(params):
        return None
    if facts.now - facts.stage_entered_at < COMPLIANCE_WINDOW:
        return "A full six-week window since the last step has not passed yet."
    if facts.figures_since_step.reasons:
        return "The hoster still breaches the policy since the last step."
    return None


def from_warning(guard: Guard) -> Guard:
    """Apply a guard only when the case stands at the warning stage."""

    def checked(facts: CaseFacts, params: Params) -> str | None:
        return guard(facts, params) if facts.stage == Stage.WARNING else None

    checked.needs = getattr(guard, "needs", lambda _: set())
    checked.__name__ = f"{guard.__name__}_from_warning"
    return checked


def check(guards: Iterable[Guard], facts: CaseFacts, params: Params) -> list[str]:
    """Return every unmet condition (empty when the step may go ahead)."""
    return [problem for guard in guards if (problem := guard(facts, params)) is not None]


def recorded_facts(facts: CaseFacts, params: Params, wanted: set[Need]) -> dict[str, Any]:
    """Return what a step records of the facts it rested on, as plain values."""
    record: dict[str, Any] = {}
    figures = facts.figures_since_step or facts.figures_recent
    if figures is not None:
        record["figures"] = figures.frozen()
    cited = facts.violations or facts.fine_violations
    if cited is not None:
        record["violations"] = cited.summary
    if facts.views and (params.get("view_answer") or "").strip():
        view = facts.views[0]
        record["view"] = {"id": view.id, "received_at": view.received_at.isoformat(),
                          "oral": view.oral}  # fmt: skip
    if Need.FINE_CATEGORIES in wanted and (maximum := fine_maximum(facts)) is not None:
        record["maximum_fine"] = str(maximum)
    if facts.penalty_order is not None and params.get("penalty_order"):
        record["penalty_order"] = {"decision_id": facts.penalty_order.decision_id,
                                   "disposition": params["penalty_order"]}  # fmt: skip
    if Need.PREVIOUS_OFFENCES in wanted:
        record["previous_offences"] = list(facts.previous_offences)
    return record
