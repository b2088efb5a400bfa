"""Removal orders' compliance as plain values, for JSON and CSV (no URL in either)."""

from datetime import UTC, datetime
from typing import Any

from enforcement.core.tabular import safe_cell
from enforcement.orders.queries import OrderCompliance

COMPLIANCE_CSV_COLUMNS = (
    "reference",
    "hoster_kvk",
    "issued_at",
    "received_at",
    "due_at",
    "term_hours",
    "notice_id",
    "status",
    "inaccessible_at",
)


def utc_text(moment: datetime | None) -> str | None:
    """Return a moment as ISO 8601 in UTC ending in Z (microseconds only when not zero)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def compliance_json(oc: OrderCompliance) -> dict[str, Any]:
    """Return an order's compliance as JSON values: the order, its counts and its items."""
    order = oc.order
    return {
        "reference": order.reference,
        "hoster_kvk": order.hoster.kvk,
        "issued_at": utc_text(order.issued_at),
        "received_at": utc_text(order.received_at),
        "due_at": utc_text(order.due_at),
        "term_hours": order.term_hours,
        "complied": oc.counts.complied,
        "violated": oc.counts.violated,
        "pending": oc.counts.pending,
        "items": [
            {
                "notice_id": item.notice_reference,
                "status": item.status.value,
                "inaccessible_at": utc_text(item.inaccessible_at),
            }
            for item in oc.items
        ],
    }


def compliance_csv_rows(oc: OrderCompliance) -> list[list[str]]:
    """Return one CSV row per item, in the order of COMPLIANCE_CSV_COLUMNS, safe to open."""
    found = compliance_json(oc)
    rows = []
    for item in found["items"]:
        values = {**found, **item}
        rows.append([safe_cell(_text(values[column])) for column in COMPLIANCE_CSV_COLUMNS])
    return rows


def _text(value: Any) -> str:
    return "" if value is None else str(value)
