from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from enforcement.letters import formatting as f


@pytest.mark.parametrize(
    ("amount", "dutch", "english"),
    [
        (Decimal("4150"), "€ 4.150,00", "EUR 4,150.00"),
        (Decimal("830000"), "€ 830.000,00", "EUR 830,000.00"),
        ("1234567.891", "€ 1.234.567,89", "EUR 1,234,567.89"),
        ("0.005", "€ 0,01", "EUR 0.01"),  # half up, not banker's rounding
        ("0.004", "€ 0,00", "EUR 0.00"),
        ("2.675", "€ 2,68", "EUR 2.68"),  # exact: 2.675 as a float would round down
        (999, "€ 999,00", "EUR 999.00"),
        (1000, "€ 1.000,00", "EUR 1,000.00"),
        ("-4150.5", "€ -4.150,50", "EUR -4,150.50"),
        (0, "€ 0,00", "EUR 0.00"),
    ],
)
def test_money(amount, dutch, english):
    assert f.format_money(amount, "nl") == dutch
    assert f.format_money(amount, "en") == english


@pytest.mark.parametrize("bad", [4150.0, True, "abc", "NaN", "Infinity"])
def test_money_refuses_floats_and_non_numbers(bad):
    with pytest.raises((TypeError, ValueError)):
        f.format_money(bad, "nl")


@pytest.mark.parametrize(
    ("day", "dutch", "english"),
    [
        (date(2026, 3, 2), "maandag 2 maart 2026", "Monday 2 March 2026"),
        (date(2026, 4, 27), "maandag 27 april 2026", "Monday 27 April 2026"),
        (date(2026, 5, 5), "dinsdag 5 mei 2026", "Tuesday 5 May 2026"),
        (date(2026, 12, 26), "zaterdag 26 december 2026", "Saturday 26 December 2026"),
        (date(2027, 1, 1), "vrijdag 1 januari 2027", "Friday 1 January 2027"),
        ("2026-02-01", "zondag 1 februari 2026", "Sunday 1 February 2026"),
        # 23:30 UTC on 1 March is already 2 March in Amsterdam.
        (datetime(2026, 3, 1, 23, 30, tzinfo=UTC), "maandag 2 maart 2026", "Monday 2 March 2026"),
        ("2026-07-01T22:30:00+00:00", "donderdag 2 juli 2026", "Thursday 2 July 2026"),
    ],
)
def test_long_dates_with_weekday(day, dutch, english):
    assert f.format_long_date(day, "nl") == dutch
    assert f.format_long_date(day, "en") == english


def test_every_month_and_weekday_has_a_name():
    for month in range(1, 13):
        day = date(2026, month, 1)
        assert f.format_date(day, "nl").split()[1] == f.MONTHS["nl"][month - 1]
    names = {f.format_long_date(date(2026, 3, d), "en").split()[0] for d in range(2, 9)}
    assert names == set(f.WEEKDAYS["en"])


@pytest.mark.parametrize(
    ("moment", "dutch", "english"),
    [
        (datetime(2026, 3, 2, 13, 5, tzinfo=UTC), "02-03-2026 14:05", "2 Mar 2026 14:05"),
        ("2026-07-01T22:30:00+00:00", "02-07-2026 00:30", "2 Jul 2026 00:30"),
    ],
)
def test_moments_in_amsterdam_time(moment, dutch, english):
    assert f.format_moment(moment, "nl") == dutch
    assert f.format_moment(moment, "en") == english


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="naive"):
        f.format_moment(datetime(2026, 3, 2, 13, 5), "nl")


@pytest.mark.parametrize(
    ("value", "dutch", "english"),
    [
        (90.0, "90,0%", "90.0%"),
        (86, "86,0%", "86.0%"),
        (84.25, "84,3%", "84.3%"),
        (90.05, "90,1%", "90.1%"),  # repr(90.05) is 90.05: half up gives 90.1
        (Decimal("0.04"), "0,0%", "0.0%"),
        (100.0, "100,0%", "100.0%"),
        (None, "n.v.t.", "n/a"),
    ],
)
def test_percentages(value, dutch, english):
    assert f.format_percentage(value, "nl") == dutch
    assert f.format_percentage(value, "en") == english


@pytest.mark.parametrize(
    ("value", "dutch", "english"),
    [
        (30.5, "30,5 uur", "30.5 hours"),
        (2, "2,0 uur", "2.0 hours"),
        (1234.56, "1.234,6 uur", "1,234.6 hours"),
        (0.04, "0,0 uur", "0.0 hours"),
    ],
)
def test_hours(value, dutch, english):
    assert f.format_hours(value, "nl") == dutch
    assert f.format_hours(value, "en") == english
    assert f.format_window_hours(value, "nl") == dutch


def test_a_median_beyond_the_window():
    assert f.format_window_hours(None, "nl") == "meer dan de meetperiode"
    assert f.format_window_hours(None, "en") == "more than the window"


@pytest.mark.parametrize(
    ("value", "dutch", "english"),
    [(179610, "179.610", "179,610"), (0, "0", "0"), (1000000, "1.000.000", "1,000,000")],
)
def test_counts(value, dutch, english):
    assert f.format_integer(value, "nl") == dutch
    assert f.format_integer(value, "en") == english


def test_decimals_without_a_unit():
    assert f.format_decimal(1234.5, "nl") == "1.234,5"
    assert f.format_decimal(1234.5, "en") == "1,234.5"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown letter language"):
        f.format_money(1, "de")
