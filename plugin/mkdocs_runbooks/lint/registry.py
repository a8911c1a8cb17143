"""The rule registry: ``@rule`` records a check under its id and severity.

Kept apart from ``lint/__init__.py`` so that the rule modules can import ``rule`` while the
package imports them (no import cycle).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..load import LoadedPlan
from ..model import Plan
from ..problems import Problem, Severity
from ..yamlnodes import Loc

__all__ = ["RULES", "Rule", "RuleFunc", "check_ignores", "lint_all", "lint_plan", "rule"]

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


def _unknown_ignores(plan: Plan) -> Iterator[tuple[Loc, str]]:
    for rule_id in plan.lint.ignore if plan.lint else ():
        if rule_id.strip().upper() not in RULES:
            close = difflib.get_close_matches(rule_id.strip().upper(), list(RULES), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            yield (
                ("lint", "ignore", rule_id),
                f"unknown rule id '{rule_id}'{hint} (known: {', '.join(sorted(RULES))})",
            )


def check_ignores(loaded: LoadedPlan) -> bool:
    """Whether the plan's own ``lint.ignore`` names only known rules.

    An unknown id is a format error like any other: it joins ``loaded.problems`` and the
    plan becomes invalid (a typo must not silence nothing while looking as if it did).
    """
    if loaded.plan is None:
        return False
    unknown = [loaded.problem(loc, message) for loc, message in _unknown_ignores(loaded.plan)]
    if unknown:
        loaded.problems = sorted([*loaded.problems, *unknown], key=lambda p: (p.line, p.col))
        loaded.plan = None
    return not unknown


def lint_plan(loaded: LoadedPlan, disabled: Iterable[str] = ()) -> list[Problem]:
    """Findings of every enabled rule on one valid plan (none for an invalid one, nor for
    one whose ``lint.ignore`` names an unknown rule: see :func:`check_ignores`)."""
    if not check_ignores(loaded):
        return []
    plan = loaded.plan
    assert plan is not None
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
