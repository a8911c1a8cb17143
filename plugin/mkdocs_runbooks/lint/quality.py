"""Portal-wide quality figures: how much of the portal follows the rules."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..load import LoadedPlan
from .registry import RULES, Rule
from .rollback import is_measurable

__all__ = ["RULES_DOC", "Coverage", "Quality", "quality"]


def _rules_doc() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "rules.md"
    return packaged if packaged.is_file() else here.parents[2] / "docs" / "rules.md"


RULES_DOC = _rules_doc()
"""The rules reference (``docs/rules.md``, shipped inside the package as ``lint/rules.md``)."""


@dataclass(frozen=True)
class Coverage:
    label: str
    done: int
    total: int


@dataclass
class Quality:
    plans: int = 0
    coverage: list[Coverage] = field(default_factory=list)
    by_rule: list[tuple[Rule, int, int]] = field(default_factory=list)
    """(rule, findings, plans with the rule) for every rule, in id order."""
    silenced: int = 0


def quality(plans: Iterable[LoadedPlan]) -> Quality:
    """Coverage and findings of every valid plan."""
    valid = [p for p in plans if p.plan is not None]
    steps = verified = commands = expected = 0
    migrations = reversible_ok = measurable = approved = silenced = 0
    counts: Counter[str] = Counter()
    where: dict[str, set[str]] = defaultdict(set)
    for loaded in valid:
        plan = loaded.plan
        assert plan is not None
        for step in [s for p in plan.phases for s in p.steps] + list(plan.rollback.steps):
            steps += 1
            verified += step.verify is not None
            if step.command is not None:
                commands += 1
                expected += bool(step.expected)
        for item in plan.migrations.items if plan.migrations else []:
            migrations += 1
            reversible_ok += item.reversible and item.rollback is not None
        measurable += any(is_measurable(t) for t in plan.rollback.triggers)
        approved += bool(plan.review and any(r.approved for r in plan.review.reviewers))
        silenced += len(plan.lint.ignore) if plan.lint else 0
        for finding in loaded.findings:
            if finding.rule:
                counts[finding.rule] += 1
                where[finding.rule].add(loaded.display)
    n = len(valid)
    return Quality(
        plans=n,
        coverage=[
            Coverage("Steps with a verification command", verified, steps),
            Coverage("Steps with a command that say what to expect", expected, commands),
            Coverage(
                "Migrations that are reversible with a rollback command", reversible_ok, migrations
            ),
            Coverage("Plans with a measurable rollback trigger", measurable, n),
            Coverage("Plans with an approved reviewer", approved, n),
        ],
        by_rule=[
            (r, counts[r.id], len(where[r.id])) for r in sorted(RULES.values(), key=lambda r: r.id)
        ],
        silenced=silenced,
    )
