"""Tally the figures of every hoster over a window in the database.

Two queries per window, one row per hoster each. The first counts the notices and hands over
the exact takedown times in microseconds (of the notices offline by as_of) as text; Python
sorts those to pick the quantiles and counts the takedowns within 24, 48 and 72 hours by
bisection. The second counts the few notices younger than 72 hours, which are not yet
eligible for every share; it reads only the end of each hoster's window in the index. Neither
SQLite 3.40 nor PostgreSQL has a nearest-rank quantile that is exact here (percentile_disc
multiplies in floating point: 0.9 * 70 is not 63), and sorting in Python is faster than a
window function in SQLite.
"""

import sqlite3
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.metrics.figures import Tally
from enforcement.notices.models import Notice

MICROS_PER_HOUR = 3_600_000_000
H24, H48, H72 = (hours * MICROS_PER_HOUR for hours in (24, 48, 72))
NO_YOUNG_NOTICES = (0, 0, 0, 0, 0, 0)


def hoster_tallies(
    session: Session, hosters: Any, start: datetime, end: datetime, as_of: datetime
) -> Iterator[tuple[int, Tally, list[int]]]:
    """Yield (hoster id, Tally, sorted takedown microseconds) for notices sent in [start, end)
    up to as_of, per hoster with any, in hoster order."""
    dialect = session.get_bind().dialect.name
    window = (Notice.hoster_id.in_(hosters), *_sent_in(start, end, as_of))
    young_window = (Notice.hoster_id.in_(hosters), *_sent_in(start, end, as_of, young=True))
    young = {row[0]: row[1:] for row in session.execute(_young_query(young_window, as_of))}
    for hoster_id, notices, reappeared, joined in session.execute(_query(dialect, window, as_of)):
        takedowns = sorted(map(int, joined.split(","))) if joined else []
        # Younger than 24, 48, 72 hours: all of them, and those offline by as_of. The latter
        # were necessarily taken down within that time, so bisection counts them too.
        young_24, young_48, young_72, offline_24, offline_48, offline_72 = young.get(
            hoster_id, NO_YOUNG_NOTICES
        )
        aged_48, aged_72 = notices - young_48, notices - young_72
        yield (
            hoster_id,
            Tally(
                notices=notices,
                within_24h=bisect_right(takedowns, H24),
                eligible_24h=notices - young_24 + offline_24,
                over_48h=aged_48 - (bisect_right(takedowns, H48) - offline_48),
                eligible_48h=aged_48,
                over_72h=aged_72 - (bisect_right(takedowns, H72) - offline_72),
                eligible_72h=aged_72,
                still_online=notices - len(takedowns),
                reappeared=reappeared,
            ),
            takedowns,
        )


def _sent_in(start: datetime, end: datetime, as_of: datetime, young: bool = False) -> tuple:
    """Conditions for notices sent in [start, end) up to as_of (and, if young, less than 72
    hours before as_of), as one range: the tighter bound at each end, since SQLite seeks the
    index by one of them only."""
    sent = Notice.notice_sent_at
    upper = sent <= as_of if as_of < end else sent < end
    young_from = as_of - timedelta(hours=72)
    if young and young_from >= start:
        return sent > young_from, upper
    return sent >= start, upper


def _query(dialect: str, window: tuple, as_of: datetime) -> Any:
    """Per hoster: its notices, those reappeared by as_of, the takedown times joined by commas."""
    sent, offline = Notice.notice_sent_at, Notice.offline_at
    takedown = sa.cast(_micros_between(dialect, sent, offline), sa.Text)
    if dialect == "postgresql":
        joined = sa.func.string_agg(takedown, ",")
    else:
        joined = sa.func.group_concat(takedown)
    return (
        sa.select(
            Notice.hoster_id,
            sa.func.count(),
            sa.func.count().filter(Notice.reappeared_at <= as_of),
            joined.filter(offline <= as_of),  # the filter is checked before takedown is computed
        )
        # hoster_id IN (...) lets SQLite seek the window of each hoster in ix_notices_hoster_sent
        # and group in index order, without sorting.
        .where(*window)
        .group_by(Notice.hoster_id)
        .order_by(Notice.hoster_id)
    )


def _young_query(window: tuple, as_of: datetime) -> Any:
    """Per hoster with any: its notices younger than 24, 48, 72 hours, and of each those
    offline by as_of."""
    sent, offline = Notice.notice_sent_at, Notice.offline_at

    def younger(hours: int):
        return sent > as_of - timedelta(hours=hours)

    def count(condition):
        return sa.func.count().filter(condition)

    return (
        sa.select(
            Notice.hoster_id,
            count(younger(24)),
            count(younger(48)),
            sa.func.count(),  # younger than 72 hours: the window asks for those only
            count(sa.and_(younger(24), offline <= as_of)),
            count(sa.and_(younger(48), offline <= as_of)),
            count(offline <= as_of),
        )
        .where(*window)
        .group_by(Notice.hoster_id)
    )


def _micros_between(dialect: str, earlier: Any, later: Any) -> Any:
    """SQL for the exact microseconds from one timestamp column to another."""
    if dialect == "postgresql":
        return sa.cast(sa.extract("epoch", later - earlier) * 1_000_000, sa.BigInteger)
    if dialect != "sqlite":
        raise ValueError(f"no takedown arithmetic for {dialect}")

    return _sqlite_micros(later) - _sqlite_micros(earlier)


def _sqlite_micros(column: Any) -> Any:
    """SQL for a SQLite timestamp in microseconds since 1970, up to one constant for all.

    SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC). Its date functions count milliseconds, so
    they may give a fraction of .9995 s or more as the next second. Given the full text they
    take a third of the time they take for a cut copy of it, so the fraction, taken modulo a
    second, undoes that carry instead: (f + 500) % 10**6 is f - 10**6 just when it happened.
    """
    fraction = sa.cast(sa.func.substr(column, 21), sa.Integer)
    carry = _unixepoch_carry()
    if carry is not None:
        return sa.func.unixepoch(column) * 1_000_000 + (fraction + 1_000_000 - carry) % 1_000_000
    whole = sa.func.substr(column, 1, 19)  # whole seconds from the text without its fraction
    if sqlite3.sqlite_version_info >= (3, 38):
        seconds = sa.func.unixepoch(whole)
    else:
        seconds = sa.cast(sa.func.strftime("%s", whole), sa.Integer)
    return seconds * 1_000_000 + fraction


@cache
def _unixepoch_carry() -> int | None:
    """Return the fraction (microseconds) from which this SQLite's unixepoch() gives the next
    second: 999,500 where it rounds to milliseconds, 10**6 where it truncates; None otherwise.

    Versions differ (SQLite 3.40 rounds), so the library in use answers, for every second of
    a minute at the fractions around each boundary.
    """
    if sqlite3.sqlite_version_info < (3, 38):
        return None
    moments = [(second, micros) for second in range(60) for micros in _PROBED_FRACTIONS]
    with closing(sqlite3.connect(":memory:")) as connection:
        found = [
            connection.execute(
                "SELECT unixepoch(?)", (f"2000-01-01 00:00:{s:02d}.{m:06d}",)
            ).fetchone()[0]
            for s, m in moments
        ]
    for carry in (999_500, 1_000_000):
        wanted = [_Y2K + second + (micros >= carry) for second, micros in moments]
        if found == wanted:
            return carry
    return None


_Y2K = 946_684_800  # 2000-01-01 00:00:00 UTC in seconds since 1970
_PROBED_FRACTIONS = (0, 1, 499_999, 500_000, 500_001, 999_499, 999_500, 999_501, 999_999)
