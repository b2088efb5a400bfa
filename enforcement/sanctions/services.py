"""Operations on the money side: confirm forfeitures, draft and decide collection decisions.

Each takes the session first and the acting user explicitly, flushes and never commits; the
view or command commits once. Every operation appends an event to the case's audit chain.
"""

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from enforcement.auth.models import Role, User
from enforcement.cases.events import append_event
from enforcement.cases.models import Case, Decision
from enforcement.core.errors import Conflict, DomainError, PermissionDenied
from enforcement.letters.kinds import get_kind
from enforcement.sanctions import letters as _money_letters  # noqa: F401  (registers the kinds)
from enforcement.sanctions.deadlines import sync_deadlines
from enforcement.sanctions.models import CollectionDecision, CollectionStatus, Forfeiture
from enforcement.sanctions.queries import (
    ZERO,
    get_collection,
    lapse_day,
    lapsed,
    penalty_ledger,
)

CONFIRMERS = frozenset({Role.SUPERVISOR})
COLLECTION_DRAFTERS = frozenset({Role.LEGAL})
COLLECTION_APPROVERS = frozenset({Role.SUPERVISOR})
MAX_AMOUNT = Decimal(10) ** 10  # what a Numeric(12, 2) column holds
ALREADY_CONFIRMED = "The forfeiture of violation {id} was already confirmed by {who} at {at}."


def _require(actor: User, roles: frozenset[Role], what: str) -> None:
    if actor.role not in roles:
        raise PermissionDenied(f"Only {' or '.join(sorted(r.value for r in roles))} may {what}.")


def _lock_case(session: Session, decision: Decision) -> Case:
    """Lock the decision's case row: confirmations and collections of one case go one by one,
    and the case is read again as the lock finds it."""
    return session.scalars(
        sa.select(Case).where(Case.id == decision.case_id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()  # fmt: skip


def confirm_forfeitures(
    session: Session, decision: Decision, violation_ids: list[int], *, actor: User, now: datetime
) -> list[Forfeiture]:
    """Freeze the ledger's lines of these violations as confirmed forfeitures (supervisors)."""
    _require(actor, CONFIRMERS, "confirm forfeitures")
    if not violation_ids:
        raise DomainError("Choose at least one forfeiture to confirm.")
    case = _lock_case(session, decision)
    ledger = penalty_ledger(session, decision, now=now)
    lines = {line.violation.id: line for line in ledger.ledger.lines}
    for violation_id in violation_ids:
        line = lines.get(violation_id)
        if line is None:
            raise DomainError(f"Violation {violation_id} is not in this order's ledger.")
        if violation_id in ledger.confirmed:
            done = ledger.confirmed[violation_id]
            raise Conflict(ALREADY_CONFIRMED.format(id=violation_id, who=done.confirmed_by.email,
                                                    at=done.confirmed_at.isoformat()))  # fmt: skip
        if not line.forfeits:
            raise DomainError(f"Violation {violation_id} forfeits nothing: {line.why}")
    forfeitures = [
        Forfeiture(penalty_decision_id=decision.id, violation_id=vid, hoster_id=case.hoster_id,
                   amount=lines[vid].amount, forfeited_at=lines[vid].violation.due_at,
                   ledger_line={"outcome": lines[vid].outcome.value, "why": lines[vid].why,
                                "running_total": str(lines[vid].running_total)},
                   confirmed_by_id=actor.id, confirmed_at=now)
        for vid in violation_ids
    ]  # fmt: skip
    session.add_all(forfeitures)
    try:
        session.flush()
    except IntegrityError:  # a violation confirmed meanwhile, under this order or another
        raise Conflict("One of these forfeitures was confirmed by someone else meanwhile. "
                       "Reload the ledger; nothing of yours was stored.") from None  # fmt: skip
    total = sum((f.amount for f in forfeitures), ZERO)
    append_event(session, case, kind="forfeitures_confirmed", actor=actor, now=now,
                 data={"decision_id": decision.id, "violation_ids": violation_ids,
                       "amount": str(total)})  # fmt: skip
    sync_deadlines(session, case, now=now, actor=actor)
    return forfeitures


def draft_collection(
    session: Session,
    decision: Decision,
    forfeiture_ids: list[int],
    *,
    actor: User,
    reasons: str,
    now: datetime,
) -> CollectionDecision:
    """Draft a collection decision (Awb 5:37) over confirmed, uncollected forfeitures."""
    _require(actor, COLLECTION_DRAFTERS, "draft a collection decision")
    if decision.revoked:
        raise DomainError("The penalty order was revoked: nothing under it can be collected.")
    case = _lock_case(session, decision)
    ledger = penalty_ledger(session, decision, now=now)
    free = {f.id: f for f in ledger.uncollected()}
    chosen = [free[fid] for fid in forfeiture_ids if fid in free]
    if not forfeiture_ids or len(chosen) != len(set(forfeiture_ids)):
        raise DomainError("Choose confirmed forfeitures of this order that no collection "
                          "decision covers yet.")  # fmt: skip
    expired = [f for f in chosen if lapsed(f, now)]
    if expired:
        days = ", ".join(lapse_day(f).isoformat() for f in expired)
        raise DomainError(f"The power to collect has lapsed (Awb 5:35) for {len(expired)} of "
                          f"these forfeitures (last day {days}); leave them out.")  # fmt: skip
    collection = CollectionDecision(
        case_id=case.id, hoster_id=case.hoster_id, penalty_decision_id=decision.id,
        status=CollectionStatus.DRAFT, amount=sum((f.amount for f in chosen), ZERO),
        reasons=reasons.strip(), drafted_by_id=actor.id, drafted_at=now,
    )  # fmt: skip
    session.add(collection)
    session.flush()
    for forfeiture in chosen:
        forfeiture.collection_id = collection.id
    append_event(session, case, kind="collection_drafted", actor=actor, now=now,
                 data={"collection_id": collection.id, "forfeiture_ids": forfeiture_ids,
                       "amount": str(collection.amount)})  # fmt: skip
    sync_deadlines(session, case, now=now, actor=actor)
    return collection


def _undecided(collection: CollectionDecision, actor: User) -> None:
    _require(actor, COLLECTION_APPROVERS, "approve or refuse a collection decision")
    if collection.status != CollectionStatus.DRAFT:
        raise Conflict(f"This collection decision was already {collection.status.value}.")
    if collection.drafted_by_id == actor.id:
        raise PermissionDenied("Four eyes: someone other than the drafter approves or refuses.")


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict("Someone else decided on this collection decision meanwhile.") from None


def approve_collection(
    session: Session, collection: CollectionDecision, *, actor: User, now: datetime
) -> CollectionDecision:
    """Approve a drafted collection decision (four eyes) and draft its letter."""
    _undecided(collection, actor)
    expired = [f for f in collection.forfeitures if lapsed(f, now)]
    if expired:
        raise DomainError("The power to collect has lapsed (Awb 5:35) for some of its "
                          "forfeitures; refuse it and draft a new one without them.")  # fmt: skip
    collection.status = CollectionStatus.APPROVED
    collection.decided_by_id, collection.decided_at = actor.id, now
    _flush(session)
    letter = get_kind("collection_decision").draft(
        session, collection.case, actor=collection.drafted_by, letter_date=now, now=now,
        collection_id=collection.id,
    )  # fmt: skip
    collection.letter_id = letter.id
    _flush(session)
    append_event(session, collection.case, kind="collection_approved", actor=actor, now=now,
                 data={"collection_id": collection.id, "letter_id": letter.id})  # fmt: skip
    return collection


def refuse_collection(
    session: Session, collection: CollectionDecision, *, actor: User, note: str, now: datetime
) -> CollectionDecision:
    """Refuse a drafted collection decision; its forfeitures can be collected by another."""
    _undecided(collection, actor)
    if not note.strip():
        raise DomainError("Say why the collection decision is refused.")
    collection.status = CollectionStatus.REFUSED
    collection.decided_by_id, collection.decided_at = actor.id, now
    collection.decision_note = note.strip()
    for forfeiture in list(collection.forfeitures):
        forfeiture.collection_id = None
    _flush(session)
    append_event(session, collection.case, kind="collection_refused", actor=actor, now=now,
                 reason=note.strip(), data={"collection_id": collection.id})  # fmt: skip
    sync_deadlines(session, collection.case, now=now, actor=actor)
    return collection


def collection_by_id(session: Session, collection_id: int) -> CollectionDecision:
    return get_collection(session, collection_id)


def as_amount(value: Decimal | str) -> Decimal:
    """Return a positive amount in euros with at most two decimals; DomainError otherwise."""
    refusal = DomainError("Give a positive amount in euros with at most two decimals and a point "
                          "before the cents (1250.00).")  # fmt: skip
    try:
        amount = Decimal(str(value).strip())
    except ArithmeticError:
        raise refusal from None
    if not amount.is_finite() or not 0 < amount < MAX_AMOUNT:
        raise refusal
    if amount != amount.quantize(Decimal("0.01")):
        raise refusal
    return amount.quantize(Decimal("0.01"))
