"""RB3xx: database migrations."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Migration, Plan
from ..yamlnodes import Loc
from .common import KEEPS_OLD_VERSION, has_migrations, pattern_id, phases_named
from .registry import rule

_BACKUP_RE = re.compile(r"back(?:ed|ing)?[\s_-]?up|dump|snapshot", re.IGNORECASE)


def _items(plan: Plan) -> Iterator[tuple[Loc, Migration]]:
    if plan.migrations:
        for i, item in enumerate(plan.migrations.items):
            yield ("migrations", "items", i), item


@rule("RB301", "error", "a migration breaks the old version the strategy keeps running")
def breaks_old_version(plan: Plan) -> Iterator[tuple[Loc, str]]:
    pattern = pattern_id(plan)
    if pattern not in KEEPS_OLD_VERSION:
        return
    for loc, item in _items(plan):
        if item.phase == "contract":
            yield (
                (*loc, "phase"),
                f"migration '{item.id}' is a contract step in a {pattern} release: the old "
                "version still runs (or is the rollback target) and breaks once its schema is "
                "gone; ship the contract migration in a later release, after no running or "
                "rollback version needs the old schema",
            )
        elif item.breaking and not item.reversible:
            yield (
                (*loc, "breaking"),
                f"migration '{item.id}' is breaking and irreversible in a {pattern} release: "
                "the old version breaks against it and a rollback cannot undo it; make it "
                "non-breaking with expand-contract, or deploy with recreate in an announced "
                "window",
            )


def _has_backup_step(plan: Plan) -> bool:
    for _i, phase in phases_named(plan, "pre-deployment"):
        for step in phase.steps:
            texts = (step.title, step.uid, step.command or "")
            if any(_BACKUP_RE.search(text) for text in texts):
                return True
    return False


@rule("RB302", "warning", "an irreversible migration has no way back")
def irreversible_without_way_back(plan: Plan) -> Iterator[tuple[Loc, str]]:
    if not plan.migrations or plan.migrations.rollback_plan is not None:
        return
    if _has_backup_step(plan):
        return
    for loc, item in _items(plan):
        if not item.reversible:
            yield (
                (*loc, "reversible"),
                f"migration '{item.id}' is irreversible, and there is no "
                "`migrations.rollback_plan` and no backup step in pre-deployment: if the "
                "release fails, the data cannot be brought back; add a backup (or dump or "
                "snapshot) step to the pre-deployment phase, or write `migrations.rollback_plan`",
            )


@rule("RB303", "warning", "a breaking migration has no expand-contract phase")
def breaking_without_phase(plan: Plan) -> Iterator[tuple[Loc, str]]:
    for loc, item in _items(plan):
        if item.breaking and item.phase is None:
            yield (
                (*loc, "breaking"),
                f"migration '{item.id}' is breaking but has no `phase`: readers cannot see "
                "whether it is the expand, migrate or contract step, nor when the old version "
                "stops working; set `phase:` (expand, migrate or contract), splitting the "
                "change if needed",
            )


@rule("RB304", "info", "a migration was not rehearsed")
def migration_not_tested(plan: Plan) -> Iterator[tuple[Loc, str]]:
    for loc, item in _items(plan):
        if item.tested_in is None:
            yield (
                loc,
                f"migration '{item.id}' has no `tested_in`: a migration never rehearsed on "
                "realistic data is the usual source of surprises in duration and locking; "
                "run it in staging first and record where with `tested_in:`",
            )


@rule("RB305", "warning", "migrations are listed but no phase runs them")
def migrations_without_phase(plan: Plan) -> Iterator[tuple[Loc, str]]:
    if has_migrations(plan) and not any(phases_named(plan, "database-migration")):
        yield (
            ("migrations", "items"),
            "the plan lists migrations but has no 'database-migration' phase: nobody is told "
            "when to run them or how to check them; add a phase with `phase: "
            "database-migration` whose steps apply and verify each migration",
        )
