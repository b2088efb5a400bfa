"""Case pages: the list, one case with its ladder and actions, the supervisor queue, opening.

The forms on the case page post to the views in ``step_views``, which add their routes to
this blueprint.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms.widgets import HiddenInput

from enforcement.auth.models import Role, User
from enforcement.cases import hearings
from enforcement.cases.events import verify_events
from enforcement.cases.fine_basis import RECORDERS
from enforcement.cases.forms import (
    DIRECT_TRIGGERS,
    DeadlineChangeForm,
    DecideObjectionForm,
    DeferForm,
    FineBasisForm,
    HearingForm,
    ObjectionForm,
    OpenCaseForm,
    ProposalDecisionForm,
    StepForm,
    ViewForm,
    WithdrawStepForm,
)
from enforcement.cases.ladder import Stage, Trigger, ladder_edges
from enforcement.cases.models import Case
from enforcement.cases.queries import (
    QUEUE_SORTS,
    case_officers,
    cases_query,
    current_figures,
    deadline_line,
    decisions_with_objections,
    frozen_figures,
    hoster_figures,
    pending_proposal,
    read_sorts,
    supervisor_queue,
)
from enforcement.cases.services import (
    available_actions,
    get_case,
    may_withdraw,
    open_case,
    pending_step,
)
from enforcement.cases.steps import STEPS, step_label
from enforcement.cases.terms import FIXED_KINDS, MAY_CHANGE_DEADLINES
from enforcement.core.errors import DomainError
from enforcement.core.time import LOCAL_TZ, utcnow
from enforcement.core.web import is_safe_next_url, paginate, roles_required
from enforcement.extensions import db
from enforcement.fines.amounts import staleness
from enforcement.fines.services import category_table
from enforcement.hosters.services import get_hoster
from enforcement.letters.queries import case_letters, pending_letter
from enforcement.metrics.figures import FIGURE_NAMES
from enforcement.metrics.forms import read_window

bp = Blueprint("cases", __name__)
ALL_STAFF = tuple(Role)
CASES_PER_PAGE = 25
# Row ids in URLs: a number past the database's integer range is simply not found.
INCOMPLETE_FORM = "The form was incomplete. Reload the page and try again."


@dataclass(frozen=True)
class Rung:
    """One stage of the ladder as the machine defines it, with the steps leading out of it."""

    stage: Stage
    current: bool
    exits: list[tuple[Trigger, str, Stage]]


def ladder(current: Stage) -> list[Rung]:
    """Return every stage in ladder order with its outgoing (trigger, label, destination)."""
    edges = ladder_edges()
    return [
        Rung(
            stage,
            stage == current,
            [
                (trigger, STEPS[trigger].label, dest)
                for source, trigger, dest in edges
                if source == stage
            ],
        )
        for stage in Stage
    ]


def flash_form_errors(form: FlaskForm, *more: str | None) -> None:
    """Flash what is wrong with a submitted form; a broken hidden field asks for a reload."""
    messages = [
        INCOMPLETE_FORM if isinstance(field.widget, HiddenInput) else f"{field.label.text}: {error}"
        for field in form
        for error in field.errors
    ]
    for message in dict.fromkeys([*messages, *filter(None, more)]):
        flash(message, "error")


@bp.get("/")
@roles_required(*ALL_STAFF)
def index():
    filters = read_filters(request.args)
    page = paginate(cases_query(**filters), per_page=CASES_PER_PAGE)
    return render_template(
        "cases/index.html",
        page=page,
        filters=filters,
        stages=list(Stage),
        officers=case_officers(db.session),
    )


def read_filters(args) -> dict[str, Any]:
    """Read the case list's filters: stage, hoster name, officer (who opened it), open/closed."""
    officer = args.get("officer", "")
    return {
        "stage": args.get("stage", ""),
        "hoster": args.get("hoster", "").strip()[:200],
        "officer_id": int(officer) if officer.isdigit() and len(officer) < 10 else None,
        "status": args.get("status", "") if args.get("status") in ("open", "closed") else "",
    }


@bp.get("/<int:case_id>")
@roles_required(*ALL_STAFF)
def detail(case_id: int):
    case = get_case(db.session, case_id)
    return render_template(
        "cases/detail.html",
        **case_page(case, current_user, utcnow()),
        letters=case_letters(db.session, case, current_user),
    )


def case_page(case: Case, user: User, now: datetime) -> dict[str, Any]:
    """Return what the case page shows this user as of now."""
    proposal = pending_proposal(db.session, case.id)
    may_decide = user.role == Role.SUPERVISOR and proposal is not None
    pending = pending_step(db.session, case)
    actions = available_actions(case, user)
    return {
        "pending": pending,
        "pending_letter": pending_letter(db.session, pending),
        "may_withdraw": may_withdraw(pending, user),
        "case": case,
        "now": now,
        "ladder": ladder(case.stage),
        "then": frozen_figures(case.opening_figures or {}),
        "current": current_figures(db.session, case.hoster_id, now),
        "figure_names": FIGURE_NAMES,
        "deadlines": [deadline_line(d, now) for d in case.deadlines],
        "proposal": proposal,
        "may_decide_proposal": may_decide and user.id != proposal.proposed_by_id,
        "decisions": decisions_with_objections(db.session, case.id),
        "actions": actions,
        "fine_warning": fine_warning(actions, now),
        "direct": DIRECT_TRIGGERS,
        "steps": STEPS,
        "step_label": step_label,
        "may_object": user.role == Role.LEGAL,
        "views": hearings.current_views(db.session, case),
        "awaits_view": case.stage in hearings.INTENT_AT_STAGE,
        "may_record_view": user.role == Role.LEGAL,
        "may_record_fine_basis": user.role in RECORDERS,
        "may_change_deadlines": user.role in MAY_CHANGE_DEADLINES,
        "fixed_kinds": FIXED_KINDS,
        "chain_broken": verify_events(case.events),
        "forms": {
            "step": StepForm.prefilled(),
            "proposal": ProposalDecisionForm(formdata=None),
            "objection": ObjectionForm(formdata=None),
            "defer": DeferForm(formdata=None),
            "decide": DecideObjectionForm(formdata=None),
            "hearing": HearingForm(formdata=None),
            "deadline": DeadlineChangeForm(formdata=None),
            "withdraw": WithdrawStepForm(formdata=None),
            "view": ViewForm(formdata=None),
            "fine_basis": FineBasisForm(
                formdata=None,
                data={
                    "systematic": case.systematic,
                    "systematic_reason": case.systematic_reason,
                    "turnover_eur": case.turnover_eur,
                    "turnover_source": case.turnover_source,
                },
            ),
        },
    }


@bp.get("/queue")
@roles_required(Role.SUPERVISOR)
def queue():
    now = utcnow()
    sorts = read_sorts(request.args.getlist("sort"))
    sections = supervisor_queue(db.session, now, sorts)

    def sort_url(section: str, key: str) -> str:
        chosen = {**sorts, section: key}
        sort = [f"{s}:{k}" for s, k in chosen.items()]
        return url_for("cases.queue", sort=sort, _anchor=section)

    return render_template(
        "cases/queue.html",
        sections=sections,
        sorts=sorts,
        sort_keys=QUEUE_SORTS,
        sort_url=sort_url,
        steps=STEPS,
        now=now,
    )


@bp.post("/open", endpoint="open")
@roles_required(Role.OFFICER)
def open_view():
    form = OpenCaseForm()
    back = form.next.data if is_safe_next_url(form.next.data) else url_for("metrics.candidates")
    now = utcnow()
    as_of = form.measured_at(now)
    window = read_window(request.form, as_of)
    if not form.validate_on_submit() or window.error:
        flash_form_errors(form, window.error)
        return redirect(back)
    hoster = get_hoster(db.session, form.hoster_id.data)
    figures = hoster_figures(db.session, hoster.id, *window.days, as_of)
    try:
        case = open_case(
            db.session,
            hoster,
            actor=current_user,
            reason=form.reason.data or "",
            opening_figures=figures.frozen(),
            breaches=bool(figures.reasons),
            now=now,
        )
        db.session.commit()
    except (DomainError, IntegrityError) as exc:
        db.session.rollback()
        flash(getattr(exc, "message", "This hoster already has an open case."), "error")
        return redirect(back)
    flash(f"Case #{case.id} opened for {hoster.trade_name}.", "info")
    return redirect(url_for("cases.detail", case_id=case.id))


# The step views register their routes on bp; imported last, since they import bp from here.
from enforcement.cases import step_views  # noqa: E402, F401

FINE_STEPS = (Trigger.DRAW_FINE_REPORT, Trigger.INTEND_FINE, Trigger.IMPOSE_FINE)


def fine_warning(actions: list[Trigger], now) -> str | None:
    """Warn, where a fine step is on offer, that the fine category amounts may be stale."""
    if not any(trigger in FINE_STEPS for trigger in actions):
        return None
    return staleness(category_table(db.session), now.astimezone(LOCAL_TZ).date())
