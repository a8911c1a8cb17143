"""The rule registry: ``@rule`` records a check under its id and severity.

Kept apart from ``lint/__init__.py`` so that the rule modules can import ``rule`` while the
package imports them (no import cycle).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..load import LoadedPlan
from ..model import Plan
from ..problems import Problem, Severity
from ..yamlnodes import Loc

__all__ = ["RULES", "Rule", "RuleFunc", "lint_all", "lint_plan", "rule"]

RuleFunc = Callable[[Plan], Iterator[tuple[Loc, str]]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    check: RuleFunc


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, summary: str) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under ``rule_id``."""

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} is registered twice")
        RULES[rule_id] = Rule(rule_id, severity, summary, func)
        return func

    return register


def lint_plan(loaded: LoadedPlan, disabled: Iterable[str] = ()) -> list[Problem]:
    """Findings of every enabled rule on one valid plan (none for an invalid one)."""
    plan = loaded.plan
    if plan is None:
        return []
    off = {name.upper() for name in disabled}
    off |= {name.strip().upper() for name in (plan.lint.ignore if plan.lint else ())}
    findings: list[Problem] = []
    for item in sorted(RULES.values(), key=lambda r: r.id):
        if item.id in off:
            continue
        for loc, message in item.check(plan):
            findings.append(loaded.problem(loc, message, severity=item.severity, rule=item.id))
    return findings


def lint_all(plans: Iterable[LoadedPlan], disabled: Iterable[str] = ()) -> None:
    """Fill ``findings`` of every plan."""
    off = tuple(disabled)
    for loaded in plans:
        loaded.findings = lint_plan(loaded, off)
