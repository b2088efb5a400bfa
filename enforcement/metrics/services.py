"""Figures per hoster from the stored notices, and the breach policy in force."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.core.errors import FieldErrors
from enforcement.core.time import LOCAL_TZ
from enforcement.hosters.models import Hoster
from enforcement.metrics.figures import FIGURE_NAMES, Figures, NoticeTimes, compute_figures
from enforcement.metrics.models import BreachPolicy
from enforcement.metrics.policy import Thresholds, breach_reasons
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
    """Compute the figures of every hoster with notices sent in the window (up to as_of)."""
    start, end = window_bounds(first_day, last_day)
    query = (
        sa.select(Notice.hoster_id, Notice.notice_sent_at, Notice.offline_at, Notice.reappeared_at)
        .where(
            Notice.notice_sent_at >= start,
            Notice.notice_sent_at < end,
            Notice.notice_sent_at <= as_of,
        )
        .order_by(Notice.hoster_id)
    )
    if hoster_ids is not None:
        query = query.where(Notice.hoster_id.in_(list(hoster_ids)))
    result = {}
    for hoster_id, rows in groupby(session.execute(query), key=lambda row: row[0]):
        times = (NoticeTimes(sent, offline, reappeared) for _, sent, offline, reappeared in rows)
        result[hoster_id] = compute_figures(times, as_of)
    return result


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
) -> BreachPolicy:
    """Record a new version of the breach policy; earlier versions stay as they were."""
    errors: dict[str, list[str]] = {}
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
