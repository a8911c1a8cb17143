"""The risk policy: which changes raise the risk of a release, and why (one table).

:data:`FIELD_RULES` maps ``(model, field)`` to the rule judging a change of that field;
the ``*_risk`` functions judge added and removed items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..measure import duration_seconds, loosened, trigger_measurable
from ..model import (
    RISK_LEVELS,
    ROLLBACK_COMPLEXITIES,
    USER_IMPACTS,
    Migration,
    Risk,
    Rollback,
    Step,
    Trigger,
)
from .values import show

__all__ = [
    "FIELD_RULES",
    "Edit",
    "added_migration_risk",
    "added_step_risk",
    "removed_rollback_step_risk",
    "removed_trigger_risk",
]


@dataclass(frozen=True)
class Edit:
    """A changed field: the label of its item (``step 'backup'``), the two items holding
    it, and its two values."""

    label: str
    old: Any
    new: Any
    before: Any
    after: Any


def _rank(values: tuple[str, ...], value: str | None) -> int:
    return values.index(value) if value in values else -1


def _raised(values: tuple[str, ...], what: str) -> Callable[[Edit], str]:
    def check(e: Edit) -> str:
        a, b = _rank(values, show(e.before)), _rank(values, show(e.after))
        if a >= 0 and b > a:
            return f"{what} raised from {e.before} to {e.after}"
        return ""

    return check


def _breaking_declared(e: Edit) -> str:
    return "the release now declares breaking changes" if e.after is True else ""


def _verify_removed(e: Edit) -> str:
    if e.before is not None and e.after is None:
        return f"{e.label} lost its verify command: nobody can tell whether it worked"
    return ""


def _command_without_verify(e: Edit) -> str:
    if e.before is None and e.after is not None and e.new.verify is None:
        return f"{e.label} got a command without a verify command"
    return ""


def _owner_gone(e: Edit) -> str:
    if e.before and not str(e.after or "").strip():
        return "the rollback owner was removed: nobody is named to decide on a rollback"
    return ""


def _migration_became(
    word: str, became: Callable[[Migration], bool], why: str
) -> Callable[[Edit], str]:
    def check(e: Edit) -> str:
        if became(e.new) and not became(e.old):
            return f"migration {e.new.id} became {word}: {why}"
        return ""

    return check


_MIGRATION_RISKS: tuple[tuple[str, Callable[[Migration], bool], str], ...] = (
    ("irreversible", lambda m: not m.reversible, "it cannot be rolled back"),
    (
        "a contract migration",
        lambda m: m.phase == "contract",
        "the old version cannot run against the schema after it",
    ),
    ("breaking", lambda m: m.breaking, "the old version breaks with it"),
)


def added_migration_risk(item: Migration) -> str:
    """Why a new migration raises risk ('' when it does not)."""
    return "; ".join(
        f"new migration {item.id} is {word}: {why}"
        for word, test, why in _MIGRATION_RISKS
        if test(item)
    )


def added_step_risk(noun: str, uid: str, step: Step) -> str:
    if step.command is not None and step.verify is None:
        return f"new {noun} '{uid}' runs a command without a verify command"
    return ""


def removed_rollback_step_risk(uid: str) -> str:
    return f"rollback step '{uid}' removed"


def removed_trigger_risk(name: str) -> str:
    return f"rollback trigger '{name}' removed"


# --- triggers --------------------------------------------------------------------------------


def _condition_loosened(e: Edit) -> str:
    a, b = e.old, e.new
    if a.threshold is None and b.threshold is None:
        side = loosened(a.condition, b.condition, None)
        if side:
            return f"{e.label} loosened: a {side} number in its condition fires later"
    return ""


def _measurable(t: Trigger) -> bool:
    return trigger_measurable(t.condition, t.metric, t.threshold)


def _threshold_risk(e: Edit) -> str:
    a, b = e.old, e.new
    side = loosened(a.threshold, b.threshold, b.condition)
    label = e.label
    if side:
        return f"{label} loosened: threshold {e.before} -> {e.after}, a {side} value fires later"
    if _measurable(a) and not _measurable(b):
        return f"{label} lost its threshold: it is no longer measurable"
    return ""


def _window_longer(e: Edit) -> str:
    before, after = e.before, e.after
    if (
        isinstance(before, str)
        and isinstance(after, str)
        and duration_seconds(after) > duration_seconds(before)
    ):
        return f"{e.label} loosened: window {before} -> {after}, it fires later"
    return ""


FIELD_RULES: dict[tuple[type[BaseModel], str], Callable[[Edit], str]] = {
    (Risk, "level"): _raised(RISK_LEVELS, "risk level"),
    (Risk, "breaking_changes"): _breaking_declared,
    (Risk, "user_impact"): _raised(USER_IMPACTS, "user impact"),
    (Risk, "rollback_complexity"): _raised(ROLLBACK_COMPLEXITIES, "rollback complexity"),
    (Migration, "phase"): _migration_became(*_MIGRATION_RISKS[1]),
    (Migration, "breaking"): _migration_became(*_MIGRATION_RISKS[2]),
    (Migration, "reversible"): _migration_became(*_MIGRATION_RISKS[0]),
    (Migration, "verify"): _verify_removed,
    (Step, "command"): _command_without_verify,
    (Step, "verify"): _verify_removed,
    (Rollback, "owner"): _owner_gone,
    (Trigger, "condition"): _condition_loosened,
    (Trigger, "threshold"): _threshold_risk,
    (Trigger, "window"): _window_longer,
}
"""``(model, field)`` -> the rule giving why a change of that field raises risk ('')."""
