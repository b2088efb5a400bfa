"""Import the hoster registry from a spreadsheet export (CSV) or JSON Lines, all or nothing."""

from dataclasses import dataclass, field
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.core.errors import Conflict, FieldErrors, ImportErrors
from enforcement.core.tabular import iter_records, missing_columns
from enforcement.hosters.models import Hoster
from enforcement.hosters.services import save_hoster

# File column -> registry field.
COLUMNS = {
    "kvk": "kvk",
    "name": "trade_name",
    "legal_name": "legal_name",
    "country": "country",
    "address": "postal_address",
    "email": "formal_email",
    "abuse_contact": "abuse_contact",
    "language": "language",
    "ip_ranges": "ip_ranges",
}
FIELD_TO_COLUMN = {field_name: column for column, field_name in COLUMNS.items()}
REQUIRED_COLUMNS = set(COLUMNS) - {"address"}


@dataclass
class ImportResult:
    """What an import did, row by row."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notices: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def import_hosters(
    session: Session, stream: IO[str], file_format: str, *, actor: User | None, source: str
) -> ImportResult:
    """Create or update one hoster per row, keyed by KvK number; on any error raise ImportErrors.

    Rows are applied in order (so a range claimed twice in one file is caught), and the caller
    rolls back when ImportErrors is raised: nothing is half-imported.
    """
    result = ImportResult()
    errors: list[tuple[int, str, str]] = []
    seen_kvk: dict[str, int] = {}
    checked_header = False
    for number, row in iter_records(stream, file_format):
        if isinstance(row, str):
            errors.append((number, "", row))
            continue
        if not checked_header and file_format == "csv":
            checked_header = True
            result.ignored_columns = sorted(set(row) - set(COLUMNS))
            if header_errors := missing_columns(row, REQUIRED_COLUMNS):
                raise ImportErrors(header_errors)
        errors.extend(_import_row(session, number, row, result, seen_kvk, actor, source))
    if not errors and not (result.created or result.updated or result.unchanged):
        errors.append((0, "", "the file has no rows"))
    if errors:
        raise ImportErrors(errors)
    return result


def _import_row(
    session: Session,
    number: int,
    row: dict[str, Any],
    result: ImportResult,
    seen_kvk: dict[str, int],
    actor: User | None,
    source: str,
) -> list[tuple[int, str, str]]:
    """Save one row; return its errors (empty when it was applied)."""
    missing = [c for c in sorted(REQUIRED_COLUMNS) if c not in row]
    if missing:
        return [(number, column, "required column is missing") for column in missing]
    raw = {COLUMNS[c]: v for c, v in row.items() if c in COLUMNS}
    if isinstance(raw.get("kvk"), int):
        raw["kvk"] = str(raw["kvk"])  # JSON numbers lose leading zeros; the length check says so
    kvk = str(raw.get("kvk") or "").strip()
    if kvk in seen_kvk:
        return [(number, "kvk", f"KvK {kvk} is also on row {seen_kvk[kvk]}")]
    seen_kvk[kvk] = number
    existing = session.scalar(sa.select(Hoster).where(Hoster.kvk == kvk)) if kvk else None
    try:
        saved = save_hoster(session, raw, actor=actor, source=source, hoster=existing)
    except FieldErrors as exc:
        return [
            (number, FIELD_TO_COLUMN.get(name, name), message)
            for name, messages in exc.errors.items()
            for message in messages
        ]
    except Conflict as exc:
        return [(number, "", exc.message)]
    label = f"{saved.hoster.kvk} {saved.hoster.trade_name}"
    bucket = result.created if saved.created else result.updated if saved.changes else None
    (bucket if bucket is not None else result.unchanged).append(label)
    result.notices.extend((number, notice) for notice in saved.notices)
    return []
