"""The letter pages' forms: the register's filters, and drafting a case's letter.

Regenerating and issuing post nothing but the CSRF token (checked for every POST by
Flask-WTF's CSRFProtect), so they need no form of their own.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange
from wtforms.widgets import HiddenInput

from enforcement.cases.ladder import Stage
from enforcement.core.web import MAX_ROW_ID
from enforcement.letters.models import LetterStatus

DATE_FIELDS = {"created": "created", "issued": "issued"}
FILTER_NAMES = ("kind", "hoster", "stage", "status", "dates", "from", "to")


@dataclass(frozen=True)
class RegisterFilters:
    """The register's filters as asked; ``errors`` says what could not be used."""

    raw: dict[str, str]
    kind: str = ""
    hoster: str = ""
    stage: str = ""
    status: str = ""
    date_field: str = "created"
    first_day: date | None = None
    last_day: date | None = None
    errors: list[str] = field(default_factory=list)

    def query(self) -> dict[str, Any]:
        """Return the filters as letters_query takes them."""
        return {"kind": self.kind, "hoster": self.hoster, "stage": self.stage,
                "status": self.status, "date_field": self.date_field,
                "first_day": self.first_day, "last_day": self.last_day}  # fmt: skip

    def link_args(self) -> dict[str, str]:
        """Return the filters that are set, for links that keep them (the pager)."""
        return {name: value for name, value in self.raw.items() if value}


def _day(text: str, errors: list[str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append("Give dates as YYYY-MM-DD, for example 2026-03-02.")
        return None


def read_register_filters(args: Mapping[str, str], kinds: Iterable[str]) -> RegisterFilters:
    """Read ?kind=&hoster=&stage=&status=&dates=created|issued&from=&to= (Amsterdam days)."""
    raw = {name: args.get(name, "").strip()[:200] for name in FILTER_NAMES}
    errors: list[str] = []
    if raw["kind"] and raw["kind"] not in set(kinds):
        errors.append("Choose a letter kind from the list.")
    if raw["stage"] and raw["stage"] not in {stage.value for stage in Stage}:
        errors.append("Choose a stage from the list.")
    if raw["status"] and raw["status"] not in {status.value for status in LetterStatus}:
        errors.append("The status is draft or issued.")
    if raw["dates"] and raw["dates"] not in DATE_FIELDS:
        errors.append("Dates filter on the day a letter was created or the day it was issued.")
    first, last = _day(raw["from"], errors), _day(raw["to"], errors)
    if first and last and last < first:
        errors.append("The date range ends before it starts.")
    if errors:
        return RegisterFilters(raw, errors=list(dict.fromkeys(errors)))
    return RegisterFilters(
        raw, raw["kind"], raw["hoster"], raw["stage"], raw["status"],
        raw["dates"] or "created", first, last,
    )  # fmt: skip


class DraftLetterForm(FlaskForm):
    """Draft a case's letter of a kind from the data (the case page's button)."""

    case_id = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), NumberRange(1, MAX_ROW_ID)]
    )
    kind = StringField(widget=HiddenInput(), validators=[InputRequired(), Length(max=40)])
