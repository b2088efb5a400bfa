"""Timestamps: stored as aware UTC on every database, shown in Europe/Amsterdam."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from flask import render_template_string
from sqlalchemy.exc import StatementError

from enforcement.auth.models import Role, User
from enforcement.core.time import LOCAL_TZ, format_local, to_local


def test_naive_datetime_is_refused_by_the_column(create_user, session):
    user = create_user(Role.OFFICER)
    user.last_sign_in_at = datetime(2026, 7, 1, 10, 0)
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()
    session.rollback()


def test_naive_datetime_is_refused_in_a_query(session):
    query = sa.select(User).where(User.created_at < datetime(2026, 7, 1, 10, 0))
    with pytest.raises(StatementError, match="naive datetime"):
        session.scalars(query).all()


def test_aware_datetime_reads_back_as_utc(create_user, session):
    user = create_user(Role.OFFICER)
    plus_five = timezone(timedelta(hours=5))
    user.last_sign_in_at = datetime(2026, 7, 1, 15, 30, 15, 250, tzinfo=plus_five)
    session.commit()
    session.expire_all()
    stored = session.get(User, user.id).last_sign_in_at
    assert stored.utcoffset() == timedelta(0)
    assert stored == datetime(2026, 7, 1, 10, 30, 15, 250, tzinfo=UTC)
    assert session.get(User, user.id).created_at.tzinfo is not None


def test_aware_comparison_in_the_database(create_user, session):
    user = create_user(Role.OFFICER, last_sign_in_at=datetime(2026, 7, 1, 10, 0, tzinfo=UTC))
    amsterdam_noon = datetime(2026, 7, 1, 12, 0, tzinfo=LOCAL_TZ)  # the same moment
    query = sa.select(User.id).where(User.last_sign_in_at >= amsterdam_noon)
    assert session.scalars(query).all() == [user.id]


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2026, 7, 1, 10, 0, tzinfo=UTC), "2026-07-01 12:00"),  # summer time, +2
        (datetime(2026, 12, 1, 10, 0, tzinfo=UTC), "2026-12-01 11:00"),  # winter time, +1
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "2027-01-01 00:30"),  # the date moves
        (None, ""),
    ],
)
def test_localtime_filter_shows_amsterdam_time(app, moment, shown):
    with app.test_request_context():
        assert render_template_string("{{ moment|localtime }}", moment=moment) == shown


def test_localtime_filter_takes_a_format(app):
    moment = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    with app.test_request_context():
        assert render_template_string("{{ m|localtime('%d-%m-%Y') }}", m=moment) == "01-07-2026"


def test_naive_moment_cannot_be_shown():
    with pytest.raises(ValueError, match="naive"):
        format_local(datetime(2026, 7, 1, 10, 0))
    assert to_local(datetime(2026, 3, 29, 1, 0, tzinfo=UTC)).hour == 3  # clocks went forward
