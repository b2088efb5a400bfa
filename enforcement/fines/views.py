"""The fine category amounts page: every row with its source; supervisors add and remove."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from enforcement.auth.models import Role
from enforcement.core.errors import DomainError, FieldErrors
from enforcement.core.time import LOCAL_TZ, utcnow
from enforcement.core.web import roles_required
from enforcement.extensions import db
from enforcement.fines import services
from enforcement.fines.amounts import staleness

bp = Blueprint("fines", __name__)


class CategoriesForm(FlaskForm):
    effective_from = DateField("In force from", validators=[InputRequired()])
    second = DecimalField("2nd category (EUR)", places=2, validators=[InputRequired()])
    sixth = DecimalField("6th category (EUR)", places=2, validators=[InputRequired()])
    source = StringField("Source (Staatsblad)", validators=[InputRequired(), Length(max=300)])


class RemoveForm(FlaskForm):
    reason = TextAreaField("Reason for removing", validators=[InputRequired(), Length(max=2000)])


@bp.get("/")
@roles_required(*Role)
def index():
    return render_index(CategoriesForm(formdata=None))


@bp.post("/")
@roles_required(*services.MANAGERS)
def add():
    form = CategoriesForm()
    if not form.validate_on_submit():
        return render_index(form), 422
    try:
        services.add_categories(db.session, effective_from=form.effective_from.data,
                                second=form.second.data, sixth=form.sixth.data,
                                source=form.source.data, actor=current_user)  # fmt: skip
    except FieldErrors as exc:
        db.session.rollback()
        for name, messages in exc.errors.items():
            getattr(form, name).errors = list(messages)
        return render_index(form), 422
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("fines.index"))
    db.session.commit()
    flash("The amounts are added; fines decided from that day use them.", "info")
    return redirect(url_for("fines.index"))


@bp.post("/<int:row_id>/remove")
@roles_required(*services.MANAGERS)
def remove(row_id: int):
    row = services.get_row(db.session, row_id)
    form = RemoveForm()
    if not form.validate_on_submit():
        flash("Say why these amounts are removed; nothing was changed.", "error")
        return redirect(url_for("fines.index"))
    try:
        services.remove_categories(db.session, row, reason=form.reason.data, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash("The amounts are removed; the record stays.", "info")
    return redirect(url_for("fines.index"))


def render_index(form: CategoriesForm) -> str:
    """Render every row, the staleness warning, and for managers the forms."""
    manages = current_user.role in services.MANAGERS
    today = utcnow().astimezone(LOCAL_TZ).date()
    return render_template(
        "fines/index.html",
        rows=services.all_rows(db.session),
        warning=staleness(services.category_table(db.session), today),
        form=form if manages else None,
        remove_form=RemoveForm(formdata=None) if manages else None,
    )
