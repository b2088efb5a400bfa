"""Hoster registry operations: validate, create, update with a change record, search."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pycountry
import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.core.errors import Conflict, FieldErrors, NotFound
from enforcement.core.time import utcnow
from enforcement.core.validation import normalize_email
from enforcement.hosters.models import Hoster, HosterChange, HosterIpRange, Language
from enforcement.hosters.ranges import find_overlaps, parse_cidr, parse_cidr_list

# The registry's fields, in the order forms and change records show them.
FIELDS = (
    "kvk",
    "trade_name",
    "legal_name",
    "country",
    "postal_address",
    "formal_email",
    "abuse_contact",
    "language",
    "ip_ranges",
)
REQUIRED = {
    "kvk",
    "trade_name",
    "legal_name",
    "country",
    "formal_email",
    "abuse_contact",
    "language",
}
MAX_LENGTHS = {"trade_name": 200, "legal_name": 200, "postal_address": 1000}


@dataclass
class SaveResult:
    """The outcome of saving a hoster: what happened and what the user should know."""

    hoster: Hoster
    created: bool
    changes: dict[str, list[Any]]
    notices: list[str] = field(default_factory=list)


def _clean_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _check_kvk(value: str) -> str:
    if not value.isdigit() or len(value) != 8:
        hint = " (leading zeros lost?)" if value.isdigit() and len(value) < 8 else ""
        raise ValueError(f"A KvK number is exactly 8 digits{hint}; got {value!r}.")
    return value


def _check_country(value: str) -> str:
    code = value.upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"Use a two-letter ISO 3166 country code such as NL; got {value!r}.")
    return code


def _check_language(value: str) -> str:
    code = value.lower()
    if code not in {lang.value for lang in Language}:
        raise ValueError("Choose nl or en.")
    return code


CHECKS = {
    "kvk": _check_kvk,
    "country": _check_country,
    "formal_email": normalize_email,
    "abuse_contact": normalize_email,
    "language": _check_language,
}


def validate_hoster_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Return cleaned fields, or raise FieldErrors with a message per field.

    ``ip_ranges`` may be text (white space or commas between ranges) or a list; it comes back
    as sorted unique CIDR strings. A missing ``postal_address`` key means "leave unchanged".
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name in FIELDS:
        if name == "ip_ranges" or (name == "postal_address" and name not in raw):
            continue
        value = _clean_text(raw.get(name))
        if not value:
            if name in REQUIRED:
                errors[name] = ["This field is required."]
            cleaned[name] = None
            continue
        if name in MAX_LENGTHS and len(value) > MAX_LENGTHS[name]:
            errors[name] = [f"At most {MAX_LENGTHS[name]} characters."]
            continue
        try:
            cleaned[name] = CHECKS.get(name, str)(value)
        except ValueError as exc:
            errors[name] = [str(exc)]
    networks, range_errors = parse_cidr_list(raw.get("ip_ranges") or "")
    if range_errors:
        errors["ip_ranges"] = range_errors
    cleaned["ip_ranges"] = [str(net) for net in networks]
    if errors:
        raise FieldErrors(errors)
    return cleaned


def describe_hoster(hoster: Hoster) -> str:
    return f"{hoster.trade_name} (KvK {hoster.kvk})"


def check_range_overlaps(session: Session, ranges: list[str], hoster: Hoster | None) -> list[str]:
    """Refuse a range another hoster announces; return notices for nested ranges."""
    others = session.execute(
        sa.select(HosterIpRange.cidr, Hoster)
        .join(Hoster)
        .where(Hoster.id != (hoster.id if hoster and hoster.id else -1))
    ).all()
    overlaps = find_overlaps(
        [parse_cidr(cidr) for cidr in ranges],
        [(parse_cidr(cidr), describe_hoster(owner)) for cidr, owner in others],
    )
    errors, notices = [], []
    for overlap in overlaps:
        if overlap.kind == "identical":
            errors.append(f"{overlap.new} is already announced by {overlap.owner}.")
        elif overlap.kind == "inside":
            notices.append(
                f"{overlap.new} lies inside {overlap.existing} of {overlap.owner} (a reseller?); "
                "the more specific range wins when notices are attributed."
            )
        else:
            notices.append(
                f"{overlap.new} contains {overlap.existing} of {overlap.owner}; "
                f"notices in {overlap.existing} stay with {overlap.owner}."
            )
    if errors:
        raise FieldErrors({"ip_ranges": errors})
    return notices


def _current_values(hoster: Hoster) -> dict[str, Any]:
    values = {name: getattr(hoster, name) for name in FIELDS if name != "ip_ranges"}
    values["language"] = hoster.language.value if hoster.language else None
    values["ip_ranges"] = sorted(r.cidr for r in hoster.ip_ranges)
    return values


def _apply(session: Session, hoster: Hoster, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the fields on the hoster and return {field: [old, new]} for those that changed."""
    before = _current_values(hoster) if hoster.id else dict.fromkeys(FIELDS)
    changes = {}
    for name, new in fields.items():
        old = before.get(name)
        if name == "ip_ranges":
            if sorted(new) != sorted(old or []):
                changes[name] = [old, sorted(new)]
            continue
        if old != new:
            changes[name] = [old, new]
    for name, new in fields.items():
        if name in changes and name != "ip_ranges":
            setattr(hoster, name, Language(new) if name == "language" else new)
    if "ip_ranges" in changes:
        _replace_ranges(session, hoster, fields["ip_ranges"])
    return changes


def _replace_ranges(session: Session, hoster: Hoster, cidrs: list[str]) -> None:
    keep = set(cidrs)
    for existing in list(hoster.ip_ranges):
        if existing.cidr not in keep:
            hoster.ip_ranges.remove(existing)
    session.flush()  # free removed ranges before re-adding, so the unique index holds
    present = {r.cidr for r in hoster.ip_ranges}
    for cidr in cidrs:
        if cidr not in present:
            net = parse_cidr(cidr)
            hoster.ip_ranges.append(
                HosterIpRange(cidr=cidr, ip_version=net.version, prefix_length=net.prefixlen)
            )


def save_hoster(
    session: Session,
    raw: Mapping[str, Any],
    *,
    actor: User | None,
    source: str = "web",
    hoster: Hoster | None = None,
    expected_version: int | None = None,
) -> SaveResult:
    """Create a hoster, or update the given one, and record who changed what.

    Raises FieldErrors for invalid input and Conflict when the KvK number is taken or the hoster
    changed since ``expected_version``. Flushes; the caller commits.
    """
    fields = validate_hoster_fields(raw)
    if hoster is not None and expected_version is not None and hoster.version != expected_version:
        raise Conflict(
            "Someone else changed this hoster since you opened the form. "
            "Reload it and make your change again."
        )
    taken = session.scalar(sa.select(Hoster).where(Hoster.kvk == fields["kvk"]))
    if taken is not None and taken is not hoster:
        raise FieldErrors(
            {"kvk": [f"KvK {fields['kvk']} is already registered to {taken.trade_name}."]}
        )
    notices = check_range_overlaps(session, fields["ip_ranges"], hoster)
    created = hoster is None
    if created:
        hoster = Hoster()
        session.add(hoster)
    changes = _apply(session, hoster, fields)
    if changes:
        if not created:
            hoster.updated_at = utcnow()  # also bumps the version when only ranges changed
        session.flush()
        session.add(
            HosterChange(
                hoster=hoster,
                actor_id=actor.id if actor else None,
                source=source,
                action="created" if created else "updated",
                changes=changes,
            )
        )
        session.flush()
    return SaveResult(hoster=hoster, created=created, changes=changes, notices=notices)


def get_hoster(session: Session, hoster_id: int) -> Hoster:
    """Return a hoster by id or raise NotFound."""
    hoster = session.get(Hoster, hoster_id)
    if hoster is None:
        raise NotFound("No such hoster.")
    return hoster


def search_hosters_query(text: str | None) -> sa.Select:
    """Return a query for hosters whose names, KvK number or ranges match the text."""
    query = sa.select(Hoster).order_by(Hoster.trade_name, Hoster.id)
    text = (text or "").strip()
    if text:
        pattern = f"%{text.lower()}%"
        in_ranges = sa.select(HosterIpRange.hoster_id).where(HosterIpRange.cidr.like(f"{text}%"))
        query = query.where(
            sa.or_(
                sa.func.lower(Hoster.trade_name).like(pattern),
                sa.func.lower(Hoster.legal_name).like(pattern),
                Hoster.kvk.like(f"{text}%"),
                Hoster.id.in_(in_ranges),
            )
        )
    return query
