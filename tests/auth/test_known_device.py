"""Someone else's failures do not lock a user out of a device they signed in from before
(issue 15, finding 9: anyone could lock any account for 15 minutes)."""

import pytest

from enforcement.auth.models import Role
from tests.conftest import Auth


@pytest.fixture
def app_config():
    return {"SIGNIN_MAX_FAILURES": 3}


def attacker_locks(app, email: str) -> None:
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for _ in range(3):
        Auth(attacker).login(email, password="guessing wrong!")
    assert Auth(attacker).login(email).status_code == 429  # the address is locked


def test_a_known_device_signs_in_despite_others_failures(app, create_user, auth):
    user = create_user(Role.OFFICER)
    assert auth.login(user.email).status_code == 302
    auth.logout()
    attacker_locks(app, user.email)
    assert auth.login(user.email).status_code == 302


def test_a_new_device_stays_locked(app, create_user):
    user = create_user(Role.OFFICER)
    attacker_locks(app, user.email)
    assert Auth(app.test_client()).login(user.email).status_code == 429


def test_a_device_known_for_another_address_does_not_count(app, create_user, auth):
    first, second = create_user(Role.OFFICER), create_user(Role.OFFICER)
    assert auth.login(first.email).status_code == 302
    auth.logout()
    attacker_locks(app, second.email)
    assert auth.login(second.email).status_code == 429
