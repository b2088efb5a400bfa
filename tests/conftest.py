"""Fixtures: a fresh app per test on in-memory SQLite, or on PostgreSQL when TEST_DATABASE_URL
names one (each run in a schema of its own, dropped at the end)."""

import contextvars
import os
import re
import uuid
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

import enforcement.models  # noqa: F401  (every table on the metadata before the schema is made)
from config import TestConfig
from enforcement import create_app
from enforcement.auth.models import Role
from enforcement.auth.services import create_user as create_user_service
from enforcement.extensions import db
from enforcement.fines.models import FineCategoryAmounts

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")
DEFAULT_PASSWORD = "correct horse battery"


def postgres_schema_url(schema: str) -> tuple[str, dict]:
    """Return the test URL and engine options that put every connection in one schema."""
    return TEST_DATABASE_URL, {"connect_args": {"options": f"-csearch_path={schema}"}}


@pytest.fixture(scope="session")
def database_schema():
    """On PostgreSQL: a schema of this run's own, with the models' tables; dropped afterwards."""
    if not ON_POSTGRES:
        yield None
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(TEST_DATABASE_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url, options = postgres_schema_url(schema)
    engine = sa.create_engine(url, **options)
    db.metadata.create_all(engine)
    engine.dispose()
    yield schema
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def make_config(schema: str | None, **overrides) -> type:
    attrs = dict(overrides)
    if schema is not None:
        url, options = postgres_schema_url(schema)
        attrs.setdefault("SQLALCHEMY_DATABASE_URI", url)
        attrs.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)
    return type("RunConfig", (TestConfig,), attrs)


@pytest.fixture
def app_config():
    """Per-test config overrides; a test overrides this fixture to change settings."""
    return {}


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in an app context of its own, as in production.

    Without this, requests reuse the test's app context and so share ``g`` (Flask-Login's cached
    user, Flask-WTF's CSRF token) and the database session across requests and across clients.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(database_schema, app_config):
    app = create_app(make_config(database_schema, **app_config))
    app.test_client_class = IsolatedClient
    with app.app_context():
        if database_schema is None:
            db.create_all()
        seed_reference_data()
        yield app
        db.session.remove()
        if database_schema is not None:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


def seed_reference_data() -> None:
    """Add what every install gets from its migrations: the 2018 fine category amounts."""
    row = FineCategoryAmounts(effective_from=date(2018, 1, 1), second=Decimal("4150.00"),
                              sixth=Decimal("830000.00"), source="Art. 23 Sr (2018)")  # fmt: skip
    db.session.add(row)
    db.session.commit()


@pytest.fixture
def session(app):
    return db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def create_user(session):
    """Factory: add a user with a role and the default password, flushed and committed."""
    counter = iter(range(1, 10_000))

    def factory(role: Role | str = Role.OFFICER, email: str | None = None, **kwargs):
        role = Role(role)
        email = email or f"{role.value}{next(counter)}@authority.example.test"
        user = create_user_service(
            session,
            email=email,
            password=kwargs.pop("password", DEFAULT_PASSWORD),
            role=role,
            actor=None,
        )
        for key, value in kwargs.items():
            setattr(user, key, value)
        session.commit()
        return user

    return factory


CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    """Return the CSRF token in a page's form."""
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Auth:
    """Sign in and out through the real form, CSRF token included."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path: str = "/sign-in") -> str:
        return csrf_token_from(self.client.get(path, follow_redirects=True).get_data(as_text=True))

    def login(self, email: str, password: str = DEFAULT_PASSWORD, next_url: str = ""):
        token = self.csrf()
        data = {"email": email, "password": password, "csrf_token": token, "next": next_url}
        return self.client.post("/sign-in", data=data)

    def logout(self):
        token = self.csrf("/hosters/")
        return self.client.post("/sign-out", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def signed_in(create_user, auth):
    """Factory: create a user with a role and sign them in; returns the user."""

    def factory(role: Role | str = Role.OFFICER, **kwargs):
        user = create_user(role, **kwargs)
        response = auth.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return factory
