"""The public pages under /public/: no sign-in, Dutch at /public/..., English at /public/en/....

The language is part of the URL (never a cookie), so a shared cache may keep every page. Each
page and file is computed on read from the database as it stands: several app processes give
the same answer, and art. 9 publication follows the clock without a job having run.
"""

from collections.abc import Callable

from flask import Blueprint, Response, g, render_template, request, url_for
from flask_babel import format_decimal

from enforcement.core.i18n import DEFAULT_LANGUAGE, LANGUAGES
from enforcement.core.time import utcnow
from enforcement.core.web import public
from enforcement.extensions import db
from enforcement.public import opendata
from enforcement.public.pagecache import kept_page
from enforcement.public.queries import published_decisions
from enforcement.public.report import takedown_report

bp = Blueprint("public", __name__)
# Endpoints served in both languages; their URLs carry the language.
BILINGUAL: set[str] = set()
# Seconds a shared cache may keep a page: decisions appear, change and go within this.
MAX_AGE = {"default": 300, "public.methodology": 3600}


def page(rule: str, **options) -> Callable[[Callable], Callable]:
    """Register a public view at /public<rule> (Dutch) and /public/en<rule> (English)."""

    def decorate(view: Callable) -> Callable:
        endpoint = options.pop("endpoint", view.__name__)
        BILINGUAL.add(f"{bp.name}.{endpoint}")
        view = public(kept_page(view))
        bp.add_url_rule(rule, endpoint, view, defaults={"lang": "nl"}, **options)
        bp.add_url_rule(f"/en{rule}", endpoint, view, defaults={"lang": "en"}, **options)
        return view

    return decorate


@bp.url_value_preprocessor
def take_language(endpoint: str | None, values: dict | None) -> None:
    lang = (values or {}).pop("lang", DEFAULT_LANGUAGE)
    g.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@bp.url_defaults
def keep_language(endpoint: str, values: dict) -> None:
    if endpoint in BILINGUAL:
        values.setdefault("lang", g.get("lang", DEFAULT_LANGUAGE))


@bp.context_processor
def language_links() -> dict:
    """Offer the page in the other language, and tell the templates which one this is."""
    lang = g.get("lang", DEFAULT_LANGUAGE)
    links = {}
    if request.endpoint in BILINGUAL:
        args = dict(request.view_args or {})
        links = {code: url_for(request.endpoint, **args, lang=code) for code in LANGUAGES}
    return {"lang": lang, "language_links": links}


@bp.app_template_filter("decimal")
def format_figure(value: float) -> str:
    """Format a figure with one decimal in the page's language (93,4 in Dutch)."""
    return format_decimal(value, format="#,##0.0")


@bp.app_template_filter("money")
def format_money(value) -> str:
    return format_decimal(value, format="#,##0.00")


@bp.after_request
def cacheable(response: Response) -> Response:
    """Let browsers and shared caches keep public answers, and answer 304 when unchanged."""
    if response.status_code == 200 and request.method in ("GET", "HEAD"):
        max_age = MAX_AGE.get(request.endpoint or "", MAX_AGE["default"])
        response.headers["Cache-Control"] = f"public, max-age={max_age}"
        if not response.direct_passthrough and not response.get_etag()[0]:
            response.add_etag()
        response.make_conditional(request)
    return response


@page("/")
def home():
    return render_template("public/home.html")


@page("/report")
def report():
    now = utcnow()
    reports = takedown_report(db.session, now)
    charts = {r.naming.hoster_id: r.chart(db.session, g.lang) for r in reports}
    return render_template("public/report.html", reports=reports, charts=charts)


@page("/methodology")
def methodology():
    return render_template("public/methodology.html")


@page("/decisions")
def decisions():
    entries = published_decisions(db.session, utcnow())
    return render_template("public/decisions.html", entries=entries)


@page("/data/")
def data():
    return render_template("public/data.html", files=opendata.FILES)


@page("/data/decisions.atom")
def feed():
    now = utcnow()
    entries = published_decisions(db.session, now)
    body = render_template("public/feed.xml", entries=opendata.feed_entries(entries), now=now)
    response = Response(body, mimetype="application/atom+xml")
    response.last_modified = opendata.last_modified(entries)
    return response


@bp.get("/data/<any(decisions, 'takedown-report'):dataset>.<any(csv, json):fmt>")
@public
@kept_page
def dataset_file(dataset: str, fmt: str):
    content, modified = opendata.dataset(db.session, dataset, fmt, utcnow())
    return opendata.file_response(content, fmt, modified)


@bp.get("/data/<any(decisions, 'takedown-report'):dataset>.<any(csv, json):fmt>.sha256")
@public
@kept_page
def dataset_checksum(dataset: str, fmt: str):
    content, modified = opendata.dataset(db.session, dataset, fmt, utcnow())
    return opendata.checksum_response(content, f"{dataset}.{fmt}", modified)
