"""The holiday calendar deadlines skip: Atw holidays, and decreed days staff add and remove."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from enforcement.auth.models import Role
from enforcement.core.errors import Conflict, DomainError, FieldErrors
from enforcement.core.time import LOCAL_TZ, utcnow
from enforcement.core.web import roles_required
from enforcement.extensions import db
from enforcement.holidays.forms import HolidayForm, RemoveHolidayForm
from enforcement.holidays.services import (
    add_decreed_holiday,
    decreed_holidays,
    get_decreed_holiday,
    holiday_calendar,
    remove_decreed_holiday,
)

bp = Blueprint("holidays", __name__)
MANAGERS = (Role.SUPERVISOR, Role.ADMIN)


@bp.get("")
@roles_required(*Role)
def index():
    return render_index(HolidayForm(formdata=None))


@bp.post("")
@roles_required(*MANAGERS)
def add():
    form = HolidayForm()
    if not form.validate_on_submit():
        return render_index(form), 422
    try:
        holiday = add_decreed_holiday(db.session, day=form.day.data, name=form.name.data,
                                      decree=form.decree.data, actor=current_user)  # fmt: skip
    except FieldErrors as exc:
        db.session.rollback()
        form.set_domain_errors(exc.errors)
        return render_index(form), 422
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("holidays.index"))
    db.session.commit()
    flash(f"{holiday.day.isoformat()} ({holiday.name}) now counts as a holiday.", "info")
    return redirect(url_for("holidays.index"))


@bp.post("/<int:holiday_id>/remove")
@roles_required(*MANAGERS)
def remove(holiday_id: int):
    holiday = get_decreed_holiday(db.session, holiday_id)
    form = RemoveHolidayForm()
    if not form.validate_on_submit():
        flash(f"Say why {holiday.day.isoformat()} is removed; nothing was changed.", "error")
        return redirect(url_for("holidays.index"))
    try:
        remove_decreed_holiday(db.session, holiday, reason=form.reason.data, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(f"{holiday.day.isoformat()} no longer counts as a holiday; the record stays.", "info")
    return redirect(url_for("holidays.index"))


def render_index(form: HolidayForm) -> str:
    """Render this year's and next year's holidays, and every decreed day with its history."""
    this_year = utcnow().astimezone(LOCAL_TZ).year
    can_manage = current_user.role in MANAGERS
    return render_template(
        "holidays/index.html",
        calendars=[
            (year, holiday_calendar(db.session, year)) for year in (this_year, this_year + 1)
        ],
        decreed=decreed_holidays(db.session, include_removed=True),
        form=form if can_manage else None,
        remove_form=RemoveHolidayForm(formdata=None) if can_manage else None,
    )
