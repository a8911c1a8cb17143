"""mkdocs-runbooks: deployment plans written as YAML, rendered as a runbook portal.

The interfaces are the MkDocs plugin (entry point ``runbooks``) and the console script
``mkdocs-runbooks``. The Python API is what :data:`__all__` lists; every other name, and
every module, is internal and may change. Importing the package imports nothing else: each
name loads its module when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

__all__ = [
    "LoadedPlan",
    "Plan",
    "Problem",
    "__version__",
    "diff_plans",
    "lint_plan",
    "load_plan",
    "load_plans",
    "plan_schema",
]

_HOME = {
    "LoadedPlan": "load",
    "load_plan": "load",
    "load_plans": "load",
    "Plan": "model",
    "Problem": "problems",
    "lint_plan": "lint",
    "diff_plans": "diff",
    "plan_schema": "schema",
}

if TYPE_CHECKING:
    from .diff import diff_plans
    from .lint import lint_plan
    from .load import LoadedPlan, load_plan, load_plans
    from .model import Plan
    from .problems import Problem
    from .schema import plan_schema


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{home}", __name__), name)
