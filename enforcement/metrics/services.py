"""Figures per hoster from the stored notices, and the breach policy in force."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.core.errors import FieldErrors
from enforcement.core.time import LOCAL_TZ
from enforcement.hosters.models import Hoster
from enforcement.metrics.figures import (
    FIGURE_NAMES,
    HOUR,
    Figures,
    compute_figures,
    figures_from_takedowns,
    round_hours,
)
from enforcement.metrics.models import BreachPolicy
from enforcement.metrics.policy import Thresholds, breach_reasons
from enforcement.metrics.tallies import hoster_tallies
from enforcement.notices.models import Notice


def window_bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """Return the UTC moments [start, end) of calendar days first..last in Europe/Amsterdam."""
    if last_day < first_day:
        raise ValueError("the window ends before it starts")
    start = datetime.combine(first_day, time(0), tzinfo=LOCAL_TZ)
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=LOCAL_TZ)
    return start, end


def figures_by_hoster(
    session: Session,
    first_day: date,
    last_day: date,
    as_of: datetime,
    hoster_ids: Iterable[int] | None = None,
) -> dict[int, Figures]:
    """Compute the figures of every hoster with notices sent in the window (up to as_of).

    The same figures as compute_figures over the window's notices, without a Python object per
    notice: the database counts per hoster and hands over each hoster's takedown times to the
    microsecond (see metrics/tallies.py); Python sorts those and picks the quantiles.
    """
    start, end = window_bounds(first_day, last_day)
    hosters = sa.select(Hoster.id) if hoster_ids is None else list(hoster_ids)
    return {
        hoster_id: figures_from_takedowns(tally, takedowns)
        for hoster_id, tally, takedowns in hoster_tallies(session, hosters, start, end, as_of)
    }


def policy_in_force(session: Session, on: date) -> Thresholds:
    """Return the thresholds in force on a day (the defaults before any policy was set)."""
    policy = session.scalar(
        sa.select(BreachPolicy)
        .where(BreachPolicy.effective_from <= on)
        .order_by(BreachPolicy.effective_from.desc(), BreachPolicy.id.desc())
        .limit(1)
    )
    if policy is None:
        return Thresholds()
    return Thresholds(
        min_notices=policy.min_notices,
        min_offline_within_24h_pct=policy.min_offline_within_24h_pct,
        max_online_over_72h_pct=policy.max_online_over_72h_pct,
    )


def set_policy(
    session: Session,
    *,
    effective_from: date,
    thresholds: Thresholds,
    reason: str,
    actor: User | None,
    today: date | None = None,
) -> BreachPolicy:
    """Record a new version of the breach policy; earlier versions stay as they were.

    When ``today`` is given a version may not take effect before it, so the verdict on a
    window that has passed never changes after the fact.
    """
    errors: dict[str, list[str]] = {}
    if today is not None and effective_from < today:
        errors["effective_from"] = [
            f"Today or later ({today.isoformat()}); the past stays as it was."
        ]
    if thresholds.min_notices < 1:
        errors["min_notices"] = ["At least 1."]
    for name in ("min_offline_within_24h_pct", "max_online_over_72h_pct"):
        if not 0 <= getattr(thresholds, name) <= 100:
            errors[name] = ["A percentage from 0 to 100."]
    if not reason.strip():
        errors["reason"] = ["Say why the policy changes."]
    if errors:
        raise FieldErrors(errors)
    policy = BreachPolicy(
        effective_from=effective_from,
        min_notices=thresholds.min_notices,
        min_offline_within_24h_pct=thresholds.min_offline_within_24h_pct,
        max_online_over_72h_pct=thresholds.max_online_over_72h_pct,
        reason=reason.strip(),
        created_by_id=actor.id if actor else None,
    )
    session.add(policy)
    session.flush()
    return policy


def report_rows(
    session: Session, first_day: date, last_day: date, as_of: datetime
) -> list[dict[str, Any]]:
    """One row per hoster with notices in the window: KvK, name, figures, breach and reasons."""
    figures = figures_by_hoster(session, first_day, last_day, as_of)
    thresholds = policy_in_force(session, last_day)
    hosters = {
        h.id: h for h in session.scalars(sa.select(Hoster).where(Hoster.id.in_(list(figures))))
    }
    rows = []
    for hoster_id, hoster_figures in figures.items():
        reasons = breach_reasons(hoster_figures, thresholds)
        hoster = hosters[hoster_id]
        rows.append(
            {
                "hoster_kvk": hoster.kvk,
                "hoster_name": hoster.trade_name,
                **{name: getattr(hoster_figures, name) for name in FIGURE_NAMES},
                "breach": bool(reasons),
                "breach_reasons": reasons,
            }
        )
    return sorted(rows, key=lambda row: (row["hoster_name"].lower(), row["hoster_kvk"]))


DEFAULT_WINDOW_DAYS = 42  # six weeks
NOTICE_FILTERS = ("all", "online", "over24")


def default_window(as_of: datetime) -> tuple[date, date]:
    """Return the last six weeks of calendar days in Europe/Amsterdam, ending on as_of's day."""
    last_day = as_of.astimezone(LOCAL_TZ).date()
    return last_day - timedelta(days=DEFAULT_WINDOW_DAYS - 1), last_day


@dataclass(frozen=True)
class Candidate:
    """A hoster whose figures breach the policy, and why."""

    hoster: Hoster
    figures: Figures
    reasons: list[str]


def breach_candidates(
    session: Session,
    first_day: date,
    last_day: date,
    as_of: datetime,
    *,
    excluded: sa.Select | None = None,
) -> list[Candidate]:
    """Return the hosters in breach for the window, worst first, leaving out the hoster ids
    ``excluded`` selects (those already under enforcement, say)."""
    figures = figures_by_hoster(session, first_day, last_day, as_of)
    thresholds = policy_in_force(session, last_day)
    breaching = {
        hoster_id: (hoster_figures, reasons)
        for hoster_id, hoster_figures in figures.items()
        if (reasons := breach_reasons(hoster_figures, thresholds))
    }
    query = sa.select(Hoster).where(Hoster.id.in_(list(breaching)))
    if excluded is not None:
        query = query.where(Hoster.id.not_in(excluded))
    hosters = session.scalars(query)
    candidates = [Candidate(h, *breaching[h.id]) for h in hosters]
    return sorted(candidates, key=_worst_first)


def _worst_first(candidate: Candidate) -> tuple:
    """Lowest share offline within 24 h first, then highest share online over 72 h."""
    offline = candidate.figures.offline_within_24h_pct
    online = candidate.figures.online_over_72h_pct
    return (
        offline is None,
        offline or 0.0,
        online is None,
        -(online or 0.0),
        candidate.hoster.trade_name.lower(),
        candidate.hoster.id,
    )


@dataclass(frozen=True)
class WeekFigures:
    """The figures of one Monday-to-Sunday week, clipped to the window."""

    first_day: date
    last_day: date
    figures: Figures


def weekly_series(
    session: Session, hoster_id: int, first_day: date, last_day: date, as_of: datetime
) -> list[WeekFigures]:
    """Return one hoster's figures per week (Monday to Sunday, Europe/Amsterdam) in the window.

    The first and last week only count the days inside the window, so the weeks add up to it.
    """
    window_bounds(first_day, last_day)  # refuses a window that ends before it starts
    weeks = []
    start = first_day
    while start <= last_day:
        end = min(start + timedelta(days=6 - start.weekday()), last_day)
        found = figures_by_hoster(session, start, end, as_of, hoster_ids=[hoster_id])
        weeks.append(WeekFigures(start, end, found.get(hoster_id) or compute_figures([], as_of)))
        start = end + timedelta(days=1)
    return weeks


@dataclass(frozen=True)
class HosterOverview:
    """One hoster's figures for a window, the policy in force, its verdict and weekly trend."""

    figures: Figures
    thresholds: Thresholds
    reasons: list[str]
    weeks: list[WeekFigures]


def hoster_overview(
    session: Session, hoster_id: int, first_day: date, last_day: date, as_of: datetime
) -> HosterOverview:
    """Return a hoster's figures, breach verdict and weekly series for the window."""
    found = figures_by_hoster(session, first_day, last_day, as_of, hoster_ids=[hoster_id])
    figures = found.get(hoster_id) or compute_figures([], as_of)
    thresholds = policy_in_force(session, last_day)
    weeks = weekly_series(session, hoster_id, first_day, last_day, as_of)
    return HosterOverview(figures, thresholds, breach_reasons(figures, thresholds), weeks)


def hoster_notices_query(
    session: Session,
    hoster_id: int,
    first_day: date,
    last_day: date,
    as_of: datetime,
    show: str = "all",
) -> sa.Select:
    """Return a query for a hoster's notices in the window, newest first.

    ``show`` is all, online (still online at as_of) or over24 (offline after more than 24 h,
    or still online 24 h or more after the notice), as the figures count them.
    """
    start, end = window_bounds(first_day, last_day)
    still_online = sa.or_(Notice.offline_at.is_(None), Notice.offline_at > as_of)
    query = sa.select(Notice).where(
        Notice.hoster_id == hoster_id,
        Notice.notice_sent_at >= start,
        Notice.notice_sent_at < end,
        Notice.notice_sent_at <= as_of,
    )
    if show == "online":
        query = query.where(still_online)
    elif show == "over24":
        day_later = _plus_hours(session, Notice.notice_sent_at, 24)
        query = query.where(
            sa.or_(
                sa.and_(~still_online, Notice.offline_at > day_later),
                sa.and_(still_online, Notice.notice_sent_at <= as_of - timedelta(hours=24)),
            )
        )
    return query.order_by(Notice.notice_sent_at.desc(), Notice.id.desc())


def _plus_hours(session: Session, column: Any, hours: int) -> Any:
    """Return column + hours as SQL, exact to the microsecond on SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "sqlite":
        # SQLite keeps UTC text 'YYYY-MM-DD HH:MM:SS.ffffff'; shift the seconds, keep the fraction.
        shifted = sa.func.strftime("%Y-%m-%d %H:%M:%S", column, f"+{hours} hours", type_=sa.String)
        return shifted.concat(sa.func.substr(column, 20))
    return column + sa.literal(timedelta(hours=hours), sa.Interval())


@dataclass(frozen=True)
class NoticeLine:
    """A notice as the list shows it: offline or not at as_of, and its takedown hours so far."""

    notice: Notice
    offline: bool
    hours: float


def notice_line(notice: Notice, as_of: datetime) -> NoticeLine:
    """Describe a notice as of a moment: takedown hours, or hours online so far."""
    offline = notice.offline_at is not None and notice.offline_at <= as_of
    end = notice.offline_at if offline else as_of
    hours = max(0.0, (end - notice.notice_sent_at).total_seconds() / HOUR)
    return NoticeLine(notice, offline, round_hours(hours))


def policy_history(session: Session) -> list[BreachPolicy]:
    """Return every version of the breach policy, the latest effective date first."""
    return list(
        session.scalars(
            sa.select(BreachPolicy).order_by(
                BreachPolicy.effective_from.desc(), BreachPolicy.id.desc()
            )
        )
    )
