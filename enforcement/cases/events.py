"""The append-only event chain of a case: each event's hash covers the previous event's hash.

Nothing in the app edits or deletes an event (a flush that tries is refused); ``verify_chains``
recomputes every hash and names the first broken link, so an edit made outside the app shows.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from enforcement.auth.models import User
from enforcement.cases.models import Case, CaseEvent
from enforcement.core import sealing
from enforcement.core.errors import Conflict
from enforcement.core.time import utcnow

GENESIS_HASH = "0" * 64
CASE_CHANGED = "This case changed while you were looking at it. Reload and try again."


def plain(data: Any) -> Any:
    """Return data as plain JSON values (dates and moments as ISO 8601, amounts as text), as it
    will be stored."""
    return json.loads(json.dumps(data, default=_text))


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


PLAIN_SHA256, KEYED_HMAC = 1, 2  # CaseEvent.hash_scheme


def event_hash(previous_hash: str, fields: dict[str, Any], scheme: int = PLAIN_SHA256) -> str:
    """Return the hash over the previous hash and the event's canonical JSON: keyed with
    AUDIT_KEY (HMAC-SHA256) under scheme 2, plain SHA-256 under scheme 1 (older events)."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if scheme == KEYED_HMAC:
        return sealing.seal(f"{previous_hash}\n{canonical}")
    return hashlib.sha256(f"{previous_hash}\n{canonical}".encode()).hexdigest()


def hashed_fields(event: CaseEvent) -> dict[str, Any]:
    """Return the fields of an event that its hash covers."""
    return {
        "case_id": event.case_id,
        "sequence": event.sequence,
        "kind": event.kind,
        "trigger": event.trigger,
        "from_stage": event.from_stage,
        "to_stage": event.to_stage,
        "actor_id": event.actor_id,
        "occurred_at": event.occurred_at.isoformat(),
        "reason": event.reason,
        "data": event.data,
    }


def append_event(
    session: Session,
    case: Case,
    *,
    kind: str,
    actor: User | None,
    reason: str = "",
    trigger: str | None = None,
    from_stage: str | None = None,
    to_stage: str | None = None,
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> CaseEvent:
    """Append an event to the case's chain; the case's version moves, so racing writers clash."""
    with session.no_autoflush:  # the flush below, not this read, meets a concurrent change
        last = session.scalar(
            sa.select(CaseEvent)
            .where(CaseEvent.case_id == case.id)
            .order_by(CaseEvent.sequence.desc())
            .limit(1)
        )
    event = CaseEvent(
        case_id=case.id,
        sequence=(last.sequence + 1) if last else 1,
        kind=kind,
        trigger=trigger,
        from_stage=from_stage,
        to_stage=to_stage,
        actor_id=actor.id if actor else None,
        occurred_at=now or utcnow(),
        reason=reason,
        data=plain(data or {}),
        previous_hash=last.hash if last else GENESIS_HASH,
        hash_scheme=KEYED_HMAC if sealing.is_keyed() else PLAIN_SHA256,
    )
    event.hash = event_hash(event.previous_hash, hashed_fields(event), event.hash_scheme)
    session.add(event)
    case.updated_at = event.occurred_at
    flag_modified(case, "updated_at")  # always an UPDATE, so the version check always runs
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(CASE_CHANGED) from None
    return event


def stage_entered_at(session: Session, case: Case) -> datetime:
    """Return when the case entered its current stage: its last stage change, or its opening."""
    moment = session.scalar(
        sa.select(sa.func.max(CaseEvent.occurred_at)).where(
            CaseEvent.case_id == case.id, CaseEvent.to_stage.is_not(None)
        )
    )
    return moment or case.opened_at


@dataclass(frozen=True)
class BrokenLink:
    case_id: int
    sequence: int
    problem: str


def verify_events(events: Iterable[CaseEvent]) -> BrokenLink | None:
    """Check one case's events in sequence order; return the first broken link, if any."""
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    keyed_before = False
    for event in events:
        if event.sequence != expected_sequence:
            return BrokenLink(event.case_id, event.sequence, "an event is missing before it")
        if event.previous_hash != previous_hash:
            return BrokenLink(event.case_id, event.sequence, "does not follow the previous hash")
        if event.hash_scheme == PLAIN_SHA256 and keyed_before:
            # Once a chain is keyed it stays keyed: a plain hash after a keyed one was forged.
            return BrokenLink(event.case_id, event.sequence, "its hash is no longer keyed")
        if event.hash_scheme == KEYED_HMAC and not sealing.is_keyed():
            return BrokenLink(event.case_id, event.sequence, "is keyed, but AUDIT_KEY is not set")
        if event.hash != event_hash(event.previous_hash, hashed_fields(event), event.hash_scheme):
            return BrokenLink(event.case_id, event.sequence, "its content was changed")
        keyed_before = keyed_before or event.hash_scheme == KEYED_HMAC
        previous_hash = event.hash
        expected_sequence += 1
    return None


def verify_chains(session: Session) -> tuple[int, list[BrokenLink]]:
    """Verify every case's chain; return (cases checked, first broken link of each bad case)."""
    events = session.scalars(
        sa.select(CaseEvent).order_by(CaseEvent.case_id, CaseEvent.sequence)
    ).yield_per(1000)
    checked, broken = 0, []
    for _, case_events in groupby(events, key=lambda e: e.case_id):
        checked += 1
        link = verify_events(case_events)
        if link is not None:
            broken.append(link)
    return checked, broken


@sa.event.listens_for(Session, "before_flush")
def _refuse_event_changes(session: Session, flush_context, instances) -> None:
    """Events are append-only: refuse a flush that would change or delete one."""
    for obj in session.deleted:
        if isinstance(obj, CaseEvent):
            raise RuntimeError("case events are append-only; an event cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, CaseEvent) and session.is_modified(obj):
            raise RuntimeError("case events are append-only; an event cannot be changed")
