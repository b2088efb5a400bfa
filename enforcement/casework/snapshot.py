"""Load the facts a step's guards judge, once, before the step (enforcement.cases.snapshot).

Only the facts the step's guards need are read: a warning reads the case's deadlines; a fine
reads the violations, the fine categories and the views as well.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.cases.events import stage_entered_at
from enforcement.cases.guards import COMPLIANCE_WINDOW
from enforcement.cases.hearings import current_views
from enforcement.cases.models import ACTIVE_DEADLINE, Case, CaseEvent, Decision
from enforcement.cases.queries import hoster_figures
from enforcement.cases.snapshot import CaseFacts, Cited, Need, StandingOrder, Term, View
from enforcement.cases.steps import Step, Trigger
from enforcement.core.time import LOCAL_TZ
from enforcement.fines.services import category_table
from enforcement.holidays.services import extra_holidays
from enforcement.orders.facts import qualifying_violations, violations_summary

MAX_CITED = 5000


def load_facts(session: Session, case: Case, step: Step, params: dict, now: datetime) -> CaseFacts:
    """Return the snapshot the step's guards judge, as the case stands at ``now``."""
    wanted = step.needs(params)
    entered = stage_entered_at(session, case)
    terms = tuple(
        Term(d.kind, d.status, d.starts_at, d.due_at)
        for d in case.deadlines
        if d.status in ACTIVE_DEADLINE
    )
    loaded = {}
    if Need.FIGURES_SINCE_STEP in wanted:
        loaded["figures_since_step"] = _figures(session, case, entered, now)
    if Need.FIGURES_RECENT in wanted:
        loaded["figures_recent"] = _figures(session, case, now - COMPLIANCE_WINDOW, now)
    if Need.VIEWS in wanted:
        loaded["views"] = tuple(
            View(view.id, view.received_at, view.oral) for view in current_views(session, case)
        )
    if Need.VIOLATIONS in wanted:
        loaded["violations"] = _cited(qualifying_violations(session, case.hoster_id, now=now))
    if Need.FINE_VIOLATIONS in wanted:
        found = qualifying_violations(session, case.hoster_id, now=now, for_fine=True)
        fined = fined_violation_ids(session, case.hoster_id)  # Awb 5:43: not fined twice
        loaded["fine_violations"] = _cited([fact for fact in found if fact.id not in fined])
    if Need.FINE_CATEGORIES in wanted:
        loaded["fine_categories"] = tuple(category_table(session))
    if Need.HOLIDAYS in wanted:
        loaded["extra_holidays"] = extra_holidays(session)
    if Need.PENALTY_ORDER in wanted:
        loaded["penalty_order"] = standing_penalty_order(session, case)
    if Need.PREVIOUS_OFFENCES in wanted:
        loaded["previous_offences"] = previous_offences(session, case.hoster_id)
    return CaseFacts(now=now, stage=case.stage, stage_entered_at=entered, terms=terms,
                     systematic=case.systematic, turnover_eur=case.turnover_eur,
                     **loaded)  # fmt: skip


def _figures(session: Session, case: Case, since: datetime, now: datetime):
    first_day = since.astimezone(LOCAL_TZ).date()
    return hoster_figures(session, case.hoster_id, first_day, now.astimezone(LOCAL_TZ).date(), now)


def _cited(found: list) -> Cited:
    return Cited(len(found), violations_summary(found, MAX_CITED))


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


def standing_penalty_order(session: Session, case: Case) -> StandingOrder | None:
    """Return the case's penalty-payment order in force (not revoked, not lifted), if any."""
    order = session.scalar(
        sa.select(Decision).where(
            Decision.case_id == case.id,
            Decision.kind == "penalty_order",
            Decision.revoked.is_(False),
            Decision.lifted_at.is_(None),
        )
    )
    return StandingOrder(order.id, order.made_known_at) if order else None


def previous_offences(session: Session, hoster_id: int) -> tuple[dict[str, str], ...]:
    """Return the hoster's earlier decisions that stand: on reopening they count as a record."""
    decisions = session.execute(
        sa.select(Decision.kind, Decision.made_known_at)
        .join(Case, Case.id == Decision.case_id)
        .where(Case.hoster_id == hoster_id, Decision.revoked.is_(False))
        .order_by(Decision.made_known_at)
    ).all()
    return tuple(
        {"decision": kind, "made_known_at": moment.isoformat()} for kind, moment in decisions
    )
