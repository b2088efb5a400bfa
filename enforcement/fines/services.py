"""Fine category amounts: the table in force, adding an indexation, removing a wrong row."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.core.errors import Conflict, DomainError, FieldErrors, NotFound, PermissionDenied
from enforcement.core.time import utcnow
from enforcement.fines.amounts import FineCategories
from enforcement.fines.models import FineCategoryAmounts

MANAGERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
MAX_AMOUNT = Decimal("1000000000000")


def category_table(session: Session) -> list[FineCategories]:
    """Return the category amounts in force, oldest first, as the fine rules read them."""
    rows = session.scalars(
        sa.select(FineCategoryAmounts)
        .where(FineCategoryAmounts.removed_at.is_(None))
        .order_by(FineCategoryAmounts.effective_from)
    )
    return [FineCategories(r.effective_from, r.second, r.sixth, r.source) for r in rows]


def all_rows(session: Session) -> list[FineCategoryAmounts]:
    """Return every row, removed ones too, the newest date first."""
    return list(session.scalars(
        sa.select(FineCategoryAmounts)
        .order_by(FineCategoryAmounts.effective_from.desc(), FineCategoryAmounts.id.desc())
    ))  # fmt: skip


def _amount(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and 0 < amount < MAX_AMOUNT else None


def add_categories(
    session: Session,
    *,
    effective_from: date,
    second: Any,
    sixth: Any,
    source: str,
    actor: User | None,
    now: datetime | None = None,
) -> FineCategoryAmounts:
    """Add the amounts of an indexation from a date, with their source."""
    if actor is not None and actor.role not in MANAGERS:
        raise PermissionDenied("Supervisors and admins keep the fine categories.")
    second_amount, sixth_amount = _amount(second), _amount(sixth)
    errors: dict[str, list[str]] = {}
    if second_amount is None:
        errors["second"] = ["a positive amount in euros"]
    if sixth_amount is None or (second_amount and sixth_amount < second_amount):
        errors["sixth"] = ["a positive amount in euros, at least the second category's"]
    source = (source or "").strip()
    if not source or len(source) > 300:
        errors["source"] = ["the Staatsblad (or other) publication, 1 to 300 characters"]
    if errors:
        raise FieldErrors(errors)
    row = FineCategoryAmounts(effective_from=effective_from, second=second_amount.quantize(
        Decimal("0.01")), sixth=sixth_amount.quantize(Decimal("0.01")), source=source,
        added_by_id=actor.id if actor else None, added_at=now or utcnow())  # fmt: skip
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"Amounts from {effective_from.isoformat()} are in force already; "
                       "remove them first.") from None  # fmt: skip
    return row


def remove_categories(
    session: Session, row: FineCategoryAmounts, *, reason: str, actor: User | None,
    now: datetime | None = None,
) -> FineCategoryAmounts:  # fmt: skip
    """Remove a wrong row with the reason; it stays on record."""
    if actor is not None and actor.role not in MANAGERS:
        raise PermissionDenied("Supervisors and admins keep the fine categories.")
    if not row.in_force:
        raise Conflict("These amounts were removed already.")
    if not (reason or "").strip():
        raise DomainError("Say why these amounts are removed.")
    row.removed_at, row.removal_reason = now or utcnow(), reason.strip()
    row.removed_by_id = actor.id if actor else None
    session.flush()
    return row


def get_row(session: Session, row_id: int) -> FineCategoryAmounts:
    row = session.get(FineCategoryAmounts, row_id)
    if row is None:
        raise NotFound("No such fine category amounts.")
    return row
