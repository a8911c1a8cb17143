"""RB2xx: the deployment strategy against the release's risk."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from ..fields import norm_token
from ..model import Plan
from ..yamlnodes import Loc
from .common import KEEPS_OLD_VERSION, pattern_id, percent
from .registry import rule


@rule("RB201", "warning", "a high-risk release uses recreate or rolling")
def risky_in_place(plan: Plan) -> Iterator[tuple[Loc, str]]:
    pattern = pattern_id(plan)
    if plan.risk.level in ("high", "critical") and pattern in ("recreate", "rolling"):
        yield (
            ("strategy", "pattern"),
            f"risk is {plan.risk.level} but the strategy is {pattern}: it replaces the old "
            "version in place, so a bad release reaches users and rolling back means "
            "redeploying; use blue-green or canary, or lower the risk and explain why in "
            "`risk.notes`",
        )


def _is_production(environment: str) -> bool:
    return norm_token(environment) in ("production", "prod")


@rule("RB202", "warning", "recreate causes downtime that is not accepted or announced")
def recreate_downtime(plan: Plan) -> Iterator[tuple[Loc, str]]:
    if pattern_id(plan) != "recreate":
        return
    if plan.risk.user_impact == "critical":
        yield (
            ("risk", "user_impact"),
            "recreate stops every instance before starting the new ones, and user impact is "
            "critical: the downtime hits users at the worst place; use blue-green or rolling, "
            "or lower `risk.user_impact` if the downtime is acceptable",
        )
    params = plan.strategy.parameters or {}
    if _is_production(plan.environment) and "expected_downtime" not in params:
        loc: Loc = ("strategy", "parameters") if plan.strategy.parameters else ("strategy",)
        yield (
            loc,
            "recreate in production without `strategy.parameters.expected_downtime`: users and "
            "support cannot be told how long the service will be down; add "
            "`expected_downtime:` (for example 10m) under `strategy.parameters`",
        )


@rule("RB203", "error", "canary steps do not increase to 100%")
def canary_steps(plan: Plan) -> Iterator[tuple[Loc, str]]:
    if pattern_id(plan) != "canary":
        return
    steps = (plan.strategy.parameters or {}).get("steps")
    if not isinstance(steps, list) or not steps:
        return
    values = [percent(v) for v in steps]
    if any(v is None for v in values):
        return  # unreadable values are format errors, reported by the loader
    numbers = [v for v in values if v is not None]
    loc: Loc = ("strategy", "parameters", "steps")
    shown = ", ".join(f"{v:g}" for v in numbers)
    for before, after in itertools.pairwise(numbers):
        if after <= before:
            yield (
                loc,
                f"canary steps [{shown}] do not strictly increase ({after:g} after {before:g}): "
                "each step must expose more traffic or the canary never gains confidence; "
                "list the percentages in increasing order",
            )
            break
    if numbers[-1] != 100:
        yield (
            loc,
            f"canary steps [{shown}] end at {numbers[-1]:g}, not 100: the release would stay "
            "half-deployed with two versions serving users; end the list with 100",
        )


@rule("RB204", "warning", "breaking changes without expand-contract migrations")
def breaking_without_expand_contract(plan: Plan) -> Iterator[tuple[Loc, str]]:
    pattern = pattern_id(plan)
    if not plan.risk.breaking_changes or pattern not in KEEPS_OLD_VERSION:
        return
    migrations = plan.migrations
    if migrations and (
        migrations.strategy == "expand-contract"
        or any(item.phase is not None for item in migrations.items)
    ):
        return
    yield (
        ("risk", "breaking_changes"),
        f"breaking changes with {pattern}, which keeps the old version running, but no "
        "migration follows expand-contract: the old version may fail against the new schema "
        "during the release or after a rollback; split the change into expand, migrate and "
        "contract phases (`migrations.strategy: expand-contract`) and ship contract later",
    )
