"""Flask-Login wiring: load the signed-in user, end sessions that ran out, answer anonymous
requests."""

import time

from flask import current_app, redirect, request, session, url_for

from enforcement.auth.models import User
from enforcement.core.web import error_response, wants_json
from enforcement.extensions import db, login_manager

login_manager.login_view = "auth.sign_in_page"
login_manager.login_message = "Sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"


def start_session_clock() -> None:
    """Mark the moment of sign-in: the idle and absolute lifetimes count from here."""
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    session.permanent = True  # the cookie itself expires with the absolute lifetime


def session_ran_out(now: int) -> bool:
    """Return whether the session passed its idle timeout or its absolute lifetime."""
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
        return True
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    lifetime = current_app.config["SESSION_MAX_HOURS"] * 3600
    return now - seen_at > idle or now - signed_in_at > lifetime


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    # Read on every request, so deactivation, role and password changes and sign-out elsewhere
    # take effect at once: the session holds "id:version" and the version is in the database.
    user_id, _, version = session_id.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or version != str(user.session_version):
        return None
    now = int(time.time())
    if session_ran_out(now):
        session.clear()
        return None
    session[SEEN_AT] = now
    return user


@login_manager.unauthorized_handler
def unauthorized():
    if wants_json():
        return error_response(401, "Sign in first.")
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.sign_in_page", next=target))
