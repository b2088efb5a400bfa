"""Synthetic demo data: one user per role and 15 hosters under example.test.

Every name is under example.test and every range is a documentation range (RFC 5737, RFC 3849),
so nothing here can point at a real company or network.
"""

import ipaddress
import os

import click
import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.auth.services import create_user
from enforcement.extensions import db
from enforcement.hosters.models import Hoster
from enforcement.hosters.services import save_hoster

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD") or "demo-password-2026"
DEMO_USERS = [(role, f"{role.value}@authority.example.test") for role in Role]

HOSTER_NAMES = [
    "Alderhost", "Bluefin Servers", "Canal Cloud", "Dijkstra Hosting", "Eemland Data",
    "Fjord Compute", "Gouda Grid", "Harbour VPS", "IJssel Networks", "Jade Racks",
    "Kade Colo", "Lindenhost", "Maasnet", "Noorderlicht Cloud", "Oranje Reseller",
]  # fmt: skip
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


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Add synthetic demo users (one per role) and 15 hosters; running it again adds nothing."""
    users_added, hosters_added = seed_demo(db.session)
    db.session.commit()
    click.echo(f"Demo data: {users_added} user(s) and {hosters_added} hoster(s) added.")
    click.echo(f"Demo users (password: {DEMO_PASSWORD}):")
    for role, email in DEMO_USERS:
        click.echo(f"  {role.value:<10} {email}")
