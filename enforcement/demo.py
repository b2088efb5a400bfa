"""Synthetic demo data: one user per role and 15 hosters under example.test.

Every name is under example.test and every range is a documentation range (RFC 5737, RFC 3849),
so nothing here can point at a real company or network.
"""

import ipaddress
import os
import random
from datetime import datetime, timedelta

import click
import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.auth.services import create_user
from enforcement.core.time import utcnow
from enforcement.extensions import db
from enforcement.hosters.models import Hoster
from enforcement.hosters.services import save_hoster
from enforcement.notices.importing import get_or_create_source, import_notices
from enforcement.notices.models import Notice

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD") or "demo-password-2026"
DEMO_USERS = [(role, f"{role.value}@authority.example.test") for role in Role]

HOSTER_NAMES = [
    "Alderhost",
    "Bluefin Servers",
    "Canal Cloud",
    "Dijkstra Hosting",
    "Eemland Data",
    "Fjord Compute",
    "Gouda Grid",
    "Harbour VPS",
    "IJssel Networks",
    "Jade Racks",
    "Kade Colo",
    "Lindenhost",
    "Maasnet",
    "Noorderlicht Cloud",
    "Oranje Reseller",
]
# These three take content down slowly and leave some online: they show up as candidates.
SLOW_HOSTERS = {"Gouda Grid", "Harbour VPS", "Maasnet"}
DEMO_SOURCE = "demo-hotline"
DEMO_WEEKS = 6
DOCUMENTATION_V4 = [
    ipaddress.ip_network(block) for block in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
]


def demo_hoster_rows() -> list[dict]:
    """Return the 15 demo hosters; the last resells part of the first one's range."""
    subnets = [sub for block in DOCUMENTATION_V4 for sub in block.subnets(new_prefix=27)]
    rows = []
    for number, name in enumerate(HOSTER_NAMES, start=1):
        slug = name.lower().replace(" ", "-")
        ranges = [str(subnets[number - 1]), f"2001:db8:{number:x}::/48"]
        if number == len(HOSTER_NAMES):
            ranges = [str(next(subnets[0].subnets(new_prefix=29))), "2001:db8:1:f000::/52"]
        rows.append(
            {
                "kvk": f"{number * 1_234_567 % 100_000_000:08d}",
                "trade_name": name,
                "legal_name": f"{name} B.V.",
                "country": "NL",
                "postal_address": f"Demostraat {number}\n{1000 + number} AB Voorbeeldstad",
                "formal_email": f"legal@{slug}.example.test",
                "abuse_contact": f"abuse@{slug}.example.test",
                "language": "en" if number % 3 == 0 else "nl",
                "ip_ranges": ranges,
            }
        )
    return rows


def takedown_hours(rng: random.Random, slow: bool) -> float | None:
    """Draw how long a demo hoster takes to take content down; None means still online."""
    if slow:
        roll = rng.random()
        if roll < 0.08:
            return None
        if roll < 0.35:
            return rng.uniform(25, 240)
        return rng.uniform(0.5, 23)
    return rng.uniform(0.2, 20) if rng.random() < 0.985 else rng.uniform(24, 40)


def demo_notice_records(hosters: list[Hoster], now: datetime) -> list[tuple[int, dict]]:
    """Six weeks of synthetic notices up to now, a few hundred per hoster (fixed seed)."""
    rng = random.Random(2020)  # noqa: S311  (reproducible demo data, not security)
    records = []
    for hoster in sorted(hosters, key=lambda h: h.kvk):
        network = ipaddress.ip_network(next(r.cidr for r in hoster.ip_ranges if "." in r.cidr))
        slug = hoster.trade_name.lower().replace(" ", "-")
        for number in range(rng.randint(60, 400)):
            sent = now - timedelta(hours=rng.uniform(1, DEMO_WEEKS * 7 * 24))
            hours = takedown_hours(rng, hoster.trade_name in SLOW_HOSTERS)
            offline = sent + timedelta(hours=hours) if hours is not None else None
            record = {
                "notice_id": f"demo-{hoster.kvk}-{number:04d}",
                "url": f"https://cdn.{slug}.example.test/i/{rng.getrandbits(48):012x}.jpg",
                "ip": str(network[rng.randrange(1, network.num_addresses - 1)]),
                "notice_sent_at": sent.isoformat(),
                "offline_at": offline.isoformat() if offline and offline <= now else "",
            }
            records.append((len(records) + 1, record))
    return records


def seed_demo_notices(session: Session, now: datetime) -> int:
    """Add demo notices unless the demo source has some already; return how many were added."""
    source = get_or_create_source(session, DEMO_SOURCE)
    if session.scalar(sa.select(Notice.id).where(Notice.source_id == source.id).limit(1)):
        return 0
    hosters = session.scalars(sa.select(Hoster).where(Hoster.kvk.in_(demo_kvks()))).all()
    report = import_notices(session, demo_notice_records(hosters, now), source=source, now=now)
    return report.created


def demo_kvks() -> list[str]:
    return [row["kvk"] for row in demo_hoster_rows()]


def seed_demo(session: Session) -> tuple[int, int]:
    """Add the demo users and hosters that are missing; return how many of each were added."""
    users_added = 0
    for role, email in DEMO_USERS:
        if session.scalar(sa.select(User.id).where(User.email == email)) is None:
            create_user(session, email=email, password=DEMO_PASSWORD, role=role, actor=None)
            users_added += 1
    hosters_added = 0
    for row in demo_hoster_rows():
        existing = session.scalar(sa.select(Hoster).where(Hoster.kvk == row["kvk"]))
        if existing is None:
            save_hoster(session, row, actor=None, source="seed-demo")
            hosters_added += 1
    return users_added, hosters_added


def seed_demo_cases(session: Session, now: datetime) -> int:
    """Open cases for two slow demo hosters: one warned nine weeks ago (its letter issued then)
    with a naming proposal pending, one whose warning letter waits for legal staff to issue it.

    Only when there are no cases yet. The warned case's improvement window is over, so the
    supervisor queue shows the pending proposal.
    """
    from enforcement.cases.ladder import Trigger
    from enforcement.cases.models import Case
    from enforcement.cases.queries import current_figures
    from enforcement.cases.services import open_case
    from enforcement.casework.operations import issue, propose, take_step
    from enforcement.dispatch.notification import record_past_dispatch

    if session.scalar(sa.select(Case.id).limit(1)) is not None:
        return 0
    officer = session.scalar(sa.select(User).where(User.role == Role.OFFICER).order_by(User.id))
    legal = session.scalar(sa.select(User).where(User.role == Role.LEGAL).order_by(User.id))
    opened = 0
    for name, propose_naming in (("Gouda Grid", True), ("Maasnet", False)):
        hoster = session.scalar(sa.select(Hoster).where(Hoster.trade_name == name))
        if hoster is None or officer is None or legal is None:
            continue
        start = now - timedelta(weeks=9) if propose_naming else now
        figures = current_figures(session, hoster.id, now)
        case = open_case(
            session,
            hoster,
            actor=officer,
            reason="Demo: breaches the policy",
            opening_figures=figures.frozen(),
            breaches=True,
            now=start,
        )
        letter = take_step(session, case, Trigger.SEND_WARNING, actor=officer, now=start)
        if propose_naming:
            issue(session, letter, actor=legal, now=start)
            record_past_dispatch(session, letter, start)
            propose(
                session,
                case,
                Trigger.INTEND_NAMING,
                actor=officer,
                now=now,
                reason="Demo: still slow after the improvement window",
            )
        opened += 1
    return opened


# Demo removal orders: (hoster, reference, hours before now it was issued, items as (hours after
# issue the content went offline, or None while it is still online)). Issued outside the system,
# so they come in through the orders import like any history would.
DEMO_ORDERS = [
    ("Gouda Grid", "DEMO-BEVEL-001", 12 * 24, (3, 9, 30, None)),  # 2 complied, 2 violated
    ("Maasnet", "DEMO-BEVEL-002", 3 * 24, (2, None)),  # 1 complied, 1 violated
    ("Harbour VPS", "DEMO-BEVEL-003", 1.5, (None, None)),  # pending: due in 10.5 hours
]
DEMO_ORDER_TERM_HOURS = 12


def demo_order_rows(
    hosters: dict[str, Hoster], now: datetime, demo_orders: list = DEMO_ORDERS
) -> tuple[list, list]:
    """Return the notices the demo orders list and the orders' rows, as import records."""
    notices, orders = [], []
    for name, reference, hours_ago, items in demo_orders:
        hoster = hosters[name]
        slug = name.lower().replace(" ", "-")
        network = ipaddress.ip_network(next(r.cidr for r in hoster.ip_ranges if "." in r.cidr))
        issued = now - timedelta(hours=hours_ago)
        for number, offline_after in enumerate(items, start=1):
            notice_id = f"{reference.lower()}-{number}"
            offline = issued + timedelta(hours=offline_after) if offline_after else None
            notices.append((len(notices) + 1, {
                "notice_id": notice_id, "hoster": hoster.kvk, "ip": str(network[number]),
                "url": f"https://cdn.{slug}.example.test/order/{notice_id}.jpg",
                "notice_sent_at": (issued - timedelta(hours=36)).isoformat(),
                "offline_at": offline.isoformat() if offline and offline <= now else "",
            }))  # fmt: skip
            orders.append((len(orders) + 2, {
                "reference": reference, "hoster": hoster.kvk, "notice_id": notice_id,
                "source": DEMO_SOURCE, "issued_at": issued.isoformat(),
                "received_at": (issued + timedelta(minutes=4)).isoformat(),
                "term_hours": str(DEMO_ORDER_TERM_HOURS),
            }))  # fmt: skip
    return notices, orders


def seed_demo_orders(session: Session, now: datetime) -> int:
    """Add the demo removal orders (some items complied, some violated, one order pending) and
    establish the violations; only when there are no orders yet. Return how many were added."""
    from enforcement.orders.importing import import_orders
    from enforcement.orders.models import RemovalOrder
    from enforcement.orders.violations import establish_violations

    if session.scalar(sa.select(RemovalOrder.id).limit(1)) is not None:
        return 0
    names = [name for name, *_ in DEMO_ORDERS]
    hosters = {h.trade_name: h for h in session.scalars(
        sa.select(Hoster).where(Hoster.trade_name.in_(names))
    )}  # fmt: skip
    if len(hosters) != len(names):
        return 0
    notices, orders = demo_order_rows(hosters, now)
    import_notices(session, notices, source=get_or_create_source(session, DEMO_SOURCE), now=now)
    report = import_orders(session, orders, source_name="seed-demo", now=now)
    establish_violations(session, as_of=now, actor=None, now=now)
    return report.created


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Add demo users (one per role), 15 hosters, six weeks of notices, five cases (one hoster
    named, one fine published, one penalty order with forfeitures collected and partly paid)
    and their removal orders; idempotent."""
    from enforcement.public.demo import seed_demo_publication
    from enforcement.sanctions.demo import seed_demo_money

    users_added, hosters_added = seed_demo(db.session)
    now = utcnow()
    notices_added = seed_demo_notices(db.session, now)
    cases_added = seed_demo_cases(db.session, now)
    orders_added = seed_demo_orders(db.session, now)
    cases_published, orders_published = seed_demo_publication(db.session, now)
    cases_added, orders_added = cases_added + cases_published, orders_added + orders_published
    penalties_added = seed_demo_money(db.session, now, demo_order_rows)
    db.session.commit()
    click.echo(
        f"Demo data: {users_added} user(s), {hosters_added} hoster(s), "
        f"{notices_added} notice(s), {cases_added} case(s) and {orders_added} removal order(s) "
        "added."
    )
    click.echo(
        "Demo money: a penalty order that forfeits, a collection decision and a payment added."
        if penalties_added
        else "Demo money: nothing added."
    )
    click.echo(f"Demo users (password: {DEMO_PASSWORD}):")
    for role, email in DEMO_USERS:
        click.echo(f"  {role.value:<10} {email}")
