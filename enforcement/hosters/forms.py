"""Hoster create/edit form; the domain checks live in services.validate_hoster_fields."""

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional


class HosterForm(FlaskForm):
    kvk = StringField("KvK number", validators=[DataRequired(), Length(max=8)])
    trade_name = StringField("Trade name", validators=[DataRequired(), Length(max=200)])
    legal_name = StringField("Legal name", validators=[DataRequired(), Length(max=200)])
    country = StringField("Country (ISO code, e.g. NL)", validators=[DataRequired(), Length(max=2)])
    postal_address = TextAreaField("Postal address", validators=[Optional(), Length(max=1000)])
    formal_email = EmailField(
        "Electronic address for formal messages", validators=[DataRequired(), Length(max=254)]
    )
    abuse_contact = EmailField("Abuse contact", validators=[DataRequired(), Length(max=254)])
    language = SelectField(
        "Letter language",
        choices=[SelectChoice("nl", "Dutch (nl)"), SelectChoice("en", "English (en)")],
    )
    ip_ranges = TextAreaField("IP ranges (CIDR, one per line or separated by spaces)")
    version = HiddenField()

    def set_domain_errors(self, errors: dict[str, list[str]]) -> None:
        """Attach the service's per-field messages to the form's fields."""
        for name, messages in errors.items():
            target = getattr(self, name, None)
            if target is not None:
                target.errors = list(target.errors) + list(messages)
            else:
                self.form_errors.extend(messages)

    def field_values(self) -> dict[str, str]:
        """Return the submitted values keyed by registry field."""
        return {
            name: f.data
            for name, f in self._fields.items()
            if name not in ("csrf_token", "version")
        }
