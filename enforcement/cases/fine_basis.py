"""What the maximum fine depends on besides the categories (art. 8(2) of the 2024 law): whether
the breach is systematic or persistent, and the hoster's turnover of the previous year, each
recorded on the case with its evidence by legal staff or a supervisor, as a case event."""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.cases.events import CASE_CHANGED, append_event
from enforcement.cases.models import Case
from enforcement.core.errors import Conflict, FieldErrors, PermissionDenied
from enforcement.core.time import utcnow

RECORDERS = frozenset({Role.LEGAL, Role.SUPERVISOR})
MAX_TURNOVER = Decimal("1000000000000")
MAX_TEXT = 4000


def _turnover(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("an amount in euros") from None
    if not amount.is_finite() or not 0 < amount < MAX_TURNOVER:
        raise ValueError("a positive amount in euros")
    return amount.quantize(Decimal("0.01"))


def record_fine_basis(
    session: Session,
    case: Case,
    *,
    systematic: bool,
    systematic_reason: str,
    turnover_eur: Any,
    turnover_source: str,
    actor: User,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Case:
    """Record whether the breach is systematic or persistent (with why) and the turnover (with
    its source); clearing one clears its evidence too."""
    if actor.role not in RECORDERS:
        raise PermissionDenied("Legal staff and supervisors record the basis of a fine.")
    if expected_version is not None and case.version != expected_version:
        raise Conflict(CASE_CHANGED)
    reason, source = (systematic_reason or "").strip(), (turnover_source or "").strip()
    errors: dict[str, list[str]] = {}
    if systematic and not reason:
        errors["systematic_reason"] = ["say what shows the breach is systematic or persistent"]
    try:
        turnover = _turnover(turnover_eur)
    except ValueError as exc:
        errors["turnover_eur"] = [str(exc)]
        turnover = None
    if turnover is not None and not source:
        errors["turnover_source"] = ["name the source of the turnover (annual accounts, ...)"]
    if len(reason) > MAX_TEXT or len(source) > MAX_TEXT:
        errors.setdefault("systematic_reason", []).append(f"at most {MAX_TEXT} characters")
    if errors:
        raise FieldErrors(errors)
    case.systematic, case.systematic_reason = systematic, reason if systematic else None
    case.turnover_eur, case.turnover_source = turnover, source if turnover is not None else None
    append_event(session, case, kind="fine_basis_recorded", actor=actor, now=now or utcnow(),
                 reason=reason, data={"systematic": systematic, "turnover_eur": turnover,
                                      "turnover_source": case.turnover_source})  # fmt: skip
    return case
