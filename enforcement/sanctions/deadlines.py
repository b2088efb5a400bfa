"""The money deadlines a case carries, kept in step with the facts by ``sync_deadlines``:

- ``collection_lapse`` (Awb 5:35): from the first confirmed forfeiture that no collection
  decision covers yet, the power to collect it lapses at the end of the same day a year later;
- ``payment_term`` (Awb 4:87 for a fine, 5:33 for forfeited penalties): from the moment a claim
  was made known until its last day to pay, while anything is outstanding.

They are computed from the facts, so a deadline that no longer holds is ended and the one that
does is started; each change is an event in the case's chain. The money services sync the case
they touch; ``flask sanctions deadlines`` syncs every case (run it with ``orders establish``),
which picks up fines and collection decisions made known by issuing their letters.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.cases.events import append_event
from enforcement.cases.models import ACTIVE_DEADLINE, Case, Deadline, DeadlineStatus
from enforcement.deadlines import DeadlineKind, end_of_day
from enforcement.sanctions.claims import FINE, all_claims
from enforcement.sanctions.queries import lapse_day, penalty_ledger, penalty_orders

LAPSE, PAYMENT = DeadlineKind.COLLECTION_LAPSE, DeadlineKind.PAYMENT_TERM
SOURCES = {LAPSE: "Awb 5:35", (PAYMENT, FINE): "Awb 4:87", PAYMENT: "Awb 5:33"}
KINDS = (LAPSE, PAYMENT)

Wanted = tuple[str, datetime, datetime, str, int | None]  # kind, start, due, source, decision


def wanted_deadlines(session: Session, case: Case, now: datetime) -> set[Wanted]:
    """Return the money deadlines the case's facts call for now."""
    wanted: set[Wanted] = set()
    uncollected = [
        forfeiture
        for decision in penalty_orders(session, case.hoster_id)
        if decision.case_id == case.id and not decision.revoked
        for forfeiture in penalty_ledger(session, decision, now=now).uncollected()
    ]
    if uncollected:
        first = min(uncollected, key=lambda f: (lapse_day(f), f.forfeited_at))
        wanted.add((LAPSE, first.forfeited_at, end_of_day(lapse_day(first)), SOURCES[LAPSE], None))
    for claim in all_claims(session, case.hoster_id):
        if claim.case_id == case.id and claim.outstanding > 0:
            source = SOURCES[(PAYMENT, FINE)] if claim.kind == FINE else SOURCES[PAYMENT]
            decision_id = claim.id if claim.kind == FINE else None
            due = end_of_day(claim.due_on)
            # A collection decision made known after the 5:33 term is overdue at once.
            wanted.add((PAYMENT, min(claim.made_known_at, due), due, source, decision_id))
    return wanted


def sync_deadlines(
    session: Session, case: Case, *, now: datetime, actor: User | None = None
) -> bool:
    """Start the money deadlines the facts call for and end those they no longer do."""
    wanted = wanted_deadlines(session, case, now)
    active = session.scalars(sa.select(Deadline).where(
        Deadline.case_id == case.id, Deadline.kind.in_(KINDS),
        Deadline.status.in_([status.value for status in ACTIVE_DEADLINE]),
    )).all()  # fmt: skip
    keys = {(d.kind, d.starts_at, d.due_at): d for d in active}
    ended = [d for key, d in keys.items() if key not in {w[:3] for w in wanted}]
    started = [w for w in wanted if w[:3] not in keys]
    for deadline in ended:
        deadline.status = DeadlineStatus.ENDED.value
    for kind, start, due, source, decision_id in sorted(started, key=lambda w: (w[0], w[1])):
        session.add(Deadline(case_id=case.id, kind=kind, legal_source=source, starts_at=start,
                             due_at=due, decision_id=decision_id))  # fmt: skip
    if not ended and not started:
        return False
    session.flush()
    append_event(session, case, kind="money_deadlines", actor=actor, now=now,
                 data={"ended": [{"kind": d.kind, "due_at": d.due_at} for d in ended],
                       "started": [{"kind": w[0], "due_at": w[2]} for w in started]})  # fmt: skip
    return True


def sync_all(session: Session, *, now: datetime) -> int:
    """Sync the money deadlines of every case with a penalty order or a fine; return changes."""
    case_ids = {d.case_id for d in penalty_orders(session)} | {
        c.case_id for c in all_claims(session)
    }
    changed = 0
    for case_id in sorted(case_ids):
        changed += sync_deadlines(session, session.get(Case, case_id), now=now)
    return changed
