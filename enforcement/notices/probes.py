"""Import the monitor's check log and re-derive offline and reappearance moments from it.

Checks are stored, so a log that arrives in pieces gives the same answer as one whole file:
after every import the affected notices are derived again from all their checks.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.core.errors import ImportErrors
from enforcement.core.time import utcnow
from enforcement.notices.checks import DEFAULT_FAILURES_FOR_OFFLINE, Check, derive_offline
from enforcement.notices.importing import (
    ImportReport,
    Progress,
    Record,
    RejectSink,
)
from enforcement.notices.models import Notice, NoticeCheck, NoticeSource
from enforcement.notices.parsing import REQUIRED_CHECK_COLUMNS, CheckRow, RowErrors, validate_check

BATCH_SIZE = 2000


def import_checks(
    session: Session,
    records: Iterable[tuple[int, Record]],
    *,
    source: NoticeSource,
    assume_tz: tzinfo | None = None,
    skip_invalid: bool = False,
    on_reject: RejectSink | None = None,
    progress: Progress | None = None,
    failures_for_offline: int = DEFAULT_FAILURES_FOR_OFFLINE,
    now: datetime | None = None,
) -> ImportReport:
    """Store new checks (a repeated check is ignored) and update the notices they concern."""
    report = ImportReport()
    batch: list[tuple[int, Record, CheckRow]] = []
    affected: set[int] = set()

    def flush() -> None:
        affected.update(_store_batch(session, source, batch, report, on_reject, skip_invalid))
        batch.clear()

    for number, record in records:
        report.rows += 1
        if progress is not None:
            progress(report.rows)
        row, errors = _validate(record, assume_tz)
        if errors:
            report.reject(number, errors)
            if on_reject is not None:
                on_reject(number, record, errors)
            continue
        batch.append((number, record, row))
        if len(batch) >= BATCH_SIZE:
            flush()
    flush()
    if report.errors and not skip_invalid:
        raise ImportErrors(report.errors)
    report.updated = rederive(session, affected, failures_for_offline, now or utcnow())
    report.unchanged = len(affected) - report.updated
    return report


def _validate(record: Record, assume_tz: tzinfo | None) -> tuple[CheckRow | None, RowErrors]:
    if isinstance(record, str):
        return None, [("", record)]
    missing = [c for c in REQUIRED_CHECK_COLUMNS if c not in record]
    if missing:
        return None, [(column, "required column is missing") for column in missing]
    return validate_check(record, assume_tz)


def _store_batch(
    session: Session,
    source: NoticeSource,
    batch: Sequence[tuple[int, Record, CheckRow]],
    report: ImportReport,
    on_reject: RejectSink | None,
    skip_invalid: bool,
) -> set[int]:
    """Resolve the batch's notices, reject unknown ones, insert the new checks."""
    ids = {row.external_id for _, _, row in batch}
    notices = {
        external_id: (notice_id, sent_at)
        for external_id, notice_id, sent_at in session.execute(
            sa.select(Notice.external_id, Notice.id, Notice.notice_sent_at).where(
                Notice.source_id == source.id, Notice.external_id.in_(ids)
            )
        )
    }
    values = {}
    for number, record, row in batch:
        found = notices.get(row.external_id)
        errors = []
        if found is None:
            errors = [("notice_id", f"no notice with this id from source {source.name}")]
        elif row.checked_at < found[1]:
            errors = [("checked_at", "is before the notice was sent")]
        if errors:
            report.reject(number, errors)
            if on_reject is not None:
                on_reject(number, record, errors)
            continue
        key = (found[0], row.checked_at)
        values[key] = {"notice_id": found[0], "checked_at": row.checked_at,
                       "online": row.online, "content_hash": row.content_hash}  # fmt: skip
    if not values or (report.errors and not skip_invalid):
        return set()
    existing = set(
        session.execute(
            sa.select(NoticeCheck.notice_id, NoticeCheck.checked_at).where(
                sa.tuple_(NoticeCheck.notice_id, NoticeCheck.checked_at).in_(list(values))
            )
        ).tuples()
    )
    new = [value for key, value in values.items() if key not in existing]
    if new:
        session.execute(sa.insert(NoticeCheck), new)
    return {notice_id for notice_id, _ in values}


def checks_by_notice(session: Session, notice_ids: Iterable[int]) -> dict[int, list[Check]]:
    """Return every stored check of these notices, by notice id, in time order."""
    found: dict[int, list[Check]] = defaultdict(list)
    ordered = sorted(set(notice_ids))
    for start in range(0, len(ordered), BATCH_SIZE):
        rows = session.execute(
            sa.select(NoticeCheck.notice_id, NoticeCheck.checked_at, NoticeCheck.online,
                      NoticeCheck.content_hash)
            .where(NoticeCheck.notice_id.in_(ordered[start : start + BATCH_SIZE]))
            .order_by(NoticeCheck.notice_id, NoticeCheck.checked_at)
        )  # fmt: skip
        for notice_id, checked_at, online, content_hash in rows:
            found[notice_id].append(Check(checked_at, online, content_hash))
    return found


def rederive(
    session: Session, notice_ids: set[int], failures_for_offline: int, now: datetime
) -> int:
    """Derive offline_at and reappeared_at again from all stored checks; return how many changed."""
    changed = 0
    ordered = sorted(notice_ids)
    for start in range(0, len(ordered), BATCH_SIZE):
        chunk = ordered[start : start + BATCH_SIZE]
        notices = {n.id: n for n in session.scalars(sa.select(Notice).where(Notice.id.in_(chunk)))}
        for notice_id, checks in checks_by_notice(session, chunk).items():
            notice = notices[notice_id]
            derived = derive_offline(
                checks,
                original_hash=notice.content_hash,
                failures_for_offline=failures_for_offline,
            )
            if (notice.offline_at, notice.reappeared_at) != (
                derived.offline_at,
                derived.reappeared_at,
            ):
                notice.offline_at = derived.offline_at
                notice.reappeared_at = derived.reappeared_at
                notice.updated_at = now
                changed += 1
    session.flush()
    return changed
