"""The enforcement ladder as data: its stages and the transitions between them.

One ``transitions`` machine, shared by all cases (no machine per row): it answers which
triggers exist from a stage and where they lead. Guards, the audit trail and side effects are
ours (the step registry in enforcement.cases.steps, carried out by enforcement.casework): the
library neither knows users nor rolls back.
"""

from enum import StrEnum

from transitions import Machine


class Stage(StrEnum):
    NOTICE = "notice"
    WARNING = "warning"
    NAMING_INTENT = "naming_intent"
    NAMED = "named"
    PENALTY_INTENT = "penalty_intent"
    PENALTY_ORDER = "penalty_order"
    FINE_REPORT = "fine_report"
    FINE_INTENT = "fine_intent"
    FINED = "fined"
    CLOSED = "closed"


OPEN_STAGES = tuple(stage for stage in Stage if stage != Stage.CLOSED)


class Trigger(StrEnum):
    SEND_WARNING = "send_warning"
    INTEND_NAMING = "intend_naming"
    NAME_PUBLICLY = "name_publicly"
    INTEND_PENALTY = "intend_penalty"
    IMPOSE_PENALTY = "impose_penalty"
    DRAW_FINE_REPORT = "draw_fine_report"
    INTEND_FINE = "intend_fine"
    IMPOSE_FINE = "impose_fine"
    CLOSE = "close"
    REOPEN = "reopen"
    REVOKE = "revoke"


TRANSITIONS = [
    {"trigger": Trigger.SEND_WARNING, "source": Stage.NOTICE, "dest": Stage.WARNING},
    {"trigger": Trigger.INTEND_NAMING, "source": Stage.WARNING, "dest": Stage.NAMING_INTENT},
    {"trigger": Trigger.NAME_PUBLICLY, "source": Stage.NAMING_INTENT, "dest": Stage.NAMED},
    {"trigger": Trigger.INTEND_PENALTY, "source": [Stage.WARNING, Stage.NAMED],
     "dest": Stage.PENALTY_INTENT},
    {"trigger": Trigger.IMPOSE_PENALTY, "source": Stage.PENALTY_INTENT,
     "dest": Stage.PENALTY_ORDER},
    {"trigger": Trigger.DRAW_FINE_REPORT, "source": [Stage.WARNING, Stage.NAMED,
     Stage.PENALTY_ORDER], "dest": Stage.FINE_REPORT},
    {"trigger": Trigger.INTEND_FINE, "source": Stage.FINE_REPORT, "dest": Stage.FINE_INTENT},
    {"trigger": Trigger.IMPOSE_FINE, "source": Stage.FINE_INTENT, "dest": Stage.FINED},
    {"trigger": Trigger.CLOSE, "source": list(OPEN_STAGES), "dest": Stage.CLOSED},
    {"trigger": Trigger.REOPEN, "source": Stage.CLOSED, "dest": Stage.NOTICE},
    # An upheld objection revokes the decision; the case goes back to where it stood before
    # the step that led to the decision (the service picks the destination from the history).
    {"trigger": Trigger.REVOKE, "source": Stage.NAMED, "dest": Stage.WARNING},
    {"trigger": Trigger.REVOKE, "source": Stage.PENALTY_ORDER, "dest": Stage.WARNING},
    {"trigger": Trigger.REVOKE, "source": Stage.PENALTY_ORDER, "dest": Stage.NAMED},
    {"trigger": Trigger.REVOKE, "source": Stage.FINED, "dest": Stage.WARNING},
    {"trigger": Trigger.REVOKE, "source": Stage.FINED, "dest": Stage.NAMED},
    {"trigger": Trigger.REVOKE, "source": Stage.FINED, "dest": Stage.PENALTY_ORDER},
]  # fmt: skip

MACHINE = Machine(
    model=None,
    states=[stage.value for stage in Stage],
    transitions=[
        {**t, "trigger": str(t["trigger"]),
         "source": [str(s) for s in t["source"]] if isinstance(t["source"], list)
         else str(t["source"]), "dest": str(t["dest"])}
        for t in TRANSITIONS
    ],
    initial=Stage.NOTICE.value,
    auto_transitions=False,
)  # fmt: skip


def triggers_from(stage: Stage) -> list[Trigger]:
    """Return the triggers the machine allows from a stage, in ladder order."""
    available = set(MACHINE.get_triggers(stage.value))
    return [trigger for trigger in Trigger if trigger.value in available]


def destinations(stage: Stage, trigger: Trigger) -> list[Stage]:
    """Return where a trigger can lead from a stage (empty when the machine forbids it)."""
    return [Stage(t.dest) for t in MACHINE.get_transitions(trigger.value, source=stage.value)]


def ladder_edges() -> list[tuple[Stage, Trigger, Stage]]:
    """Return every (source, trigger, destination) of the machine, to draw the ladder."""
    edges = []
    for event in MACHINE.events.values():
        for source, transitions in event.transitions.items():
            for transition in transitions:
                edges.append((Stage(source), Trigger(event.name), Stage(transition.dest)))
    return edges


def stage_after(trigger: Trigger) -> Stage:
    """Return the one stage a trigger leads to; ValueError for a trigger with several."""
    stages = {dest for _, edge_trigger, dest in ladder_edges() if edge_trigger == trigger}
    if len(stages) != 1:
        raise ValueError(f"{trigger} leads to {len(stages)} stages")
    return stages.pop()
