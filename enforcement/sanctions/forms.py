"""Forms of the sanctions pages; every one carries a CSRF token (Flask-WTF)."""

from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional


class ActionForm(FlaskForm):
    """A form that only posts its CSRF token and the rows ticked (read from the request)."""


class CollectionForm(FlaskForm):
    reasons = TextAreaField("Further reasons (optional)", validators=[Optional(),
                                                                     Length(max=4000)])  # fmt: skip


class RefuseForm(FlaskForm):
    note = TextAreaField("Why it is refused", validators=[InputRequired(), Length(max=2000)])


class PaymentForm(FlaskForm):
    paid_on = DateField("Paid on", validators=[InputRequired()])
    # Text, not a float: the service reads it as Decimal and says what is wrong with it.
    amount = StringField("Amount (EUR, e.g. 1250.00)", validators=[InputRequired(),
                                                                   Length(max=20)])  # fmt: skip
    payer_reference = StringField("Payer's reference", validators=[InputRequired(),
                                                                   Length(max=140)])  # fmt: skip
