"""Forms of the case pages. They check types and sizes; the services check the domain rules."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from enforcement.cases.guards import CLOSE_REASONS
from enforcement.cases.ladder import STEPS, Trigger
from enforcement.cases.objections import OUTCOMES
from enforcement.cases.services import DEFAULT_PARAMS
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
# The parameters each step asks for (the names the guards in guards.py read).
STEP_FIELDS: dict[Trigger, tuple[str, ...]] = {
    Trigger.SEND_WARNING: ("improvement_weeks",),
    Trigger.INTEND_NAMING: ("reaction_weeks",),
    Trigger.NAME_PUBLICLY: ("view_answer",),
    Trigger.INTEND_PENALTY: ("view_weeks",),
    Trigger.IMPOSE_PENALTY: (
        "view_answer", "remedy", "grace_period_days", "amount_per_violation", "maximum",
    ),
    Trigger.DRAW_FINE_REPORT: (),
    Trigger.INTEND_FINE: ("view_weeks", "amount"),
    Trigger.IMPOSE_FINE: ("view_answer", "amount", "amount_reasons", "turnover_finding"),
    Trigger.CLOSE: ("close_reason", "penalty_order", "penalty_order_reason"),
    Trigger.REOPEN: (),
}  # fmt: skip
CLOSE_REASON_LABELS = {
    "complied": "Complied: figures within the policy for a full window",
    "withdrawn": "Withdrawn",
    "revoked_on_objection": "Revoked on objection",
}


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


class StepForm(VersionedForm):
    """One step of the ladder with the parameters it needs; only that step's fields are sent."""

    trigger = StringField(widget=HiddenInput(), validators=[InputRequired()])
    reason = text_field("Reason")
    improvement_weeks = weeks_field("Improvement window (weeks)")
    reaction_weeks = weeks_field("Reaction period (weeks, at least 2)")
    view_weeks = weeks_field("Term for the hoster's view (weeks)")
    view_answer = TextAreaField(
        "Answer to the hoster's view (when it gave one; stated in the decision, Awb 3:46)",
        validators=[Optional(), Length(max=MAX_TEXT)],
    )
    remedy = text_field("Remedy: what the hoster must do")
    grace_period_days = IntegerField(
        "Grace period (days)", validators=[Optional(), NumberRange(max=MAX_DAYS)]
    )
    amount_per_violation = amount_field("Amount per violation (EUR)")
    maximum = amount_field("Maximum (EUR)")
    amount = amount_field("Amount of the fine (EUR)")
    amount_reasons = text_field(
        "Why this amount: seriousness, duration, degree of blame, circumstances (Awb 5:46)"
    )
    turnover_finding = text_field(
        "Above the 6th category: why that category does not allow an appropriate fine (art. 8(2))"
    )
    close_reason = SelectField(
        "Why the case closes",
        default="",
        choices=[
            SelectChoice("", "Choose…"),
            *(SelectChoice(r, CLOSE_REASON_LABELS[r]) for r in CLOSE_REASONS),
        ],
    )
    penalty_order = SelectField(
        "A penalty-payment order in force",
        choices=[
            SelectChoice("", "None in force, or choose…"),
            SelectChoice("lift", "Lift it by decision (Awb 5:34)"),
            SelectChoice("keep", "It stays in force"),
        ],
        default="",
    )
    penalty_order_reason = text_field("Why the penalty order is lifted, or why it stays")

    @classmethod
    def prefilled(cls) -> "StepForm":
        """Return an empty form showing the default parameters of every step."""
        defaults = {name: value for params in DEFAULT_PARAMS.values()
                    for name, value in params.items()}  # fmt: skip
        return cls(formdata=None, data=defaults)

    def chosen_trigger(self, allowed: tuple[Trigger, ...]) -> Trigger | None:
        """Return the step asked for, when it is one of the allowed ones."""
        value = self.trigger.data
        return Trigger(value) if value in {t.value for t in allowed} else None

    def params(self, trigger: Trigger) -> dict[str, Any]:
        """Return the step's parameters as plain values; empty fields take the step's default."""
        params = {}
        for name in STEP_FIELDS[trigger]:
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
