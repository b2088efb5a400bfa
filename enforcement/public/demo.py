"""Demo data for the public pages: one hoster named, one fine decision published.

Everything goes through the services staff use (cases, letters issued by legal staff, removal
orders imported and their violations established), back-dated so the naming's reaction period
and art. 9's two weeks have passed:

- Harbour VPS: warned twelve weeks ago, its naming announced three weeks ago over the figures
  since the warning, and named six days ago.
- Jade Racks: left an item of a removal order (DEMO-BEVEL-004) online past its term nine weeks
  ago; fine report and intent eight weeks ago, the fine imposed five weeks ago, so it is
  published (two weeks after it was made known) when the demo is seeded.
"""

import ipaddress
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.cases.ladder import Trigger
from enforcement.cases.models import Case
from enforcement.hosters.models import Hoster

NAMED, FINED = "Harbour VPS", "Jade Racks"
DEMO_SOURCE = "demo-hotline"
FINE_ORDER = "DEMO-BEVEL-004"
FINE_AMOUNT = "3000"


def _user(session: Session, role: Role) -> User | None:
    return session.scalar(sa.select(User).where(User.role == role).order_by(User.id))


def _hoster(session: Session, name: str) -> Hoster | None:
    return session.scalar(sa.select(Hoster).where(Hoster.trade_name == name))


class Staff:
    """The demo's officer, supervisor and legal staff member taking the steps in turn."""

    def __init__(self, session: Session):
        self.session = session
        self.officer, self.supervisor, self.legal = (
            _user(session, role) for role in (Role.OFFICER, Role.SUPERVISOR, Role.LEGAL)
        )

    def complete(self, case: Case, trigger: Trigger, at: datetime, params: dict | None = None):
        """Take a step (four eyes where the ladder asks) and issue its letter, all at ``at``."""
        from enforcement.cases.steps import STEPS
        from enforcement.casework.operations import approve, issue, propose, take_step
        from enforcement.dispatch.notification import record_past_dispatch

        if STEPS[trigger].four_eyes:
            proposal = propose(self.session, case, trigger, actor=self.officer, params=params or {},
                               reason="Demo", now=at)  # fmt: skip
            letter = approve(self.session, proposal, actor=self.supervisor, now=at)
        else:
            letter = take_step(self.session, case, trigger, actor=self.officer, params=params,
                               now=at)  # fmt: skip
        if letter is not None:
            issue(self.session, letter, actor=self.legal, now=at)
            record_past_dispatch(self.session, letter, at)

    def open(self, hoster: Hoster, at: datetime) -> Case:
        from enforcement.cases.queries import current_figures
        from enforcement.cases.services import open_case

        figures = current_figures(self.session, hoster.id, at)
        return open_case(self.session, hoster, actor=self.officer, opening_figures=figures.frozen(),
                         reason="Demo: slow takedown and ignored removal orders",
                         breaches=bool(figures.reasons), now=at)  # fmt: skip


def seed_named_hoster(staff: Staff, hoster: Hoster, now: datetime) -> Case:
    """Warn, announce naming and name the hoster, each after the term before it ran out."""
    case = staff.open(hoster, now - timedelta(weeks=12))
    staff.complete(case, Trigger.SEND_WARNING, now - timedelta(weeks=12))
    staff.complete(case, Trigger.INTEND_NAMING, now - timedelta(weeks=3))
    staff.complete(case, Trigger.NAME_PUBLICLY, now - timedelta(days=6))
    return case


def fine_order_rows(hoster: Hoster, issued: datetime) -> tuple[list, list]:
    """Return a removal order of two items, one complied with and one left online."""
    network = ipaddress.ip_network(next(r.cidr for r in hoster.ip_ranges if "." in r.cidr))
    slug = hoster.trade_name.lower().replace(" ", "-")
    notices, orders = [], []
    for number, offline_after in enumerate((3, None), start=1):
        notice_id = f"{FINE_ORDER.lower()}-{number}"
        offline = issued + timedelta(hours=offline_after) if offline_after else None
        notices.append((number, {
            "notice_id": notice_id, "hoster": hoster.kvk, "ip": str(network[number + 8]),
            "url": f"https://cdn.{slug}.example.test/order/{notice_id}.jpg",
            "notice_sent_at": (issued - timedelta(hours=36)).isoformat(),
            "offline_at": offline.isoformat() if offline else "",
        }))  # fmt: skip
        orders.append((number + 1, {
            "reference": FINE_ORDER, "hoster": hoster.kvk, "notice_id": notice_id,
            "source": DEMO_SOURCE, "issued_at": issued.isoformat(),
            "received_at": (issued + timedelta(minutes=4)).isoformat(), "term_hours": "12",
        }))  # fmt: skip
    return notices, orders


def seed_fined_hoster(staff: Staff, hoster: Hoster, now: datetime) -> Case:
    """Import a violated removal order, establish the violation, and fine the hoster for it."""
    from enforcement.notices.importing import get_or_create_source, import_notices
    from enforcement.orders.importing import import_orders
    from enforcement.orders.models import RemovalOrder
    from enforcement.orders.violations import establish_violations

    issued = now - timedelta(weeks=9)
    notices, orders = fine_order_rows(hoster, issued)
    session = staff.session
    import_notices(session, notices, source=get_or_create_source(session, DEMO_SOURCE), now=issued)
    import_orders(session, orders, source_name="seed-demo", now=issued + timedelta(hours=1))
    order = session.scalar(sa.select(RemovalOrder).where(RemovalOrder.reference == FINE_ORDER))
    established = issued + timedelta(hours=13)
    establish_violations(session, as_of=established, actor=None, orders=[order], now=established)
    case = staff.open(hoster, issued + timedelta(days=1))
    staff.complete(case, Trigger.SEND_WARNING, issued + timedelta(days=1))
    staff.complete(case, Trigger.DRAW_FINE_REPORT, now - timedelta(weeks=8))
    staff.complete(case, Trigger.INTEND_FINE, now - timedelta(weeks=8),
                   {"view_weeks": 2, "amount": FINE_AMOUNT})  # fmt: skip
    staff.complete(case, Trigger.IMPOSE_FINE, now - timedelta(weeks=5), {
        "amount": FINE_AMOUNT,
        "amount_reasons": "Demo: one item left online past the term; no earlier fine.",
    })  # fmt: skip
    return case


def seed_demo_publication(session: Session, now: datetime) -> tuple[int, int]:
    """Name Harbour VPS and fine Jade Racks (when neither has a case yet and the demo users
    exist), then record the publications due; return how many cases and orders were added."""
    from enforcement.public.services import record_publications

    staff = Staff(session)
    named, fined = _hoster(session, NAMED), _hoster(session, FINED)
    if None in (staff.officer, staff.supervisor, staff.legal, named, fined):
        return 0, 0
    if session.scalar(sa.select(Case.id).where(Case.hoster_id.in_([named.id, fined.id]))):
        return 0, 0
    seed_named_hoster(staff, named, now)
    seed_fined_hoster(staff, fined, now)
    record_publications(session, now)
    return 2, 1
