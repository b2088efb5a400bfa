"""Web helpers: access declarations, the access guard, safe redirects, error pages."""

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Forbidden, HTTPException
from werkzeug.routing import IntegerConverter

from enforcement.core.errors import DomainError
from enforcement.core.time import format_duration, format_local

log = logging.getLogger(__name__)

ACCESS_ATTRIBUTE = "access_roles"
PUBLIC = "public"
API_TOKEN = "api-token"  # noqa: S105  (a declaration kind, not a secret)


MAX_ROW_ID = 2**31 - 1  # the largest id an integer primary key holds


class RowIdConverter(IntegerConverter):
    """``<int:...>`` in every route: an id past what the database holds is a 404, not a 500."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)


def public(view: Callable) -> Callable:
    """Declare a view open to everyone, signed in or not."""
    setattr(view, ACCESS_ATTRIBUTE, PUBLIC)
    return view


def roles_required(*roles: Any) -> Callable[[Callable], Callable]:
    """Declare which roles may use a view; the access guard enforces it."""
    allowed = frozenset(str(getattr(role, "value", role)) for role in roles)
    if not allowed:
        raise ValueError("roles_required needs at least one role")

    def decorate(view: Callable) -> Callable:
        setattr(view, ACCESS_ATTRIBUTE, allowed)
        return view

    return decorate


def api_token_required(resolve: Callable[[str], Any]) -> Callable[[Callable], Callable]:
    """Declare and enforce bearer-token access: resolve(token) returns the caller or None.

    The caller is put in ``g.api_caller``; a missing or unknown token gets a JSON 401.
    """

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            caller = resolve(token.strip()) if scheme.lower() == "bearer" and token else None
            if caller is None:
                response = jsonify(error="Unauthorized", message="A valid API token is required.",
                                   status=401)  # fmt: skip
                response.headers["WWW-Authenticate"] = "Bearer"
                return response, 401
            g.api_caller = caller
            return view(*args, **kwargs)

        setattr(wrapper, ACCESS_ATTRIBUTE, API_TOKEN)
        return wrapper

    return decorate


def view_access(app: Flask, endpoint: str) -> str | frozenset[str] | None:
    """Return a view's access declaration: PUBLIC, API_TOKEN, a set of roles, or None."""
    if endpoint == "static":
        return PUBLIC
    view = app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTRIBUTE, None)


def guard_access():
    """Before every request: let it through only as the view's declaration allows."""
    if request.endpoint is None:
        return None  # no route matched; the 404/405 handler answers
    access = view_access(current_app, request.endpoint)
    if access is None:
        log.error("view %s declares no access; refusing it", request.endpoint)
        raise Forbidden()
    if access in (PUBLIC, API_TOKEN):
        return None  # an API view checks its token itself (api_token_required)
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.role.value not in access:
        raise Forbidden()
    return None


def no_store_for_staff(response):
    """After every request: keep staff pages (which may show URLs) out of every cache."""
    if current_user.is_authenticated or request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def is_safe_next_url(target: str | None) -> bool:
    """Return whether a ``next`` target is a local path (no scheme, no host)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def wants_json() -> bool:
    """Return whether the client asked for JSON rather than a page."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


ERROR_TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
}

# Fixed texts only: an error answer never echoes the request, a URL or an exception message.
ERROR_MESSAGES = {
    400: "The request could not be understood. Reload the page and try again.",
    403: "You do not have permission to do this.",
    404: "There is nothing at this address.",
    405: "This address does not accept that kind of request.",
    409: "The data changed while you were working. Reload and try again.",
    413: "The request is larger than this address accepts.",
    422: "The input was not valid.",
    429: "Too many attempts. Wait a while and try again.",
    500: "Something went wrong on our side. It has been logged; please try again later.",
}


def error_response(status: int, message: str | None = None):
    """Render an error as JSON or as a page, revealing nothing beyond the message."""
    message = message or ERROR_MESSAGES.get(status, ERROR_MESSAGES[500])
    title = ERROR_TITLES.get(status, "Error")
    if wants_json():
        return jsonify(error=title, message=message, status=status), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if status == 401:
        return error_response(401, "Sign in first.")
    return error_response(status if status in ERROR_TITLES else 400)


def handle_csrf_error(error: CSRFError):
    return error_response(400, "The form expired or was not sent from this site. Reload and retry.")


def handle_domain_error(error: DomainError):
    return error_response(error.status_code, error.message)


def handle_unexpected_error(error: Exception):
    log.exception("unhandled error on %s %s", request.method, request.endpoint)
    return error_response(500)


def register_error_handlers(app: Flask) -> None:
    """Answer errors with pages or JSON that leak nothing."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(Exception, handle_unexpected_error)


def register_template_helpers(app: Flask) -> None:
    """Make local-time formatting available in page templates."""
    app.add_template_filter(format_local, "localtime")
    app.add_template_filter(format_duration, "duration")


def role_names(roles: Iterable[Any]) -> list[str]:
    """Return role values as plain strings, for display."""
    return sorted(str(getattr(role, "value", role)) for role in roles)
