"""Forms of the case pages. They check types and sizes; the services check the domain rules."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Field,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from enforcement.cases.ladder import Trigger
from enforcement.cases.objections import OUTCOMES
from enforcement.cases.params import PARAMS, Param, ParamType
from enforcement.cases.steps import STEPS
from enforcement.core.forms import ReceivedAtMixin
from enforcement.core.web import MAX_ROW_ID

MAX_TEXT = 4000
MAX_WEEKS = 104
MAX_DAYS = 3650
MAX_AMOUNT = Decimal("1000000000000")
# Steps taken on the case page without approval. Revoking is not one: only an upheld objection
# revokes a decision (enforcement.cases.objections).
DIRECT_TRIGGERS = tuple(t for t in Trigger if not STEPS[t].four_eyes and t != Trigger.REVOKE)
PROPOSED_TRIGGERS = tuple(t for t in Trigger if STEPS[t].four_eyes)


def weeks_field(label: str) -> IntegerField:
    return IntegerField(label, validators=[Optional(), NumberRange(max=MAX_WEEKS)])


def amount_field(label: str) -> DecimalField:
    return DecimalField(label, places=2, validators=[Optional(), NumberRange(max=MAX_AMOUNT)])


def text_field(label: str) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=MAX_TEXT)])


class VersionedForm(FlaskForm):
    """A form about one case: it carries the version of the case the user saw."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class OpenCaseForm(FlaskForm):
    """Open a case for a hoster; the window (``from``, ``to``) is read like the figures pages."""

    hoster_id = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), NumberRange(1, MAX_ROW_ID)]
    )
    reason = text_field("Reason (required when the hoster does not breach the policy)")
    next = StringField(widget=HiddenInput(), validators=[Optional(), Length(max=2000)])
    as_of = StringField(widget=HiddenInput(), validators=[Optional(), Length(max=40)])

    def measured_at(self, now: datetime) -> datetime:
        """Return the moment the page measured the figures it showed (now when unknown)."""
        try:
            moment = datetime.fromisoformat(self.as_of.data or "")
        except ValueError:
            return now
        return moment if moment.tzinfo is not None and moment <= now else now


def param_field(param: Param) -> Field:
    """Return the form field of a step parameter, as its type shows it."""
    if param.type == ParamType.WEEKS:
        return weeks_field(param.label)
    if param.type == ParamType.DAYS:
        return IntegerField(param.label, validators=[Optional(), NumberRange(max=MAX_DAYS)])
    if param.type == ParamType.AMOUNT:
        return amount_field(param.label)
    if param.type == ParamType.CHOICE:
        choices = [SelectChoice("", "Choose…"), *(SelectChoice(*c) for c in param.choices)]
        return SelectField(param.label, default="", choices=choices)
    return text_field(param.label)


class StepFormBase(VersionedForm):
    """One step of the ladder with the parameters it needs; only that step's fields are sent."""

    trigger = StringField(widget=HiddenInput(), validators=[InputRequired()])
    reason = text_field("Reason")

    @classmethod
    def prefilled(cls) -> "StepFormBase":
        """Return an empty form showing the default parameters of every step."""
        defaults = {name: p.default for name, p in PARAMS.items() if p.default is not None}
        return cls(formdata=None, data=defaults)

    def chosen_trigger(self, allowed: tuple[Trigger, ...]) -> Trigger | None:
        """Return the step asked for, when it is one of the allowed ones."""
        value = self.trigger.data
        return Trigger(value) if value in {t.value for t in allowed} else None

    def params(self, trigger: Trigger) -> dict[str, Any]:
        """Return the step's parameters as plain values; empty fields take the step's default."""
        params = {}
        for name in STEPS[trigger].params:
            value = self[name].data
            if isinstance(value, str):
                value = value.strip() or None
            elif isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, date):
                value = value.isoformat()
            if value is not None:
                params[name] = value
        return params


# One field per parameter of the registry (enforcement.cases.params).
StepForm = type(
    "StepForm", (StepFormBase,), {name: param_field(param) for name, param in PARAMS.items()}
)


class ProposalDecisionForm(VersionedForm):
    note = text_field("Note (required when refusing)")


class ObjectionForm(VersionedForm):
    received_on = DateField("Received on", validators=[InputRequired()])
    objector = StringField("Who objects", validators=[InputRequired(), Length(max=300)])
    grounds = TextAreaField(
        "Grounds of the objection", validators=[InputRequired(), Length(max=MAX_TEXT)]
    )
    advisory_committee = BooleanField("Heard by an advisory committee (Awb 7:13)")


class WithdrawStepForm(VersionedForm):
    reason = text_field("Why the step is withdrawn")


class DeferForm(VersionedForm):
    reason = text_field("Reason for the deferral")


class DecideObjectionForm(VersionedForm):
    outcome = SelectField("Outcome", choices=[SelectChoice(o, o.capitalize()) for o in OUTCOMES])
    reason = text_field("Reasons, answering the grounds (Awb 7:12)")
    no_hearing_ground = text_field("Without a hearing: why none is needed (Awb 7:3)")


DEADLINE_ACTIONS = ("extend", "suspend", "resume")


class DeadlineChangeForm(VersionedForm):
    action = SelectField(choices=[SelectChoice(a) for a in DEADLINE_ACTIONS], default="")
    new_due_on = DateField("New last day", validators=[Optional()])
    reason = text_field("Reason")

    def validate_new_due_on(self, field: DateField) -> None:
        if self.action.data == "extend" and field.data is None:
            raise ValidationError("Give the new last day.")


class ViewForm(ReceivedAtMixin, VersionedForm):
    """The hoster's view on an intent (zienswijze), as legal staff record it."""

    oral = BooleanField("Given orally at a hearing (record its report below)")
    text = TextAreaField(
        "The view, or the report of the hearing", validators=[InputRequired(), Length(max=20_000)]
    )


class HearingForm(VersionedForm):
    """The hearing of the objector (Awb 7:2)."""

    held_on = DateField("Held on", validators=[InputRequired()])
    report = text_field("Report of the hearing")


class FineBasisForm(VersionedForm):
    """Systematic or persistent breach and last year's turnover (art. 8(2)), with evidence."""

    systematic = BooleanField("The breach is systematic or persistent")
    systematic_reason = text_field("What shows it (the facts relied on)")
    turnover_eur = DecimalField(
        "Turnover of the previous financial year (EUR)", places=2, validators=[Optional()]
    )
    turnover_source = StringField(
        "Source of the turnover", validators=[Optional(), Length(max=300)]
    )
