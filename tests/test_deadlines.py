"""Statutory deadlines: tables of dates checked by hand against a calendar.

Calendar facts used below: Easter 2026 is Sunday 5 April, so Good Friday is 3 April and Easter
Monday 6 April; Ascension Day is 14 May (Thursday) and Whit Monday 25 May 2026. 25 December 2026
is a Friday. In 2025, 27 April is a Sunday, so King's Day is Saturday 26 April.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from enforcement.core.time import LOCAL_TZ
from enforcement.deadlines import (
    DEADLINE_RULES,
    DeadlineKind,
    atw_holiday_names,
    atw_holidays,
    due_at,
    easter_sunday,
    end_of_day,
    expiry_date,
    fine_decision_deadline,
    hours_deadline,
    is_working_day,
    objection_decision_due,
    objection_term_end,
    term_end,
)

D = date.fromisoformat
FRIDAY_AFTER_ASCENSION_2026 = frozenset({D("2026-05-15")})


def ymd(*days: str) -> set[date]:
    return {D(day) for day in days}


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # Easter 31 March: Good Friday 29 Mar, Easter Monday 1 Apr, Ascension 9 May (+39),
        # Whit Monday 20 May (+50); 27 April is a Saturday and stays.
        (2024, ymd("2024-01-01", "2024-03-29", "2024-04-01", "2024-04-27", "2024-05-05",
                   "2024-05-09", "2024-05-20", "2024-12-25", "2024-12-26")),
        # Easter 20 April: 18 Apr, 21 Apr; 27 April is a Sunday, so King's Day is 26 April;
        # Ascension 29 May, Whit Monday 9 June.
        (2025, ymd("2025-01-01", "2025-04-18", "2025-04-21", "2025-04-26", "2025-05-05",
                   "2025-05-29", "2025-06-09", "2025-12-25", "2025-12-26")),
        # Easter 5 April: 3 Apr, 6 Apr; King's Day Monday 27 April; 5 May is a Tuesday (not a
        # lustrum year, still a holiday); Ascension 14 May, Whit Monday 25 May.
        (2026, ymd("2026-01-01", "2026-04-03", "2026-04-06", "2026-04-27", "2026-05-05",
                   "2026-05-14", "2026-05-25", "2026-12-25", "2026-12-26")),
        # Easter 28 March: 26 Mar, 29 Mar; Ascension 6 May, Whit Monday 17 May.
        (2027, ymd("2027-01-01", "2027-03-26", "2027-03-29", "2027-04-27", "2027-05-05",
                   "2027-05-06", "2027-05-17", "2027-12-25", "2027-12-26")),
    ],
)  # fmt: skip
def test_atw_holidays(year, expected):
    assert atw_holidays(year) == expected


def test_kings_day_moves_to_saturday_when_27_april_is_a_sunday():
    assert D("2025-04-26") in atw_holidays(2025)
    assert D("2025-04-27") not in atw_holidays(2025)  # just a Sunday
    assert atw_holiday_names(2025)[D("2025-04-26")] == "King's Day"


def test_ascension_day_on_5_may_is_one_day_with_both_names():
    # 2016: Easter 27 March + 39 days = Thursday 5 May.
    names = atw_holiday_names(2016)
    assert names[D("2016-05-05")] == "Ascension Day; Liberation Day (5 May)"
    assert len(names) == 8


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2008, "2008-03-23"), (2011, "2011-04-24"), (2026, "2026-04-05"), (2038, "2038-04-25"),
     (2285, "2285-03-22")],
)  # fmt: skip
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == D(easter)


def test_years_before_kings_day_are_refused():
    with pytest.raises(ValueError, match="2014"):
        atw_holidays(2013)


@pytest.mark.parametrize(
    ("day", "extra", "working"),
    [
        ("2026-03-06", (), True),  # a Friday
        ("2026-03-07", (), False),  # Saturday
        ("2026-03-08", (), False),  # Sunday
        ("2026-04-03", (), False),  # Good Friday
        ("2026-05-15", (), True),  # Friday after Ascension Day, not decreed
        ("2026-05-15", ("2026-05-15",), False),  # ... decreed
    ],
)
def test_is_working_day(day, extra, working):
    assert is_working_day(D(day), frozenset(map(D, extra))) is working


TERMS = [
    # (notified on, period, decreed days, last day, why)
    ("2026-03-06", {"weeks": 1}, (), "2026-03-13", "Fri + 1 week = Fri, a working day"),
    ("2026-03-07", {"weeks": 1}, (), "2026-03-16", "Sat + 1 week = Sat -> Mon (art. 1)"),
    ("2026-03-01", {"weeks": 2}, (), "2026-03-16", "Sun + 2 weeks = Sun -> Mon"),
    ("2026-03-03", {"weeks": 6}, (), "2026-04-14", "Awb 6:8 example: Tue 3 Mar -> Tue 14 Apr"),
    ("2026-03-20", {"weeks": 2}, (), "2026-04-07",
     "ends Good Friday 3 Apr; Sat, Sun, Easter Monday follow -> Tue 7 Apr"),
    ("2026-03-23", {"weeks": 2}, (), "2026-04-07", "ends Easter Monday 6 Apr -> Tue 7 Apr"),
    ("2025-04-12", {"weeks": 2}, (), "2025-04-28",
     "ends Sat 26 Apr 2025, King's Day (27th is a Sunday) -> Mon 28 Apr"),
    ("2026-04-13", {"weeks": 2}, (), "2026-04-28", "ends King's Day Mon 27 Apr -> Tue 28 Apr"),
    ("2026-04-21", {"weeks": 2}, (), "2026-05-06", "ends Tue 5 May 2026 (no lustrum) -> Wed"),
    ("2026-04-30", {"weeks": 2}, (), "2026-05-15", "ends Ascension Thu 14 May -> Fri 15 May"),
    ("2026-04-30", {"weeks": 2}, ("2026-05-15",), "2026-05-18",
     "Ascension, then the decreed Friday 15 May, Sat, Sun -> Mon 18 May"),
    ("2026-05-11", {"weeks": 2}, (), "2026-05-26", "ends Whit Monday 25 May -> Tue 26 May"),
    ("2026-11-13", {"weeks": 6}, (), "2026-12-28", "ends Christmas Fri 25 Dec; 26, 27 -> Mon 28"),
    ("2026-12-24", {"days": 3}, (), "2026-12-29",
     "art. 2: Fri 25 (holiday), Sat, Sun; art. 1 gives Mon 28, the only working day -> Tue 29"),
    ("2026-12-23", {"days": 4}, (), "2026-12-28",
     "Thu 24 Dec is a working day, Mon 28 the second: art. 2 needs no more"),
    ("2026-12-24", {"days": 2}, (), "2026-12-28", "under 3 days art. 2 does not apply: Sat -> Mon"),
    ("2026-04-02", {"days": 3}, (), "2026-04-08",
     "art. 2 over Easter: Good Friday, Sat, Sun (nominal end), Easter Monday; Tue 7 is the "
     "first working day -> Wed 8 Apr"),
    ("2026-05-13", {"days": 3}, (), "2026-05-18",
     "Ascension, Fri 15, Sat (end) -> Mon 18; Fri 15 and Mon 18 are two working days"),
    ("2026-05-13", {"days": 3}, ("2026-05-15",), "2026-05-19",
     "with Fri 15 decreed, Mon 18 is the only working day -> Tue 19 (art. 2)"),
    ("2026-01-04", {"days": 90}, (), "2026-04-07", "90 days -> Sat 4 Apr; moves past Easter"),
    ("2026-01-05", {"days": 91}, (), "2026-04-06", "91 days: art. 4, stays on Easter Monday"),
    ("2026-01-10", {"weeks": 12}, (), "2026-04-07", "12 weeks -> Sat 4 Apr: still moves"),
    ("2026-01-03", {"weeks": 13}, (), "2026-04-04", "13 weeks: art. 4, stays on Sat 4 Apr"),
    ("2026-01-04", {"months": 3}, (), "2026-04-07", "3 months -> Sat 4 Apr: still moves"),
    ("2025-12-04", {"months": 4}, (), "2026-04-04", "4 months: art. 4, stays on Sat 4 Apr"),
    ("2026-01-31", {"months": 1}, (), "2026-03-02", "31 Jan + 1 month = Sat 28 Feb -> Mon 2 Mar"),
    ("2028-01-31", {"months": 1}, (), "2028-02-29", "leap year: Tue 29 Feb 2028"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("notified_on", "period", "extra", "expected"),
    [row[:4] for row in TERMS],
    ids=[row[4] for row in TERMS],
)
def test_term_end(notified_on, period, extra, expected):
    extra_holidays = frozenset(map(D, extra))
    assert term_end(D(notified_on), **period, extra_holidays=extra_holidays) == D(expected)


@pytest.mark.parametrize(
    "period", [{}, {"days": 3, "weeks": 1}, {"weeks": -1}, {"days": 0, "months": 0}]
)
def test_term_end_needs_exactly_one_positive_period(period):
    with pytest.raises(ValueError, match="exactly one"):
        term_end(D("2026-03-03"), **period)


@pytest.mark.parametrize(
    ("notified_on", "extra", "expected"),
    [
        ("2026-03-03", (), "2026-04-14"),  # Tue + 6 weeks = Tue
        ("2026-11-13", (), "2026-12-28"),  # Fri 25 Dec (Christmas) -> Mon 28 Dec
        ("2026-04-02", (), "2026-05-15"),  # Thu 14 May (Ascension) -> Fri 15 May
        ("2026-04-02", ("2026-05-15",), "2026-05-18"),  # ... decreed Friday -> Mon 18 May
    ],
)
def test_objection_term_is_six_weeks(notified_on, extra, expected):
    assert objection_term_end(D(notified_on), frozenset(map(D, extra))) == D(expected)


@pytest.mark.parametrize(
    ("term_ended", "committee", "deferred", "expected"),
    [
        ("2026-04-14", False, False, "2026-05-26"),  # Tue + 6 weeks = Tue 26 May
        ("2026-04-13", False, False, "2026-05-26"),  # Mon + 6 weeks = Whit Monday -> Tue
        ("2026-03-02", True, False, "2026-05-26"),  # + 12 weeks = Whit Monday: still moves
        ("2026-03-02", False, True, "2026-05-26"),  # 6 + 6 = one 12-week term: still moves
        ("2026-01-19", True, True, "2026-05-25"),  # 12 + 6 = 18 weeks: art. 4, stays Whit Monday
        ("2026-01-26", True, True, "2026-06-01"),  # 18 weeks, a plain Monday
    ],
)
def test_objection_decision_due(term_ended, committee, deferred, expected):
    due = objection_decision_due(D(term_ended), advisory_committee=committee, deferred=deferred)
    assert due == D(expected)


def test_objection_decision_due_skips_a_decreed_day():
    # Thu 2 Apr + 6 weeks = Ascension Thu 14 May -> Fri 15 May, or Mon 18 May when decreed.
    assert objection_decision_due(D("2026-04-02")) == D("2026-05-15")
    due = objection_decision_due(D("2026-04-02"), extra_holidays=FRIDAY_AFTER_ASCENSION_2026)
    assert due == D("2026-05-18")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # Friday 20:00 + 12 h = Saturday 08:00; a weekend does not move it (art. 4).
        (local(2026, 3, 6, 20), 12, datetime(2026, 3, 7, 7, tzinfo=UTC)),
        # Saturday 28 March 20:00 CET + 12 real hours = 09:00 CEST: summer time starts at 02:00.
        (local(2026, 3, 28, 20), 12, local(2026, 3, 29, 9)),
        # Thursday 24 December 23:00 + 24 h = Christmas Day 23:00; holidays do not count.
        (local(2026, 12, 24, 23), 24, local(2026, 12, 25, 23)),
    ],
)
def test_hours_deadline_never_moves(start, hours, expected):
    deadline = hours_deadline(start, hours)
    assert deadline == expected
    assert deadline.utcoffset() == timedelta(0)


def test_hours_deadline_refuses_naive_and_non_positive():
    with pytest.raises(ValueError, match="naive"):
        hours_deadline(datetime(2026, 3, 6, 20), 12)
    with pytest.raises(ValueError, match="positive"):
        hours_deadline(local(2026, 3, 6, 20), 0)


def test_fine_decision_term_of_13_weeks_stays_on_a_saturday():
    # Report dated Saturday 3 January 2026 + 91 days = Saturday 4 April, before Easter: no move.
    assert fine_decision_deadline(D("2026-01-03")) == D("2026-04-04")


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        ("2025-03-01", 1, "2026-03-01"),  # a Sunday, and it stays
        ("2025-04-27", 1, "2026-04-27"),  # King's Day 2026, and it stays
        ("2028-02-29", 1, "2029-02-28"),  # no 29 February in 2029
        ("2026-05-25", 5, "2031-05-25"),
    ],
)
def test_expiry_in_years_never_moves(start, years, expected):
    assert expiry_date(D(start), years) == D(expected)


@pytest.mark.parametrize(
    ("day", "utc"),
    [
        ("2026-01-15", datetime(2026, 1, 15, 22, 59, 59, 999999, tzinfo=UTC)),  # CET, UTC+1
        ("2026-07-15", datetime(2026, 7, 15, 21, 59, 59, 999999, tzinfo=UTC)),  # CEST, UTC+2
        ("2026-03-29", datetime(2026, 3, 29, 21, 59, 59, 999999, tzinfo=UTC)),  # summer time starts
        ("2026-10-25", datetime(2026, 10, 25, 22, 59, 59, 999999, tzinfo=UTC)),  # and ends
    ],
)
def test_end_of_day_in_amsterdam(day, utc):
    moment = end_of_day(D(day))
    assert moment == utc
    assert moment.tzinfo is UTC
    assert moment.astimezone(LOCAL_TZ).date() == D(day)
    assert (moment + timedelta(microseconds=1)).astimezone(LOCAL_TZ).date() == D(day) + timedelta(1)


def test_every_deadline_kind_has_a_rule_with_its_source():
    assert set(DEADLINE_RULES) == set(DeadlineKind)
    sources = {kind.value: rule.source for kind, rule in DEADLINE_RULES.items()}
    assert sources["fine_decision"] == "Awb 5:51"
    assert sources["objection_term"] == "Awb 6:7"
    assert sources["objection_decision"] == "Awb 7:10"
    assert sources["view_term"] == "Awb 4:8"
    assert "art. 6" in sources["removal_order"].lower()
    moving = {kind.value for kind, rule in DEADLINE_RULES.items() if rule.atw_applies}
    assert sources["grace_period"] == "Awb 5:32a"
    assert moving == {
        "reaction_period",
        "view_term",
        "objection_term",
        "objection_decision",
        "grace_period",
    }
    assert all(len(kind.value) <= 20 for kind in DeadlineKind)  # fits an enum column


@pytest.mark.parametrize(
    ("kind", "start", "weeks", "expected"),
    [
        # Sent 2 March 23:30 UTC = 3 March 00:30 in Amsterdam: six weeks from Tuesday 3 March.
        (DeadlineKind.OBJECTION_TERM, datetime(2026, 3, 2, 23, 30, tzinfo=UTC), None,
         end_of_day(D("2026-04-14"))),
        (DeadlineKind.REMOVAL_ORDER, local(2026, 3, 6, 20), None, local(2026, 3, 7, 8)),
        (DeadlineKind.FINE_DECISION, local(2026, 1, 3, 10), None, end_of_day(D("2026-04-04"))),
        # A policy window is no statutory term: Sat 7 Feb + 8 weeks = Sat 4 Apr stays.
        (DeadlineKind.IMPROVEMENT_WINDOW, local(2026, 2, 7, 10), None,
         end_of_day(D("2026-04-04"))),
        # Reaction period of 3 weeks from Fri 20 Mar: Fri 10 Apr, a working day.
        (DeadlineKind.REACTION_PERIOD, local(2026, 3, 20, 10), 3, end_of_day(D("2026-04-10"))),
        # View term of 2 weeks from Fri 20 Mar ends on Good Friday -> Tue 7 Apr.
        (DeadlineKind.VIEW_TERM, local(2026, 3, 20, 10), None, end_of_day(D("2026-04-07"))),
    ],
)  # fmt: skip
def test_due_at(kind, start, weeks, expected):
    assert due_at(kind, start, weeks=weeks) == expected


def test_reaction_period_is_at_least_two_weeks():
    with pytest.raises(ValueError, match="at least 2 weeks"):
        due_at(DeadlineKind.REACTION_PERIOD, local(2026, 3, 20, 10), weeks=1)
