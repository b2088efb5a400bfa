"""The ``flask holidays`` commands: list, add and remove, each with help."""

from datetime import date

import pytest

from enforcement.holidays.services import decreed_holidays, extra_holidays
from tests.holidays.conftest import DECREE


def holidays(runner, *args: str):
    return runner.invoke(args=["holidays", *args])


def test_add_then_list_shows_atw_and_decreed_days(runner, session):
    result = holidays(runner, "add", "2026-05-15", "--name", "Friday after Ascension Day",
                      "--decree", DECREE)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Added 2026-05-15 (Friday after Ascension Day); deadlines now skip it." in result.output
    assert extra_holidays(session) == frozenset({date(2026, 5, 15)})
    [holiday] = decreed_holidays(session)
    assert holiday.added_by is None

    listing = holidays(runner, "list", "--year", "2026")
    assert listing.exit_code == 0, listing.output
    lines = listing.output.splitlines()
    assert len(lines) == 10
    assert lines[0] == "2026-01-01 Thu  New Year's Day  (Atw art. 3)"
    assert "2026-05-14 Thu  Ascension Day  (Atw art. 3)" in lines
    assert f"2026-05-15 Fri  Friday after Ascension Day  ({DECREE})" in lines


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-05-14", "already a holiday under the Atw itself (Ascension Day)"),
        ("2026-05-16", "is a Saturday"),
        ("2026-05-15", "already a decreed holiday"),
    ],
)
def test_add_refuses_and_changes_nothing(runner, session, create_decreed_holiday, day, message):
    create_decreed_holiday(date(2026, 5, 15))
    result = holidays(runner, "add", day, "--name", "Bridge day", "--decree", DECREE)
    assert result.exit_code == 1
    assert message in result.output
    assert len(decreed_holidays(session, include_removed=True)) == 1


def test_add_needs_a_date(runner, session):
    result = holidays(runner, "add", "15-05-2026", "--name", "Bridge day", "--decree", DECREE)
    assert result.exit_code == 2
    assert decreed_holidays(session) == []


def test_remove_keeps_the_record(runner, session, create_decreed_holiday):
    create_decreed_holiday(date(2026, 5, 15))
    result = holidays(runner, "remove", "2026-05-15", "--reason", "Decree withdrawn")
    assert result.exit_code == 0, result.output
    assert "Removed 2026-05-15 (Friday after Ascension Day); the record stays." in result.output
    session.expire_all()
    assert extra_holidays(session) == frozenset()
    [kept] = decreed_holidays(session, include_removed=True)
    assert (kept.removal_reason, kept.removed_by) == ("Decree withdrawn", None)


def test_remove_refuses_a_day_not_in_force_and_needs_a_reason(runner, create_decreed_holiday):
    result = holidays(runner, "remove", "2026-05-15", "--reason", "Gone")
    assert result.exit_code == 1
    assert "2026-05-15 is not a decreed holiday in force." in result.output
    create_decreed_holiday(date(2026, 5, 15))
    assert holidays(runner, "remove", "2026-05-15").exit_code == 2  # --reason is required
    blank = holidays(runner, "remove", "2026-05-15", "--reason", " ")
    assert blank.exit_code == 1 and "Say why the day is removed." in blank.output


def test_list_refuses_years_before_kings_day(runner):
    assert holidays(runner, "list", "--year", "2013").exit_code == 2


@pytest.mark.parametrize("command", [(), ("list",), ("add",), ("remove",)])
def test_every_command_has_help(runner, command):
    result = holidays(runner, *command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    help_texts = {
        (): "The holidays statutory deadlines skip",
        ("list",): "List a year's Atw holidays",
        ("add",): "Add DATE (YYYY-MM-DD)",
        ("remove",): "Take the decreed day DATE",
    }
    assert help_texts[command] in result.output
