"""Time helpers: store UTC, show and count calendar days in Europe/Amsterdam."""

from datetime import UTC, datetime
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


def format_local(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Format a moment in Europe/Amsterdam time for display; empty for None."""
    if moment is None:
        return ""
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
