"""Lock-out after repeated failed sign-ins, kept in the database."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from enforcement.auth.models import Role, SignInAttempt
from enforcement.auth.services import LockoutPolicy, SignInFailed, SignInLocked, sign_in
from tests.conftest import DEFAULT_PASSWORD

POLICY = LockoutPolicy(max_failures=3, lockout=timedelta(minutes=10))
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fail_times(session, email: str, count: int, start: datetime = START) -> datetime:
    """Fail ``count`` sign-ins a second apart from ``start``; return the moment of the last one."""
    moment = start
    for number in range(count):
        moment = start + timedelta(seconds=number)
        with pytest.raises(SignInFailed):
            sign_in(session, email, "not the password", remote_addr=None, policy=POLICY, now=moment)
    return moment


def attempt(session, email: str, now: datetime, password: str = DEFAULT_PASSWORD):
    """Sign in with the given password at the given moment."""
    return sign_in(session, email, password, remote_addr="192.0.2.1", policy=POLICY, now=now)


def back_date_attempts(session, minutes: int) -> None:
    """Move every recorded attempt into the past, as if that much time had gone by."""
    for row in session.scalars(sa.select(SignInAttempt)):
        row.attempted_at -= timedelta(minutes=minutes)
    session.commit()


def test_right_password_is_refused_while_locked_naming_the_minutes(create_user, session):
    user = create_user(Role.OFFICER)
    last = fail_times(session, user.email, POLICY.max_failures)
    with pytest.raises(SignInLocked, match=r"Try again in 10 minute\(s\)\."):
        attempt(session, user.email, last + timedelta(seconds=1))
    with pytest.raises(SignInLocked, match=r"Try again in 1 minute\(s\)\."):
        attempt(session, user.email, last + POLICY.lockout - timedelta(seconds=30))


def test_lock_ends_after_the_lockout_period(create_user, session):
    user = create_user(Role.OFFICER)
    last = fail_times(session, user.email, POLICY.max_failures)
    assert attempt(session, user.email, last + POLICY.lockout + timedelta(seconds=1)) == user


def test_fewer_failures_than_the_limit_do_not_lock(create_user, session):
    user = create_user(Role.OFFICER)
    last = fail_times(session, user.email, POLICY.max_failures - 1)
    assert attempt(session, user.email, last + timedelta(seconds=1)) == user


def test_success_resets_the_failure_count(create_user, session):
    user = create_user(Role.OFFICER)
    last = fail_times(session, user.email, POLICY.max_failures - 1)
    attempt(session, user.email, last + timedelta(seconds=1))
    restart = last + timedelta(seconds=2)
    last = fail_times(session, user.email, POLICY.max_failures - 1, start=restart)
    assert attempt(session, user.email, last + timedelta(seconds=1)) == user


def test_lock_is_per_address_and_counts_unknown_addresses(create_user, session):
    user = create_user(Role.OFFICER)
    last = fail_times(session, "nobody@authority.example.test", POLICY.max_failures)
    with pytest.raises(SignInLocked):
        attempt(session, "nobody@authority.example.test", last + timedelta(seconds=1))
    assert attempt(session, user.email, last + timedelta(seconds=1)) == user


def test_web_lockout_then_unlock_after_the_period(app, create_user, auth, session):
    user = create_user(Role.OFFICER)
    for _ in range(app.config["SIGNIN_MAX_FAILURES"]):
        assert auth.login(user.email, "not the password").status_code == 401
    locked = auth.login(user.email)
    assert locked.status_code == 429
    minutes = app.config["SIGNIN_LOCKOUT_MINUTES"]
    assert f"Try again in {minutes} minute(s)." in locked.text
    back_date_attempts(session, minutes + 1)
    assert auth.login(user.email).status_code == 302


def test_web_success_resets_the_failure_count(app, create_user, auth):
    user = create_user(Role.OFFICER)
    for _ in range(2):
        for _ in range(app.config["SIGNIN_MAX_FAILURES"] - 1):
            assert auth.login(user.email, "not the password").status_code == 401
        assert auth.login(user.email).status_code == 302
