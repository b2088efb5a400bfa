"""Administration of users (placeholder until the admin pages land)."""

from flask import Blueprint, render_template

from enforcement.auth.models import Role
from enforcement.core.web import roles_required

bp = Blueprint("users", __name__)


@bp.get("/")
@roles_required(Role.ADMIN)
def index():
    return render_template("errors/error.html", status=200, title="Users", message="")
