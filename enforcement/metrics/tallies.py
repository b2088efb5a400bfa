"""Tally the figures of every hoster over a window in the database.

One query per window, one row per hoster: the notices and their ages counted, and the exact
takedown times in microseconds (of the notices offline by as_of) as text; Python sorts those
to pick the quantiles and counts the takedowns under 24, 48 and 72 hours by bisection. Neither
SQLite 3.40 nor PostgreSQL has a nearest-rank quantile that is exact here (percentile_disc
multiplies in floating point: 0.9 * 70 is not 63), and sorting in Python is faster than a
window function in SQLite. Notices older than 72 hours are eligible for every share, so only
the few younger ones come with their age.
"""

import sqlite3
from bisect import bisect_right
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.metrics.figures import Tally
from enforcement.notices.models import Notice

MICROS_PER_HOUR = 3_600_000_000
H24, H48, H72 = (hours * MICROS_PER_HOUR for hours in (24, 48, 72))


def hoster_tallies(
    session: Session, hosters: Any, start: datetime, end: datetime, as_of: datetime
) -> Iterator[tuple[int, Tally, list[int]]]:
    """Yield (hoster id, Tally, sorted takedown microseconds) for notices sent in [start, end)
    up to as_of, per hoster with any, in hoster order."""
    query = _query(session.get_bind().dialect.name, hosters, start, end, as_of)
    for hoster_id, notices, reappeared, aged_24, aged_48, aged_72, old, young in session.execute(
        query
    ):
        old_takedowns = sorted(map(int, old.split(","))) if old else []
        young_notices = [_young(item) for item in young.split(",")] if young else []
        takedowns = sorted(old_takedowns + [t for t, _ in young_notices if t is not None])
        # Notices 72 hours old are eligible for every share; younger ones as their age allows.
        young_within_24h = sum(_within(t, H24) for t, age in young_notices if age == 0)
        young_over_48h = sum(not _within(t, H48) for t, age in young_notices if age == 48)
        tally = Tally(
            notices=notices,
            within_24h=bisect_right(takedowns, H24),
            eligible_24h=aged_24 + young_within_24h,
            over_48h=aged_72 - bisect_right(old_takedowns, H48) + young_over_48h,
            eligible_48h=aged_48,
            over_72h=aged_72 - bisect_right(old_takedowns, H72),
            eligible_72h=aged_72,
            still_online=notices - len(takedowns),
            reappeared=reappeared,
        )
        yield hoster_id, tally, takedowns


def _within(takedown: int | None, limit: int) -> bool:
    return takedown is not None and takedown <= limit


def _young(item: str) -> tuple[int | None, int]:
    """'takedown:age' (takedown empty while online, age 0, 24 or 48 hours) as a pair."""
    takedown, age = item.split(":")
    return (int(takedown) if takedown else None), int(age)


def _query(dialect: str, hosters: Any, start: datetime, end: datetime, as_of: datetime) -> Any:
    sent, offline = Notice.notice_sent_at, Notice.offline_at
    takedown = sa.case((offline <= as_of, _micros_between(dialect, sent, offline)))

    def aged(hours: int):
        return sent <= as_of - timedelta(hours=hours)

    def count(condition):
        return sa.func.count().filter(condition)

    def joined(text):  # comma-separated; its filter is checked before text is computed
        if dialect == "postgresql":
            return sa.func.string_agg(text, ",")
        return sa.func.group_concat(text)

    age = sa.case((aged(48), "48"), (aged(24), "24"), else_="0")
    as_text = sa.cast(takedown, sa.Text)
    return (
        sa.select(
            Notice.hoster_id,
            sa.func.count(),
            count(Notice.reappeared_at <= as_of),
            count(aged(24)),
            count(aged(48)),
            count(aged(72)),
            joined(as_text).filter(sa.and_(aged(72), offline <= as_of)),
            joined(sa.func.coalesce(as_text, "") + ":" + age).filter(sa.not_(aged(72))),
        )
        # hoster_id IN (...) lets SQLite seek the window of each hoster in ix_notices_hoster_sent
        # and group in index order, without sorting.
        .where(Notice.hoster_id.in_(hosters), sent >= start, sent < end, sent <= as_of)
        .group_by(Notice.hoster_id)
        .order_by(Notice.hoster_id)
    )


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
