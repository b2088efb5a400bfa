"""Removal-order pages: the officers' list of orders falling due, a hoster's orders, drafting an
order from a hoster's still-online notices, one order with its items, and the actions on it.

Every page shows URLs of abuse material, so none is open to admins: only the staff who work
with orders (officers, legal staff, supervisors) see them.
"""

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from enforcement.casework import operations
from enforcement.core.errors import DomainError, FieldErrors, NotFound
from enforcement.core.time import utcnow
from enforcement.core.web import roles_required
from enforcement.extensions import db
from enforcement.hosters.services import get_hoster
from enforcement.letters.orders import (
    discard_removal_order,
    draft_removal_order,
    refresh_order_letter,
)
from enforcement.orders import queries, services, violations
from enforcement.orders.compliance import total_counts
from enforcement.orders.forms import (
    DraftOrderForm,
    ReceiptForm,
    SelectionForm,
    WithdrawViolationForm,
)
from enforcement.orders.models import OrderStatus, RemovalOrder, Violation

bp = Blueprint("orders", __name__)
DEFAULT_DUE_HOURS = 12
MAX_DUE_HOURS = 24 * 7


@bp.app_context_processor
def order_links() -> dict:
    """Tell every page whether the user sees removal orders and may draft one."""
    role = getattr(current_user, "role", None)
    return {"order_access": {"see": role in services.READERS, "draft": role in services.DRAFTERS}}


def failures() -> int:
    return current_app.config["CHECK_FAILURES_FOR_OFFLINE"]


@bp.get("/")
@roles_required(*services.READERS)
def index():
    hours = request.args.get("hours", DEFAULT_DUE_HOURS, type=int)
    hours = min(max(hours or DEFAULT_DUE_HOURS, 1), MAX_DUE_HOURS)
    now = utcnow()
    due = queries.orders_falling_due(db.session, now=now, hours=hours)
    return render_template(
        "orders/index.html",
        hours=hours,
        now=now,
        due=queries.order_compliance(db.session, due, as_of=now, failures_for_offline=failures()),
        awaiting_receipt=queries.orders_awaiting_receipt(db.session),
        drafts=queries.draft_orders(db.session),
    )


@bp.get("/hoster/<int:hoster_id>")
@roles_required(*services.READERS)
def hoster(hoster_id: int):
    hoster = get_hoster(db.session, hoster_id)
    now = utcnow()
    orders = queries.hoster_orders(db.session, hoster.id)
    compliance = queries.order_compliance(db.session, orders, as_of=now,
                                          failures_for_offline=failures())  # fmt: skip
    return render_template("orders/hoster.html", hoster=hoster, orders=compliance, now=now,
                           totals=total_counts(oc.counts for oc in compliance),
                           may_draft=current_user.role in services.DRAFTERS)  # fmt: skip


@bp.route("/new/<int:hoster_id>", methods=["GET", "POST"])
@roles_required(*services.DRAFTERS)
def new(hoster_id: int):
    hoster = get_hoster(db.session, hoster_id)
    form = DraftOrderForm()
    if form.validate_on_submit() and (order := _draft(hoster, form)) is not None:
        flash("The removal order is drafted. Legal staff check and issue it.", "info")
        return redirect(url_for("orders.detail", order_id=order.id))
    return render_new(hoster, form)


def _draft(hoster, form: DraftOrderForm) -> RemovalOrder | None:
    """Draft the order the form asks for and commit; None (the reason flashed) if refused."""
    try:
        order = draft_removal_order(
            db.session, hoster, form.notice_ids.data, actor=current_user,
            term_hours=form.term_hours.data, reasons=form.reasons.data or "", now=utcnow(),
        )  # fmt: skip
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return None
    db.session.commit()
    return order


def render_new(hoster, form: DraftOrderForm) -> str:
    """Render the drafting page: the hoster's notices online for at least the chosen age."""
    selection = SelectionForm(request.args)
    age = selection.min_age_hours.data if selection.validate() else None
    age = selection.min_age_hours.default if age is None else age
    now = utcnow()
    notices, total = queries.still_online_notices(
        db.session, hoster, sent_before=now - timedelta(hours=age)
    )
    ordered = queries.orders_of_notices(db.session, [notice.id for notice in notices])
    return render_template("orders/new.html", hoster=hoster, form=form, selection=selection,
                           age=age, notices=notices, total=total, now=now,
                           ordered=ordered)  # fmt: skip


@bp.get("/<int:order_id>")
@roles_required(*services.READERS)
def detail(order_id: int):
    return render_detail(queries.get_order(db.session, order_id))


def render_detail(order, receipt_form: ReceiptForm | None = None) -> str:
    """Render an order's page; a receipt form that failed comes back with its input."""
    now = utcnow()
    (compliance,) = queries.order_compliance(db.session, [order], as_of=now,
                                             failures_for_offline=failures())  # fmt: skip
    return render_template(
        "orders/detail.html",
        order=order,
        compliance=compliance,
        now=now,
        receipt_form=receipt_form or ReceiptForm(formdata=None, version=order.version),
        withdraw_form=WithdrawViolationForm(formdata=None),
        may=services.permitted_actions(order, current_user.role),
        offline_items=services.offline_items(order) if order.status == OrderStatus.DRAFT else [],
    )


@bp.post("/<int:order_id>/issue")
@roles_required(*services.ISSUERS)
def issue(order_id: int):
    order = queries.get_order(db.session, order_id)
    prefix = current_app.config["LETTER_KENMERK_PREFIX"]

    def act():
        if order.letter is None:
            raise DomainError("This order was not drafted here; it has no letter to issue.")
        signatory = current_app.config["LETTER_SIGNATORY"]
        letter = operations.issue(db.session, order.letter, actor=current_user, now=utcnow(),
                                  prefix=prefix, signatory=signatory)  # fmt: skip
        return (
            f"Issued as {letter.kenmerk} and put in the outbox: its term starts when the "
            "hoster's mail server accepts it."
        )

    return _act_and_return(order_id, act)


@bp.post("/<int:order_id>/discard")
@roles_required(*services.DRAFTERS)
def discard(order_id: int):
    order = queries.get_order(db.session, order_id)
    hoster_id = order.hoster_id
    try:
        discard_removal_order(db.session, order, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("orders.detail", order_id=order_id))
    db.session.commit()
    flash("The draft order was discarded; nothing of it was sent.", "info")
    return redirect(url_for("orders.hoster", hoster_id=hoster_id))


@bp.post("/<int:order_id>/drop-offline")
@roles_required(*services.DRAFTERS)
def drop_offline(order_id: int):
    order = queries.get_order(db.session, order_id)

    def act():
        dropped = services.drop_offline_items(db.session, order, actor=current_user)
        refresh_order_letter(db.session, order, actor=current_user)
        return f"{dropped} item(s) that are offline now were removed from the draft."

    return _act_and_return(order_id, act)


@bp.post("/<int:order_id>/receipt")
@roles_required(*services.RECEIPT_RECORDERS)
def receipt(order_id: int):
    order = queries.get_order(db.session, order_id)
    form = ReceiptForm()
    if form.validate_on_submit():
        try:
            services.record_receipt(db.session, order, received_at=form.moment(),
                                    evidence=form.evidence.data, actor=current_user,
                                    expected_version=form.version.data)  # fmt: skip
        except FieldErrors as exc:
            db.session.rollback()
            for name, messages in exc.errors.items():
                getattr(form, name, form.received_at).errors = list(messages)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(url_for("orders.detail", order_id=order_id))
        else:
            db.session.commit()
            flash("The receipt is recorded; the term counts from it.", "info")
            return redirect(url_for("orders.detail", order_id=order_id))
    return render_detail(order, receipt_form=form), 422


@bp.post("/<int:order_id>/establish")
@roles_required(*services.ESTABLISHERS)
def establish(order_id: int):
    order = queries.get_order(db.session, order_id)

    def act():
        found = violations.establish_violations(
            db.session, as_of=utcnow(), actor=current_user, orders=[order],
            failures_for_offline=failures(),
        )  # fmt: skip
        return f"{len(found)} violation(s) established." if found else "No new violation."

    return _act_and_return(order_id, act)


@bp.post("/violations/<int:violation_id>/withdraw")
@roles_required(*services.VIOLATION_WITHDRAWERS)
def withdraw_violation(violation_id: int):
    violation = db.session.get(Violation, violation_id)
    if violation is None:
        raise NotFound("No such violation.")
    form = WithdrawViolationForm()
    if not form.validate_on_submit():
        flash("Say why the violation is withdrawn (at most 2,000 characters).", "error")
        return redirect(url_for("orders.detail", order_id=violation.order_id))

    def act():
        violations.withdraw_violation(db.session, violation, actor=current_user,
                                    reason=form.reason.data)  # fmt: skip
        return "The violation is withdrawn; it stays on record with the reason."

    return _act_and_return(violation.order_id, act)


def _act_and_return(order_id: int, act):
    """Run one action, commit or roll back, flash the outcome, back to the order's page."""
    try:
        message = act()
    except DomainError as exc:
        db.session.rollback()
        if exc.status_code == 403:
            raise
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(message, "info")
    return redirect(url_for("orders.detail", order_id=order_id))
