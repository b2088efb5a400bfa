"""The figures for all hosters over a window: the app's code against DuckDB on the same rows.

DuckDB reads the notices file itself (the same rows the app imported) into a table before the
clock starts, and computes the figures in one query with integer arithmetic: its own reading
of the definitions in issue 3, so agreement checks the import as well as the figures.
"""

import time
from datetime import date, datetime
from pathlib import Path

import duckdb
import sqlalchemy as sa
from flask import Flask

from enforcement.extensions import db
from enforcement.hosters.models import Hoster
from enforcement.metrics.figures import Figures
from enforcement.metrics.services import figures_by_hoster, window_bounds

HOUR_US = 3_600_000_000
FIGURES_SQL = """
WITH window_notices AS (
    SELECT kvk, epoch_us(sent) AS sent_us,
           CASE WHEN offline <= $as_of THEN epoch_us(offline) - epoch_us(sent) END AS takedown_us,
           coalesce(reappeared <= $as_of, false) AS reappeared
    FROM notices WHERE sent >= $start AND sent < $end AND sent <= $as_of
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY kvk ORDER BY takedown_us NULLS LAST) AS rank,
           count(*) OVER (PARTITION BY kvk) AS n,
           epoch_us($as_of::TIMESTAMPTZ) - sent_us AS age_us
    FROM window_notices
), counts AS (
    SELECT kvk, count(*) AS notices,
        count(*) FILTER (takedown_us <= 24 * $hour) AS within_24h,
        count(*) FILTER (takedown_us <= 24 * $hour OR age_us >= 24 * $hour) AS eligible_24h,
        count(*) FILTER (age_us >= 48 * $hour AND coalesce(takedown_us > 48 * $hour, true))
            AS over_48h,
        count(*) FILTER (age_us >= 48 * $hour) AS eligible_48h,
        count(*) FILTER (age_us >= 72 * $hour AND coalesce(takedown_us > 72 * $hour, true))
            AS over_72h,
        count(*) FILTER (age_us >= 72 * $hour) AS eligible_72h,
        count(*) FILTER (takedown_us IS NULL) AS still_online,
        count(*) FILTER (reappeared) AS reappeared,
        max(takedown_us) FILTER (rank = (n + 1) // 2) AS median_us,
        max(takedown_us) FILTER (rank = (9 * n + 9) // 10) AS p90_us
    FROM ranked GROUP BY kvk
)
SELECT kvk, notices,
    -- one decimal, half up, in integers: floor(1000 * part / whole + 1/2) / 10
    CASE WHEN eligible_24h > 0
         THEN ((2000 * within_24h + eligible_24h) // (2 * eligible_24h)) / 10 END,
    CASE WHEN eligible_48h > 0
         THEN ((2000 * over_48h + eligible_48h) // (2 * eligible_48h)) / 10 END,
    CASE WHEN eligible_72h > 0
         THEN ((2000 * over_72h + eligible_72h) // (2 * eligible_72h)) / 10 END,
    ((2 * median_us + $hour // 10) // ($hour // 5)) / 10,
    ((2 * p90_us + $hour // 10) // ($hour // 5)) / 10,
    still_online, reappeared
FROM counts
"""


def load_duckdb(csv_path: Path) -> duckdb.DuckDBPyConnection:
    """The notices file in a DuckDB table (kvk, sent, offline, reappeared); not timed."""
    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE notices AS SELECT hoster AS kvk, "
        "notice_sent_at::TIMESTAMPTZ AS sent, offline_at::TIMESTAMPTZ AS offline, "
        "reappeared_at::TIMESTAMPTZ AS reappeared "
        "FROM read_csv($path, header = true, all_varchar = true)",
        {"path": str(csv_path)},
    )
    return connection


def best_of(runs: int, compute):
    """Run compute several times; return (fastest seconds, its answer)."""
    best, answer = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        answer = compute()
        best = min(best, time.perf_counter() - started)
    return best, answer


def duckdb_figures(
    connection: duckdb.DuckDBPyConnection, first_day: date, last_day: date, as_of: datetime
) -> dict[str, Figures]:
    """Every hoster's figures by KvK number, computed by DuckDB."""
    start, end = window_bounds(first_day, last_day)
    parameters = {"start": start, "end": end, "as_of": as_of, "hour": HOUR_US}
    rows = connection.execute(FIGURES_SQL, parameters).fetchall()
    return {row[0]: Figures(*row[1:]) for row in rows}


def app_figures(
    app: Flask, first_day: date, last_day: date, as_of: datetime, runs: int
) -> tuple[float, dict[str, Figures]]:
    """Time figures_by_hoster (fastest of some runs); return its answer keyed by KvK number."""
    with app.app_context():
        kvk_by_id = dict(db.session.execute(sa.select(Hoster.id, Hoster.kvk)).all())
        seconds, figures = best_of(
            runs, lambda: figures_by_hoster(db.session, first_day, last_day, as_of)
        )
        db.session.remove()
        db.engine.dispose()
    return seconds, {kvk_by_id[hoster_id]: value for hoster_id, value in figures.items()}


def differences(expected: dict[str, Figures], found: dict[str, Figures]) -> list[str]:
    """Say where two answers differ: missing or extra hosters, and each differing figure."""
    lines = [f"hoster {kvk}: missing" for kvk in sorted(expected.keys() - found.keys())]
    lines += [f"hoster {kvk}: not expected" for kvk in sorted(found.keys() - expected.keys())]
    for kvk in sorted(expected.keys() & found.keys()):
        want, got = expected[kvk].as_dict(), found[kvk].as_dict()
        lines += [
            f"hoster {kvk}: {name} {got[name]!r}, expected {want[name]!r}"
            for name in want
            if want[name] != got[name] or type(want[name]) is not type(got[name])
        ]
    return lines
