"""Small helpers shared by the rule modules."""

from __future__ import annotations

from collections.abc import Iterator

from ..fields import norm_token
from ..measure import percent, seconds
from ..model import Phase, Plan, Step
from ..yamlnodes import Loc

__all__ = [
    "KEEPS_OLD_VERSION",
    "has_migrations",
    "name_key",
    "pattern_id",
    "percent",
    "phase_steps",
    "phases_named",
    "seconds",
    "step_label",
]

KEEPS_OLD_VERSION = ("blue-green", "canary", "rolling", "feature-flags")
"""Strategies that keep the old version running (or ready) next to the new one."""


def name_key(text: str) -> str:
    """A role or person name for comparison: case-, space- and ``_``/``-``-insensitive."""
    return norm_token(text)


def pattern_id(plan: Plan) -> str:
    """The strategy's pattern id (already canonical when loaded with a pattern registry)."""
    return norm_token(plan.strategy.pattern)


def has_migrations(plan: Plan) -> bool:
    return bool(plan.migrations and plan.migrations.items)


def phases_named(plan: Plan, name: str) -> Iterator[tuple[int, Phase]]:
    """``(index, phase)`` of every phase with the id ``name``."""
    for i, phase in enumerate(plan.phases):
        if phase.phase == name:
            yield i, phase


def phase_steps(plan: Plan) -> Iterator[tuple[Loc, Phase, Step]]:
    """``(loc, phase, step)`` of every step of every phase, in order."""
    for i, phase in enumerate(plan.phases):
        for j, step in enumerate(phase.steps):
            yield ("phases", i, "steps", j), phase, step


def step_label(step: Step) -> str:
    return f"step '{step.uid or step.title}'"
