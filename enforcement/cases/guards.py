"""The conditions each step of the ladder must meet, checked when proposed and again when approved.

Every guard returns None when met, or a sentence a user understands saying what is missing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.cases.events import stage_entered_at
from enforcement.cases.hearings import current_views
from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.models import (
    ACTIVE_DEADLINE,
    Case,
    CaseEvent,
    CloseReason,
    Deadline,
    DeadlineStatus,
    Decision,
)
from enforcement.cases.queries import hoster_figures
from enforcement.core.time import LOCAL_TZ, format_local
from enforcement.deadlines import DeadlineKind, due_at
from enforcement.fines.amounts import categories_on, maximum_fine
from enforcement.fines.services import category_table
from enforcement.holidays.services import extra_holidays
from enforcement.orders.facts import qualifying_violations, violations_summary

CLOSE_REASONS = tuple(CloseReason)
COMPLIANCE_WINDOW = timedelta(weeks=6)
MAX_CITED = 5000


@dataclass
class GuardContext:
    session: Session
    case: Case
    params: dict[str, Any]
    now: datetime
    # Facts a guard found that the step should record (figures, cited violations, amounts).
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.astimezone(LOCAL_TZ).date()


def running(case: Case, kind: str) -> Deadline | None:
    """Return the case's latest deadline of a kind that is running or suspended."""
    found = [d for d in case.deadlines if d.kind == kind and d.status in ACTIVE_DEADLINE]
    return max(found, key=lambda d: d.starts_at) if found else None


def last_step_at(ctx: GuardContext) -> datetime:
    """Return when the case last changed stage (or was opened)."""
    return stage_entered_at(ctx.session, ctx.case)


def _term_over(ctx: GuardContext, kind: str, label: str) -> str | None:
    deadline = running(ctx.case, kind)
    if deadline is None:
        return None
    if deadline.status == DeadlineStatus.SUSPENDED:
        return f"The {label} is suspended."
    if ctx.now <= deadline.due_at:
        return f"The {label} runs until {format_local(deadline.due_at, '%A %d %B %Y')}."
    return None


def _breach_since(ctx: GuardContext, since: datetime) -> list[str]:
    """Return why the hoster breaches from ``since`` up to now; record the figures relied on."""
    verdict = hoster_figures(
        ctx.session, ctx.case.hoster_id, since.astimezone(LOCAL_TZ).date(), ctx.today, ctx.now
    )
    ctx.facts["figures"] = verdict.frozen()
    return verdict.reasons


def improvement_window_over(ctx: GuardContext) -> str | None:
    return _term_over(ctx, "improvement_window", "improvement window")


def still_breaching(ctx: GuardContext) -> str | None:
    if _breach_since(ctx, last_step_at(ctx)):
        return None
    return "The hoster no longer breaches the policy over the period since the last step."


def breaches_again(ctx: GuardContext) -> str | None:
    if _breach_since(ctx, ctx.now - COMPLIANCE_WINDOW):
        return None
    return "The hoster does not breach the policy over the last six weeks."


def previous_offences(ctx: GuardContext) -> None:
    """Record the hoster's earlier decisions that stand: on reopening they count as a record."""
    decisions = ctx.session.execute(
        sa.select(Decision.kind, Decision.made_known_at)
        .join(Case, Case.id == Decision.case_id)
        .where(Case.hoster_id == ctx.case.hoster_id, Decision.revoked.is_(False))
        .order_by(Decision.made_known_at)
    ).all()
    ctx.facts["previous_offences"] = [
        {"decision": kind, "made_known_at": moment.isoformat()} for kind, moment in decisions
    ]


def reaction_period_over(ctx: GuardContext) -> str | None:
    return _term_over(ctx, "reaction_period", "reaction period")


def heard(ctx: GuardContext) -> str | None:
    """Decide only after the view term, or on a view received, which the step must answer."""
    if not current_views(ctx.session, ctx.case):
        return _term_over(ctx, "view_term", "term for the hoster's view")
    return view_answered(ctx)


def view_answered(ctx: GuardContext) -> str | None:
    """A view the hoster gave on the intent is answered on its merits by the decision."""
    views = current_views(ctx.session, ctx.case)
    if not views:
        return None
    view = views[0]
    if not (ctx.params.get("view_answer") or "").strip():
        received = format_local(view.received_at, "%d %B %Y")
        return f"Answer the hoster's view of {received}: the decision must respond to it."
    ctx.facts["view"] = {"id": view.id, "received_at": view.received_at.isoformat(),
                         "oral": view.oral}  # fmt: skip
    return None


def weeks_param(name: str, minimum: int, label: str) -> Callable[[GuardContext], str | None]:
    def guard(ctx: GuardContext) -> str | None:
        value = ctx.params.get(name, minimum)
        if not isinstance(value, int) or value < minimum:
            return f"The {label} is at least {minimum} weeks."
        return None

    return guard


def _amount(ctx: GuardContext, name: str) -> Decimal | None:
    try:
        value = Decimal(str(ctx.params.get(name, "")))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


def penalty_parameters(ctx: GuardContext) -> str | None:
    missing = []
    if not (ctx.params.get("remedy") or "").strip():
        missing.append("the remedy")
    grace = ctx.params.get("grace_period_days")
    if not isinstance(grace, int) or grace < 1:
        missing.append("a grace period of at least one day")
    amount, maximum = _amount(ctx, "amount_per_violation"), _amount(ctx, "maximum")
    if amount is None:
        missing.append("a positive amount per violation")
    if maximum is None or (amount is not None and maximum < amount):
        missing.append("a maximum at least the amount per violation")
    return f"The order needs {', '.join(missing)}." if missing else None


def violated_orders(ctx: GuardContext) -> str | None:
    """A penalty order rests on violated removal orders (art. 6(3), 7): record which."""
    return _rest_on_violations(ctx, for_fine=False)


def violated_orders_for_fine(ctx: GuardContext) -> str | None:
    """A fine rests on violated removal orders of the last five years (art. 8; Awb 5:45)."""
    return _rest_on_violations(ctx, for_fine=True)


def _rest_on_violations(ctx: GuardContext, *, for_fine: bool) -> str | None:
    found = qualifying_violations(ctx.session, ctx.case.hoster_id, now=ctx.now, for_fine=for_fine)
    if for_fine:  # no second fine for the same violation (Awb 5:43)
        fined = fined_violation_ids(ctx.session, ctx.case.hoster_id)
        found = [fact for fact in found if fact.id not in fined]
    if not found:
        period = "in the last five years, not fined before, " if for_fine else ""
        return (
            f"No established violation of a removal order {period}(art. 6(3) of the 2024 law) "
            "by this hoster since 1 July 2024: a sanction can rest on nothing else."
        )
    ctx.facts["violations"] = violations_summary(found, MAX_CITED)
    return None


def fined_violation_ids(session: Session, hoster_id: int) -> set[int]:
    """Return the violations a standing fine of this hoster was imposed for: those its fine
    report cited (the report the case drew up before the fine decision)."""
    fines = session.execute(
        sa.select(Decision.case_id, CaseEvent.sequence)
        .join(CaseEvent, CaseEvent.id == Decision.event_id)
        .join(Case, Case.id == Decision.case_id)
        .where(Case.hoster_id == hoster_id, Decision.kind == "fine_decision")
        .where(Decision.revoked.is_(False))
    ).all()
    fined: set[int] = set()
    for case_id, sequence in fines:
        report = session.scalar(
            sa.select(CaseEvent)
            .where(CaseEvent.case_id == case_id, CaseEvent.kind == "transition")
            .where(CaseEvent.trigger == Trigger.DRAW_FINE_REPORT.value)
            .where(CaseEvent.sequence < sequence)
            .order_by(CaseEvent.sequence.desc())
            .limit(1)
        )
        cited = ((report.data or {}).get("facts") or {}).get("violations") if report else None
        fined.update((cited or {}).get("ids", []))
    return fined


def view_term_within_fine_term(ctx: GuardContext) -> str | None:
    """The hoster's view on a fine intent must be heard before the 13 weeks of Awb 5:51 end."""
    deadline = running(ctx.case, "fine_decision")
    weeks = ctx.params.get("view_weeks")
    if deadline is None or not isinstance(weeks, int):
        return None
    holidays = extra_holidays(ctx.session)
    view_ends = due_at(DeadlineKind.VIEW_TERM, ctx.now, weeks=weeks, extra_holidays=holidays)
    if view_ends <= deadline.due_at:
        return None
    return (
        f"The term for the hoster's view would end on {format_local(view_ends, '%d %B %Y')}, "
        f"after the fine must be decided on ({format_local(deadline.due_at, '%d %B %Y')}, "
        "Awb 5:51): shorten it."
    )


def within_fine_term(ctx: GuardContext) -> str | None:
    deadline = running(ctx.case, "fine_decision")
    if deadline is not None and ctx.now > deadline.due_at:
        return (
            "The 13 weeks after the fine report (Awb 5:51) ended on "
            f"{format_local(deadline.due_at, '%d %B %Y')}; the fine can no longer be imposed."
        )
    return None


def amount_within_maximum(ctx: GuardContext) -> str | None:
    amount = _amount(ctx, "amount")
    if amount is None:
        return "Give the amount of the fine."
    try:
        categories = categories_on(category_table(ctx.session), ctx.today)
    except ValueError:
        return "No fine category amounts are known for today: add them (fine categories page)."
    maximum = maximum_fine(
        categories, systematic=ctx.case.systematic, turnover_eur=ctx.case.turnover_eur
    )
    ctx.facts["maximum_fine"] = str(maximum)
    if amount > maximum:
        return f"The fine of EUR {amount:,.2f} exceeds the maximum of EUR {maximum:,.2f}."
    return None


def amount_reasoned(ctx: GuardContext) -> str | None:
    """The fine decision states why this amount (Awb 5:46(2)): record the reasons."""
    if (ctx.params.get("amount_reasons") or "").strip():
        return None
    return (
        "Give the reasons for the amount: the seriousness and duration of the violations, the "
        "degree of blame and the circumstances (Awb 5:46)."
    )


def turnover_route_found(ctx: GuardContext) -> str | None:
    """Above the 6th category only with the finding that it does not allow an appropriate fine."""
    amount = _amount(ctx, "amount")
    table = category_table(ctx.session)
    if amount is None or not table or amount <= categories_on(table, ctx.today).sixth:
        return None
    if (ctx.params.get("turnover_finding") or "").strip():
        return None
    return (
        "A fine above the sixth category needs the finding that that category does not allow "
        "an appropriate fine (art. 8(2) of the 2024 law)."
    )


def standing_penalty_order(ctx: GuardContext) -> Decision | None:
    """Return the case's penalty-payment order in force (not revoked, not lifted), if any."""
    return ctx.session.scalar(
        sa.select(Decision).where(
            Decision.case_id == ctx.case.id,
            Decision.kind == "penalty_order",
            Decision.revoked.is_(False),
            Decision.lifted_at.is_(None),
        )
    )


def penalty_order_disposed(ctx: GuardContext) -> str | None:
    """Closing with a penalty order in force lifts it by decision (Awb 5:34) or says why not."""
    order = standing_penalty_order(ctx)
    if order is None:
        return None
    choice = ctx.params.get("penalty_order")
    if choice not in ("lift", "keep") or not (ctx.params.get("penalty_order_reason") or "").strip():
        made_known = format_local(order.made_known_at, "%d %B %Y")
        return (
            f"The penalty-payment order made known on {made_known} is in force: lift it by "
            "decision (Awb 5:34) or keep it, and give the reason."
        )
    ctx.facts["penalty_order"] = {"decision_id": order.id, "disposition": choice}
    return None


def close_reason_valid(ctx: GuardContext) -> str | None:
    if ctx.params.get("close_reason") not in CLOSE_REASONS:
        return f"Choose why the case closes: {', '.join(CLOSE_REASONS)}."
    if ctx.params["close_reason"] == CloseReason.COMPLIED:
        return complied_for_a_full_window(ctx)
    return None


def complied_for_a_full_window(ctx: GuardContext) -> str | None:
    since = last_step_at(ctx)
    if ctx.now - since < COMPLIANCE_WINDOW:
        return "A full six-week window since the last step has not passed yet."
    if _breach_since(ctx, since):
        return "The hoster still breaches the policy since the last step."
    return None


def from_warning(guard: Callable[[GuardContext], str | None]) -> Callable:
    """Apply a guard only when the case stands at the warning stage."""

    def checked(ctx: GuardContext) -> str | None:
        return guard(ctx) if ctx.case.stage == Stage.WARNING else None

    return checked


GUARDS: dict[Trigger, tuple[Callable[[GuardContext], str | None], ...]] = {
    Trigger.SEND_WARNING: (weeks_param("improvement_weeks", 1, "improvement window"),),
    Trigger.INTEND_NAMING: (
        improvement_window_over,
        still_breaching,
        weeks_param("reaction_weeks", 2, "reaction period"),
    ),
    # The reaction period always runs out first; a view given in it is answered.
    Trigger.NAME_PUBLICLY: (reaction_period_over, view_answered),
    # Sanctions rest on violated removal orders only (art. 6(3)), never on the 24-hour norm.
    Trigger.INTEND_PENALTY: (
        from_warning(improvement_window_over),
        violated_orders,
        weeks_param("view_weeks", 1, "term for the hoster's view"),
    ),
    Trigger.IMPOSE_PENALTY: (
        heard,
        penalty_parameters,
        violated_orders,
    ),
    # The report is dated when it is drawn up (its letter issued) and cites what stands then.
    Trigger.DRAW_FINE_REPORT: (violated_orders_for_fine,),
    # The intent names the amount its letter announces; it may not exceed the maximum either.
    Trigger.INTEND_FINE: (
        weeks_param("view_weeks", 1, "term for the hoster's view"),
        amount_within_maximum,
        view_term_within_fine_term,
        violated_orders_for_fine,
    ),
    Trigger.IMPOSE_FINE: (
        within_fine_term,
        heard,
        amount_within_maximum,
        amount_reasoned,
        turnover_route_found,
        violated_orders_for_fine,
    ),
    Trigger.CLOSE: (close_reason_valid, penalty_order_disposed),
    Trigger.REOPEN: (breaches_again, previous_offences),
    Trigger.REVOKE: (),
}


def check_guards(ctx: GuardContext, trigger: Trigger) -> list[str]:
    """Return every unmet condition of a step (empty when it may go ahead)."""
    return [problem for guard in GUARDS[trigger] if (problem := guard(ctx)) is not None]
