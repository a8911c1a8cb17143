"""The whole job of ``new``: choose the origin, build the data, write checked YAML."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..lint import check_ignores
from ..lint.todo import todo_placeholder
from ..load import PLAN_NAMES, load_text
from ..model import Plan
from ..patterns import PatternRegistry
from .args import DATE_RE, check_release, check_service
from .dump import as_loaded, dump_plan
from .earlier import from_earlier, read_earlier
from .errors import NewPlanError, PlanExistsError
from .from_pattern import from_pattern

__all__ = ["DEFAULT_SCHEMA", "Draft", "new_plan", "write_draft"]

DEFAULT_SCHEMA = Path("schema/deployment-plan.schema.json")
"""Where ``mkdocs-runbooks schema --out`` is usually pointed, from the project root."""


@dataclass
class Draft:
    """A new plan, ready to be written."""

    path: Path
    text: str
    todos: int
    schema: Path
    notes: list[str] = field(default_factory=list)


def _schema_ref(schema: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(os.path.abspath(schema), os.path.abspath(folder))).as_posix()
    except ValueError:  # pragma: no cover - another drive on Windows
        return Path(os.path.abspath(schema)).as_posix()


def _origin(
    registry: PatternRegistry,
    service: str,
    release: str,
    when: dt.date,
    pattern: str | None,
    earlier: Path | None,
) -> tuple[dict[str, Any], list[str], str]:
    """The new plan's data, notes, and where it comes from (in words)."""
    if earlier is not None:
        loaded = read_earlier(earlier, registry)
        data, notes = from_earlier(loaded, service, release, when)
        return data, notes, loaded.display
    if pattern is None:
        raise NewPlanError("name a pattern (--pattern) or an earlier plan (--from)")
    found = registry.resolve(pattern)
    if found is None:
        raise NewPlanError(registry.unknown_message(pattern))
    chosen = registry.patterns[found]
    data, notes = from_pattern(chosen, service, release, when)
    return data, notes, f"the {chosen.id} pattern"


def _free_path(plans_dir: Path, service: str, release: str, when: dt.date) -> Path:
    folder = plans_dir / service / f"{when.isoformat()}-{release}"
    for name in PLAN_NAMES:
        if (folder / name).exists():
            raise PlanExistsError(
                f"{(folder / name).as_posix()} already exists: not overwriting it; edit that "
                "plan, or choose another release or --date"
            )
    return folder / PLAN_NAMES[0]


def new_plan(
    service: str,
    release: str,
    *,
    registry: PatternRegistry,
    pattern: str | None = None,
    earlier: Path | None = None,
    date: dt.date | None = None,
    plans_dir: Path = Path("plans"),
    schema: Path = DEFAULT_SCHEMA,
) -> Draft:
    """The new plan of ``service`` ``release``, from ``pattern`` or from the plan ``earlier``.

    Raises :class:`NewPlanError`, or :class:`PlanExistsError` when the plan is already there.
    """
    check_service(service)
    check_release(release)
    when = date or dt.date.today()
    data, notes, origin = _origin(registry, service, release, when, pattern, earlier)
    path = _free_path(plans_dir, service, release, when)
    folder = path.parent
    others = sorted(
        p.name
        for p in (plans_dir / service).glob(f"*-{release}")
        if p.is_dir() and p.name != folder.name and DATE_RE.fullmatch(p.name[:10])
    )
    notes += [f"{(plans_dir / service / o).as_posix()} is a plan of {release} too" for o in others]
    header = (
        f"# yaml-language-server: $schema={_schema_ref(schema, folder)}",
        f"# Started by `mkdocs-runbooks new` from {origin}.",
        "# Replace every TODO value: `mkdocs-runbooks validate` lists each one left (RB601).",
    )
    text = dump_plan(data, header)
    loaded = load_text(text, path.as_posix(), registry, path=path)
    if not check_ignores(loaded) or not loaded.ok or loaded.plan is None:
        problems = "\n".join(p.text() for p in loaded.problems)
        raise NewPlanError(f"{origin} gives an invalid plan; fix its skeleton:\n{problems}")
    expected = Plan.model_validate(as_loaded(data), context={"patterns": registry})
    if expected.model_dump() != loaded.plan.model_dump():  # pragma: no cover - a bug guard
        raise NewPlanError("internal error: the new plan does not load as the values written")
    todos = sum(1 for _ in todo_placeholder(loaded.plan))
    return Draft(path, text, todos, schema, notes)


def write_draft(draft: Draft) -> None:
    """Write the plan, never over an existing file (:class:`PlanExistsError` if one appeared
    meanwhile)."""
    draft.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with draft.path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(draft.text)
    except FileExistsError:
        raise PlanExistsError(
            f"{draft.path.as_posix()} already exists: not overwriting it"
        ) from None
