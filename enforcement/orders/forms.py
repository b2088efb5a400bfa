"""Forms of the removal-order pages. They check types and sizes; the services check the rules."""

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from enforcement.core.forms import ReceivedAtMixin
from enforcement.orders.models import DEFAULT_TERM_HOURS, MAX_TERM_HOURS, MIN_TERM_HOURS
from enforcement.orders.services import MAX_EVIDENCE, MAX_REASONS

MAX_AGE_HOURS = 24 * 366


class DraftOrderForm(FlaskForm):
    notice_ids = SelectMultipleField("Notices", coerce=int, validate_choice=False)
    term_hours = IntegerField(
        "Term in hours from receipt",
        default=DEFAULT_TERM_HOURS,
        validators=[InputRequired(), NumberRange(MIN_TERM_HOURS, MAX_TERM_HOURS)],
    )
    reasons = TextAreaField(
        "Further facts and circumstances (optional; stated in the order)",
        validators=[Optional(), Length(max=MAX_REASONS)],
    )


class SelectionForm(FlaskForm):
    """The drafting page's GET filter: notices still online for at least this many hours."""

    class Meta:
        csrf = False

    min_age_hours = IntegerField(
        "Online for at least (hours since the notice)",
        default=24,
        validators=[Optional(), NumberRange(0, MAX_AGE_HOURS)],
    )


class ReceiptForm(ReceivedAtMixin, FlaskForm):
    evidence = TextAreaField(
        "Evidence of receipt (e.g. the mail server's delivery line)",
        validators=[InputRequired(), Length(max=MAX_EVIDENCE)],
    )
    version = IntegerField(validators=[InputRequired()])


class WithdrawViolationForm(FlaskForm):
    reason = TextAreaField(
        "Why this violation is withdrawn", validators=[InputRequired(), Length(max=MAX_EVIDENCE)]
    )
