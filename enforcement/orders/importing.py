"""Import removal orders issued outside the system (history, another tool), all or nothing.

One row per item; rows with the same reference form one order and agree on its hoster, times
and term. A file with any error imports nothing and lists every error by row; importing the
same file again changes nothing. The caller commits or rolls back.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from enforcement.cases.queries import open_case_of
from enforcement.core.errors import Conflict, ImportErrors
from enforcement.core.tabular import CsvRecords, missing_columns
from enforcement.core.time import utcnow
from enforcement.deadlines import hours_deadline
from enforcement.orders.models import (
    OrderOrigin,
    OrderStatus,
    RemovalOrder,
    RemovalOrderItem,
)
from enforcement.orders.parsing import (
    REQUIRED_COLUMNS,
    SHARED_COLUMNS,
    Error,
    Known,
    OrderRow,
    Record,
    parse_row,
)
from enforcement.orders.services import case_event, order_summary

MAX_SOURCE = 200  # the length of RemovalOrder.source


@dataclass
class OrderImportReport:
    """What an import did: rows read, orders created or found unchanged, and every error."""

    rows: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list[Error] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.rows} row(s), {self.created} order(s) created, {self.unchanged} unchanged"


def import_orders(
    session: Session,
    records: Iterable[tuple[int, Record | str]],
    *,
    source_name: str,
    now: datetime | None = None,
    assume_tz: tzinfo | None = None,
) -> OrderImportReport:
    """Validate every row and create the orders not imported before; raise ImportErrors listing
    every error, creating nothing, when any row is wrong. Flushes; the caller commits.

    A timestamp without UTC offset is an error unless ``assume_tz`` names its zone."""
    now = now or utcnow()
    report = OrderImportReport()
    numbered = _read(records, report)
    known = Known.load(session, [record for _, record in numbered])
    groups: dict[str, list[OrderRow]] = {}
    for number, record in numbered:
        row, errors = parse_row(number, record, known, now, assume_tz)
        report.errors.extend((number, column, reason) for column, reason in errors)
        if row.reference:
            groups.setdefault(row.reference, []).append(row)
    new = _check_orders(groups, known, report)
    if report.errors:
        raise ImportErrors(sorted(report.errors, key=lambda error: error[0]))
    for rows in new:
        _create(session, rows, source_name=source_name, now=now)
        report.created += 1
    return report


def _check_orders(
    groups: dict[str, list[OrderRow]], known: Known, report: OrderImportReport
) -> list[list[OrderRow]]:
    """Note the errors of each order as a whole; count the unchanged; return the new ones."""
    wrong_rows = {number for number, _, _ in report.errors}
    new = []
    for reference, rows in groups.items():
        existing = known.orders.get(reference)
        errors = _group_errors(rows) + _system_reference(rows, existing)
        valid = not errors and all(row.number not in wrong_rows for row in rows)
        if valid and existing is not None:
            errors = _changed(rows, existing)
            report.unchanged += 0 if errors else 1
        elif valid:
            new.append(rows)
        report.errors.extend(errors)
    return new


def _read(
    records: Iterable[tuple[int, Record | str]], report: OrderImportReport
) -> list[tuple[int, Record]]:
    """Return the readable (number, record) pairs; note unreadable rows; refuse a bad header."""
    numbered: list[tuple[int, Record]] = []
    for number, record in records:
        header_read = report.rows == 0 and isinstance(records, CsvRecords)
        if header_read and (header_errors := missing_columns(records.columns, REQUIRED_COLUMNS)):
            raise ImportErrors(header_errors)
        report.rows += 1
        if isinstance(record, str):
            report.errors.append((number, "", record))
        else:
            numbered.append((number, record))
    if report.rows == 0:
        raise ImportErrors([(0, "", "the file has no rows")])
    return numbered


def _group_errors(rows: list[OrderRow]) -> list[Error]:
    """Return the errors of rows that disagree with the first row of their order, or repeat
    one of its notices."""
    errors: list[Error] = []
    first: dict[str, tuple[int, Any]] = {}
    notice_rows: dict[int, int] = {}
    for row in rows:
        for column in SHARED_COLUMNS:
            value = row.shared(column)
            if value is None:
                continue
            number, expected = first.setdefault(column, (row.number, value))
            if value != expected:
                reason = f"differs from row {number} of order {row.reference}"
                errors.append((row.number, column, reason))
        if row.notice is not None:
            number = notice_rows.setdefault(row.notice.id, row.number)
            if number != row.number:
                reason = f"the same notice is on row {number} of order {row.reference}"
                errors.append((row.number, "notice_id", reason))
    return errors


def _system_reference(rows: list[OrderRow], existing: RemovalOrder | None) -> list[Error]:
    """Return an error when the reference is that of an order issued in this system."""
    if existing is None or existing.origin != OrderOrigin.SYSTEM:
        return []
    reason = f"{rows[0].reference} is the reference of an order issued in this system"
    return [(rows[0].number, "reference", f"{reason}; an import cannot change it")]


def _changed(rows: list[OrderRow], existing: RemovalOrder) -> list[Error]:
    """Return an error when an imported order has other data than the rows give."""
    first = rows[0]
    differ = ["hoster"] if existing.hoster_id != first.hoster.id else []
    differ += [
        column
        for column in ("issued_at", "received_at", "term_hours")
        if getattr(existing, column) != getattr(first, column)
    ]
    if {item.notice_id for item in existing.items} != {row.notice.id for row in rows}:
        differ.append("items")
    if not differ:
        return []
    reason = f"order {first.reference} was imported before with other {', '.join(differ)}"
    return [(first.number, "reference", f"{reason}; an order never changes")]


def _create(session: Session, rows: list[OrderRow], *, source_name: str, now: datetime) -> None:
    """Add one imported order with its items, and record it on the hoster's open case."""
    first = rows[0]
    case = open_case_of(session, first.hoster.id)
    order = RemovalOrder(
        reference=first.reference,
        hoster_id=first.hoster.id,
        case_id=case.id if case else None,
        origin=OrderOrigin.IMPORTED,
        status=OrderStatus.ISSUED,
        term_hours=first.term_hours,
        issued_at=first.issued_at,
        received_at=first.received_at,
        due_at=hours_deadline(first.received_at, first.term_hours),
        receipt_evidence=f"imported from {source_name}",
        receipt_recorded_at=now,
        source=f"import {source_name}"[:MAX_SOURCE],
        drafted_at=first.issued_at,
        items=[
            RemovalOrderItem(notice_id=n.id, url=n.url, ip=n.ip, content_hash=n.content_hash)
            for n in (row.notice for row in rows)
        ],
    )
    session.add(order)
    try:
        session.flush()
    except IntegrityError:
        message = f"An order with reference {first.reference} was added meanwhile; import again."
        raise Conflict(message) from None
    data = {**order_summary(order), "source": order.source}
    case_event(session, first.hoster.id, "removal_order_imported", actor=None, data=data, now=now)
