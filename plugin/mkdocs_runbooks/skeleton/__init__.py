"""Starting a plan: a pattern's skeleton, or an earlier plan, to a new ``deployment-plan.yaml``.

The core of ``mkdocs-runbooks new`` (``cli_new.py`` only parses arguments and prints). The new
plan validates but is not finished: every value the author must supply holds a ``TODO:``
placeholder, which rule RB601 reports, so a half-written plan cannot pass review unnoticed.

A pattern page carries its skeleton in its front matter, under ``skeleton:`` (the model:
:class:`~.shape.Skeleton`)::

    skeleton:
      parameters: {steps: [5, 25, 50, 100], interval: 15m}   # strategy.parameters
      phases:            # a phase with a standard id replaces the generic one of that id;
        - phase: application-deployment   # another id goes after the phase listed before it
          steps: [{title: ..., owner: ..., command: ..., expected: ..., verify: ...}]
      triggers: [...]    # replace the generic rollback trigger
      rollback: {expected_duration: 5m, steps: [...]}   # keys replace the generic ones
      checklists: [{title: T-24 hours, items: [...]}]   # items added to the same title

Text in a skeleton may name ``{service}``, ``{release}``, ``{date}`` and ``{environment}``
(``${release}`` is left alone: that is shell). A pattern without a skeleton gets the generic
one (``generic.yaml``); the plan's other starting values are in ``defaults.yaml``.

Modules: ``args`` (the arguments), ``shape`` (the skeleton's model), ``content`` (the data
files), ``values`` (walking strings), ``from_pattern``, ``earlier`` (``--from``), ``dump``
(YAML out), ``new`` (the whole job).
"""

from __future__ import annotations

from .args import parse_date
from .content import GENERIC, STANDARD_ROLES
from .dump import dump_plan
from .errors import NewPlanError, PlanExistsError
from .new import DEFAULT_SCHEMA, Draft, new_plan, write_draft
from .shape import SKELETON_KEYS, Skeleton, read_skeleton

__all__ = [
    "DEFAULT_SCHEMA",
    "GENERIC",
    "SKELETON_KEYS",
    "STANDARD_ROLES",
    "Draft",
    "NewPlanError",
    "PlanExistsError",
    "Skeleton",
    "dump_plan",
    "new_plan",
    "parse_date",
    "read_skeleton",
    "write_draft",
]
