"""Validate notice and check records: clear reasons per column, never the URL in a message."""

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.hosters.models import Hoster, HosterIpRange
from enforcement.hosters.ranges import RangeTable, parse_cidr

NOTICE_COLUMNS = (
    "notice_id",
    "url",
    "ip",
    "hoster",
    "notice_sent_at",
    "offline_at",
    "reappeared_at",
    "content_hash",
)
REQUIRED_NOTICE_COLUMNS = ("notice_id", "url", "notice_sent_at")
NO_VALUES = ("",) * len(NOTICE_COLUMNS)
CHECK_COLUMNS = ("notice_id", "checked_at", "online", "content_hash")
REQUIRED_CHECK_COLUMNS = ("notice_id", "checked_at", "online")
MAX_ID_LENGTH = 200
MAX_HASH_LENGTH = 128
# A longer URL is not a link anyone follows, and it makes every letter that lists it huge.
MAX_URL_LENGTH = 2048
# Moments outside these years are typing errors (and overflow date arithmetic elsewhere).
FIRST_YEAR, LAST_YEAR = 2000, 2100
EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
LATEST = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)
OUT_OF_RANGE = f"lies outside the years {FIRST_YEAR} to {LAST_YEAR}"
# C0 controls (NUL, CR, LF ...), DEL, and the bidirectional overrides that make text read
# other than it is stored: never part of an id, a URL or a hash.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
HAS_CONTROL = "contains a control character"
TRUE_WORDS = {"true", "1", "yes", "y", "t"}
FALSE_WORDS = {"false", "0", "no", "n", "f"}

RowErrors = list[tuple[str, str]]  # (column, reason)
# (row number, external_id, url, ip, hoster_id, notice_sent_at, offline_at, reappeared_at,
# content_hash): a valid row as the import stages it.
StagedNotice = tuple[Any, ...]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
# URLs that urlsplit reads as http(s) with a plain host name: most rows, checked at a fraction of
# urlsplit's cost. Whatever this does not match goes through urlsplit, so the verdict is the same.
PLAIN_HTTP_URL = re.compile(r"(?i:https?)://[A-Za-z0-9._-]+(?::[0-9]*)?(?:[/?#]|\Z)")


@dataclass(slots=True)
class NoticeRow:
    external_id: str
    url: str
    ip: str | None
    hoster_id: int
    notice_sent_at: datetime
    offline_at: datetime | None
    reappeared_at: datetime | None
    content_hash: str | None


@dataclass(slots=True)
class CheckRow:
    external_id: str
    checked_at: datetime
    online: bool
    content_hash: str | None


class Attributor:
    """Find the hoster of a notice: by KvK number when given, else by longest IP prefix."""

    def __init__(self, hoster_by_kvk: Mapping[str, int], ranges: RangeTable):
        self.hoster_by_kvk = hoster_by_kvk
        self.ranges = ranges

    @classmethod
    def from_database(cls, session: Session) -> "Attributor":
        kvk_rows = session.execute(sa.select(Hoster.kvk, Hoster.id)).all()
        range_rows = session.execute(sa.select(HosterIpRange.cidr, HosterIpRange.hoster_id)).all()
        table = RangeTable((parse_cidr(cidr), hoster_id) for cidr, hoster_id in range_rows)
        return cls(dict(kvk_rows), table)

    def attribute(self, kvk: str, ip: str | None) -> tuple[int | None, RowErrors]:
        """Return (hoster id, []) or (None, errors saying why no hoster was found)."""
        if kvk:
            hoster_id = self.hoster_by_kvk.get(kvk)
            if hoster_id is None:
                return None, [("hoster", "unknown hoster: no such KvK number in the registry")]
            return hoster_id, []
        if not ip:
            return None, [("hoster", "no hoster and no ip: the notice cannot be attributed")]
        hoster_id = self.ranges.lookup(ip)
        if hoster_id is None:
            return None, [("ip", "the address is in no registered hoster's range")]
        return int(hoster_id), []


def text(record: Mapping[str, Any], column: str) -> str:
    value = record.get(column)
    if value is None:
        return ""
    return (value if value.__class__ is str else str(value)).strip()


def parse_timestamp(value: str, assume_tz: tzinfo | None) -> datetime:
    """Parse ISO 8601 into aware UTC; a time without offset needs assume_tz, else ValueError."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("is not an ISO 8601 timestamp") from None
    if moment.tzinfo is not UTC:  # "+00:00" and "Z" come back as UTC itself
        moment = _as_utc(moment, value, assume_tz)
    if not EARLIEST <= moment < LATEST:
        raise ValueError(OUT_OF_RANGE)
    return moment


def _as_utc(moment: datetime, value: str, assume_tz: tzinfo | None) -> datetime:
    if moment.tzinfo is None:
        if assume_tz is None:
            raise ValueError("has no UTC offset; add one or pass --assume-tz")
        moment = moment.replace(tzinfo=assume_tz)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # such as 0001-01-01T00:00:00+01:00, before the first UTC moment
        raise ValueError(OUT_OF_RANGE) from None


def timestamp_field(
    record: Mapping[str, Any], column: str, assume_tz: tzinfo | None, errors: RowErrors
) -> datetime | None:
    """Parse one timestamp column; an empty value is None, a bad one adds an error."""
    raw = text(record, column)
    if not raw:
        return None
    try:
        return parse_timestamp(raw, assume_tz)
    except ValueError as exc:
        errors.append((column, str(exc)))
        return None


def _check_url(url: str) -> RowErrors:
    if not url:
        return [("url", "required")]
    if len(url) > MAX_URL_LENGTH:
        return [("url", f"longer than {MAX_URL_LENGTH} characters")]
    if CONTROL_CHARACTERS.search(url):
        return [("url", HAS_CONTROL)]
    if PLAIN_HTTP_URL.match(url):
        return []
    try:
        parts = urlsplit(url)
    except ValueError:
        return [("url", "not a valid URL")]
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return [("url", "must be an http or https URL with a host")]
    return []


@lru_cache(maxsize=16384)  # a server carries many notices; parsing an address is slow
def _check_ip(ip: str) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    if not ip:
        return None, ()
    if "%" in ip:  # Python reads fe80::1%eth0, but a zone names an interface of the sender
        return None, (("ip", "an address with a zone id (%...) is not accepted"),)
    try:
        return str(ipaddress.ip_address(ip)), ()
    except ValueError:
        return None, (("ip", "is not an IPv4 or IPv6 address"),)


def _check_id_and_hash(external_id: str, content_hash: str) -> RowErrors:
    errors = []
    if not external_id:
        errors.append(("notice_id", "required"))
    elif len(external_id) > MAX_ID_LENGTH:
        errors.append(("notice_id", f"longer than {MAX_ID_LENGTH} characters"))
    elif CONTROL_CHARACTERS.search(external_id):
        errors.append(("notice_id", HAS_CONTROL))
    if len(content_hash) > MAX_HASH_LENGTH:
        errors.append(("content_hash", f"longer than {MAX_HASH_LENGTH} characters"))
    elif CONTROL_CHARACTERS.search(content_hash):
        errors.append(("content_hash", HAS_CONTROL))
    return errors


def notice_values(record: Mapping[str, Any]) -> Iterator[Any]:
    """Return a record's values in the order of NOTICE_COLUMNS, "" for a missing one."""
    return map(record.get, NOTICE_COLUMNS, NO_VALUES)


def notice_cleaner(
    attributor: Attributor, assume_tz: tzinfo | None, *, micros: bool
) -> Callable[[int, Iterable[Any]], StagedNotice | None]:
    """Return the fast path: (row number, values as notice_values gives them) -> staged or None.

    For the common case (a file is mostly clean rows): the same checks as validate_notice, and
    for a record that passes, what staged_notice makes of its row; but no reasons. Anything
    unusual (a value that is not text, a URL beyond the plain pattern, no or an unknown KvK
    number, a bad time) gives None, and the record goes to validate_notice. With micros, times
    are whole microseconds since 1970 (see staged_notice).
    """
    match_url, hoster_of, check_ip = PLAIN_HTTP_URL.match, attributor.hoster_by_kvk.get, _check_ip
    has_control, earliest, latest = CONTROL_CHARACTERS.search, EARLIEST, LATEST
    parse, strip, epoch, unit = datetime.fromisoformat, str.strip, EPOCH, MICROSECOND

    def clean(number: int, values: Iterable[Any]) -> StagedNotice | None:
        try:
            external_id, url, ip, kvk, sent, offline, reappeared, content_hash = map(strip, values)
        except TypeError:  # a value that is not text, such as a JSON number or null
            return None
        if not (
            external_id
            and len(external_id) <= MAX_ID_LENGTH
            and len(content_hash) <= MAX_HASH_LENGTH
            and len(url) <= MAX_URL_LENGTH
            and sent
            and kvk
            and match_url(url)
            and not has_control(external_id + url + content_hash)
        ):
            return None
        hoster_id = hoster_of(kvk)
        ip, ip_errors = check_ip(ip)
        if ip_errors or hoster_id is None:
            return None
        try:  # parse_timestamp, inline: most times are UTC already
            moment = parse(sent)
            sent = moment if moment.tzinfo is UTC else _as_utc(moment, sent, assume_tz)
            if offline:
                moment = parse(offline)
                offline = moment if moment.tzinfo is UTC else _as_utc(moment, offline, assume_tz)
                if offline < sent:
                    return None
            if reappeared:
                moment = parse(reappeared)
                reappeared = (
                    moment if moment.tzinfo is UTC else _as_utc(moment, reappeared, assume_tz)
                )
                if reappeared < sent:
                    return None
        except ValueError:
            return None
        if not earliest <= sent < latest or not (offline or sent) < latest:
            return None
        if reappeared and not reappeared < latest:
            return None
        if micros:
            return (number, external_id, url, ip, hoster_id, (sent - epoch) // unit,
                    (offline - epoch) // unit if offline else None,
                    (reappeared - epoch) // unit if reappeared else None,
                    content_hash or None)  # fmt: skip
        return (number, external_id, url, ip, hoster_id, sent, offline or None,
                reappeared or None, content_hash or None)  # fmt: skip

    return clean


def staged_notice(number: int, row: NoticeRow, *, micros: bool) -> StagedNotice:
    """Return a valid row as staged: its number first, then the columns of NoticeRow.

    With micros, times are microseconds since 1970 (what SQLite stages: see bulk.py), an
    exact integer cheaper to make than text.
    """
    times = (row.notice_sent_at, row.offline_at, row.reappeared_at)
    if micros:
        times = tuple(moment and (moment - EPOCH) // MICROSECOND for moment in times)
    return (number, row.external_id, row.url, row.ip, row.hoster_id, *times, row.content_hash)


def validate_notice(
    record: Mapping[str, Any], attributor: Attributor, assume_tz: tzinfo | None
) -> tuple[NoticeRow | None, RowErrors]:
    """Return a valid notice row, or None with every error of the record."""
    external_id, url = text(record, "notice_id"), text(record, "url")
    content_hash = text(record, "content_hash")
    errors = _check_id_and_hash(external_id, content_hash) + _check_url(url)
    ip, ip_errors = _check_ip(text(record, "ip"))
    errors += ip_errors
    sent = timestamp_field(record, "notice_sent_at", assume_tz, errors)
    offline = timestamp_field(record, "offline_at", assume_tz, errors)
    reappeared = timestamp_field(record, "reappeared_at", assume_tz, errors)
    if sent is None and not text(record, "notice_sent_at"):
        errors.append(("notice_sent_at", "required"))
    if sent and offline and offline < sent:
        errors.append(("offline_at", "is before notice_sent_at"))
    if sent and reappeared and reappeared < sent:
        errors.append(("reappeared_at", "is before notice_sent_at"))
    hoster_id = None
    if not ip_errors:
        hoster_id, attribution_errors = attributor.attribute(text(record, "hoster"), ip)
        errors += attribution_errors
    if errors:
        return None, errors
    return NoticeRow(
        external_id, url, ip, hoster_id, sent, offline, reappeared, content_hash or None
    ), []


def parse_online(value: Any) -> bool:
    """Parse a probe's online flag: true/false, 1/0, yes/no; ValueError otherwise."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("is not true or false")


def validate_check(
    record: Mapping[str, Any], assume_tz: tzinfo | None
) -> tuple[CheckRow | None, RowErrors]:
    """Return a valid check row, or None with every error of the record."""
    external_id, content_hash = text(record, "notice_id"), text(record, "content_hash")
    errors = _check_id_and_hash(external_id, content_hash)
    checked_at = timestamp_field(record, "checked_at", assume_tz, errors)
    if not text(record, "checked_at"):
        errors.append(("checked_at", "required"))
    online = None
    try:
        online = parse_online(record.get("online", ""))
    except ValueError as exc:
        errors.append(("online", str(exc)))
    if errors:
        return None, errors
    return CheckRow(external_id, checked_at, online, content_hash or None), []
