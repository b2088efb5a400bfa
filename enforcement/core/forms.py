"""Form pieces shared by several pages: a moment entered in Amsterdam time or in UTC."""

from datetime import UTC, datetime

from wtforms import DateTimeLocalField, SelectChoice, SelectField
from wtforms.validators import InputRequired, ValidationError

from enforcement.core.time import local_to_utc

ZONES = [SelectChoice("local", "Amsterdam time"), SelectChoice("utc", "UTC")]


class ReceivedAtMixin:
    """A form part: when something was received, to the second, in Amsterdam time or UTC.

    A wall-clock time that does not exist or occurs twice at a change of summer time is refused
    with the advice to give it in UTC.
    """

    received_at = DateTimeLocalField(
        "Received at",
        format=["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"],
        validators=[InputRequired()],
        render_kw={"step": 1},
    )
    zone = SelectField("Time zone of that moment", choices=ZONES, default="local")

    def validate_received_at(self, field) -> None:
        try:
            self.moment()
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def moment(self) -> datetime:
        """Return the entered moment as aware UTC (ValueError if it cannot be placed)."""
        value = self.received_at.data
        if self.zone.data == "utc":
            return value.replace(tzinfo=UTC)
        return local_to_utc(value)
