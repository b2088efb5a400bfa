"""Demo data for the money side, made through the real services: a penalty order that forfeits
from violated removal orders, a collection decision over the forfeitures, and a payment.

For the demo hoster Kade Colo, over the last 26 weeks: a removal order violated (the ground),
a warning, a penalty order (four eyes, letters issued), two later orders violated after the
grace period, the forfeitures confirmed, collected (four eyes, letter issued) and partly paid.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.cases.ladder import Trigger
from enforcement.cases.models import Case, Decision
from enforcement.cases.queries import current_figures
from enforcement.cases.services import open_case
from enforcement.casework.operations import approve, issue, propose, take_step
from enforcement.core.time import to_local
from enforcement.dispatch.notification import record_past_dispatch
from enforcement.hosters.models import Hoster
from enforcement.notices.importing import get_or_create_source, import_notices
from enforcement.orders.importing import import_orders
from enforcement.orders.violations import establish_violations
from enforcement.sanctions.deadlines import sync_deadlines
from enforcement.sanctions.payments import record_payment
from enforcement.sanctions.queries import penalty_ledger
from enforcement.sanctions.services import (
    approve_collection,
    confirm_forfeitures,
    draft_collection,
)

MONEY_HOSTER = "Kade Colo"
PENALTY = {"remedy": "Act on every removal order within its term.", "grace_period_days": 14,
           "amount_per_violation": "500", "maximum": "5000"}  # fmt: skip
# (reference, weeks before now it was issued, items: hours until offline, or None: violated)
MONEY_ORDERS = [
    ("DEMO-BEVEL-101", 26, (None, None)),  # the ground for the penalty order
    ("DEMO-BEVEL-102", 10, (None, None, None)),  # after the grace period: forfeits
    ("DEMO-BEVEL-103", 6, (4, None)),  # one complied with, one forfeits
]


def users(session: Session) -> dict[Role, User]:
    return {role: session.scalar(sa.select(User).where(User.role == role).order_by(User.id))
            for role in Role}  # fmt: skip


def seed_demo_money(session: Session, now: datetime, order_rows) -> int:
    """Add the money demo unless the hoster already has a case; return penalty orders added.

    ``order_rows(hosters, now, orders)`` builds the notices and orders to import (the demo's).
    """
    hoster = session.scalar(sa.select(Hoster).where(Hoster.trade_name == MONEY_HOSTER))
    staff = users(session)
    if hoster is None or None in staff.values():
        return 0
    if session.scalar(sa.select(Case.id).where(Case.hoster_id == hoster.id).limit(1)):
        return 0
    week = timedelta(weeks=1)
    notices, orders = order_rows({MONEY_HOSTER: hoster}, now,
                                 [(MONEY_HOSTER, ref, ago * 7 * 24, items)
                                  for ref, ago, items in MONEY_ORDERS])  # fmt: skip
    import_notices(session, notices, source=get_or_create_source(session, "demo-hotline"), now=now)
    import_orders(session, orders, source_name="seed-demo", now=now)
    establish_violations(session, as_of=now - 25 * week, actor=None, now=now - 25 * week)
    case = open_case(session, hoster, actor=staff[Role.OFFICER], reason="Demo: orders ignored",
                     opening_figures=current_figures(session, hoster.id, now).frozen(),
                     breaches=True, now=now - 25 * week)  # fmt: skip
    letter = take_step(session, case, Trigger.SEND_WARNING, actor=staff[Role.OFFICER],
                       now=now - 25 * week)  # fmt: skip
    issue(session, letter, actor=staff[Role.LEGAL], now=now - 25 * week)
    record_past_dispatch(session, letter, now - 25 * week)
    for trigger, at, params in [(Trigger.INTEND_PENALTY, 16, {"view_weeks": 2}),
                                (Trigger.IMPOSE_PENALTY, 13, PENALTY)]:  # fmt: skip
        moment = now - at * week
        proposal = propose(session, case, trigger, actor=staff[Role.OFFICER], params=params,
                           reason="Demo: removal orders left unanswered", now=moment)  # fmt: skip
        letter = approve(session, proposal, actor=staff[Role.SUPERVISOR], now=moment)
        issue(session, letter, actor=staff[Role.LEGAL], now=moment)
        record_past_dispatch(session, letter, moment)
    establish_violations(session, as_of=now, actor=None, now=now)
    collect(session, case, staff, now)
    return 1


def collect(session: Session, case: Case, staff: dict[Role, User], now: datetime) -> None:
    """Confirm the penalty order's forfeitures, collect them, and record a partial payment."""
    decision = session.scalar(
        sa.select(Decision).where(Decision.case_id == case.id, Decision.kind == "penalty_order")
    )
    ids = penalty_ledger(session, decision, now=now).unconfirmed()
    forfeitures = confirm_forfeitures(session, decision, ids, actor=staff[Role.SUPERVISOR],
                                      now=now)  # fmt: skip
    collection = draft_collection(session, decision, [f.id for f in forfeitures],
                                  actor=staff[Role.LEGAL], reasons="", now=now)  # fmt: skip
    approve_collection(session, collection, actor=staff[Role.SUPERVISOR], now=now)
    issue(session, collection.letter, actor=staff[Role.LEGAL], now=now)
    record_payment(session, f"collection:{collection.id}", paid_on=to_local(now).date(),
                   amount="1000.00", payer_reference="DEMO-PAY-0001",
                   actor=staff[Role.LEGAL], now=now)  # fmt: skip
    sync_deadlines(session, case, now=now)
