"""Whether a plan may be run: the verdict shown first on its page and beside it everywhere.

Pure data, no rendering: :func:`verdict` reads a plan (or its absence, for an invalid
file), its findings and the portal's facts about its service, and returns a
:class:`Verdict`. Templates turn it into a banner or a badge; anything else that lists
plans (upcoming deployments, reports) can call it the same way.

Kinds, first match wins:

- ``do-not-run``: the file is invalid, or a best-practice finding is an error;
- ``executed``: the plan is a record (status completed, rolled-back or cancelled, or an
  outcome is filled in);
- ``not-approved``: status draft or in-review, or no reviewer has approved it;
- ``ready``: approved, with who approved it and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from .model import Plan, Reviewer
from .problems import Problem

__all__ = [
    "BROKEN_ROLLBACK_RULES",
    "EXECUTED_STATUSES",
    "SUCCESS_RESULTS",
    "Verdict",
    "VerdictKind",
    "executed_since",
    "verdict",
]

VerdictKind = Literal["do-not-run", "not-approved", "ready", "executed"]

EXECUTED_STATUSES = frozenset({"completed", "rolled-back", "cancelled"})
"""Statuses of a plan that is a record of what happened, not something to run."""
UNREVIEWED_STATUSES = frozenset({"draft", "in-review"})
SUCCESS_RESULTS = frozenset({"success", "success-with-issues"})
"""Outcomes after which the release runs in production."""
BROKEN_ROLLBACK_RULES = frozenset({"RB301", "RB302"})
"""Rules whose findings say that the rollback, as written, does not bring the service back."""


@dataclass(frozen=True)
class Verdict:
    """Whether a plan may be run, and why."""

    kind: VerdictKind
    reasons: tuple[Problem, ...] = ()
    """Error-level findings (``do-not-run``) or the problems of an invalid file."""
    approvals: tuple[Reviewer, ...] = ()
    """Reviewers who approved the plan, in the plan's order."""
    pending: tuple[Reviewer, ...] = ()
    """Reviewers who have not approved yet."""
    status: str = ""
    result: str | None = None
    """The outcome's result (``executed``), or ``None``."""
    rollback_warnings: tuple[Problem, ...] = field(default=())
    """Findings (any severity) saying that the rollback does not work as written."""

    @property
    def runnable(self) -> bool:
        return self.kind == "ready"

    @property
    def label(self) -> str:
        """The badge's words, as a key of the translation table (``verdict:ready``,
        ``verdict:rolled-back``, ...)."""
        if self.kind == "executed":
            return "verdict:" + (self.result or self.status)
        return "verdict:" + self.kind

    @property
    def tone(self) -> str:
        """A colour family for badges: ``danger``, ``pending``, ``ok`` or ``muted``."""
        if self.kind == "do-not-run":
            return "danger"
        if self.kind == "not-approved":
            return "pending"
        if self.kind == "ready":
            return "ok"
        if self.result == "rolled-back":
            return "danger"
        return "ok" if self.result in SUCCESS_RESULTS else "muted"


def verdict(
    plan: Plan | None, findings: Iterable[Problem] = (), *, invalid: bool = False
) -> Verdict:
    """The verdict of one plan from the plan, its findings and whether its file is invalid.

    ``findings`` may hold format problems too (an invalid file's problems): every problem of
    severity ``error`` is a reason not to run.
    """
    found = tuple(findings)
    errors = tuple(p for p in found if p.severity == "error")
    broken = tuple(p for p in found if p.rule in BROKEN_ROLLBACK_RULES)
    if plan is None or invalid:
        return Verdict("do-not-run", reasons=errors, rollback_warnings=broken)
    reviewers = plan.review.reviewers if plan.review else []
    approvals = tuple(r for r in reviewers if r.approved)
    pending = tuple(r for r in reviewers if not r.approved)
    base = Verdict(
        "ready",
        approvals=approvals,
        pending=pending,
        status=plan.status,
        result=plan.outcome.result if plan.outcome else None,
        rollback_warnings=broken,
    )
    if errors:
        return replace(base, kind="do-not-run", reasons=errors)
    if plan.status in EXECUTED_STATUSES or plan.outcome is not None:
        return replace(base, kind="executed")
    if plan.status in UNREVIEWED_STATUSES or not approvals:
        return replace(base, kind="not-approved")
    return base


def executed_since(plan: Plan) -> dt.date:
    """The day a plan's release went live: its outcome's finish (or start), else its date."""
    outcome = plan.outcome
    for stamp in (outcome.finished, outcome.started) if outcome else ():
        if stamp:
            try:
                return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()
            except ValueError:
                continue
    return plan.date
