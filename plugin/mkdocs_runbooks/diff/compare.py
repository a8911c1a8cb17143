"""The comparison: every section comparer, in plan order, over two plans."""

from __future__ import annotations

from ..model import Plan
from . import sections
from .builder import Builder
from .changes import GROUP_ORDER, Change, PlanDiff
from .rollback import rollback
from .steps import phases

__all__ = ["diff_plans"]

_SECTIONS = (
    sections.metadata,
    sections.risk,
    sections.strategy,
    sections.roles,
    sections.migrations,
    phases,
    rollback,
    sections.checklists,
    sections.review,
    sections.communications,
    sections.outcome,
    sections.lint,
)


def diff_plans(
    old: Plan | None,
    new: Plan | None,
    *,
    old_label: str = "old",
    new_label: str = "new",
) -> PlanDiff:
    """Every change from ``old`` to ``new``; ``None`` is a plan that does not exist there.

    Pass plans from ``load_plan``/``load_text`` (they carry derived step ids). The result
    lists changes group by group (:data:`GROUPS`), each group in plan order.
    """
    result = PlanDiff(old_label=old_label, new_label=new_label)
    if old is None and new is None:
        return result
    if old is None or new is None:
        plan = new if old is None else old
        assert plan is not None
        result.changes.append(
            Change(
                "plan",
                "",
                "added" if old is None else "removed",
                old=None if old is None else plan.display_title,
                new=plan.display_title if old is None else None,
                label="plan",
            )
        )
        return result
    out = Builder()
    for section in _SECTIONS:
        section(out, old, new)
    result.changes = sorted(out.changes, key=lambda c: GROUP_ORDER.get(c.group, 99))
    return result
