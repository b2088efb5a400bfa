"""Staff forms on the case page: interim relief, appeals, the hoster's response to its naming."""

from datetime import UTC, datetime

from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from enforcement.core.forms import ZONES
from enforcement.core.time import local_to_utc
from enforcement.public.models import AppealOutcome, ReliefOutcome

MOMENT_FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]


class MomentForm(FlaskForm):
    """A form with one moment, to the second, in Amsterdam time or UTC."""

    at = DateTimeLocalField("At", format=MOMENT_FORMATS, validators=[InputRequired()],
                            render_kw={"step": 1})  # fmt: skip
    zone = SelectField("Time zone of that moment", choices=ZONES, default="local")

    def validate_at(self, field) -> None:
        try:
            self.moment()
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def moment(self) -> datetime:
        if self.zone.data == "utc":
            return self.at.data.replace(tzinfo=UTC)
        return local_to_utc(self.at.data)


class ReliefForm(MomentForm):
    """A request for interim relief: when the court received it."""


class ReliefDecisionForm(MomentForm):
    outcome = SelectField(
        "Outcome",
        choices=[
            SelectChoice(o.value, o.value) for o in ReliefOutcome if o != ReliefOutcome.PENDING
        ],
        validators=[InputRequired()],
    )


class AppealForm(FlaskForm):
    lodged_on = DateField("Appeal lodged on", validators=[InputRequired()])


class AppealDecisionForm(MomentForm):
    outcome = SelectField(
        "Outcome",
        choices=[
            SelectChoice(o.value, o.value) for o in AppealOutcome if o != AppealOutcome.PENDING
        ],
        validators=[InputRequired()],
    )


class NamingResponseForm(FlaskForm):
    received_on = DateField("Received on", validators=[InputRequired()])
    text = TextAreaField(
        "Response to show (no URL, IP address, hash or person's name)",
        validators=[InputRequired(), Length(max=4000)],
    )
