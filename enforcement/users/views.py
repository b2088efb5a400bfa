"""Administration of users: list, create, change role, deactivate and reactivate."""

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from enforcement.auth import services
from enforcement.auth.models import Role, User
from enforcement.core.errors import Conflict, FieldErrors
from enforcement.core.web import paginate, roles_required
from enforcement.extensions import db
from enforcement.users.forms import ActiveForm, CreateUserForm, RoleForm, add_field_errors

bp = Blueprint("users", __name__)


@bp.get("/")
@roles_required(Role.ADMIN)
def index():
    query = sa.select(User).order_by(User.email)
    page = paginate(query, per_page=current_app.config["USERS_PER_PAGE"])
    return render_template("users/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create():
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                db.session,
                email=form.email.data,
                password=form.password.data,
                role=form.role.data,
                actor=current_user,
            )
        except (FieldErrors, services.EmailTaken) as exc:
            db.session.rollback()
            add_field_errors(form, exc.errors)
        else:
            db.session.commit()
            flash(f"Created {user.role.value} {user.email}.", "info")
            return redirect(url_for("users.detail", user_id=user.id))
    return render_template("users/create.html", form=form), 422 if form.errors else 200


@bp.get("/<int:user_id>")
@roles_required(Role.ADMIN)
def detail(user_id: int):
    user = services.get_user(db.session, user_id)
    role_form = RoleForm(role=user.role.value)
    return render_template("users/detail.html", user=user, role_form=role_form)


@bp.post("/<int:user_id>/role")
@roles_required(Role.ADMIN)
def change_role(user_id: int):
    user = services.get_user(db.session, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash("Choose one of the listed roles.", "error")
    else:
        try:
            services.change_role(db.session, user, form.role.data, actor=current_user)
        except Conflict as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(f"{user.email} now has the role {user.role.value}.", "info")
    # An administrator who gave up their own admin role can no longer open the user pages.
    if current_user.role != Role.ADMIN:
        return redirect(url_for("auth.home"))
    return redirect(url_for("users.detail", user_id=user.id))


@bp.post("/<int:user_id>/active")
@roles_required(Role.ADMIN)
def set_active(user_id: int):
    user = services.get_user(db.session, user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        flash("Choose to deactivate or to reactivate the account.", "error")
        return redirect(url_for("users.detail", user_id=user.id))
    try:
        services.set_active(db.session, user, form.active.data == "1", actor=current_user)
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        state = "active" if user.active else "deactivated; they are signed out"
        flash(f"{user.email} is {state}.", "info")
    return redirect(url_for("users.detail", user_id=user.id))
