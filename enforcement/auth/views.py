"""Sign-in, sign-out and the start page."""

from collections.abc import Callable
from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from enforcement.auth.forms import SignInForm, SignOutForm
from enforcement.auth.login import start_session_clock
from enforcement.auth.models import Role
from enforcement.auth.services import (
    LockoutPolicy,
    SignInFailed,
    SignInLocked,
    end_sessions,
    sign_in,
)
from enforcement.core.web import is_safe_next_url, public, roles_required
from enforcement.extensions import db, limiter

bp = Blueprint("auth", __name__)
ALL_STAFF = tuple(Role)


def lockout_policy() -> LockoutPolicy:
    return LockoutPolicy(
        max_failures=current_app.config["SIGNIN_MAX_FAILURES"],
        lockout=timedelta(minutes=current_app.config["SIGNIN_LOCKOUT_MINUTES"]),
    )


DEVICE_COOKIE = "known_device"
DEVICE_DAYS = 90


def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def is_known_device(email: str | None) -> bool:
    """Return whether this browser signed in to this address before (a signed cookie says so)."""
    token = request.cookies.get(DEVICE_COOKIE, "")
    try:
        known = _device_signer().loads(token, max_age=DEVICE_DAYS * 86400) if token else None
    except BadSignature:
        return False
    return known == (email or "").strip().lower()


def remember_device(response: Response, email: str) -> None:
    """Mark this browser as one the address signs in from, for the lock-out's sake."""
    response.set_cookie(DEVICE_COOKIE, _device_signer().dumps(email), max_age=DEVICE_DAYS * 86400,
                        httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])  # fmt: skip


@bp.get("/")
@roles_required(*ALL_STAFF)
def home():
    if current_user.role == Role.ADMIN:
        return redirect(url_for("users.index"))
    if current_user.role == Role.SUPERVISOR:
        return redirect(url_for("cases.queue"))
    if current_user.role == Role.LEGAL:  # the letters waiting to be checked and issued
        return redirect(url_for("letters.index", status="draft"))
    return redirect(url_for("metrics.candidates"))


def signin_limit(kind: str) -> Callable[[], str]:
    return lambda: current_app.config[f"SIGNIN_RATE_LIMIT_{kind}"]


def signing_in_address() -> str:
    """Rate-limit key: the e-mail address being signed in to, as the lock-out counts it."""
    return "signin:" + (request.form.get("email") or "").strip().lower()[:254]


# Checked before the view runs, so a limited client costs no password hash.
@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(signin_limit("CLIENT"), methods=["POST"])
@limiter.limit(signin_limit("ADDRESS"), methods=["POST"], key_func=signing_in_address)
@public
def sign_in_page():
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = sign_in(
                db.session,
                form.email.data,
                form.password.data,
                remote_addr=request.remote_addr,
                policy=lockout_policy(),
                known_device=is_known_device(form.email.data),
            )
        except (SignInFailed, SignInLocked) as exc:
            db.session.commit()  # the failed attempt counts toward the lock-out
            flash(exc.message, "error")
            return render_template("auth/sign_in.html", form=form), exc.status_code
        db.session.commit()
        session.clear()  # nothing from before the sign-in carries over into the new session
        login_user(user)
        start_session_clock()
        target = form.next.data
        response = redirect(target if is_safe_next_url(target) else url_for("auth.home"))
        remember_device(response, user.email)
        return response
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@roles_required(*ALL_STAFF)
def sign_out():
    if SignOutForm().validate_on_submit():
        end_sessions(db.session, current_user)  # copies of the cookie elsewhere end too
        db.session.commit()
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.sign_in_page"))
