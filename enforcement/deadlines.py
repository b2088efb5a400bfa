"""Statutory deadlines: the Algemene termijnenwet (Atw) and the Awb terms a case carries.

Pure computation: no database, no Flask. Days are calendar days in Europe/Amsterdam, and a term
ends at the end of its last day there (``end_of_day``). Days the Crown adds by decree (Atw art.
3(3)) are data kept by ``enforcement.holidays``; callers pass them in as ``extra_holidays``.
"""

import calendar
from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

from enforcement.core.time import LOCAL_TZ, to_local

NO_EXTRA_HOLIDAYS: frozenset[date] = frozenset()
# King's Day replaced Queen's Day (30 April) in 2014; earlier years would need other rules.
FIRST_SUPPORTED_YEAR = 2014
SATURDAY, SUNDAY = 5, 6

# Atw art. 4: the Atw does not apply to terms longer than these (nor to terms in hours or years).
ATW_MAX_DAYS, ATW_MAX_WEEKS, ATW_MAX_MONTHS = 90, 12, 3
# Atw art. 2: a term of at least this many days holds at least this many working days.
ATW_MIN_TERM_DAYS, ATW_MIN_WORKING_DAYS = 3, 2

FINE_DECISION_WEEKS = 13  # Awb 5:51(1)
OBJECTION_TERM_WEEKS = 6  # Awb 6:7
OBJECTION_DECISION_WEEKS = 6  # Awb 7:10(1)
COMMITTEE_DECISION_WEEKS = 12  # Awb 7:10(1), with an advisory committee (Awb 7:13)
OBJECTION_DEFERRAL_WEEKS = 6  # Awb 7:10(3)


def easter_sunday(year: int) -> date:
    """Return Easter Sunday of a year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


def atw_holiday_names(year: int) -> dict[date, str]:
    """Return the holidays of Atw art. 3(1) and 3(2) in a year, with their names, by day.

    New Year's Day, Good Friday (art. 3(2)), Easter Monday, King's Day (27 April, or 26 April
    when the 27th is a Sunday: Wet viering Koningsdag), 5 May every year, Ascension Day, Whit
    Monday and 25 and 26 December. Decreed days (art. 3(3)) are not included.
    """
    if year < FIRST_SUPPORTED_YEAR:
        raise ValueError(f"holidays are computed from {FIRST_SUPPORTED_YEAR}; got {year}")
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == SUNDAY:
        kings_day -= timedelta(days=1)
    named = [
        (date(year, 1, 1), "New Year's Day"),
        (easter - timedelta(days=2), "Good Friday"),
        (easter + timedelta(days=1), "Easter Monday"),
        (kings_day, "King's Day"),
        (date(year, 5, 5), "Liberation Day (5 May)"),
        (easter + timedelta(days=39), "Ascension Day"),
        (easter + timedelta(days=50), "Whit Monday"),
        (date(year, 12, 25), "Christmas Day"),
        (date(year, 12, 26), "Second Christmas Day"),
    ]
    names: dict[date, str] = {}
    for day, name in sorted(named):  # Ascension Day can fall on 5 May (as in 2016)
        names[day] = f"{names[day]}; {name}" if day in names else name
    return names


@lru_cache(maxsize=128)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(atw_holiday_names(year))


def atw_holidays(year: int) -> set[date]:
    """Return the days Atw art. 3(1) and 3(2) make holidays in a year (not the decreed ones)."""
    return set(_holidays(year))


def is_working_day(day: date, extra_holidays: Set[date] = NO_EXTRA_HOLIDAYS) -> bool:
    """Return whether a day is none of Saturday, Sunday, an Atw holiday or a decreed day."""
    return day.weekday() < SATURDAY and day not in _holidays(day.year) and day not in extra_holidays


def next_working_day(day: date, extra_holidays: Set[date] = NO_EXTRA_HOLIDAYS) -> date:
    """Return the first working day after ``day``."""
    day += timedelta(days=1)
    while not is_working_day(day, extra_holidays):
        day += timedelta(days=1)
    return day


def add_months(day: date, months: int) -> date:
    """Return the same day of the month ``months`` later, or that month's last day if shorter."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last))


def term_end(
    notified_on: date,
    *,
    days: int = 0,
    weeks: int = 0,
    months: int = 0,
    extra_holidays: Set[date] = NO_EXTRA_HOLIDAYS,
) -> date:
    """Return the last day of a statutory term that runs from the day after notification.

    Awb 6:8: a term of six weeks from a notification on Tuesday 3 March ends on Tuesday 14
    April; the nominal end is ``notified_on`` plus the period (months: the same day of the month,
    or the month's last day). Then the Algemene termijnenwet:
    - art. 1: an end on a Saturday, Sunday or holiday moves to the next working day;
    - art. 2: a term of at least three days holds at least two working days (from the day after
      notification to the end, inclusive), so it runs on to the working day that makes two;
    - art. 4: terms over 12 weeks, 3 months or 90 days never move.
    Exactly one of ``days``, ``weeks`` and ``months`` is given, as a positive number.
    """
    periods = {"days": days, "weeks": weeks, "months": months}
    given = {name: value for name, value in periods.items() if value}
    if len(given) != 1 or any(value < 0 for value in given.values()):
        raise ValueError(f"give exactly one positive period of days, weeks or months: {periods}")
    if months:
        nominal = add_months(notified_on, months)
    else:
        nominal = notified_on + timedelta(days=days, weeks=weeks)
    if days > ATW_MAX_DAYS or weeks > ATW_MAX_WEEKS or months > ATW_MAX_MONTHS:
        return nominal  # Atw art. 4
    end = nominal
    if not is_working_day(end, extra_holidays):
        end = next_working_day(end, extra_holidays)  # Atw art. 1
    if (nominal - notified_on).days >= ATW_MIN_TERM_DAYS:
        while working_days_between(notified_on, end, extra_holidays) < ATW_MIN_WORKING_DAYS:
            end = next_working_day(end, extra_holidays)  # Atw art. 2
    return end


def working_days_between(
    after: date, last: date, extra_holidays: Set[date] = NO_EXTRA_HOLIDAYS
) -> int:
    """Return how many working days lie after ``after`` up to and including ``last``."""
    count, day = 0, after + timedelta(days=1)
    while day <= last:
        count += is_working_day(day, extra_holidays)
        day += timedelta(days=1)
    return count


def objection_term_end(notified_on: date, extra_holidays: Set[date] = NO_EXTRA_HOLIDAYS) -> date:
    """Return the last day to object to a decision made known on ``notified_on`` (Awb 6:7, 6:8)."""
    return term_end(notified_on, weeks=OBJECTION_TERM_WEEKS, extra_holidays=extra_holidays)


def objection_decision_due(
    objection_term_end: date,
    *,
    advisory_committee: bool = False,
    deferred: bool = False,
    extra_holidays: Set[date] = NO_EXTRA_HOLIDAYS,
) -> date:
    """Return the last day to decide on an objection (Awb 7:10).

    The term runs from the day after the objection term ended: six weeks, or twelve when an
    advisory committee (Awb 7:13) hears the objection. Our reading of a deferral (7:10(3), at
    most six weeks, once) is that it lengthens that one term rather than starting a new one, so
    the deferred term is 12 weeks (18 with a committee) counted from the same day. The Atw then
    applies to 6 and 12 weeks (art. 4 excludes only terms *over* 12 weeks) but not to 18, which
    never moves. The other reading (a new six-week term after the first, moved, end) never gives
    an earlier day; this one is the safe side for the authority.
    """
    weeks = COMMITTEE_DECISION_WEEKS if advisory_committee else OBJECTION_DECISION_WEEKS
    if deferred:
        weeks += OBJECTION_DEFERRAL_WEEKS
    return term_end(objection_term_end, weeks=weeks, extra_holidays=extra_holidays)


def hours_deadline(start: datetime, hours: int) -> datetime:
    """Return the moment ``hours`` real hours after ``start``, as aware UTC; it never moves.

    Terms in hours fall outside the Atw (art. 4), such as the removal order's 12 hours (art. 6 of
    the 2024 law). Counted in UTC, so a change to or from summer time does not add or lose an hour.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("naive datetime: the time zone is unknown")
    if hours <= 0:
        raise ValueError(f"hours must be positive; got {hours}")
    return start.astimezone(UTC) + timedelta(hours=hours)


def fine_decision_deadline(report_date: date) -> date:
    """Return the last day to decide on a fine: 13 weeks after the report's date (Awb 5:51(1)).

    Over 12 weeks, so the Atw never moves it (art. 4). A deferral (5:51(2)) is not modelled.
    """
    return report_date + timedelta(weeks=FINE_DECISION_WEEKS)


def expiry_date(start: date, years: int = 1) -> date:
    """Return the day a term of whole years ends, such as a claim's expiry (Awb 5:35).

    Terms in years never move (Atw art. 4); 29 February gives 28 February in a common year.
    """
    if years <= 0:
        raise ValueError(f"years must be positive; got {years}")
    return add_months(start, 12 * years)


def end_of_day(day: date) -> datetime:
    """Return the last moment of a day in Europe/Amsterdam, as aware UTC: when a term ends."""
    return datetime.combine(day, time.max, tzinfo=LOCAL_TZ).astimezone(UTC)


class DeadlineKind(StrEnum):
    IMPROVEMENT_WINDOW = "improvement_window"
    REACTION_PERIOD = "reaction_period"
    VIEW_TERM = "view_term"
    FINE_DECISION = "fine_decision"
    OBJECTION_TERM = "objection_term"
    OBJECTION_DECISION = "objection_decision"
    REMOVAL_ORDER = "removal_order"
    GRACE_PERIOD = "grace_period"
    COLLECTION_LAPSE = "collection_lapse"
    PAYMENT_TERM = "payment_term"


@dataclass(frozen=True)
class DeadlineRule:
    """One kind of deadline a case carries: its source, default length and whether the Atw moves it.

    The Atw binds terms set by law (art. 1). Terms the authority sets itself (the reaction and
    view terms) follow it by policy, so a hoster's term never ends on a day off; the improvement
    window is a measuring period, not a term for an act, and does not move.
    """

    kind: DeadlineKind
    label: str
    source: str
    atw_applies: bool
    default_weeks: int = 0
    default_hours: int = 0
    minimum_weeks: int = 0


DEADLINE_RULES: Mapping[DeadlineKind, DeadlineRule] = MappingProxyType({
    rule.kind: rule
    for rule in (
        DeadlineRule(DeadlineKind.IMPROVEMENT_WINDOW, "Improvement window",
                     "Enforcement policy (2020 precedent: two months)", False, default_weeks=8),
        DeadlineRule(DeadlineKind.REACTION_PERIOD, "Reaction period (naming intent)",
                     "Enforcement policy (at least two weeks)", True, default_weeks=2,
                     minimum_weeks=2),
        DeadlineRule(DeadlineKind.VIEW_TERM, "Term for the hoster's view (zienswijze)",
                     "Awb 4:8", True, default_weeks=2),
        DeadlineRule(DeadlineKind.FINE_DECISION, "Decision on the fine", "Awb 5:51", False,
                     default_weeks=FINE_DECISION_WEEKS),
        DeadlineRule(DeadlineKind.OBJECTION_TERM, "Objection term (bezwaartermijn)", "Awb 6:7",
                     True, default_weeks=OBJECTION_TERM_WEEKS),
        DeadlineRule(DeadlineKind.OBJECTION_DECISION, "Decision on the objection", "Awb 7:10",
                     True, default_weeks=OBJECTION_DECISION_WEEKS),
        DeadlineRule(DeadlineKind.REMOVAL_ORDER, "Removal order (bevel)",
                     "Art. 6 Wet bestuursrechtelijke aanpak online kinderpornografisch materiaal",
                     False, default_hours=12),
        # Its length in days is the penalty order's own (a parameter of the step).
        DeadlineRule(DeadlineKind.GRACE_PERIOD, "Grace period (begunstigingstermijn)",
                     "Awb 5:32a", True),
        # The money side (enforcement.sanctions): set from their own facts, never moved.
        DeadlineRule(DeadlineKind.COLLECTION_LAPSE, "Power to collect lapses", "Awb 5:35", False),
        DeadlineRule(DeadlineKind.PAYMENT_TERM, "Payment term", "Awb 4:87", False),
    )
})  # fmt: skip


def due_at(
    kind: DeadlineKind,
    start: datetime,
    *,
    weeks: int | None = None,
    extra_holidays: Set[date] = NO_EXTRA_HOLIDAYS,
) -> datetime:
    """Return when a deadline of this kind ends, as aware UTC, for a term starting at ``start``.

    ``start`` is the moment the term counts from (the notification, the report's date, the end
    of the objection term); terms in weeks run from the next day in Amsterdam and end at the end
    of their last day. ``weeks`` overrides the default length (a longer committee term, a
    deferral); the result for 7:10 then follows ``objection_decision_due``'s reading.
    """
    rule = DEADLINE_RULES[kind]
    if rule.default_hours:
        return hours_deadline(start, rule.default_hours)
    weeks = rule.default_weeks if weeks is None else weeks
    if weeks < rule.minimum_weeks:
        raise ValueError(f"a {rule.label.lower()} is at least {rule.minimum_weeks} weeks")
    first = to_local(start).date()
    if rule.atw_applies:
        return end_of_day(term_end(first, weeks=weeks, extra_holidays=extra_holidays))
    return end_of_day(first + timedelta(weeks=weeks))
