"""Import notices: validate every row, attribute it to a hoster, upsert in bulk, all or nothing.

One code path for the command line, the upload page and the monitor's API: each turns its
input into numbered records and calls import_notices; the caller commits or rolls back.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.core.errors import ImportErrors
from enforcement.core.time import utcnow
from enforcement.notices.bulk import NoticeStage
from enforcement.notices.models import NoticeSource
from enforcement.notices.parsing import (
    REQUIRED_NOTICE_COLUMNS,
    Attributor,
    NoticeRow,
    RowErrors,
    clean_notice,
    validate_notice,
)

BATCH_SIZE = 20_000  # rows staged and merged at a time: memory stays flat, merges overlap reading
Record = Mapping[str, Any] | str
RejectSink = Callable[[int, Record, RowErrors], None]
Progress = Callable[[int], None]


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
    attributor = Attributor.from_database(session)
    stage = NoticeStage(session.connection(), source.id)
    now = now or utcnow()
    batch: list[tuple[int, NoticeRow]] = []
    records_of_batch: dict[int, Record] = {}

    def flush(last: bool = False) -> None:
        for number in stage.add(batch):
            errors = [("notice_id", "appears on an earlier row of this file")]
            report.reject(number, errors)
            if on_reject is not None:
                on_reject(number, records_of_batch[number], errors)
        if report.errors and not skip_invalid:
            stage.discard()  # nothing will be merged; the staged ids still find repeats
        else:
            stage.merge(now, in_background=not last)  # while the next chunk is read
        batch.clear()
        records_of_batch.clear()

    try:
        for number, record in records:
            report.rows += 1
            if progress is not None:
                progress(report.rows)
            row, errors = _validate(record, attributor, assume_tz)
            if errors:
                report.reject(number, errors)
                if on_reject is not None:
                    on_reject(number, record, errors)
                continue
            batch.append((number, row))
            records_of_batch[number] = record
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


def _validate(
    record: Record, attributor: Attributor, assume_tz: tzinfo | None
) -> tuple[NoticeRow | None, RowErrors]:
    if isinstance(record, str):
        return None, [("", record)]
    row = clean_notice(record, attributor, assume_tz)  # most rows: no reasons to gather
    if row is not None:
        return row, []
    missing = [c for c in REQUIRED_NOTICE_COLUMNS if c not in record]
    if missing:
        return None, [(column, "required column is missing") for column in missing]
    return validate_notice(record, attributor, assume_tz)
