"""Migrations: `flask db upgrade` brings an empty database to exactly the models' schema.

Each test gets databases of its own: a temporary SQLite file, and on PostgreSQL (when
TEST_DATABASE_URL names one) a fresh schema, dropped afterwards.
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from config import TestConfig
from enforcement import create_app
from enforcement.extensions import db

REPO_DIR = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = REPO_DIR / "migrations"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not ON_POSTGRES, reason="TEST_DATABASE_URL names no PostgreSQL"),
    ),
]


@pytest.fixture(params=BACKENDS)
def new_database(request, tmp_path) -> Iterator:
    """Factory: (url, engine options) of a new, empty database on this test's backend."""
    schemas: list[str] = []

    def factory() -> tuple[str, dict]:
        if request.param == "sqlite":
            return f"sqlite:///{tmp_path / uuid.uuid4().hex}.sqlite", {}
        schema = f"mig_{uuid.uuid4().hex[:12]}"
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        schemas.append(schema)
        return TEST_DATABASE_URL, {"connect_args": {"options": f"-csearch_path={schema}"}}

    admin = sa.create_engine(TEST_DATABASE_URL) if request.param == "postgresql" else None
    yield factory
    if admin is not None:
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def app_on(url: str, options: dict):
    """Return a test app whose database is the given one."""
    attrs = {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options}
    return create_app(type("MigrationTestConfig", (TestConfig,), attrs))


def schema_diff(connection: sa.Connection) -> list:
    """Return what autogenerate would change to bring the database to the models."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, db.metadata)


def check_constraints(connection: sa.Connection) -> dict[str, set[tuple[str, str]]]:
    """Return each table's CHECK constraints (name, SQL); autogenerate does not compare them."""
    inspector = sa.inspect(connection)
    return {
        table: {(c["name"], c["sqltext"]) for c in inspector.get_check_constraints(table)}
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }


def test_upgrade_brings_an_empty_database_to_the_models(new_database):
    app = app_on(*new_database())
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            diff = schema_diff(conn)
            migrated_checks = check_constraints(conn)
        db.engine.dispose()
    assert diff == [], "the migrations differ from the models; regenerate or add a migration:\n" + (
        "\n".join(map(repr, diff))
    )

    created = app_on(*new_database())
    with created.app_context():
        db.create_all()
        with db.engine.connect() as conn:
            created_checks = check_constraints(conn)
        db.engine.dispose()
    assert migrated_checks == created_checks, "CHECK constraints differ from the models'"


def test_downgrade_to_base_leaves_no_tables_and_upgrades_again(new_database):
    app = app_on(*new_database())
    with app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        with db.engine.connect() as conn:
            tables_after_downgrade = sa.inspect(conn).get_table_names()
            versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            diff_after_upgrade = schema_diff(conn)
        db.engine.dispose()
    assert tables_after_downgrade == ["alembic_version"]
    assert versions == []
    assert diff_after_upgrade == []


def test_history_has_one_head():
    heads = ScriptDirectory(str(MIGRATIONS_DIR)).get_heads()
    assert len(heads) == 1, f"several heads {heads}: merge them with `flask db merge heads`"


def test_flask_db_upgrade_command_migrates_a_sqlite_file(tmp_path):
    database = tmp_path / "enforcement.sqlite"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "migration-test-secret",
    }
    env.pop("FLASK_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
        diff = schema_diff(conn)
    engine.dispose()
    assert tables == set(db.metadata.tables) | {"alembic_version"}
    assert version == ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert diff == []


def test_0003_gives_existing_letters_the_hoster_of_their_case(new_database):
    app = app_on(*new_database())
    with app.app_context():
        flask_migrate.upgrade(revision="0002")
        with db.engine.begin() as conn:
            for statement in LETTER_AT_0002:
                conn.execute(sa.text(statement))
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            letter = conn.execute(sa.text("SELECT hoster_id, case_id FROM letters")).one()
        db.engine.dispose()
    assert tuple(letter) == (7, 3)


# A user, a hoster (id 7), its case (id 3) and a draft letter of that case, as 0002 stored them.
LETTER_AT_0002 = [
    "INSERT INTO users (id, email, password_hash, role, active, created_at) VALUES "
    "(1, 'officer@authority.example.test', 'x', 'officer', true, '2026-03-01 10:00:00+00')",
    "INSERT INTO hosters (id, kvk, trade_name, legal_name, country, formal_email, abuse_contact, "
    "language, created_at, updated_at, version) VALUES (7, '00000007', 'Migrahost', "
    "'Migrahost B.V.', 'NL', 'legal@migrahost.example.test', 'abuse@migrahost.example.test', "
    "'nl', '2026-03-01 10:00:00+00', '2026-03-01 10:00:00+00', 1)",
    "INSERT INTO cases (id, hoster_id, stage, opened_by_id, opened_at, opening_reason, "
    "opening_figures, systematic, updated_at, version) VALUES (3, 7, 'notice', 1, "
    "'2026-03-01 10:00:00+00', 'Test', '{}', false, '2026-03-01 10:00:00+00', 1)",
    "INSERT INTO letters (id, case_id, kind, language, status, context, created_by_id, "
    "created_at, version) VALUES (1, 3, 'warning', 'nl', 'draft', '{}', 1, "
    "'2026-03-01 10:00:00+00', 1)",
]


def test_0004_preloads_the_decreed_holidays_and_keeps_a_removed_one_removed(new_database):
    app = app_on(*new_database())
    with app.app_context():
        flask_migrate.upgrade(revision="0003")
        with db.engine.begin() as conn:  # an admin removed 15 May 2026 before the upgrade
            conn.execute(sa.text(
                "INSERT INTO decreed_holidays (day, name, decree, added_at, removed_at, "
                "removal_reason) VALUES ('2026-05-15', 'Vrijdag na Hemelvaartsdag', 'Test', "
                "'2026-01-01 10:00:00', '2026-02-01 10:00:00', 'Not decreed after all')"
            ))  # fmt: skip
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT day, decree, removed_at IS NULL FROM decreed_holidays ORDER BY day"
            )).all()  # fmt: skip
        flask_migrate.downgrade(revision="0003")
        with db.engine.connect() as conn:
            left = conn.execute(sa.text("SELECT count(*) FROM decreed_holidays")).scalar_one()
        db.engine.dispose()
    days = [(str(day), decree, bool(in_force)) for day, decree, in_force in rows]
    assert days == [
        ("2026-01-02", "Stcrt. 2025, 24713", True),
        ("2026-05-15", "Test", False),
        ("2027-05-07", "Stcrt. 2025, 24713", True),
        ("2028-04-28", "Stcrt. 2025, 24713", True),
        ("2028-05-26", "Stcrt. 2025, 24713", True),
    ]
    assert left == 1
