"""Web helpers: access declarations, the access guard, safe redirects, error pages."""

import functools
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, Forbidden, HTTPException, NotFound
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


MAX_URL_LENGTH = 2048
MAX_PAGE = 100_000
# C0 controls and DEL, and the bidirectional overrides that make text read other than it is
# stored. A form value may hold tab and line breaks (a text area); a query parameter may not.
CONTROL_IN_PARAMETER = re.compile("[\\x00-\\x1f\\x7f\\u202a-\\u202e\\u2066-\\u2069]")
CONTROL_IN_FIELD = re.compile(
    "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\u202a-\\u202e\\u2066-\\u2069]"
)
# A value that is a date (or a moment) and nothing else: its year must be a sane one.
DATE_VALUE = re.compile(r"\s*([0-9]{4,})-[0-9]{2}-[0-9]{2}(?:[T ][0-9:.,]*(?:Z|[+-][0-9:]+)?)?\s*")
FIRST_YEAR, LAST_YEAR = 2000, 2100
PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def refuse_bad_input():
    """Before every request: refuse input no page can use with a 400 that names the parameter
    or field (never its value), rather than let it reach the database as a 500."""
    if len(request.url) > MAX_URL_LENGTH:
        return error_response(414, f"The address is longer than {MAX_URL_LENGTH} characters.")
    # A multipart body (an upload) is left to its view, which sets its own size limit first.
    urlencoded = request.mimetype == "application/x-www-form-urlencoded"
    fields = request.form if urlencoded else MultiDict()
    for kind, values, control in (("parameter", request.args, CONTROL_IN_PARAMETER),
                                  ("field", fields, CONTROL_IN_FIELD)):  # fmt: skip
        for name, value in values.items(multi=True):
            problem = input_problem(name, value, control)
            if problem:
                shown = f"{kind} {name}" if PLAIN_NAME.fullmatch(name) else f"a {kind}"
                return error_response(400, f"The {shown} {problem}.")
    return None


def input_problem(name: str, value: str, control: re.Pattern) -> str | None:
    """Return what is wrong with one parameter or field, or None."""
    if control.search(name) or control.search(value):
        return "contains a control character"
    if name == "page" and not (value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_PAGE):
        return f"must be a whole number from 1 to {MAX_PAGE}"
    date = DATE_VALUE.fullmatch(value)
    if date and not FIRST_YEAR <= int(date.group(1)) <= LAST_YEAR:
        return f"holds a date outside the years {FIRST_YEAR} to {LAST_YEAR}"
    return None


class PageOutOfRange(BadRequest):
    description = "The page number is past the last page."


def paginate(query: Any, per_page: int) -> Any:
    """Return the page of the query that ?page= asks for; past the last page is a 400."""
    from enforcement.extensions import db

    try:
        return db.paginate(query, per_page=per_page)
    except NotFound:
        raise PageOutOfRange() from None


def no_store_for_staff(response):
    """After every request: keep staff pages (which may show URLs) out of every cache."""
    if current_user.is_authenticated or request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"
    return response


# No inline script or style anywhere: pages load app.css and nothing else; charts are inline SVG
# with presentation attributes, not CSS. A view may set its own, stricter policy (the letter
# preview does); this one is the default.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # a page address can carry a search or a hoster's name
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(response):
    """After every request: the headers that keep pages from being framed, sniffed or leaked."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:  # behind a proxy, TRUSTED_PROXIES makes X-Forwarded-Proto count
        response.headers.setdefault("Strict-Transport-Security", HSTS)
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
    414: "Address too long",
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
    414: "The address is longer than this site accepts.",
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
    if isinstance(error, PageOutOfRange):
        return error_response(400, error.description)
    return error_response(status if status in ERROR_TITLES else 400)


def handle_csrf_error(error: CSRFError):
    return error_response(400, "The form expired or was not sent from this site. Reload and retry.")


def handle_domain_error(error: DomainError):
    return error_response(error.status_code, error.message)


def handle_data_error(error: DataError):
    """A value the database refuses (too long for its column, out of range): the input's fault."""
    from enforcement.extensions import db

    db.session.rollback()
    log.warning("database refused a value on %s %s: %s", request.method, request.endpoint,
                type(error.orig).__name__)  # fmt: skip
    return error_response(400, "A value is too long or out of range for its field.")


def handle_unexpected_error(error: Exception):
    log.exception("unhandled error on %s %s", request.method, request.endpoint)
    return error_response(500)


def register_error_handlers(app: Flask) -> None:
    """Answer errors with pages or JSON that leak nothing."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(Exception, handle_unexpected_error)


def register_template_helpers(app: Flask) -> None:
    """Make local-time formatting available in page templates."""
    app.add_template_filter(format_local, "localtime")
    app.add_template_filter(format_duration, "duration")


def role_names(roles: Iterable[Any]) -> list[str]:
    """Return role values as plain strings, for display."""
    return sorted(str(getattr(role, "value", role)) for role in roles)
