"""How letters write amounts, dates, percentages and hours, in Dutch and English.

Pure and locale-free: the month and weekday names are spelled out here, so a letter reads the
same on every machine whatever its system locale. Amounts are Decimal (or text) and exact;
floats are refused, since 0.1 + 0.2 is not an amount anyone should sign.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from enforcement.core.time import to_local

LANGUAGES = ("nl", "en")
MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip
WEEKDAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
# (thousands separator, decimal mark)
SEPARATORS = {"nl": (".", ","), "en": (",", ".")}
NOT_APPLICABLE = {"nl": "n.v.t.", "en": "n/a"}
BEYOND_WINDOW = {"nl": "meer dan de meetperiode", "en": "more than the window"}
HOURS_WORD = {"nl": "uur", "en": "hours"}
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unknown letter language {language!r}; expected one of {LANGUAGES}")
    return language


def _decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, (bool, float)):
        raise TypeError("amounts are Decimal, int or text; a float is not exact")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def group_number(value: Decimal, places: int, language: str) -> str:
    """Return a rounded (half up) number with the language's grouping and decimal mark."""
    thousands, mark = SEPARATORS[_check_language(language)]
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = thousands.join(groups)
    return f"{sign}{text}{mark}{fraction}" if places else f"{sign}{text}"


def format_money(value: Decimal | int | str, language: str) -> str:
    """Return an amount in euros: nl ``€ 4.150,00``, en ``EUR 4,150.00`` (half up to cents)."""
    number = group_number(_decimal(value), 2, language)
    return f"€ {number}" if language == "nl" else f"EUR {number}"


def format_integer(value: int, language: str) -> str:
    """Return a count with thousands grouped: nl ``179.610``, en ``179,610``."""
    return group_number(_decimal(value), 0, language)


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return to_local(value).date()  # an aware moment is a day in Europe/Amsterdam
    return value


def _as_moment(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return to_local(value)


def format_date(value: date | datetime | str, language: str) -> str:
    """Return a day without weekday: nl ``2 maart 2026``, en ``2 March 2026``."""
    day = _as_date(value)
    return f"{day.day} {MONTHS[_check_language(language)][day.month - 1]} {day.year}"


def format_long_date(value: date | datetime | str, language: str) -> str:
    """Return a day with its weekday: nl ``maandag 2 maart 2026``, en ``Monday 2 March 2026``."""
    day = _as_date(value)
    return f"{WEEKDAYS[_check_language(language)][day.weekday()]} {format_date(day, language)}"


def format_moment(value: datetime | str, language: str) -> str:
    """Return a moment in Amsterdam time: nl ``02-03-2026 14:05``, en ``2 Mar 2026 14:05``."""
    moment = _as_moment(value)
    if _check_language(language) == "nl":
        return moment.strftime("%d-%m-%Y %H:%M")
    return f"{moment.day} {MONTHS['en'][moment.month - 1][:3]} {moment.year} {moment:%H:%M}"


def _one_decimal(value: float | Decimal | int | str) -> Decimal:
    # repr() of a float is its shortest exact decimal form, so 90.05 stays 90.05, not 90.0499...
    return _decimal(repr(value) if isinstance(value, float) else value)


def format_percentage(value: float | Decimal | int | str | None, language: str) -> str:
    """Return a share with one decimal: nl ``90,0%``, en ``90.0%``; n.v.t./n/a for None."""
    if value is None:
        return NOT_APPLICABLE[_check_language(language)]
    return f"{group_number(_one_decimal(value), 1, language)}%"


def format_decimal(value: float | Decimal | int | str | None, language: str) -> str:
    """Return a number with one decimal: nl ``1.234,5``, en ``1,234.5``; n.v.t./n/a for None."""
    if value is None:
        return NOT_APPLICABLE[_check_language(language)]
    return group_number(_one_decimal(value), 1, language)


def format_hours(value: float | Decimal | int | str | None, language: str) -> str:
    """Return hours with one decimal: nl ``30,5 uur``, en ``30.5 hours``; n.v.t./n/a for None."""
    if value is None:
        return NOT_APPLICABLE[_check_language(language)]
    return f"{group_number(_one_decimal(value), 1, language)} {HOURS_WORD[language]}"


def format_window_hours(value: float | Decimal | int | str | None, language: str) -> str:
    """Return a median or percentile in hours; None means more than the measurement window."""
    if value is None:
        return BEYOND_WINDOW[_check_language(language)]
    return format_hours(value, language)
