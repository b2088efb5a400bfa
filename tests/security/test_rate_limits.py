"""Rate limits on signing in (per address and per client) and on the API (per token): 429 with
Retry-After, before any password is hashed (issue 15, finding 3)."""

import uuid

import pytest

from enforcement.auth import services
from enforcement.auth.models import Role
from enforcement.notices.api import issue_token
from tests.conftest import Auth


@pytest.fixture
def app_config():
    return {"SIGNIN_RATE_LIMIT_CLIENT": "6/minute", "SIGNIN_RATE_LIMIT_ADDRESS": "3/minute",
            "API_RATE_LIMIT_TOKEN": "2/minute", "API_RATE_LIMIT_CLIENT": "4/minute"}  # fmt: skip


def test_one_address_is_limited_and_told_when_to_retry(create_user, auth):
    user = create_user(Role.OFFICER)
    for _ in range(3):
        assert auth.login(user.email, password="wrong password!").status_code == 401
    response = auth.login(user.email)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_one_client_is_limited_across_addresses(create_user, auth):
    for number in range(6):
        auth.login(f"nobody{number}@example.test", password="wrong password!")
    user = create_user(Role.OFFICER)
    response = auth.login(user.email)
    assert response.status_code == 429
    assert "Retry-After" in response.headers


def test_a_limited_client_costs_no_password_hash(create_user, auth, monkeypatch):
    for number in range(6):
        auth.login(f"nobody{number}@example.test", password="wrong password!")
    hashed = []
    monkeypatch.setattr(services, "check_password_hash", lambda *a: hashed.append(a) or False)
    assert auth.login("someone@example.test", password="wrong password!").status_code == 429
    assert hashed == []


def test_other_clients_still_sign_in(app, create_user, auth):
    for number in range(6):
        auth.login(f"nobody{number}@example.test", password="wrong password!")
    user = create_user(Role.OFFICER)
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert Auth(other).login(user.email).status_code == 302


def test_the_api_is_limited_per_token(client, session):
    token = issue_token(session, "monitor")
    other = issue_token(session, "hotline")
    session.commit()
    body = {"notices": []}
    for _ in range(2):
        response = client.post(
            "/api/v1/notices", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 400
    limited = client.post(
        "/api/v1/notices", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert limited.status_code == 429
    assert limited.is_json and "Retry-After" in limited.headers
    assert client.post("/api/v1/notices", json=body,
                       headers={"Authorization": f"Bearer {other}"}).status_code == 400  # fmt: skip


def redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=0.2).ping())
    except Exception:
        return False


REDIS = "redis://127.0.0.1:6379"


@pytest.mark.skipif(not redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_processes_sharing_redis_count_together(database_schema):
    """Two apps (as two gunicorn workers) on one Redis: failures in one limit the other."""
    from enforcement import create_app
    from enforcement.extensions import db
    from tests.conftest import make_config

    config = {"RATELIMIT_STORAGE_URI": REDIS, "SIGNIN_RATE_LIMIT_CLIENT": "4/minute"}
    address = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"  # this run's own
    first, second = (create_app(make_config(database_schema, **config)) for _ in range(2))
    clients = []
    for app in (first, second):
        with app.app_context():
            if database_schema is None:
                db.create_all()  # each in-memory SQLite database is the app's own
        clients.append(Auth(app.test_client()))
        clients[-1].client.environ_base["REMOTE_ADDR"] = address
    for number in range(4):
        with first.app_context():
            response = clients[0].login(f"x{number}@example.test", "wrong one!!")
            assert response.status_code == 401
    with second.app_context():
        assert clients[1].login("y@example.test").status_code == 429
    for app in (first, second):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
