"""Hoster registry pages (placeholder)."""

from flask import Blueprint, render_template

from enforcement.auth.models import Role
from enforcement.core.web import roles_required

bp = Blueprint("hosters", __name__)


@bp.get("/")
@roles_required(*Role)
def index():
    return render_template("errors/error.html", status=200, title="Hosters", message="")
