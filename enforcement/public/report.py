"""The takedown report: each named hoster's figures for the naming decision's period and for the
six-week periods after it, as they are measured, with a weekly chart.

The naming period shows the figures the intent to name relied on, frozen in the case chain. A
later period is shown once it has ended, measured as of its end, so its figures do not move
while the page is read. Figures and charts of periods that ended are kept in memory for a few
minutes (they depend only on those periods and the notices, which a late import or correction
may still change): several processes may hold them, each recomputing after ``TTL_SECONDS``.
"""

import threading
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from enforcement.core.time import LOCAL_TZ
from enforcement.metrics.charts import weekly_chart
from enforcement.metrics.figures import compute_figures
from enforcement.metrics.services import figures_by_hoster, weekly_series, window_bounds
from enforcement.public.queries import Naming, named_hosters

PERIOD_DAYS = 42  # six weeks, like the staff pages' default window
TTL_SECONDS = 600
MAX_LATER_PERIODS = 8  # about a year after the naming; older periods stay in the open data


@dataclass(frozen=True)
class Period:
    """One measured period: calendar days in Europe/Amsterdam, measured as of a moment."""

    first_day: date
    last_day: date
    as_of: datetime
    figures: dict[str, Any]
    naming: bool = False


@dataclass(frozen=True)
class HosterReport:
    naming: Naming
    periods: list[Period]
    threshold_pct: float | None

    def chart(self, session: Session, language: str) -> str:
        """Return the weekly chart over all periods, each week measured as its period was."""
        spans = tuple((p.first_day, p.last_day, p.as_of) for p in self.periods)
        return cached(("chart", self.naming.hoster_id, spans, language),
                      lambda: _chart(session, self, language))  # fmt: skip


def later_periods(last_day: date, today: date) -> list[tuple[date, date]]:
    """Return the six-week periods after the naming period that ended before today."""
    periods, first = [], last_day + timedelta(days=1)
    while first + timedelta(days=PERIOD_DAYS - 1) < today:
        periods.append((first, first + timedelta(days=PERIOD_DAYS - 1)))
        first += timedelta(days=PERIOD_DAYS)
    return periods[-MAX_LATER_PERIODS:]


def period_end(last_day: date) -> datetime:
    return window_bounds(last_day, last_day)[1]


def naming_period(measured: dict[str, Any]) -> Period:
    first, last = (date.fromisoformat(day) for day in measured["window"])
    as_of = datetime.fromisoformat(measured["as_of"])
    return Period(first, last, as_of, dict(measured["figures"]), naming=True)


def measured_period(session: Session, hoster_id: int, first: date, last: date) -> Period:
    as_of = period_end(last)

    def compute() -> dict[str, Any]:
        found = figures_by_hoster(session, first, last, as_of, hoster_ids=[hoster_id])
        return (found.get(hoster_id) or compute_figures([], as_of)).as_dict()

    return Period(first, last, as_of, cached(("figures", hoster_id, first, last), compute))


def hoster_report(session: Session, naming: Naming, now: datetime) -> HosterReport | None:
    """Return a named hoster's periods; None when the case recorded no measured window."""
    if naming.measured is None:
        return None
    first = naming_period(naming.measured)
    today = now.astimezone(LOCAL_TZ).date()
    later = [
        measured_period(session, naming.hoster_id, start, end)
        for start, end in later_periods(first.last_day, today)
    ]
    threshold = (naming.measured.get("thresholds") or {}).get("min_offline_within_24h_pct")
    return HosterReport(naming, [first, *later], threshold)


def takedown_report(session: Session, now: datetime) -> list[HosterReport]:
    """Return the report of every named hoster, by name."""
    reports = (hoster_report(session, naming, now) for naming in named_hosters(session, now))
    return [report for report in reports if report is not None]


def _chart(session: Session, report: HosterReport, language: str) -> str:
    points = []
    for period in report.periods:
        weeks = weekly_series(session, report.naming.hoster_id, period.first_day,
                              period.last_day, period.as_of)  # fmt: skip
        points += [(w.first_day, w.figures.notices, w.figures.offline_within_24h_pct)
                   for w in weeks]  # fmt: skip
    return weekly_chart(points, threshold_pct=report.threshold_pct, language=language)


_CACHE: dict[tuple, tuple[float, Any]] = {}
_CACHE_LOCK = threading.Lock()


def cached(key: tuple, compute):
    """Return compute()'s value, kept for TTL_SECONDS under key."""
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None and clock.monotonic() - hit[0] < TTL_SECONDS:
        return hit[1]
    value = compute()
    with _CACHE_LOCK:
        if len(_CACHE) > 2000:
            _CACHE.clear()
        _CACHE[key] = (clock.monotonic(), value)
    return value


def clear_cache() -> None:
    """Forget every cached figure and chart (tests use a fresh database each time)."""
    with _CACHE_LOCK:
        _CACHE.clear()
