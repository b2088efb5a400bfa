"""Escalation candidates and the breach policy with its history."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from enforcement.auth.models import Role
from enforcement.cases.queries import hosters_with_open_case
from enforcement.core.errors import FieldErrors
from enforcement.core.time import LOCAL_TZ, utcnow
from enforcement.core.web import roles_required
from enforcement.extensions import db
from enforcement.metrics.forms import PolicyForm, read_window
from enforcement.metrics.services import (
    breach_candidates,
    policy_history,
    policy_in_force,
    set_policy,
)

bp = Blueprint("metrics", __name__)
CASE_WORKERS = (Role.OFFICER, Role.LEGAL, Role.SUPERVISOR)


@bp.get("/candidates")
@roles_required(*CASE_WORKERS)
def candidates():
    as_of = utcnow()
    window = read_window(request.args, as_of)
    if window.error:
        return render_template("metrics/candidates.html", window=window, candidates=None), 400
    # A hoster with an open case is already under enforcement: not a candidate for another.
    found = breach_candidates(db.session, window.first_day, window.last_day, as_of,
                              excluded=hosters_with_open_case())  # fmt: skip
    return render_template("metrics/candidates.html", window=window, candidates=found, as_of=as_of)


@bp.get("/policy")
@roles_required(*Role)
def policy():
    return render_policy(form=None)


@bp.post("/policy")
@roles_required(Role.SUPERVISOR)
def policy_update():
    form = PolicyForm()
    if not form.validate_on_submit():
        return render_policy(form)
    try:
        set_policy(
            db.session,
            effective_from=form.effective_from.data,
            thresholds=form.thresholds(),
            reason=form.reason.data,
            actor=current_user,
            today=utcnow().astimezone(LOCAL_TZ).date(),
        )
    except FieldErrors as exc:
        db.session.rollback()
        form.set_domain_errors(exc.errors)
        return render_policy(form)
    db.session.commit()
    flash("The new policy version is recorded.", "info")
    return redirect(url_for("metrics.policy"))


def render_policy(form: PolicyForm | None) -> str:
    """Render the policy in force, its history, and for supervisors the form for a new version."""
    today = utcnow().astimezone(LOCAL_TZ).date()
    in_force = policy_in_force(db.session, today)
    history = policy_history(db.session)
    if form is None and current_user.role == Role.SUPERVISOR:
        form = PolicyForm.prefilled(in_force, effective_from=today)
    return render_template(
        "metrics/policy.html",
        in_force=in_force,
        in_force_id=next((v.id for v in history if v.effective_from <= today), None),
        history=history,
        today=today,
        form=form,
    )
