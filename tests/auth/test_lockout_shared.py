"""The lock-out lives in the database, so every app process sharing it sees the same lock."""

import pytest

from enforcement import create_app
from enforcement.auth.models import Role
from enforcement.extensions import db
from tests.conftest import ON_POSTGRES, Auth, make_config


@pytest.fixture
def app_config(tmp_path):
    """On SQLite, a database file two apps can share; on PostgreSQL the test schema already is."""
    if ON_POSTGRES:
        return {}
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.sqlite'}"}


@pytest.fixture
def second_app(database_schema, app_config):
    """Another app instance on the same database, like a second worker process."""
    other = create_app(make_config(database_schema, **app_config))
    yield other
    with other.app_context():
        db.engine.dispose()


def test_second_app_instance_sees_the_lock(app, second_app, create_user, auth):
    assert second_app is not app
    user = create_user(Role.OFFICER)
    for _ in range(app.config["SIGNIN_MAX_FAILURES"]):
        assert auth.login(user.email, "not the password").status_code == 401
    response = Auth(second_app.test_client()).login(user.email)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
