"""Fresh databases for the benchmark: an SQLite file, or a PostgreSQL schema of its own."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from synthetic import SyntheticHoster

from config import Config
from enforcement import create_app
from enforcement.extensions import db
from enforcement.hosters.models import Hoster, Language

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def schema_options(schema: str | None) -> dict:
    """Engine options that put every connection in the benchmark's own schema."""
    return {"connect_args": {"options": f"-csearch_path={schema}"}} if schema else {}


def make_app(url: str, schema: str | None = None) -> Flask:
    """The real app on the given database (nothing else of its configuration changes)."""
    config = type(
        "BenchConfig",
        (Config,),
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": schema_options(schema),
            "SECRET_KEY": uuid.uuid4().hex,  # serves nothing; the app refuses to start without one
        },
    )
    return create_app(config)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def create_schema_with_hosters(app: Flask, hosters: list[SyntheticHoster]) -> dict[str, int]:
    """Create the app's tables, add the hosters; return their ids by KvK number."""
    with app.app_context():
        db.create_all()
        db.session.execute(
            sa.insert(Hoster),
            [
                {"kvk": h.kvk, "trade_name": h.name, "legal_name": f"{h.name} B.V.",
                 "country": "NL", "formal_email": f"legal@h{h.kvk}.example.test",
                 "abuse_contact": f"abuse@h{h.kvk}.example.test", "language": Language.NL}
                for h in hosters
            ],
        )  # fmt: skip
        db.session.commit()
        ids = dict(db.session.execute(sa.select(Hoster.kvk, Hoster.id)).all())
        db.session.remove()
        db.engine.dispose()
    return ids


@contextmanager
def postgres_schema(url: str = POSTGRES_URL) -> Iterator[str]:
    """A schema of the benchmark's own, dropped at the end whatever happens."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
