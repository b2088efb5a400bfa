"""Sanctions pages: penalty orders with their forfeiture ledger, collection decisions, claims
and payments, the overdue queue, and the report. No page shows a URL: violations are cited by
order reference and notice id. Admins manage users and see none of this."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from enforcement.auth.models import Role
from enforcement.core.errors import DomainError, FieldErrors
from enforcement.core.time import to_local, utcnow
from enforcement.core.web import roles_required
from enforcement.extensions import db
from enforcement.letters.formatting import format_money
from enforcement.sanctions import pages, payments, services
from enforcement.sanctions.claims import all_claims, claim_by_key
from enforcement.sanctions.forms import ActionForm, CollectionForm, PaymentForm, RefuseForm
from enforcement.sanctions.queries import PENALTY_ORDER, get_decision, penalty_orders
from enforcement.sanctions.reports import report

bp = Blueprint("sanctions", __name__)
READERS = (Role.OFFICER, Role.LEGAL, Role.SUPERVISOR)
QUEUE = (Role.LEGAL, Role.SUPERVISOR)


@bp.app_template_filter("eur")
def eur(amount) -> str:
    """Format an amount for the staff pages: EUR 1,250.00."""
    return format_money(amount, "en")


@bp.app_template_global()
def sanctions_of_case(case):
    """Return the money side of a case for its page (penalty ledgers, claims), or None."""
    if getattr(current_user, "role", None) not in READERS:
        return None
    return pages.case_money(db.session, case, utcnow())


def ids_from_form(name: str) -> list[int]:
    """Return the ids ticked in a form; a value that is not an id is a clear 400."""
    values = request.form.getlist(name)
    if not all(value.isdigit() for value in values):
        raise DomainError("The form sent something that is not a row of this page.")
    return [int(value) for value in values]


def done(action, success: str, target: str):
    """Run a service call; commit once on success, roll back and say why on a domain error."""
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(success, "info")
    return redirect(target)


@bp.get("/")
@roles_required(*READERS)
def index():
    return render_template("sanctions/index.html", orders=penalty_orders(db.session),
                           claims=all_claims(db.session),
                           sees_queue=current_user.role in QUEUE)  # fmt: skip


@bp.get("/orders/<int:decision_id>")
@roles_required(*READERS)
def order(decision_id: int):
    decision = get_decision(db.session, decision_id, PENALTY_ORDER)
    page = pages.order_page(db.session, decision, current_user, utcnow())
    return render_template("sanctions/order.html", page=page, form=ActionForm(),
                           collection_form=CollectionForm(), refuse_form=RefuseForm())  # fmt: skip


@bp.post("/orders/<int:decision_id>/confirm")
@roles_required(*services.CONFIRMERS)
def confirm(decision_id: int):
    decision = get_decision(db.session, decision_id, PENALTY_ORDER)
    target = url_for("sanctions.order", decision_id=decision_id)
    if not ActionForm().validate_on_submit():
        flash("The form expired; nothing was confirmed. Try again.", "error")
        return redirect(target)
    ids = ids_from_form("violation_id")
    return done(lambda: services.confirm_forfeitures(db.session, decision, ids,
                                                     actor=current_user, now=utcnow()),
                f"{len(ids)} forfeiture(s) confirmed; they no longer change.", target)  # fmt: skip


@bp.post("/orders/<int:decision_id>/collections")
@roles_required(*services.COLLECTION_DRAFTERS)
def draft_collection(decision_id: int):
    decision = get_decision(db.session, decision_id, PENALTY_ORDER)
    target = url_for("sanctions.order", decision_id=decision_id)
    form = CollectionForm()
    if not form.validate_on_submit():
        flash("Check the reasons (at most 4,000 characters); nothing was drafted.", "error")
        return redirect(target)
    ids = ids_from_form("forfeiture_id")
    return done(lambda: services.draft_collection(db.session, decision, ids, actor=current_user,
                                                  reasons=form.reasons.data or "", now=utcnow()),
                "Collection decision drafted; a supervisor other than you approves it.",
                target)  # fmt: skip


@bp.post("/collections/<int:collection_id>/approve")
@roles_required(*services.COLLECTION_APPROVERS)
def approve_collection(collection_id: int):
    collection = services.collection_by_id(db.session, collection_id)
    target = url_for("sanctions.order", decision_id=collection.penalty_decision_id)
    if not ActionForm().validate_on_submit():
        flash("The form expired; nothing was approved. Try again.", "error")
        return redirect(target)
    return done(lambda: services.approve_collection(db.session, collection, actor=current_user,
                                                    now=utcnow()),
                "Approved; its letter is drafted for legal staff to issue.", target)  # fmt: skip


@bp.post("/collections/<int:collection_id>/refuse")
@roles_required(*services.COLLECTION_APPROVERS)
def refuse_collection(collection_id: int):
    collection = services.collection_by_id(db.session, collection_id)
    target = url_for("sanctions.order", decision_id=collection.penalty_decision_id)
    form = RefuseForm()
    if not form.validate_on_submit():
        flash("Say why it is refused; nothing was changed.", "error")
        return redirect(target)
    return done(lambda: services.refuse_collection(db.session, collection, actor=current_user,
                                                   note=form.note.data, now=utcnow()),
                "Refused; its forfeitures can be collected by another.", target)  # fmt: skip


@bp.get("/claims/<kind>/<int:claim_id>")
@roles_required(*READERS)
def claim(kind: str, claim_id: int):
    found = claim_by_key(db.session, f"{kind}:{claim_id}")
    page = pages.claim_page(db.session, found, current_user, utcnow())
    return render_template("sanctions/claim.html", page=page, form=PaymentForm(formdata=None),
                           action_form=ActionForm())  # fmt: skip


@bp.post("/claims/<kind>/<int:claim_id>/payments")
@roles_required(*payments.PAYMENT_RECORDERS)
def pay(kind: str, claim_id: int):
    found = claim_by_key(db.session, f"{kind}:{claim_id}")
    form = PaymentForm()
    if form.validate_on_submit():
        try:
            payments.record_payment(db.session, found.key, paid_on=form.paid_on.data,
                                    amount=form.amount.data, actor=current_user, now=utcnow(),
                                    payer_reference=form.payer_reference.data)  # fmt: skip
        except FieldErrors as exc:
            db.session.rollback()
            for name, messages in exc.errors.items():
                getattr(form, name).errors = list(messages)
        else:
            db.session.commit()
            flash("Payment recorded.", "info")
            return redirect(url_for("sanctions.claim", kind=kind, claim_id=claim_id))
    page = pages.claim_page(db.session, found, current_user, utcnow())
    return render_template("sanctions/claim.html", page=page, form=form,
                           action_form=ActionForm()), 422  # fmt: skip


@bp.post("/claims/<kind>/<int:claim_id>/reminder")
@roles_required(*payments.REMINDER_DRAFTERS)
def remind(kind: str, claim_id: int):
    found = claim_by_key(db.session, f"{kind}:{claim_id}")
    target = url_for("sanctions.claim", kind=kind, claim_id=claim_id)
    if not ActionForm().validate_on_submit():
        flash("The form expired; no reminder was drafted. Try again.", "error")
        return redirect(target)
    return done(lambda: payments.draft_reminder(db.session, found.key, actor=current_user,
                                                now=utcnow()),
                "Reminder drafted: issue it from the letter's page.", target)  # fmt: skip


@bp.get("/overdue")
@roles_required(*QUEUE)
def overdue():
    today = to_local(utcnow()).date()
    return render_template("sanctions/overdue.html", rows=pages.overdue_claims(db.session, today),
                           today=today)  # fmt: skip


@bp.get("/report")
@roles_required(*READERS)
def report_page():
    return render_template("sanctions/report.html", rows=report(db.session))
