"""Time helpers: store UTC, show and count calendar days in Europe/Amsterdam."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """Return the current moment as an aware UTC datetime."""
    return datetime.now(UTC)


def to_local(moment: datetime) -> datetime:
    """Return an aware moment in Europe/Amsterdam time."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the time zone is unknown")
    return moment.astimezone(LOCAL_TZ)


def format_local(moment: datetime | str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Format a moment (or its ISO text, as stored JSON keeps it) in Europe/Amsterdam time for
    display; empty for None."""
    if moment is None:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return to_local(moment).strftime(fmt)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored as UTC that always comes back timezone-aware.

    SQLite keeps no zone, PostgreSQL keeps it in ``timestamptz``; both read back as aware UTC.
    A naive datetime is refused, so a wrong zone cannot slip in silently.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def local_to_utc(naive: datetime) -> datetime:
    """Return a wall-clock time in Amsterdam as aware UTC; ValueError for a time that does not
    exist (the hour skipped in March) or occurs twice (the hour repeated in October)."""
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    first = naive.replace(tzinfo=LOCAL_TZ, fold=0)
    shown = f"{naive:%Y-%m-%d %H:%M}"
    if to_local(first.astimezone(UTC)).replace(tzinfo=None) != naive:
        raise ValueError(f"{shown} does not exist in Amsterdam (the clocks went forward)")
    if first.utcoffset() != naive.replace(tzinfo=LOCAL_TZ, fold=1).utcoffset():
        raise ValueError(
            f"{shown} occurs twice in Amsterdam (the clocks went back); give it in UTC"
        )
    return first.astimezone(UTC)


def format_duration(span: timedelta) -> str:
    """Return a span as hours and minutes for display: "3 h 05 min", "2 d 4 h" past a day."""
    minutes = int(abs(span).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{days} d {hours} h" if days else f"{hours} h {minutes:02d} min"
    return f"-{text}" if span < timedelta(0) else text
