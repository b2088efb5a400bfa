"""Decreed holidays: what may be added, removal kept as history, and their effect on deadlines."""

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from enforcement.auth.models import Role
from enforcement.core.errors import Conflict, FieldErrors
from enforcement.deadlines import objection_term_end, term_end
from enforcement.holidays import services
from enforcement.holidays.models import DecreedHoliday
from enforcement.holidays.services import (
    add_decreed_holiday,
    decreed_holidays,
    extra_holidays,
    holiday_calendar,
    remove_decreed_holiday,
)
from tests.holidays.conftest import DECREE

FRIDAY_AFTER_ASCENSION = date(2026, 5, 15)


def add(session, day: date, name: str = "Bridge day", decree: str = DECREE, actor=None):
    return add_decreed_holiday(session, day=day, name=name, decree=decree, actor=actor)


def test_added_day_is_an_extra_holiday_with_who_and_when(session, create_user):
    supervisor = create_user(Role.SUPERVISOR)
    holiday = add(
        session, FRIDAY_AFTER_ASCENSION, "  Friday after Ascension Day ", actor=supervisor
    )
    session.commit()
    assert extra_holidays(session) == frozenset({FRIDAY_AFTER_ASCENSION})
    assert holiday.name == "Friday after Ascension Day"
    assert holiday.added_by == supervisor
    assert holiday.added_at.tzinfo is not None
    assert holiday.in_force


def test_extra_holidays_change_a_deadline(session, create_decreed_holiday):
    # Thu 2 April 2026 + 6 weeks = Ascension Day Thu 14 May -> Fri 15 May; decreed -> Mon 18 May.
    notified = date(2026, 4, 2)
    assert objection_term_end(notified, extra_holidays(session)) == date(2026, 5, 15)
    create_decreed_holiday(FRIDAY_AFTER_ASCENSION)
    assert objection_term_end(notified, extra_holidays(session)) == date(2026, 5, 18)
    # Art. 2: 3 days from Wed 13 May hold Ascension, the decreed Friday, the weekend and Monday
    # 18 May, one working day, so the term runs to Tuesday 19 May.
    assert term_end(date(2026, 5, 13), days=3, extra_holidays=extra_holidays(session)) == date(
        2026, 5, 19
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 5, 16), "2026-05-16 is a Saturday"),
        (date(2026, 5, 17), "2026-05-17 is a Sunday"),
        (date(2026, 5, 14), "already a holiday under the Atw itself (Ascension Day)"),
        (date(2026, 5, 5), "already a holiday under the Atw itself (Liberation Day (5 May))"),
        (date(2013, 5, 10), "Days before 2014"),
    ],
)
def test_weekends_and_atw_holidays_are_refused(session, day, message):
    with pytest.raises(FieldErrors) as refused:
        add(session, day)
    assert message in refused.value.errors["day"][0]
    session.rollback()
    assert extra_holidays(session) == frozenset()


def test_a_day_already_decreed_is_refused(session, create_decreed_holiday):
    create_decreed_holiday(FRIDAY_AFTER_ASCENSION)
    with pytest.raises(FieldErrors) as refused:
        add(session, FRIDAY_AFTER_ASCENSION, "Again")
    assert refused.value.errors["day"] == [
        f"2026-05-15 is already a decreed holiday (Friday after Ascension Day; {DECREE})."
    ]


def test_name_and_decree_are_required(session):
    with pytest.raises(FieldErrors) as refused:
        add(session, FRIDAY_AFTER_ASCENSION, name=" ", decree="")
    assert set(refused.value.errors) == {"name", "decree"}


def test_a_simultaneous_add_of_the_same_day_loses_cleanly(session, create_decreed_holiday,
                                                          monkeypatch):  # fmt: skip
    create_decreed_holiday(FRIDAY_AFTER_ASCENSION)
    # As if the other add committed between this one's check and its insert.
    monkeypatch.setattr(services, "refusal_for_day", lambda session, day: None)
    with pytest.raises(Conflict, match="added by someone else"):
        add(session, FRIDAY_AFTER_ASCENSION)
    session.rollback()
    assert len(decreed_holidays(session, include_removed=True)) == 1


def test_the_database_holds_one_day_in_force(session, create_decreed_holiday):
    create_decreed_holiday(FRIDAY_AFTER_ASCENSION)
    session.add(DecreedHoliday(day=FRIDAY_AFTER_ASCENSION, name="Twice", decree=DECREE))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_removal_keeps_the_record_and_the_day_can_be_decreed_again(
    session, create_user, create_decreed_holiday
):
    supervisor = create_user(Role.SUPERVISOR)
    holiday = create_decreed_holiday(FRIDAY_AFTER_ASCENSION)
    remove_decreed_holiday(session, holiday, reason=" Decree withdrawn ", actor=supervisor)
    session.commit()
    assert extra_holidays(session) == frozenset()
    assert decreed_holidays(session) == []
    session.expire_all()
    [kept] = decreed_holidays(session, include_removed=True)
    assert (kept.removal_reason, kept.removed_by, kept.in_force) == (
        "Decree withdrawn",
        supervisor,
        False,
    )
    assert kept.removed_at is not None
    again = add(session, FRIDAY_AFTER_ASCENSION, "Friday after Ascension Day (new decree)")
    session.commit()
    assert extra_holidays(session) == frozenset({FRIDAY_AFTER_ASCENSION})
    assert decreed_holidays(session, include_removed=True) == [again, kept]


def test_removal_needs_a_reason_and_happens_once(session, create_decreed_holiday):
    holiday = create_decreed_holiday(FRIDAY_AFTER_ASCENSION)
    with pytest.raises(FieldErrors) as refused:
        remove_decreed_holiday(session, holiday, reason="  ", actor=None)
    assert refused.value.errors == {"reason": ["Say why the day is removed."]}
    remove_decreed_holiday(session, holiday, reason="Typo in the date", actor=None)
    session.commit()
    with pytest.raises(Conflict, match="already removed"):
        remove_decreed_holiday(session, holiday, reason="Again", actor=None)


def test_a_simultaneous_removal_loses_cleanly(session, create_decreed_holiday):
    holiday = create_decreed_holiday(FRIDAY_AFTER_ASCENSION)
    # Another user removed it after this one loaded the row.
    session.execute(
        sa.update(DecreedHoliday)
        .where(DecreedHoliday.id == holiday.id)
        .values(removed_at=sa.func.current_timestamp(), removal_reason="First")
        .execution_options(synchronize_session=False)
    )
    assert holiday.in_force  # the stale copy
    with pytest.raises(Conflict, match="removed by someone else"):
        remove_decreed_holiday(session, holiday, reason="Second", actor=None)
    session.rollback()


def test_the_calendar_merges_atw_and_decreed_days_in_date_order(session, create_decreed_holiday):
    create_decreed_holiday(FRIDAY_AFTER_ASCENSION)
    create_decreed_holiday(date(2027, 5, 7), "Friday after Ascension Day 2027")
    days = holiday_calendar(session, 2026)
    assert [entry.day for entry in days] == sorted(entry.day for entry in days)
    assert len(days) == 10  # nine Atw holidays and one decreed day in 2026
    [decreed] = [entry for entry in days if entry.day == FRIDAY_AFTER_ASCENSION]
    assert decreed.source == "Besluit van 1 oktober 2025, nr. 2025000001"
