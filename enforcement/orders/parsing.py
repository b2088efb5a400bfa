"""Read one row of an orders import: what it says of its order, with every error of the row.

The import (enforcement.orders.importing) groups the rows by reference and checks each order as
a whole; here each row is checked on its own, against what the database holds (``Known``).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from enforcement.hosters.models import Hoster
from enforcement.notices.models import Notice, NoticeSource
from enforcement.notices.parsing import RowErrors, text, timestamp_field
from enforcement.orders.models import LAW_IN_FORCE, RemovalOrder
from enforcement.orders.services import check_term_hours

# And "source", the notice's source: needed only where its notice id is not unique.
REQUIRED_COLUMNS = ("reference", "hoster", "notice_id", "issued_at", "received_at", "term_hours")
# What every row of one order must agree on.
SHARED_COLUMNS = ("hoster", "issued_at", "received_at", "term_hours")
BEFORE_LAW = "before 1 July 2024, when the law took effect: no removal order can be older"
MAX_REFERENCE = 60
WHOLE_NUMBER = re.compile(r"[0-9]+")

Error = tuple[int, str, str]  # (row number, column, reason)
Record = Mapping[str, Any]


@dataclass
class OrderRow:
    """What one row says of its order, and the notice of its item (None where invalid)."""

    number: int
    reference: str
    kvk: str
    hoster: Hoster | None
    notice: Notice | None
    issued_at: datetime | None
    received_at: datetime | None
    term_hours: int | None

    def shared(self, column: str) -> Any:
        """Return the value of a column all rows of the order must agree on."""
        if column == "hoster":
            return self.kvk or None
        return getattr(self, column)


@dataclass
class Known:
    """What the database holds of the hosters, notices and references a file names."""

    hosters: dict[str, Hoster]
    notices: dict[str, list[Notice]]
    sources: set[str]
    orders: dict[str, RemovalOrder]

    @classmethod
    def load(cls, session: Session, records: list[Record]) -> "Known":
        """Load, in a few queries, what the records name."""
        kvks, notice_ids, references = (
            {text(record, column) for record in records} - {""}
            for column in ("hoster", "notice_id", "reference")
        )
        hosters = session.scalars(sa.select(Hoster).where(Hoster.kvk.in_(kvks)))
        notices: dict[str, list[Notice]] = {}
        for notice in session.scalars(
            sa.select(Notice)
            .where(Notice.external_id.in_(notice_ids))
            .options(joinedload(Notice.source), joinedload(Notice.hoster))
            .order_by(Notice.id)
        ):
            notices.setdefault(notice.external_id, []).append(notice)
        orders = session.scalars(
            sa.select(RemovalOrder)
            .where(RemovalOrder.reference.in_(references))
            .options(selectinload(RemovalOrder.items))
        )
        return cls(
            hosters={hoster.kvk: hoster for hoster in hosters},
            notices=notices,
            sources=set(session.scalars(sa.select(NoticeSource.name))),
            orders={order.reference: order for order in orders},
        )


def parse_row(
    number: int, record: Record, known: Known, now: datetime, assume_tz: tzinfo | None
) -> tuple[OrderRow, RowErrors]:
    """Return what a row says, with every error of the row itself."""
    errors: RowErrors = []
    for column in REQUIRED_COLUMNS:
        if column not in record:
            errors.append((column, "required column is missing"))
        elif not text(record, column):
            errors.append((column, "required"))
    reference, kvk = text(record, "reference"), text(record, "hoster")
    if len(reference) > MAX_REFERENCE:
        errors.append(("reference", f"longer than {MAX_REFERENCE} characters"))
    hoster = known.hosters.get(kvk)
    if kvk and hoster is None:
        errors.append(("hoster", f"unknown hoster: no KvK number {kvk} in the registry"))
    issued_at = timestamp_field(record, "issued_at", assume_tz, errors)
    received_at = timestamp_field(record, "received_at", assume_tz, errors)
    term_hours = _term_hours(record, errors)
    errors += _time_errors(issued_at, received_at, now)
    notice, notice_errors = _notice(record, known, hoster, issued_at)
    row = OrderRow(number, reference, kvk, hoster, notice, issued_at, received_at, term_hours)
    return row, errors + notice_errors


def _term_hours(record: Record, errors: RowErrors) -> int | None:
    value = record.get("term_hours")
    if not text(record, "term_hours"):
        return None  # reported as required
    if isinstance(value, str) and WHOLE_NUMBER.fullmatch(value.strip()):
        value = int(value)
    try:
        return check_term_hours(value)
    except ValueError as exc:
        errors.append(("term_hours", str(exc)))
        return None


def _time_errors(
    issued_at: datetime | None, received_at: datetime | None, now: datetime
) -> RowErrors:
    errors: RowErrors = []
    if issued_at is not None and issued_at > now:
        errors.append(("issued_at", "in the future"))
    elif issued_at is not None and issued_at < LAW_IN_FORCE:
        errors.append(("issued_at", BEFORE_LAW))
    if received_at is not None and received_at > now:
        errors.append(("received_at", "in the future"))
    elif received_at is not None and issued_at is not None and received_at < issued_at:
        errors.append(("received_at", "before issued_at"))
    return errors


def _notice(
    record: Record, known: Known, hoster: Hoster | None, issued_at: datetime | None
) -> tuple[Notice | None, RowErrors]:
    """Return the notice a row names, by its id and (where the id is not unique) its source."""
    external_id, source = text(record, "notice_id"), text(record, "source")
    if not external_id:
        return None, []
    candidates = known.notices.get(external_id, [])
    if source and source not in known.sources:
        return None, [("source", f"unknown source {source!r}")]
    if source:
        candidates = [notice for notice in candidates if notice.source.name == source]
    if not candidates:
        where = f" from source {source}" if source else ""
        return None, [("notice_id", f"unknown notice: no notice {external_id}{where}")]
    if len(candidates) > 1:
        names = ", ".join(sorted(notice.source.name for notice in candidates))
        reason = f"notice {external_id} is ambiguous: sources {names} have it; fill in source"
        return None, [("notice_id", reason)]
    notice, errors = candidates[0], []
    if hoster is not None and notice.hoster_id != hoster.id:
        reason = f"notice {external_id} is of another hoster (KvK {notice.hoster.kvk})"
        errors.append(("notice_id", reason))
    if issued_at is not None and notice.notice_sent_at > issued_at:
        errors.append(("notice_id", f"notice {external_id} was sent after the order was issued"))
    return notice, errors
