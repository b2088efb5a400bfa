"""The step registry is the one description of each step that forms, effects and letters read."""

from enforcement.cases.ladder import Trigger, ladder_edges
from enforcement.cases.params import PARAMS
from enforcement.cases.steps import STEPS
from enforcement.letters.kinds import KINDS


def test_every_trigger_is_a_step_with_known_parameters_and_letter():
    assert set(STEPS) == set(Trigger)
    for step in STEPS.values():
        assert set(step.params) <= set(PARAMS), step.trigger
        assert step.letter is None or step.letter in KINDS, step.trigger


def test_every_decision_is_a_letter_kind_that_says_it_is_one():
    decisions = {step.letter for step in STEPS.values() if step.decision}
    assert decisions == {"naming_decision", "penalty_order", "fine_decision"}
    assert all(KINDS[kind].decision for kind in decisions)
    assert not KINDS["warning"].decision and KINDS["objection_decision"].decision


def test_every_step_with_a_trigger_in_the_machine_leads_somewhere():
    triggers = {trigger for _, trigger, _ in ladder_edges()}
    assert triggers == set(Trigger)


def test_the_step_form_has_one_field_per_parameter(app):
    from enforcement.cases.forms import StepForm

    with app.test_request_context():
        form = StepForm.prefilled()
        for name, param in PARAMS.items():
            assert form[name].label.text == param.label
        assert form["improvement_weeks"].data == 8
        assert form["reaction_weeks"].data == 2
        assert [value for value, _ in PARAMS["close_reason"].choices] == [
            choice.value for choice in form["close_reason"].choices if choice.value
        ]
