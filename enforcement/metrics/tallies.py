"""SQL that tallies the figures of every hoster over a window in the database.

figures_by_hoster turns its rows into Figures: the counts of Tally, and each hoster's takedown
times to the microsecond (of the notices offline by as_of), which Python sorts to pick the
quantiles. Neither SQLite 3.40 nor PostgreSQL has a nearest-rank quantile that is exact here
(percentile_disc multiplies in floating point: 0.9 * 70 is not 63), and sorting in Python is
faster than a window function in SQLite.
"""

import sqlite3
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from enforcement.notices.models import Notice

MICROS_PER_HOUR = 3_600_000_000


def tallies_query(
    dialect: str, hosters: Any, start: datetime, end: datetime, as_of: datetime
) -> sa.Select:
    """Rows (hoster_id, the counts of Tally in order, takedown times) for [start, end) to as_of."""
    sent, offline = Notice.notice_sent_at, Notice.offline_at
    notices = (
        sa.select(
            Notice.hoster_id,
            sent.label("sent"),
            sa.case((offline <= as_of, _micros_between(dialect, sent, offline))).label("takedown"),
            (Notice.reappeared_at <= as_of).label("reappeared"),
        )
        # hoster_id IN (...) lets SQLite seek the window of each hoster in ix_notices_hoster_sent.
        .where(Notice.hoster_id.in_(hosters), sent >= start, sent < end, sent <= as_of)
        .offset(0)  # a fence: each takedown is computed once, not once for every use below
        .subquery()
    )
    return (
        sa.select(notices.c.hoster_id, *_tally_columns(notices, as_of), _list_of(dialect, notices))
        .group_by(notices.c.hoster_id)
        .order_by(notices.c.hoster_id)
    )


def sorted_micros(takedowns: str | list[int] | None) -> list[int]:
    """Sort a hoster's takedown times: a list from PostgreSQL, comma-separated text from SQLite."""
    if not takedowns:
        return []
    if isinstance(takedowns, str):
        return sorted(map(int, takedowns.split(",")))
    return sorted(takedowns)


def _micros_between(dialect: str, earlier: Any, later: Any) -> Any:
    """SQL for the exact microseconds from one timestamp column to another."""
    if dialect == "postgresql":
        return sa.cast(sa.extract("epoch", later - earlier) * 1_000_000, sa.BigInteger)
    if dialect != "sqlite":
        raise ValueError(f"no takedown arithmetic for {dialect}")

    # SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC): whole seconds from the date functions
    # (given no fraction, which they would round to milliseconds), microseconds as digits.
    def seconds(column):
        whole = sa.func.substr(column, 1, 19)
        if sqlite3.sqlite_version_info >= (3, 38):
            return sa.func.unixepoch(whole)  # a third faster than strftime('%s', ...)
        return sa.cast(sa.func.strftime("%s", whole), sa.Integer)

    def micros(column):
        return sa.cast(sa.func.substr(column, 21, 6), sa.Integer)

    return (seconds(later) - seconds(earlier)) * 1_000_000 + (micros(later) - micros(earlier))


def _tally_columns(notices: Any, as_of: datetime) -> list[Any]:
    """Counts in the order of Tally's fields; a takedown of None is still online."""
    takedown, sent = notices.c.takedown, notices.c.sent

    def count(condition):
        return sa.func.count().filter(condition)

    def aged(hours: int):
        return sent <= as_of - timedelta(hours=hours)

    def over(hours: int):
        return sa.or_(takedown.is_(None), takedown > hours * MICROS_PER_HOUR)

    within_24h = takedown <= 24 * MICROS_PER_HOUR
    return [
        sa.func.count(),
        count(within_24h),
        count(sa.or_(within_24h, aged(24))),
        count(sa.and_(aged(48), over(48))),
        count(aged(48)),
        count(sa.and_(aged(72), over(72))),
        count(aged(72)),
        count(takedown.is_(None)),
        count(notices.c.reappeared),
    ]


def _list_of(dialect: str, notices: Any) -> Any:
    """Each hoster's takedown times of the notices offline by as_of, in no order."""
    takedown = notices.c.takedown
    aggregate = sa.func.array_agg if dialect == "postgresql" else sa.func.group_concat
    return aggregate(takedown).filter(takedown.is_not(None))
