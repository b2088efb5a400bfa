"""The same data gives the same figures on SQLite and on PostgreSQL."""

from datetime import UTC, date, datetime

import pytest

from config import TestConfig
from enforcement import create_app
from enforcement.demo import seed_demo, seed_demo_notices
from enforcement.extensions import db
from enforcement.metrics.services import report_rows
from tests.conftest import ON_POSTGRES

NOW = datetime(2026, 3, 20, 9, 30, tzinfo=UTC)
WINDOW = (date(2026, 2, 6), date(2026, 3, 19))


def demo_report(session) -> list[dict]:
    seed_demo(session)
    seed_demo_notices(session, NOW)
    session.commit()
    return report_rows(session, *WINDOW, NOW)


@pytest.mark.skipif(not ON_POSTGRES, reason="compares PostgreSQL with SQLite")
def test_demo_figures_agree_between_postgresql_and_sqlite(app, session):
    on_postgres = demo_report(session)
    sqlite_app = create_app(type("SqliteConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": "sqlite://", "SQLALCHEMY_ENGINE_OPTIONS": {}}))  # fmt: skip
    with sqlite_app.app_context():
        db.create_all()
        on_sqlite = demo_report(db.session)
        db.session.remove()
        db.engine.dispose()
    assert len(on_postgres) == 15
    assert sum(row["breach"] for row in on_postgres) == 3
    assert on_postgres == on_sqlite
