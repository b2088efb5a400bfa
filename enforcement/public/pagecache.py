"""Keep rendered public answers in memory briefly, so a busy page costs almost nothing.

An answer is kept under its path together with the data version it was made from: the last
case event and the last change to the hoster register. Every change that can alter a public
page (a decision, a revocation, an objection, relief, an appeal, a publication event, a naming
response) appends a case event, so a changed version means a fresh answer, in every process
within a second (each asks for the version at most once a second). What changes by the clock
alone (two weeks passing, a later period ending, notices measured) is picked up within
PUBLIC_CACHE_SECONDS, less than the max-age shared caches may keep a page anyway.
PUBLIC_CACHE_SECONDS=0 turns it off (the tests' default).
"""

import functools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Response, current_app, g, request

from enforcement.cases.models import CaseEvent
from enforcement.extensions import db
from enforcement.hosters.models import HosterChange

DEFAULT_SECONDS = 60
KEPT_HEADERS = ("ETag", "Last-Modified", "Access-Control-Allow-Origin")


@dataclass(frozen=True)
class Kept:
    version: tuple
    expires: float
    body: bytes
    mimetype: str
    headers: dict[str, str]


_KEPT: dict[str, Kept] = {}
_LOCK = threading.Lock()
VERSION_SECONDS = 1.0
_version: tuple[float, tuple] = (-VERSION_SECONDS, ())


def seconds() -> int:
    return int(current_app.config.get("PUBLIC_CACHE_SECONDS", DEFAULT_SECONDS))


def data_version() -> tuple:
    """Return the newest case event and hoster change: what every public answer is made from.

    Asked at most once per VERSION_SECONDS per process, so a change shows within that.
    """
    global _version
    now = time.monotonic()
    with _LOCK:
        checked, version = _version
    if now - checked < VERSION_SECONDS:
        return version
    row = db.session.execute(
        sa.select(sa.select(sa.func.max(CaseEvent.id)).scalar_subquery(),
                  sa.select(sa.func.max(HosterChange.id)).scalar_subquery())
    ).one()  # fmt: skip
    with _LOCK:
        _version = (now, tuple(row))
    return tuple(row)


def kept_page(view: Callable) -> Callable:
    """Serve a public view's answer from memory while the data version and its time hold."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        ttl = seconds()
        if ttl <= 0:
            return view(*args, **kwargs)
        key = f"{request.path}?{g.get('lang', '')}"
        version, now = data_version(), time.monotonic()
        with _LOCK:
            kept = _KEPT.get(key)
        if kept is not None and kept.version == version and now < kept.expires:
            return Response(kept.body, mimetype=kept.mimetype, headers=kept.headers)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200 and not response.direct_passthrough:
            headers = {k: v for k, v in response.headers.items() if k in KEPT_HEADERS}
            with _LOCK:
                _KEPT[key] = Kept(version, now + ttl, response.get_data(), response.mimetype,
                                  headers)  # fmt: skip
        return response

    return wrapper


def forget() -> None:
    global _version
    with _LOCK:
        _KEPT.clear()
        _version = (-VERSION_SECONDS, ())
