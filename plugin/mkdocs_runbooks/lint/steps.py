"""RB1xx: steps and phases."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ..hidden import code_point, hidden_chars
from ..model import STANDARD_PHASES, Plan, Step
from ..yamlnodes import Loc
from .common import has_migrations, name_key, phase_steps, step_label
from .registry import rule

COMMAND_PHASES = ("database-migration", "application-deployment")


@rule("RB101", "warning", "a migration or deployment step has no command")
def step_without_command(plan: Plan) -> Iterator[tuple[Loc, str]]:
    for loc, phase, step in phase_steps(plan):
        if phase.phase in COMMAND_PHASES and step.command is None:
            yield (
                loc,
                f"{step_label(step)} in phase '{phase.phase}' has no command: under pressure an "
                "executor must run exactly what was reviewed, not improvise it; add `command:` "
                "with the shell text to run",
            )


@rule("RB102", "warning", "a step has no verify command")
def step_without_verify(plan: Plan) -> Iterator[tuple[Loc, str]]:
    for loc, phase, step in phase_steps(plan):
        if step.verify is not None:
            continue
        if phase.phase == "monitoring":
            if step.expected is None:
                yield (
                    loc,
                    f"monitoring {step_label(step)} has neither `verify` nor `expected`: the "
                    "observer cannot tell a healthy release from a failing one; add `expected:` "
                    "with the healthy values, or `verify:` with a command that checks them",
                )
        else:
            yield (
                loc,
                f"{step_label(step)} has no `verify`: without a check, a step that silently "
                "failed looks done and the next steps build on it; add `verify:` with a "
                "command that proves the step worked",
            )


def _all_steps(plan: Plan) -> list[tuple[Loc, Step]]:
    """Every step of the phases, then of the rollback procedure."""
    steps = [(loc, step) for loc, _phase, step in phase_steps(plan)]
    steps += [(("rollback", "steps", j), step) for j, step in enumerate(plan.rollback.steps)]
    return steps


@rule("RB103", "warning", "a step with a command has no expected outcome")
def command_without_expected(plan: Plan) -> Iterator[tuple[Loc, str]]:
    for loc, step in _all_steps(plan):
        if step.command is not None and step.expected is None:
            yield (
                loc,
                f"{step_label(step)} has a command but no `expected`: the executor cannot tell "
                "normal output from a problem worth stopping for; add `expected:` describing "
                "what a successful run prints or does",
            )


def _expected_phases(plan: Plan) -> list[str]:
    return [p for p in STANDARD_PHASES if p != "database-migration" or has_migrations(plan)]


@rule("RB104", "warning", "a standard phase is missing")
def missing_standard_phase(plan: Plan) -> Iterator[tuple[Loc, str]]:
    present = {phase.phase for phase in plan.phases}
    for name in _expected_phases(plan):
        if name not in present:
            why = {
                "pre-deployment": "backups and health checks before the change are what make "
                "a rollback safe",
                "database-migration": "the plan lists migrations but no phase runs them",
                "application-deployment": "no phase deploys the new version",
                "smoke-testing": "nothing checks the release works before users rely on it",
                "monitoring": "nobody is asked to watch the rollback triggers after the change",
            }[name]
            yield (
                ("phases",),
                f"no '{name}' phase: {why}; add a phase with `phase: {name}` in its place "
                "among the standard phases",
            )


@rule("RB105", "warning", "standard phases are out of order")
def phases_out_of_order(plan: Plan) -> Iterator[tuple[Loc, str]]:
    rank = {name: i for i, name in enumerate(STANDARD_PHASES)}
    latest: str | None = None
    for i, phase in enumerate(plan.phases):
        if phase.phase not in rank:
            continue
        if latest is not None and rank[phase.phase] < rank[latest]:
            yield (
                ("phases", i, "phase"),
                f"phase '{phase.phase}' comes after '{latest}': readers execute a runbook top "
                "to bottom, so a step out of place is run too late or skipped; move it before "
                f"'{latest}' (order: {', '.join(STANDARD_PHASES)})",
            )
        else:
            latest = phase.phase


@rule("RB106", "warning", "a step owner is not a role or person from roles")
def unknown_owner(plan: Plan) -> Iterator[tuple[Loc, str]]:
    known = {name_key(r.role) for r in plan.roles} | {name_key(r.name) for r in plan.roles}
    roles = ", ".join(r.role for r in plan.roles)
    for loc, step in _all_steps(plan):
        if step.owner is not None and name_key(step.owner) not in known:
            yield (
                (*loc, "owner"),
                f"owner '{step.owner}' of {step_label(step)} is neither a role nor a person in "
                "`roles`: nobody may feel responsible for the step when it is due; use one "
                f"of the roles ({roles}) or a person's name, or add the role to `roles`",
            )


def _commands(plan: Plan) -> Iterator[tuple[Loc, str]]:
    """``(loc, text)`` of every shell text of a plan: step and migration commands."""
    for loc, _phase, step in phase_steps(plan):
        for key in ("command", "verify"):
            text = getattr(step, key)
            if text is not None:
                yield (*loc, key), text
    for j, step in enumerate(plan.rollback.steps):
        for key in ("command", "verify"):
            text = getattr(step, key)
            if text is not None:
                yield ("rollback", "steps", j, key), text
    if plan.migrations:
        for i, item in enumerate(plan.migrations.items):
            for key in ("command", "verify", "rollback"):
                text = getattr(item, key)
                if text is not None:
                    yield ("migrations", "items", i, key), text


def _place(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {col}"


@rule("RB107", "error", "a command holds bidi controls or invisible characters")
def hidden_characters_in_command(plan: Plan) -> Iterator[tuple[Loc, str]]:
    for loc, text in _commands(plan):
        found = hidden_chars(text)
        if not found:
            continue
        offset, char = found[0]
        name = unicodedata.name(char, "control character")
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        yield (
            loc,
            f"the {loc[-1]} holds {code_point(char)} {name} at {_place(text, offset)} of "
            f"its text{more}: such characters reorder or hide what a reader sees, so the "
            "command reviewed is not the command that runs; the page shows them as "
            f"<{code_point(char)}>; remove them",
        )
