"""Bulk upsert of notices: stage rows in a temporary table, merge them into notices by chunks.

Per-object ORM inserts are about 30x slower than the driver's own bulk path, so rows go to
the driver as plain tuples (executemany on SQLite, COPY on PostgreSQL) inside the caller's
transaction. A chunk is merged while the importer reads and checks the next one: the merge runs
inside the database (SQLite's C code, or the PostgreSQL server) and does not hold Python's GIL,
so reading and merging overlap on a second core. A second temporary table keeps every notice id
of the import: repeated ids are found in the database, and memory stays flat whatever the size.
"""

import itertools
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Connection
from sqlalchemy.pool import SingletonThreadPool

from enforcement.notices.parsing import StagedNotice

STAGE = "notice_stage"  # the chunk being merged
STAGE_IDS = "notice_stage_ids"  # every notice id staged by this import, with its first row
STAGE_COLUMNS = (
    "external_id",
    "url",
    "ip",
    "hoster_id",
    "notice_sent_at",
    "offline_at",
    "reappeared_at",
    "content_hash",
)
REVISED_COLUMNS = STAGE_COLUMNS[1:]  # what a notice_revisions row keeps of a replaced notice
TIMESTAMP_COLUMNS = ("notice_sent_at", "offline_at", "reappeared_at")
# A re-import replaces what it states and never clears an observation with an empty value.
KEPT_WHEN_EMPTY = ("ip", "offline_at", "reappeared_at", "content_hash")
COPY_TYPES = ("int4", "text", "text", "text", "int4", "timestamptz", "timestamptz", "timestamptz",
              "text")  # fmt: skip
# Imports of one source take turns on PostgreSQL (pg_advisory_xact_lock(IMPORT_LOCK, source id)),
# so a notice that is new when a merge looks is still new when it inserts.
IMPORT_LOCK = 0x6E6F7469
ROWS_PER_INSERT = 100


def sqlite_timestamp(moment: datetime | None) -> str | None:
    """Format an aware moment the way SQLAlchemy stores DateTime on SQLite (naive UTC)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(" ", "microseconds")[:26]


def sqlite_text_of_micros(column: str) -> str:
    """SQL turning microseconds since 1970 into sqlite_timestamp's text, exactly.

    Python hands SQLite an integer, several times cheaper than formatting the text itself, and
    SQLite writes the text during the merge; the modulo floors, as for times before 1970.
    """
    micros = f"(({column} % 1000000) + 1000000) % 1000000"
    return f"datetime(({column} - {micros}) / 1000000, 'unixepoch') || printf('.%06d', {micros})"


@dataclass
class MergeCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class NoticeStage:
    """Temporary tables for one import: stage a chunk, merge it into notices, repeat."""

    def __init__(self, connection: Connection, source_id: int):
        self.connection = connection
        self.source_id = source_id
        self.dialect = connection.dialect.name
        self.param = "%s" if self.dialect == "postgresql" else "?"
        # How staged rows carry their times: see parsing.staged_notice and sqlite_text_of_micros.
        self.micros = self.dialect != "postgresql"
        self.staged = 0
        self._chunk = 0  # rows in the chunk now staged
        self.counts = MergeCounts()
        self._merging: Future | None = None
        self._executor: ThreadPoolExecutor | None = None
        # SingletonThreadPool: an SQLite connection that only the thread that made it may use.
        self.background = not isinstance(connection.engine.pool, SingletonThreadPool)
        exec_sql = connection.exec_driver_sql
        if self.dialect == "postgresql":
            exec_sql("SELECT pg_advisory_xact_lock(%s, %s)", (IMPORT_LOCK, source_id))
            timestamp, drop, rowid = "TIMESTAMP WITH TIME ZONE", " ON COMMIT DROP", ""
            # Byte order for the ids' own index: equal ids are equal bytes under any
            # deterministic collation, and comparing bytes is cheaper than the locale's rules.
            binary = ' COLLATE "C"'
        else:  # SQLite stages microseconds since 1970: see sqlite_text_of_micros
            timestamp, drop, rowid, binary = "INTEGER", "", " WITHOUT ROWID", ""
        for table in (STAGE, STAGE_IDS):
            exec_sql(f"DROP TABLE IF EXISTS {table}")
        exec_sql(
            f"CREATE TEMPORARY TABLE {STAGE} (row_number INTEGER NOT NULL, "
            "external_id VARCHAR(200) NOT NULL, url TEXT NOT NULL, ip VARCHAR(45), "
            f"hoster_id INTEGER NOT NULL, notice_sent_at {timestamp} NOT NULL, "
            f"offline_at {timestamp}, reappeared_at {timestamp}, content_hash VARCHAR(128)){drop}"
        )
        exec_sql(
            f"CREATE TEMPORARY TABLE {STAGE_IDS} (external_id VARCHAR(200){binary} PRIMARY KEY, "
            f"row_number INTEGER NOT NULL){rowid}{drop}"
        )

    def add(self, rows: Sequence[StagedNotice]) -> list[int]:
        """Stage a chunk of valid rows (see parsing.StagedNotice); return the repeats' numbers.

        A row whose notice id came on an earlier row of the import is left out of the chunk.
        Waits for the merge of the chunk before; call merge() or discard() after each add().
        """
        self.wait()
        if not rows:
            return []
        if self.dialect == "postgresql":
            self._copy(rows)
            in_order = "row_number"
        else:  # rows are inserted in order: SQLite's rowid order spares sorting them
            self._insert(rows)
            in_order = "rowid"
        exec_sql = self.connection.exec_driver_sql
        first_rows = exec_sql(
            f"INSERT INTO {STAGE_IDS} (external_id, row_number) SELECT external_id, row_number "
            f"FROM {STAGE} WHERE true ORDER BY {in_order} ON CONFLICT (external_id) DO NOTHING"
        ).rowcount
        self.staged += first_rows
        self._chunk = first_rows
        if first_rows == len(rows):
            return []
        repeated = (
            f"FROM {STAGE_IDS} AS earlier WHERE earlier.external_id = {STAGE}.external_id "
            f"AND earlier.row_number <> {STAGE}.row_number"
        )
        found = exec_sql(f"SELECT row_number FROM {STAGE} WHERE EXISTS (SELECT 1 {repeated})")
        repeats = sorted(number for (number,) in found)
        exec_sql(f"DELETE FROM {STAGE} WHERE EXISTS (SELECT 1 {repeated})")
        return repeats

    def _insert(self, rows: Sequence[StagedNotice]) -> None:
        """Insert rows ROWS_PER_INSERT at a time (one statement, fewer steps), the rest singly."""
        insert = f"INSERT INTO {STAGE} (row_number, {', '.join(STAGE_COLUMNS)}) VALUES "
        one = f"({', '.join('?' * (len(STAGE_COLUMNS) + 1))})"
        whole = len(rows) - len(rows) % ROWS_PER_INSERT
        if whole:
            flat = itertools.chain.from_iterable
            self.connection.exec_driver_sql(
                insert + ", ".join([one] * ROWS_PER_INSERT),
                [
                    tuple(flat(rows[start : start + ROWS_PER_INSERT]))
                    for start in range(0, whole, ROWS_PER_INSERT)
                ],
            )
        if whole < len(rows):
            self.connection.exec_driver_sql(insert + one, rows[whole:])

    def _copy(self, rows: Sequence[StagedNotice]) -> None:
        cursor = self.connection.connection.driver_connection.cursor()
        columns = f"row_number, {', '.join(STAGE_COLUMNS)}"
        # Binary COPY: datetimes go as microsecond counts, twice as fast as formatting text.
        with cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(COPY_TYPES)
            for row in rows:
                copy.write_row(row)

    def merge(self, now: datetime, *, in_background: bool = False) -> None:
        """Merge the staged chunk into notices; in the background where the database allows."""
        if in_background and self.background:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="merge")
            self._merging = self._executor.submit(self._merge, now)
        else:
            self._merge(now)

    def discard(self) -> None:
        """Empty the chunk without merging it (its ids stay known)."""
        self._empty()

    def wait(self) -> None:
        """Wait for the merge in the background, if any; raise what it raised."""
        merging, self._merging = self._merging, None
        if merging is not None:
            merging.result()

    def finish(self) -> MergeCounts:
        """Wait for the last merge, drop the tables; return what the merges did."""
        self.close()
        for table in (STAGE, STAGE_IDS):
            self.connection.exec_driver_sql(f"DROP TABLE {table}")
        self.counts.unchanged = self.staged - self.counts.created - self.counts.updated
        return self.counts

    def close(self) -> None:
        """Wait for any merge in the background and stop its thread (safe to call twice)."""
        try:
            self.wait()
        finally:
            if self._executor is not None:
                self._executor.shutdown()
                self._executor = None

    def _staged(self, column: str) -> str:
        """SQL for a staged column (the stage is "excluded") as the notices table stores it."""
        if self.dialect == "sqlite" and column in TIMESTAMP_COLUMNS:
            return sqlite_text_of_micros(f"excluded.{column}")
        return f"excluded.{column}"

    def _merge(self, now: datetime) -> None:
        """Insert the new notices of the chunk, update those that change, empty the chunk.

        An INSERT of the new ones and, only when some were there before, an UPDATE, rather than
        one INSERT ... ON CONFLICT DO UPDATE. On PostgreSQL each staged row looks its notice up
        in the unique index (NOT EXISTS): the speculative insertion behind ON CONFLICT costs it
        about as much again. A fenced subquery (OFFSET 0) keeps PostgreSQL from hashing every
        notice of the source instead, chunk after chunk, when it underestimates how many there
        are (as before statistics). SQLite checks the unique index while it inserts anyway, so
        there ON CONFLICT DO NOTHING skips the lookup (about 1 s in a million rows).
        """
        exec_sql, param = self.connection.exec_driver_sql, self.param
        stamp = sqlite_timestamp(now) if self.dialect == "sqlite" else now
        fence = " OFFSET 0" if self.dialect == "postgresql" else " LIMIT -1 OFFSET 0"
        find = (
            f"SELECT notices.id FROM notices WHERE notices.source_id = {param} "
            f"AND notices.external_id = {STAGE}.external_id{fence}"
        )
        values = ", ".join(self._staged(column) for column in STAGE_COLUMNS)
        insert = (
            f"INSERT INTO notices (source_id, {', '.join(STAGE_COLUMNS)}, imported_at, "
            f"updated_at) SELECT {param}, {values}, {param}, {param} FROM {STAGE} AS excluded "
        )
        if self.dialect == "postgresql":
            insert += f"WHERE NOT EXISTS ({find.replace(STAGE + '.', 'excluded.')})"
            parameters = (self.source_id, stamp, stamp, self.source_id)
        else:  # WHERE true: the ON CONFLICT of an INSERT ... SELECT needs a WHERE before it
            insert += "WHERE true ON CONFLICT (source_id, external_id) DO NOTHING"
            parameters = (self.source_id, stamp, stamp)
        created = exec_sql(insert, parameters).rowcount
        self.counts.created += created
        if created < self._chunk:
            # Some notices were there before: update those that change. The ones just
            # inserted hold the staged values already, so they do not count as changed.
            self.counts.updated += self._update(stamp, find, fence)
        self._empty()

    def _update(self, stamp: str | datetime, find: str, fence: str) -> int:
        param = self.param
        merged = {}
        for column in STAGE_COLUMNS[1:]:
            staged = self._staged(column)
            kept = column in KEPT_WHEN_EMPTY
            merged[column] = f"COALESCE({staged}, notices.{column})" if kept else staged
        differs = " OR ".join(f"notices.{c} IS DISTINCT FROM {m}" for c, m in merged.items())
        updates = ", ".join(f"{c} = {m}" for c, m in merged.items())
        kept = ", ".join(f"notices.{c}" for c in REVISED_COLUMNS)
        # The values about to be replaced go to the history first, so no import erases them.
        self.connection.exec_driver_sql(
            f"INSERT INTO notice_revisions (notice_id, {', '.join(REVISED_COLUMNS)}, "
            f"replaced_at) SELECT notices.id, {kept}, {param} FROM notices "
            f"JOIN (SELECT {STAGE}.*, ({find}) AS notice_id FROM {STAGE}{fence}) AS excluded "
            f"ON notices.id = excluded.notice_id WHERE ({differs})",
            (stamp, self.source_id),
        )
        return self.connection.exec_driver_sql(
            f"UPDATE notices SET {updates}, updated_at = {param} "
            f"FROM (SELECT {STAGE}.*, ({find}) AS notice_id FROM {STAGE}{fence}) AS excluded "
            f"WHERE notices.id = excluded.notice_id AND ({differs})",
            (stamp, self.source_id),
        ).rowcount

    def _empty(self) -> None:
        self._chunk = 0
        empty = "TRUNCATE" if self.dialect == "postgresql" else "DELETE FROM"
        self.connection.exec_driver_sql(f"{empty} {STAGE}")
