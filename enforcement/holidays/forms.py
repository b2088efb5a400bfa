"""Forms to add a decreed holiday and to remove one with a reason."""

from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from enforcement.holidays.services import MAX_DECREE_LENGTH, MAX_NAME_LENGTH, MAX_REASON_LENGTH


class HolidayForm(FlaskForm):
    """A day, its name and the decree; add_decreed_holiday checks the day itself."""

    day = DateField("Day", validators=[InputRequired()])
    name = StringField(
        "Name, e.g. Friday after Ascension Day",
        validators=[InputRequired(), Length(max=MAX_NAME_LENGTH)],
    )
    decree = StringField(
        "Decree (its date and number)",
        validators=[InputRequired(), Length(max=MAX_DECREE_LENGTH)],
    )

    def set_domain_errors(self, errors: dict[str, list[str]]) -> None:
        """Attach the service's per-field messages to the form's fields."""
        for name, messages in errors.items():
            target = getattr(self, name, None)
            if target is not None:
                target.errors = [*target.errors, *messages]
            else:
                self.form_errors.extend(messages)


class RemoveHolidayForm(FlaskForm):
    reason = TextAreaField(
        "Reason for removing", validators=[InputRequired(), Length(max=MAX_REASON_LENGTH)]
    )
