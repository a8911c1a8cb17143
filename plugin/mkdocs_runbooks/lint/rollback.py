"""RB4xx: rollback triggers and procedure."""

from __future__ import annotations

from collections.abc import Iterator

from ..measure import trigger_measurable
from ..model import Plan, Trigger
from ..yamlnodes import Loc
from .common import phases_named, seconds, step_label
from .registry import rule


def is_measurable(trigger: Trigger) -> bool:
    """A metric with a threshold, or a number with a unit (or a comparison) in the text."""
    return trigger_measurable(trigger.condition, trigger.metric, trigger.threshold)


@rule("RB401", "warning", "no rollback trigger is measurable")
def no_measurable_trigger(plan: Plan) -> Iterator[tuple[Loc, str]]:
    if not any(is_measurable(t) for t in plan.rollback.triggers):
        yield (
            ("rollback", "triggers"),
            "no rollback trigger is measurable: with only judgement calls, the decision to "
            "roll back comes late or turns into a debate; give at least one trigger a `metric` "
            "and a `threshold`, or a condition with a number and unit (for example 'error rate "
            "above 2% for 5 minutes')",
        )


@rule("RB402", "warning", "a trigger window outlasts the monitoring phase")
def window_longer_than_monitoring(plan: Plan) -> Iterator[tuple[Loc, str]]:
    durations = [
        (phase.duration, seconds(phase.duration)) for _i, phase in phases_named(plan, "monitoring")
    ]
    known = [(text, value) for text, value in durations if text is not None and value is not None]
    if not known:
        return
    text, longest = max(known, key=lambda pair: pair[1])
    for k, trigger in enumerate(plan.rollback.triggers):
        window = seconds(trigger.window)
        if window is not None and window > longest:
            yield (
                ("rollback", "triggers", k, "window"),
                f"trigger window {trigger.window} is longer than the monitoring phase "
                f"({text}): the team stops watching before the trigger can fire; shorten the "
                "window or lengthen the monitoring phase's `duration`",
            )


@rule("RB403", "warning", "a rollback step has no verify command")
def rollback_step_without_verify(plan: Plan) -> Iterator[tuple[Loc, str]]:
    for j, step in enumerate(plan.rollback.steps):
        if step.verify is None:
            yield (
                ("rollback", "steps", j),
                f"rollback {step_label(step)} has no `verify`: during an incident nobody can "
                "afford to assume the rollback worked; add `verify:` with a command that "
                "proves the old version is back",
            )
