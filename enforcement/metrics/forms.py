"""The window of days that figures cover, and a new version of the breach policy."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from flask_wtf import FlaskForm
from wtforms import DateField, FloatField, IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from enforcement.metrics.policy import Thresholds
from enforcement.metrics.services import default_window

MAX_WINDOW_DAYS = 366
MAX_MIN_NOTICES = 1_000_000_000


@dataclass(frozen=True)
class Window:
    """Calendar days in Europe/Amsterdam, from and to inclusive, as asked in the query string.

    ``error`` explains a window that cannot be used; ``raw`` keeps what was typed, to show again.
    """

    first_day: date | None
    last_day: date | None
    raw: dict[str, str]
    error: str | None = None

    @property
    def days(self) -> tuple[date, date]:
        return self.first_day, self.last_day

    @property
    def query_args(self) -> dict[str, str]:
        """Return the window as query-string values, for links that keep it."""
        return {"from": self.first_day.isoformat(), "to": self.last_day.isoformat()}


def read_window(args: Mapping[str, str], as_of: datetime) -> Window:
    """Read ?from=YYYY-MM-DD&to=YYYY-MM-DD; a missing date takes the last-six-weeks default."""
    defaults = default_window(as_of)
    raw = {name: args.get(name, "").strip()[:40] for name in ("from", "to")}
    try:
        first = date.fromisoformat(raw["from"]) if raw["from"] else defaults[0]
        last = date.fromisoformat(raw["to"]) if raw["to"] else defaults[1]
    except ValueError:
        return Window(None, None, raw, "Give dates as YYYY-MM-DD, for example 2026-03-02.")
    if last < first:
        return Window(None, None, raw, "The window ends before it starts.")
    if (last - first).days + 1 > MAX_WINDOW_DAYS:
        return Window(None, None, raw, f"A window is at most {MAX_WINDOW_DAYS} days.")
    return Window(first, last, {"from": first.isoformat(), "to": last.isoformat()})


class PolicyForm(FlaskForm):
    """A new version of the breach policy; set_policy checks the values' ranges."""

    effective_from = DateField("In force from", validators=[InputRequired()])
    min_notices = IntegerField(
        "Minimum notices in the window",
        validators=[InputRequired(), NumberRange(max=MAX_MIN_NOTICES)],  # fits the column
    )
    min_offline_within_24h_pct = FloatField(
        "Minimum share offline within 24 h (%)", validators=[InputRequired()]
    )
    max_online_over_72h_pct = FloatField(
        "Maximum share online over 72 h (%)", validators=[InputRequired()]
    )
    reason = TextAreaField("Reason for the change", validators=[InputRequired(), Length(max=2000)])

    @classmethod
    def prefilled(cls, thresholds: Thresholds, effective_from: date) -> "PolicyForm":
        """Return an empty form showing the thresholds in force as a starting point."""
        return cls(
            formdata=None,
            data={
                "effective_from": effective_from,
                "min_notices": thresholds.min_notices,
                "min_offline_within_24h_pct": thresholds.min_offline_within_24h_pct,
                "max_online_over_72h_pct": thresholds.max_online_over_72h_pct,
            },
        )

    def thresholds(self) -> Thresholds:
        return Thresholds(
            min_notices=self.min_notices.data,
            min_offline_within_24h_pct=self.min_offline_within_24h_pct.data,
            max_online_over_72h_pct=self.max_online_over_72h_pct.data,
        )

    def set_domain_errors(self, errors: dict[str, list[str]]) -> None:
        """Attach the service's per-field messages to the form's fields."""
        for name, messages in errors.items():
            target = getattr(self, name, None)
            if target is not None:
                target.errors = [*target.errors, *messages]
            else:
                self.form_errors.extend(messages)
