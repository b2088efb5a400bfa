"""Hoster registry pages: list with search, detail with history, create and edit."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from enforcement.auth.models import Role
from enforcement.cases.queries import open_case_of
from enforcement.core.errors import Conflict, FieldErrors
from enforcement.core.time import utcnow
from enforcement.core.web import paginate, roles_required
from enforcement.extensions import db
from enforcement.hosters.forms import HosterForm
from enforcement.hosters.services import FIELDS, get_hoster, save_hoster, search_hosters_query
from enforcement.metrics.charts import weekly_chart
from enforcement.metrics.forms import read_window
from enforcement.metrics.services import (
    NOTICE_FILTERS,
    HosterOverview,
    hoster_notices_query,
    hoster_overview,
    notice_line,
)

bp = Blueprint("hosters", __name__)
EDITORS = (Role.OFFICER, Role.LEGAL, Role.SUPERVISOR)
NOTICES_PER_PAGE = 25


@bp.get("/")
@roles_required(*Role)
def index():
    query = request.args.get("q", "").strip()
    page = paginate(search_hosters_query(query), per_page=current_app.config["HOSTERS_PER_PAGE"])
    return render_template("hosters/index.html", page=page, q=query)


@bp.get("/<int:hoster_id>")
@roles_required(*Role)
def detail(hoster_id: int):
    hoster = get_hoster(db.session, hoster_id)
    as_of = utcnow()
    window = read_window(request.args, as_of)
    show = request.args.get("show", "all")
    show = show if show in NOTICE_FILTERS else "all"
    # Notice URLs are abuse data: for the staff who act on them, not for administrators.
    context = {"hoster": hoster, "can_edit": current_user.role in EDITORS, "window": window,
               "show_urls": current_user.role in EDITORS,
               "notice_filter": show, "as_of": as_of,
               "open_case": open_case_of(db.session, hoster.id)}  # fmt: skip
    if window.error:
        return render_template("hosters/detail.html", **context), 400
    overview = hoster_overview(db.session, hoster.id, *window.days, as_of)
    query = hoster_notices_query(db.session, hoster.id, *window.days, as_of, show=show)
    notices = paginate(query, per_page=NOTICES_PER_PAGE)
    return render_template(
        "hosters/detail.html",
        **context,
        overview=overview,
        chart=trend_chart(overview),
        notices=notices,
        lines=[notice_line(notice, as_of) for notice in notices.items],
    )


def trend_chart(overview: HosterOverview) -> str:
    """Return the SVG of the weekly notices and share offline within 24 h, with the norm."""
    points = [(w.first_day, w.figures.notices, w.figures.offline_within_24h_pct)
              for w in overview.weeks]  # fmt: skip
    return weekly_chart(points, threshold_pct=overview.thresholds.min_offline_within_24h_pct)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create():
    form = HosterForm()
    if form.validate_on_submit() and (hoster := _save(form, hoster=None)) is not None:
        return redirect(url_for("hosters.detail", hoster_id=hoster.id))
    return render_template("hosters/form.html", form=form, hoster=None)


@bp.route("/<int:hoster_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(hoster_id: int):
    hoster = get_hoster(db.session, hoster_id)
    form = HosterForm(data=_form_data(hoster) if request.method == "GET" else None)
    if form.validate_on_submit() and _save(form, hoster=hoster) is not None:
        return redirect(url_for("hosters.detail", hoster_id=hoster.id))
    return render_template("hosters/form.html", form=form, hoster=hoster)


def _form_data(hoster) -> dict:
    """Return the hoster's current values as the edit form shows them."""
    return {
        **{name: getattr(hoster, name) for name in FIELDS if name not in {"language", "ip_ranges"}},
        "language": hoster.language.value,
        "ip_ranges": "\n".join(r.cidr for r in hoster.ip_ranges),
        "version": hoster.version,
    }


def _save(form: HosterForm, hoster):
    """Save through the service and commit once; on a refusal, explain it on the form."""
    expected = int(form.version.data) if (form.version.data or "").isdigit() else None
    try:
        result = save_hoster(
            db.session,
            form.field_values(),
            actor=current_user,
            hoster=hoster,
            expected_version=expected,
        )
        db.session.commit()
    except FieldErrors as exc:
        db.session.rollback()
        form.set_domain_errors(exc.errors)
        return None
    except (Conflict, StaleDataError, IntegrityError) as exc:
        db.session.rollback()
        message = exc.message if isinstance(exc, Conflict) else Conflict.default_message
        flash(message, "error")
        return None
    for notice in result.notices:
        flash(notice, "warning")
    flash("Saved." if result.changes else "Nothing changed.", "info")
    return result.hoster
