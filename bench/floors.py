"""The floors the import is measured against: the least work that loads the same notices.

The floor loads the notices, already attributed and in the stored form, into a fresh copy of
the app's own notices table (its keys, indexes, checks and foreign keys: work any import must
pay), by the cheapest client path: the csv module and one executemany in one transaction on
SQLite, one COPY on PostgreSQL. A bare floor, the notices file as it is into a table with no
index or constraint, shows what the table's own upkeep costs.
"""

import csv
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from synthetic import HEADER

STORED_COLUMNS = (
    "source_id", "external_id", "url", "ip", "hoster_id", "notice_sent_at", "offline_at",
    "reappeared_at", "content_hash", "imported_at", "updated_at",
)  # fmt: skip
IMPORTED_AT = "2026-03-01 07:00:00.000000"


def _stored(value: str) -> str:
    """A timestamp as the app stores it on SQLite (naive UTC); PostgreSQL reads it in UTC."""
    if not value:
        return ""
    return datetime.fromisoformat(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def write_stored_rows(csv_path: Path, out_path: Path, hoster_ids: dict[str, int]) -> None:
    """Write the notices as the notices table holds them (source 1), for the floors."""
    with (
        csv_path.open(encoding="utf-8", newline="") as source,
        out_path.open("w", encoding="utf-8", newline="") as out,
    ):
        rows = csv.reader(source)
        next(rows)
        writer = csv.writer(out, lineterminator="\n")
        for notice_id, url, ip, kvk, sent, offline, reappeared, digest in rows:
            writer.writerow((1, notice_id, url, ip, hoster_ids[kvk], _stored(sent),
                             _stored(offline), _stored(reappeared), digest, IMPORTED_AT,
                             IMPORTED_AT))  # fmt: skip


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608


def _executemany(connection: sqlite3.Connection, path: Path, statement: str) -> float:
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as stream:
        rows = csv.reader(stream)
        next(rows, None)
        with connection:  # one transaction
            connection.executemany(statement, ([value or None for value in row] for row in rows))
    return time.perf_counter() - started


def sqlite_floor(stored_path: Path, db_path: Path) -> float:
    """Seconds to executemany the stored rows into the notices table of a fresh app database."""
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA foreign_keys=ON")  # as the app's connections do
    seconds = _executemany(connection, stored_path, _insert("notices", STORED_COLUMNS))
    connection.close()
    return seconds


BARE_TABLE = (
    "CREATE TABLE notices_bare (notice_id VARCHAR(200), url TEXT, ip VARCHAR(45), "
    "hoster VARCHAR(8), notice_sent_at {0}, offline_at {0}, reappeared_at {0}, "
    "content_hash VARCHAR(128))"
)


def sqlite_bare_floor(csv_path: Path, db_path: Path) -> float:
    """Seconds to executemany the notices file as it is into a table with no index."""
    db_path.unlink(missing_ok=True)
    connection = sqlite3.connect(db_path)
    connection.execute(BARE_TABLE.format("VARCHAR(32)"))
    seconds = _executemany(connection, csv_path, _insert("notices_bare", HEADER))
    connection.close()
    return seconds


def _copy(connection: psycopg.Connection, statement: str, path: Path) -> float:
    started = time.perf_counter()
    with connection.cursor().copy(statement) as copy, path.open("rb") as stream:
        while block := stream.read(1 << 20):
            copy.write(block)
    connection.commit()
    return time.perf_counter() - started


def checkpoint(conninfo: str) -> None:
    """Write out dirty buffers first, so one load does not pay for the one before."""
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("CHECKPOINT")


def postgres_floor(stored_path: Path, conninfo: str, schema: str) -> float:
    """Seconds to COPY the stored rows into the notices table of a fresh app schema."""
    checkpoint(conninfo)
    options = f"-csearch_path={schema} -ctimezone=UTC"
    with psycopg.connect(conninfo, options=options) as connection:
        columns = ", ".join(STORED_COLUMNS)
        return _copy(connection, f"COPY notices ({columns}) FROM STDIN (FORMAT csv)", stored_path)


def postgres_bare_floor(csv_path: Path, conninfo: str, schema: str) -> float:
    """Seconds to COPY the notices file as it is into a table with no index."""
    checkpoint(conninfo)
    with psycopg.connect(conninfo, options=f"-csearch_path={schema}") as connection:
        connection.execute(BARE_TABLE.format("TIMESTAMP WITH TIME ZONE"))
        connection.commit()
        return _copy(connection, "COPY notices_bare FROM STDIN (FORMAT csv, HEADER true)", csv_path)
