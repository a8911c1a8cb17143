"""RB5xx: roles, review and outcome."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Plan
from ..yamlnodes import Loc
from .common import name_key
from .registry import rule

REQUIRED_ROLES = ("Deployment Lead", "Technical Executor", "Monitoring Observer")
NEEDS_APPROVAL = ("approved", "scheduled", "in-progress", "completed")
NEEDS_OUTCOME = ("completed", "rolled-back")


@rule("RB501", "warning", "a required role is missing")
def missing_roles(plan: Plan) -> Iterator[tuple[Loc, str]]:
    present = {name_key(r.role) for r in plan.roles}
    missing = [role for role in REQUIRED_ROLES if name_key(role) not in present]
    if missing:
        names = ", ".join(missing)
        yield (
            ("roles",),
            f"no {names} in `roles`: each role has a job during the release (lead decides, "
            "executor runs, observer watches), and one person doing all three misses "
            f"problems; add a `role: ...` entry for {names} (one person may hold two roles)",
        )


@rule("RB502", "warning", "the plan went ahead without an approval")
def not_approved(plan: Plan) -> Iterator[tuple[Loc, str]]:
    if plan.status not in NEEDS_APPROVAL:
        return
    reviewers = plan.review.reviewers if plan.review else []
    if any(r.approved is not None for r in reviewers):
        return
    loc: Loc = ("review", "reviewers") if plan.review else ("status",)
    yield (
        loc,
        f"status is {plan.status} but no reviewer has `approved`: a plan nobody approved "
        "has not had the second pair of eyes a production change needs; record the approval "
        "date under `review.reviewers[].approved`, or set the status back to in-review",
    )


_CONTRADICTIONS = {
    "rolled-back": (("success", "success-with-issues", "aborted"), "a rolled-back release"),
    "completed": (("rolled-back", "aborted"), "a completed release"),
    "cancelled": (("success", "success-with-issues"), "a cancelled release"),
}


@rule("RB503", "error", "the outcome is missing or contradicts the status")
def outcome_status(plan: Plan) -> Iterator[tuple[Loc, str]]:
    if plan.outcome is None:
        if plan.status in NEEDS_OUTCOME:
            yield (
                ("status",),
                f"status is {plan.status} but there is no `outcome`: the record of what "
                "happened is what the next release learns from; add `outcome:` with its "
                "`result` (and `started`, `finished`, `notes`)",
            )
        return
    wrong, what = _CONTRADICTIONS.get(plan.status, ((), ""))
    if plan.outcome.result in wrong:
        yield (
            ("outcome", "result"),
            f"outcome result {plan.outcome.result} contradicts status {plan.status}: readers "
            "and reports cannot tell what really happened; set the result that fits "
            f"{what}, or correct the status",
        )
