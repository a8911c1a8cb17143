"""The rollback section: owner, triggers (matched by condition or metric), steps."""

from __future__ import annotations

import difflib
from collections.abc import Callable

from ..fields import norm_token
from ..model import Plan, Trigger
from .builder import Builder, details
from .changes import Change, Kind
from .match import pair_by
from .risk import removed_trigger_risk
from .steps import place, steps

__all__ = ["rollback"]

_TRIGGER_FIELDS = (
    ("condition", "condition"),
    ("metric", "metric"),
    ("threshold", "threshold"),
    ("window", "window"),
    ("dashboard", "dashboard"),
)
_TRIGGER_DETAILS = ("metric", "threshold", "window", "dashboard")

_TRIGGER_RULES: list[Callable[[Trigger, Trigger], bool]] = [
    lambda a, b: a.condition == b.condition,
    lambda a, b: a.metric is not None and norm_token(a.metric) == norm_token(b.metric or ""),
    lambda a, b: (
        a.metric == b.metric
        and difflib.SequenceMatcher(None, a.condition, b.condition).ratio() >= 0.8
    ),
]
"""Triggers pair by condition text, then by metric, then by near-identical condition text."""


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _one_sided(trig: Trigger, kind: Kind) -> Change:
    """A trigger only in the old plan (``removed``: the plan rolls back on less) or only in
    the new one (``added``)."""
    name = _short(trig.condition)
    gone = kind == "removed"
    return Change(
        "rollback",
        f"rollback.triggers[{trig.condition}]",
        kind,
        old=trig.condition if gone else None,
        new=None if gone else trig.condition,
        label=f"trigger '{name}'",
        details=details(trig, _TRIGGER_DETAILS),
        risk_up=gone,
        reason=removed_trigger_risk(name) if gone else "",
    )


def _triggers(out: Builder, old: Plan, new: Plan) -> None:
    gone, fresh = list(old.rollback.triggers), list(new.rollback.triggers)
    pairs = pair_by(gone, fresh, _TRIGGER_RULES)
    for trig in gone:
        out.add(_one_sided(trig, "removed"))
    for trig in fresh:
        out.add(_one_sided(trig, "added"))
    for a, b in pairs:
        path = f"rollback.triggers[{b.condition}]"
        out.fields("rollback", path, f"trigger '{_short(b.condition)}'", a, b, _TRIGGER_FIELDS)


def rollback(out: Builder, old: Plan, new: Plan) -> None:
    g = "rollback"
    a, b = old.rollback, new.rollback
    out.fields(g, "rollback", "", a, b, [("owner", "rollback owner")])
    _triggers(out, old, new)
    out.fields(g, "rollback", "", a, b, [("expected_duration", "rollback expected duration")])
    steps(
        out,
        g,
        place([("rollback", a.steps)], "rollback-"),
        place([("rollback", b.steps)], "rollback-"),
        lambda p: f"rollback.steps[{p.uid}]",
        rollback=True,
    )
    out.fields(g, "rollback", "", a, b, [("database", "rollback database notes")])
