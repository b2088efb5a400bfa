"""Import notices: validate every row, attribute it to a hoster, upsert in bulk, all or nothing.

One code path for the command line, the upload page and the monitor's API: each turns its
input into numbered records and calls import_notices; the caller commits or rolls back.
"""

import itertools
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.core.errors import ImportErrors
from enforcement.core.tabular import CsvRecords
from enforcement.core.time import utcnow
from enforcement.notices.bulk import NoticeStage
from enforcement.notices.models import NoticeSource
from enforcement.notices.parsing import (
    NOTICE_COLUMNS,
    REQUIRED_NOTICE_COLUMNS,
    Attributor,
    NoticeRow,
    RowErrors,
    StagedNotice,
    notice_cleaner,
    notice_values,
    staged_notice,
    validate_notice,
)

BATCH_SIZE = 20_000  # rows staged and merged at a time: memory stays flat, merges overlap reading
Record = Mapping[str, Any] | str
RejectSink = Callable[[int, Record, RowErrors], None]
Progress = Callable[[int], None]
REPEATED = "appears on an earlier row of this file"


@dataclass
class ImportReport:
    """What an import did: counts, and every error as (row, column, reason)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)

    def reject(self, number: int, errors: RowErrors) -> None:
        self.rejected += 1
        self.errors.extend((number, column, reason) for column, reason in errors)

    def summary(self) -> str:
        return (
            f"{self.rows} row(s): {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.rejected} rejected"
        )


def get_or_create_source(session: Session, name: str) -> NoticeSource:
    """Return the notice source of that name, creating it on first use."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValueError("a source name is 1 to 100 characters")
    source = session.scalar(sa.select(NoticeSource).where(NoticeSource.name == name))
    if source is None:
        source = NoticeSource(name=name)
        session.add(source)
        session.flush()
    return source


def import_notices(
    session: Session,
    records: Iterable[tuple[int, Record]],
    *,
    source: NoticeSource,
    assume_tz: tzinfo | None = None,
    skip_invalid: bool = False,
    on_reject: RejectSink | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Validate and upsert notices; raise ImportErrors listing every error unless skip_invalid.

    Re-importing a notice (same source and notice_id) updates it and never duplicates it; an
    empty offline_at never clears a recorded one. Chunks are merged as the import goes, inside
    the caller's transaction: on ImportErrors the caller rolls back, otherwise it commits.
    """
    report = ImportReport()
    pairs, values_of, record_of = _reading(records)
    attributor = Attributor.from_database(session)
    stage = NoticeStage(session.connection(), source.id)
    now = now or utcnow()
    micros = stage.micros
    clean = notice_cleaner(attributor, assume_tz, micros=micros)
    batch: list[StagedNotice] = []
    originals: list[Any] = []  # what each staged row came from, for on_reject of a repeat

    def reject(number: int, original: Any, errors: RowErrors) -> None:
        report.reject(number, errors)
        if on_reject is not None:
            on_reject(number, record_of(original), errors)

    def flush(last: bool = False) -> None:
        if repeats := stage.add(batch):
            original_of = dict(zip((row[0] for row in batch), originals, strict=True))
            for number in repeats:
                reject(number, original_of[number], [("notice_id", REPEATED)])
        if report.errors and not skip_invalid:
            stage.discard()  # nothing will be merged; the staged ids still find repeats
        else:
            stage.merge(now, in_background=not last)  # while the next chunk is read
        batch.clear()
        originals.clear()

    try:
        for number, original in pairs:
            report.rows += 1
            if progress is not None:
                progress(report.rows)
            if isinstance(original, str):
                reject(number, original, [("", original)])
                continue
            # Most rows take the fast path; the others are checked in full, with reasons.
            staged = clean(number, values_of(original))
            if staged is None:
                row, errors = _validate(record_of(original), attributor, assume_tz)
                if errors:
                    reject(number, original, errors)
                    continue
                staged = staged_notice(number, row, micros=micros)
            batch.append(staged)
            originals.append(original)
            if len(batch) >= BATCH_SIZE:
                flush()
        flush(last=True)
    finally:
        stage.close()  # no merge may still run when the caller commits or rolls back
    report.errors.sort(key=lambda error: error[0])  # repeats are found a chunk late
    if report.errors and not skip_invalid:
        raise ImportErrors(report.errors)
    counts = stage.finish()
    report.created, report.updated, report.unchanged = (
        counts.created,
        counts.updated,
        counts.unchanged,
    )
    return report


def _reading(records: Iterable[tuple[int, Record]]) -> tuple[Iterable, Callable, Callable]:
    """Return (numbered rows, a row's notice_values, a row's record as a mapping).

    A CSV file's rows stay tuples, read by position: a dict is made only for a row that needs
    the full validation or is rejected.
    """
    if not isinstance(records, CsvRecords):
        return records, notice_values, lambda record: record
    rows = records.rows()
    first = next(rows, None)  # reads the header
    position = {column: index for index, column in enumerate(records.columns)}

    def record_of(row: tuple[str, ...] | str) -> Record:
        return row if isinstance(row, str) else records.record(row)

    def values_by_name(row: tuple[str, ...]) -> Iterable[Any]:  # a notice column is missing
        return notice_values(records.record(row))

    if all(column in position for column in NOTICE_COLUMNS):
        values_of = operator.itemgetter(*(position[column] for column in NOTICE_COLUMNS))
    else:
        values_of = values_by_name
    return (rows if first is None else itertools.chain([first], rows)), values_of, record_of


def _validate(
    record: Mapping[str, Any], attributor: Attributor, assume_tz: tzinfo | None
) -> tuple[NoticeRow | None, RowErrors]:
    missing = [c for c in REQUIRED_NOTICE_COLUMNS if c not in record]
    if missing:
        return None, [(column, "required column is missing") for column in missing]
    return validate_notice(record, attributor, assume_tz)
