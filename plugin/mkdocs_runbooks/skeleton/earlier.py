"""A new plan from an earlier plan of the same service (``new --from``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..lint import check_ignores
from ..lint.todo import strings
from ..load import PLAN_NAMES, LoadedPlan, load_plan
from ..model import Plan
from ..patterns import PatternRegistry
from ..problems import format_path
from .content import DEFAULTS
from .dump import Quoted
from .errors import NewPlanError
from .values import map_strings, numbers

__all__ = ["from_earlier", "read_earlier"]


def read_earlier(path: Path, registry: PatternRegistry) -> LoadedPlan:
    """The valid plan at ``path`` (a file, or a plan's folder)."""
    if path.is_dir():
        found = [path / name for name in PLAN_NAMES if (path / name).is_file()]
        if not found:
            raise NewPlanError(f"no deployment-plan.yaml in {path.as_posix()}")
        path = found[0]
    if not path.is_file():
        raise NewPlanError(f"no such file or folder: {path.as_posix()}")
    loaded = load_plan(path, registry)
    if not check_ignores(loaded) or not loaded.ok:
        problems = "\n".join(p.text() for p in loaded.problems)
        raise NewPlanError(
            f"{loaded.display} is not a valid plan, so a new plan cannot start from it; "
            f"fix it first:\n{problems}"
        )
    return loaded


def _replacer(old: str, new: str, *, release: bool) -> Callable[[str], str]:
    if release:
        found = re.compile(r"(?<![\w.])(v?)" + re.escape(old) + r"(?!\w|\.\d)")
        return lambda text: found.sub(lambda m: m.group(1) + new, text)
    found = re.compile(r"(?<!\d)" + re.escape(old) + r"(?!\d)")
    return lambda text: found.sub(new, text)


def _risk(plan: Plan, old: dict[str, Any], release: str) -> dict[str, Any]:
    risk: dict[str, Any] = {"level": plan.risk.level}
    for key in ("user_impact", "rollback_complexity"):
        if key in old["risk"]:
            risk[key] = old["risk"][key]
    notes = DEFAULTS.earlier_risk_notes.replace("{release}", release)
    risk["notes"] = notes.replace("{earlier}", plan.release)
    return risk


def _copied(loaded: LoadedPlan, service: str, release: str, date: dt.date) -> dict[str, Any]:
    """The parts of the earlier plan that carry over, with the new plan's own values."""
    plan = loaded.plan
    assert plan is not None
    old: dict[str, Any] = plan.model_dump(mode="python", exclude_unset=True, exclude_none=True)
    phases, rollback, strategy = old["phases"], old["rollback"], old["strategy"]
    if plan.migrations is not None:
        phases = [p for p in phases if p["phase"] != "database-migration"] or phases
        rollback.pop("database", None)
    if "parameters" in strategy:
        strategy["parameters"] = numbers(strategy["parameters"])
    data: dict[str, Any] = {
        "service": service,
        "release": Quoted(release),
        "environment": plan.environment,
        "date": date,
        "status": DEFAULTS.status,
        "summary": DEFAULTS.summary,
        "risk": _risk(plan, old, release),
        "strategy": strategy,
        "roles": old["roles"],
        "phases": phases,
        "rollback": rollback,
    }
    if old.get("checklists"):
        data["checklists"] = old["checklists"]
    ignore = {k: v for k, v in (plan.lint.ignore if plan.lint else {}).items() if k != "RB601"}
    if ignore:
        data["lint"] = {"ignore": ignore}
    return data


def _move_release(data: dict[str, Any], plan: Plan, release: str, date: dt.date) -> int:
    """Steps name their release (image tags, backup files): move them to the new one.
    Returns how many values changed."""
    changes = [
        _replacer(plan.release, release, release=True),
        _replacer(plan.date.isoformat(), date.isoformat(), release=False),
    ]
    changed = 0

    def apply(text: str) -> str:
        nonlocal changed
        new = text
        for change in changes:
            new = change(new)
        changed += new != text
        return new

    for key in ("phases", "rollback", "checklists"):
        if key in data:
            data[key] = map_strings(data[key], apply)
    return changed


def _stale(data: dict[str, Any], plan: Plan) -> list[str]:
    """Key paths still naming a longer version of the old release (2.10.0 for 2.10)."""
    longer = re.compile(r"(?<![\w.])v?" + re.escape(plan.release) + r"\.\d")
    return [
        format_path(loc)
        for key in ("phases", "rollback", "checklists")
        for loc, text in strings(data.get(key), (key,))
        if longer.search(text)
    ]


def from_earlier(
    loaded: LoadedPlan, service: str, release: str, date: dt.date
) -> tuple[dict[str, Any], list[str]]:
    """The new plan's data, and notes for the author."""
    plan = loaded.plan
    assert plan is not None
    if plan.service != service:
        raise NewPlanError(
            f"{loaded.display} is a plan of '{plan.service}', not '{service}': --from starts "
            "from an earlier plan of the same service"
        )
    notes = [
        f"copied phases, roles, strategy, rollback and checklists from {loaded.display} "
        f"(release {plan.release}); left out its outcome, review, window, title, links and "
        "communications"
    ]
    if plan.migrations is not None:
        notes.append(
            f"left out the migrations of {plan.release} (they have shipped), its "
            "database-migration phase and `rollback.database`: add this release's own"
        )
    data = _copied(loaded, service, release, date)
    changed = _move_release(data, plan, release, date)
    if changed:
        notes.append(
            f"replaced release {plan.release} (and date {plan.date.isoformat()}) with "
            f"{release} ({date.isoformat()}) in {changed} value(s): check each"
        )
    stale = _stale(data, plan)
    if stale:
        shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
        notes.append(f"still naming a version of {plan.release}: {shown}; update them")
    return data, notes
