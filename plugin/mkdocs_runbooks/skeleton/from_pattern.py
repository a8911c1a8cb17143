"""A new plan from a pattern: the generic skeleton with the pattern's own merged in."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from ..fields import norm_token
from ..patterns import Pattern
from .content import DEFAULTS, GENERIC
from .dump import Quoted
from .shape import read_skeleton
from .values import fill, numbers

__all__ = ["from_pattern"]


def _merge_phases(base: list[dict[str, Any]], extra: list[Any]) -> list[dict[str, Any]]:
    phases = list(base)
    cursor = 0  # a new phase listed first goes after pre-deployment
    for item in extra:
        phase = dict(item)
        phase["phase"] = norm_token(str(phase["phase"]))
        at = next((i for i, p in enumerate(phases) if p["phase"] == phase["phase"]), None)
        if at is None:
            cursor += 1
            phases.insert(cursor, phase)
        else:
            phases[at] = phase
            cursor = at
    return phases


def _merge_checklists(base: list[dict[str, Any]], extra: list[Any]) -> list[dict[str, Any]]:
    lists = [dict(item) for item in base]
    for item in extra:
        title = norm_token(str(item["title"]))
        same = next((c for c in lists if norm_token(c["title"]) == title), None)
        if same is None:
            lists.append(dict(item))
        else:
            same["items"] = [*same["items"], *(item.get("items") or [])]
    return lists


def _rollback(skeleton: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    rollback: dict[str, Any] = {
        "owner": base["rollback"]["owner"],
        "triggers": skeleton.get("triggers") or base["triggers"],
        "expected_duration": base["rollback"]["expected_duration"],
        "steps": base["rollback"]["steps"],
    }
    rollback.update(skeleton.get("rollback") or {})
    return rollback


def from_pattern(
    pattern: Pattern, service: str, release: str, date: dt.date
) -> tuple[dict[str, Any], list[str]]:
    """The new plan's data, and notes for the author."""
    notes: list[str] = []
    skeleton = read_skeleton(pattern)
    if skeleton is None:
        notes.append(
            f"pattern '{pattern.id}' has no `skeleton:` in its front matter: the plan starts "
            "from the generic skeleton"
        )
        skeleton = {}
    skeleton = copy.deepcopy(skeleton)
    base = copy.deepcopy(GENERIC)
    strategy: dict[str, Any] = {
        "pattern": pattern.id,
        "rationale": DEFAULTS.rationale.replace("{pattern}", pattern.title),
    }
    tokens = {
        "service": service,
        "release": release,
        "date": date.isoformat(),
        "environment": DEFAULTS.environment,
    }
    if skeleton.get("parameters"):
        strategy["parameters"] = numbers(fill(skeleton["parameters"], tokens))
    checklists = _merge_checklists(base["checklists"], skeleton.get("checklists") or [])
    data: dict[str, Any] = {
        "service": service,
        "release": Quoted(release),
        "environment": DEFAULTS.environment,
        "date": date,
        "status": DEFAULTS.status,
        "summary": DEFAULTS.summary,
        "risk": DEFAULTS.risk.model_dump(),
        "strategy": strategy,
        "roles": [{"role": role, "name": DEFAULTS.role_name} for role in DEFAULTS.roles],
        "phases": fill(_merge_phases(base["phases"], skeleton.get("phases") or []), tokens),
        "rollback": fill(_rollback(skeleton, base), tokens),
        "checklists": fill(checklists, tokens),
    }
    return data, notes
