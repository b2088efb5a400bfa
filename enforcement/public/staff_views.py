"""The case page's publication panel and its forms (legal staff): what art. 9 publication
depends on.

Each posts, calls one service, commits once and returns to the case page's publication panel.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from enforcement.auth.models import Role, User
from enforcement.cases.models import Case, Decision
from enforcement.core.errors import DomainError, NotFound
from enforcement.core.time import utcnow
from enforcement.core.web import roles_required
from enforcement.extensions import db
from enforcement.public import services
from enforcement.public.art9 import Publication, earliest_publication, legal_status, publication
from enforcement.public.forms import (
    AppealDecisionForm,
    AppealForm,
    NamingResponseForm,
    ReliefDecisionForm,
    ReliefForm,
)
from enforcement.public.models import (
    Appeal,
    AppealOutcome,
    InterimRelief,
    NamingResponse,
    ReliefOutcome,
)
from enforcement.public.queries import SANCTION_KINDS, fact_tables

bp = Blueprint("public_staff", __name__)


@dataclass(frozen=True)
class PanelLine:
    decision: Decision
    publication: Publication | None  # None for a naming decision (not art. 9)
    earliest: datetime | None
    legal_status: str | None
    reliefs: list[InterimRelief]
    appeals: list[Appeal]
    response: NamingResponse | None


def _rows(model: Any, decision_ids: list[int]) -> list:
    return list(db.session.scalars(
        sa.select(model).where(model.decision_id.in_(decision_ids)).order_by(model.id)
    ))  # fmt: skip


def publication_panel(case: Case, user: User, now: datetime | None = None) -> dict[str, Any]:
    """Return the panel's lines and forms for this case and user."""
    now = now or utcnow()
    decisions = list(db.session.scalars(
        sa.select(Decision).where(Decision.case_id == case.id).order_by(Decision.made_known_at)
    ))  # fmt: skip
    ids = [d.id for d in decisions]
    tables = fact_tables(db.session, decisions)
    reliefs, appeals = _rows(InterimRelief, ids), _rows(Appeal, ids)
    responses = {r.decision_id: r for r in _rows(NamingResponse, ids)}
    lines = []
    for d in decisions:
        sanction = d.kind in SANCTION_KINDS
        facts = tables.facts(d)
        lines.append(PanelLine(
            d,
            publication(facts, now) if sanction else None,
            earliest_publication(d.made_known_at) if sanction else None,
            legal_status(facts, now).value if sanction else None,
            [r for r in reliefs if r.decision_id == d.id],
            [a for a in appeals if a.decision_id == d.id],
            responses.get(d.id),
        ))  # fmt: skip
    return {
        "lines": lines,
        "may_record": user.role in services.RECORDERS,
        "forms": {
            "relief": ReliefForm(formdata=None),
            "relief_decide": ReliefDecisionForm(formdata=None),
            "appeal": AppealForm(formdata=None),
            "appeal_decide": AppealDecisionForm(formdata=None),
            "response": NamingResponseForm(formdata=None),
        },
    }


@bp.app_context_processor
def panel_helper() -> dict:
    return {"publication_panel": publication_panel}


def _load(model, row_id: int):
    row = db.session.get(model, row_id)
    if row is None:
        raise NotFound("There is nothing at this address.")
    return row


def _submit(form: FlaskForm, case: Case, action: Callable[[], object], done: str):
    """Validate, act, commit once, and return to the case page (POST-redirect-GET)."""
    if not form.validate_on_submit():
        for field in form:
            for error in field.errors:
                flash(f"{field.label.text}: {error}", "error")
    else:
        try:
            action()
            db.session.commit()
            flash(done, "info")
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="publication"))


@bp.post("/decisions/<int:decision_id>/relief")
@roles_required(Role.LEGAL)
def relief_new(decision_id: int):
    decision, form = _load(Decision, decision_id), ReliefForm()
    return _submit(form, decision.case, lambda: services.record_relief(
        db.session, decision, requested_at=form.moment(), actor=current_user, now=utcnow()
    ), "The request for interim relief is recorded; publication waits while pending.")  # fmt: skip


@bp.post("/reliefs/<int:relief_id>/decide")
@roles_required(Role.LEGAL)
def relief_decide(relief_id: int):
    relief, form = _load(InterimRelief, relief_id), ReliefDecisionForm()
    return _submit(form, relief.decision.case, lambda: services.decide_relief(
        db.session, relief, outcome=ReliefOutcome(form.outcome.data), decided_at=form.moment(),
        actor=current_user, now=utcnow(),
    ), "The outcome of the request for interim relief is recorded.")  # fmt: skip


@bp.post("/decisions/<int:decision_id>/appeal")
@roles_required(Role.LEGAL)
def appeal_new(decision_id: int):
    decision, form = _load(Decision, decision_id), AppealForm()
    return _submit(form, decision.case, lambda: services.record_appeal(
        db.session, decision, lodged_on=form.lodged_on.data, actor=current_user, now=utcnow()
    ), "The appeal is recorded.")  # fmt: skip


@bp.post("/appeals/<int:appeal_id>/decide")
@roles_required(Role.LEGAL)
def appeal_decide(appeal_id: int):
    appeal, form = _load(Appeal, appeal_id), AppealDecisionForm()
    return _submit(form, appeal.decision.case, lambda: services.decide_appeal(
        db.session, appeal, outcome=AppealOutcome(form.outcome.data), decided_at=form.moment(),
        actor=current_user, now=utcnow(),
    ), "The judgment on the appeal is recorded.")  # fmt: skip


@bp.post("/decisions/<int:decision_id>/naming-response")
@roles_required(Role.LEGAL)
def naming_response(decision_id: int):
    decision, form = _load(Decision, decision_id), NamingResponseForm()
    return _submit(form, decision.case, lambda: services.record_naming_response(
        db.session, decision, text=form.text.data, received_on=form.received_on.data,
        actor=current_user, now=utcnow(),
    ), "The hoster's response is recorded and shown on the takedown report.")  # fmt: skip
