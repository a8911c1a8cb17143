"""Best-practice rules: one small function per rule, registered by id.

A rule reads a valid ``Plan`` and yields ``(key path, message)`` pairs; the registry turns
them into ``Problem`` values with the rule's id and severity, honouring a plan's own
``lint.ignore`` list. The rules live in one module per family and register themselves
when imported below:

- ``steps`` (RB1xx): steps and phases;
- ``strategy`` (RB2xx): risk against the deployment strategy;
- ``migrations`` (RB3xx): database migrations;
- ``rollback`` (RB4xx): rollback triggers and procedure;
- ``process`` (RB5xx): roles, review and outcome;
- ``todo`` (RB6xx): placeholders left by ``mkdocs-runbooks new``.

Each rule is documented in ``docs/rules.md`` under an anchor of its lowercase id.
"""

from __future__ import annotations

# The rule modules register their rules when imported (findings come out in id order).
from . import migrations, process, rollback, steps, strategy, todo  # noqa: F401
from .registry import RULES, Rule, RuleFunc, check_ignores, lint_all, lint_plan, rule

__all__ = ["RULES", "Rule", "RuleFunc", "check_ignores", "lint_all", "lint_plan", "rule"]
