"""A pattern's ``skeleton:`` front matter, checked against its model."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..patterns import Pattern
from ..problems import format_path, shown_path
from .errors import NewPlanError

__all__ = ["SKELETON_KEYS", "Skeleton", "read_skeleton"]


class _Named(BaseModel):
    model_config = ConfigDict(extra="allow")


class SkeletonPhase(_Named):
    """A phase: it replaces the generic phase of the same id, or goes after the one listed
    before it."""

    phase: str = Field(min_length=1)


class SkeletonChecklist(_Named):
    """A checklist: its items are added to the generic one of the same title."""

    title: str = Field(min_length=1)


class Skeleton(BaseModel):
    """``skeleton:`` in a pattern page's front matter (all keys optional)."""

    model_config = ConfigDict(extra="forbid")

    parameters: dict[str, Any] | None = None
    """``strategy.parameters`` of the new plan."""
    phases: list[SkeletonPhase] | None = None
    triggers: list[Any] | None = None
    """Replace the generic rollback trigger."""
    rollback: dict[str, Any] | None = None
    """Keys replace the generic ones."""
    checklists: list[SkeletonChecklist] | None = None


SKELETON_KEYS = tuple(Skeleton.model_fields)

_ITEM_KEY = {"phases": "phase", "checklists": "title"}


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "nothing" if value is None else f"'{value}'"


def _message(raw: Any, error: dict[str, Any]) -> str:
    """One pydantic error as ``key: what is wrong`` in the words of the plan loader."""
    loc = tuple(error["loc"])
    keys = ", ".join(SKELETON_KEYS)
    if not loc:
        return f": expected a mapping of keys ({keys}), found {_kind(raw)}"
    key = str(loc[0])
    if error["type"] == "extra_forbidden":
        close = difflib.get_close_matches(key, SKELETON_KEYS, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f".{key}: unknown key '{key}'{hint} (allowed: {keys})"
    if key in _ITEM_KEY and len(loc) > 1 and isinstance(loc[1], int):
        item = raw[key][loc[1]]
        return f".{key}[{loc[1]}]: expected a mapping with `{_ITEM_KEY[key]}:`, found {_kind(item)}"
    if len(loc) == 1 and error["type"] in ("dict_type", "list_type"):
        wanted = "a mapping" if error["type"] == "dict_type" else "a list"
        return f".{key}: expected {wanted}, found {_kind(raw[key])}"
    return f".{format_path(loc)}: {error['msg']}"  # pragma: no cover - no other shape error


def read_skeleton(pattern: Pattern) -> dict[str, Any] | None:
    """The pattern's ``skeleton:`` front matter (values as written), checked against
    :class:`Skeleton`; ``None`` when absent. A wrong shape is a :class:`NewPlanError`."""
    raw = pattern.meta.get("skeleton")
    if raw is None:
        return None
    try:
        Skeleton.model_validate(raw)
    except ValidationError as invalid:
        errors = sorted(invalid.errors(), key=lambda e: e["type"] != "extra_forbidden")
        where = f"{shown_path(pattern.source) if pattern.source else pattern.id}: skeleton"
        raise NewPlanError(where + _message(raw, dict(errors[0]))) from None
    assert isinstance(raw, dict)
    return raw
