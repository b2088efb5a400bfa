"""Every (stage, trigger) pair: what the machine allows, and why it refuses the others."""

import pytest

from enforcement.cases.ladder import Stage, Trigger, destinations, ladder_edges, triggers_from
from enforcement.cases.models import Case
from enforcement.casework.steps import judge
from tests.cases.conftest import T0

S, T = Stage, Trigger
# The ladder as the issue states it, written out independently of the code.
ALLOWED = {
    (S.NOTICE, T.SEND_WARNING): [S.WARNING],
    (S.WARNING, T.INTEND_NAMING): [S.NAMING_INTENT],
    (S.NAMING_INTENT, T.NAME_PUBLICLY): [S.NAMED],
    (S.WARNING, T.INTEND_PENALTY): [S.PENALTY_INTENT],
    (S.NAMED, T.INTEND_PENALTY): [S.PENALTY_INTENT],
    (S.PENALTY_INTENT, T.IMPOSE_PENALTY): [S.PENALTY_ORDER],
    (S.WARNING, T.DRAW_FINE_REPORT): [S.FINE_REPORT],
    (S.NAMED, T.DRAW_FINE_REPORT): [S.FINE_REPORT],
    (S.PENALTY_ORDER, T.DRAW_FINE_REPORT): [S.FINE_REPORT],
    (S.FINE_REPORT, T.INTEND_FINE): [S.FINE_INTENT],
    (S.FINE_INTENT, T.IMPOSE_FINE): [S.FINED],
    **{(stage, T.CLOSE): [S.CLOSED] for stage in Stage if stage != S.CLOSED},
    (S.CLOSED, T.REOPEN): [S.NOTICE],
    (S.NAMED, T.REVOKE): [S.WARNING],
    (S.PENALTY_ORDER, T.REVOKE): [S.WARNING, S.NAMED],
    (S.FINED, T.REVOKE): [S.WARNING, S.NAMED, S.PENALTY_ORDER],
}
PAIRS = [(stage, trigger) for stage in Stage for trigger in Trigger]


@pytest.mark.parametrize(("stage", "trigger"), PAIRS, ids=lambda v: v.value)
def test_machine_allows_exactly_the_ladder(stage, trigger):
    assert sorted(destinations(stage, trigger)) == sorted(ALLOWED.get((stage, trigger), []))


REFUSED = [pair for pair in PAIRS if pair not in ALLOWED]


@pytest.mark.parametrize(("stage", "trigger"), REFUSED, ids=lambda v: v.value)
def test_a_refused_pair_says_why_in_words(stage, trigger):
    # The machine answers before any guard looks at data, so a case that is not stored will do.
    problems = judge(None, Case(stage=stage), trigger, {}, T0).problems
    stage_words = stage.value.replace("_", " ")
    assert problems == [f"A case at the {stage_words} stage cannot take this step."]


def test_the_drawn_ladder_comes_from_the_machine():
    edges = {(source, trigger) for source, trigger, _ in ladder_edges()}
    assert edges == set(ALLOWED)
    assert triggers_from(S.CLOSED) == [T.REOPEN]
