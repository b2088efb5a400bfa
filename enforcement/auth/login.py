"""Flask-Login wiring: load the signed-in user, answer anonymous requests."""

from flask import redirect, request, url_for

from enforcement.auth.models import User
from enforcement.core.web import error_response, wants_json
from enforcement.extensions import db, login_manager

login_manager.login_view = "auth.sign_in_page"
login_manager.login_message = "Sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    # Read on every request, so deactivation and role changes take effect at once.
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


@login_manager.unauthorized_handler
def unauthorized():
    if wants_json():
        return error_response(401, "Sign in first.")
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.sign_in_page", next=target))
