"""What a diff is made of: :class:`Change` values collected in a :class:`PlanDiff`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["GROUPS", "GROUP_ORDER", "Change", "Detail", "Kind", "PlanDiff"]

Kind = Literal["added", "removed", "changed", "moved", "renamed"]

GROUPS: tuple[tuple[str, str], ...] = (
    ("plan", "Plan"),
    ("metadata", "Metadata"),
    ("risk", "Risk"),
    ("strategy", "Strategy"),
    ("roles", "Roles"),
    ("migrations", "Migrations"),
    ("phases", "Phases"),
    ("rollback", "Rollback"),
    ("checklists", "Checklists"),
    ("review", "Review"),
    ("communications", "Communications"),
    ("outcome", "Outcome"),
    ("lint", "Lint settings"),
)
"""``(group id, title)`` of every group, in the order renderers list them."""

GROUP_ORDER = {name: i for i, (name, _title) in enumerate(GROUPS)}


@dataclass(frozen=True)
class Detail:
    """One field of an added or removed item (a new step's command, say)."""

    name: str
    value: str
    code: bool = False
    """Shell text: show it exactly, in a code block."""


@dataclass(frozen=True)
class Change:
    """One difference between the two plans.

    ``old`` and ``new`` are display strings (``None`` where that side has nothing): the
    values for a changed field, the title or description for an added or removed item, the
    step id for a renamed step, the place (``"pre-deployment, step 2"``) for a moved one.
    """

    group: str
    """Meaning group: one of the ids in :data:`GROUPS`."""
    path: str
    """Key path with items named by id: ``phases[pre-deployment].steps[backup].command``."""
    kind: Kind
    old: str | None = None
    new: str | None = None
    risk_up: bool = False
    """The change raises the risk of the release; ``reason`` says why."""
    reason: str = ""
    label: str = ""
    """What changed in words: ``step 'backup' command``, ``risk level``."""
    code: bool = False
    """``old`` and ``new`` are shell text: show them exactly, in code blocks."""
    diff: tuple[str, ...] = ()
    """Unified line diff of multi-line or shell text (hunks only, no ``---``/``+++``)."""
    details: tuple[Detail, ...] = ()
    """Fields of an added or removed item."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "path": self.path,
            "kind": self.kind,
            "label": self.label,
            "old": self.old,
            "new": self.new,
            "code": self.code,
            "diff": list(self.diff),
            "details": [{"name": d.name, "value": d.value, "code": d.code} for d in self.details],
            "risk_up": self.risk_up,
            "reason": self.reason,
        }


@dataclass
class PlanDiff:
    """Every change from ``old`` to ``new``, in group order."""

    changes: list[Change] = field(default_factory=list)
    old_label: str = "old"
    new_label: str = "new"

    @property
    def same(self) -> bool:
        """The two plans mean the same (comments, quoting and key order may still differ)."""
        return not self.changes

    @property
    def risk_flags(self) -> list[Change]:
        """The changes that raise risk, each with its ``reason``."""
        return [c for c in self.changes if c.risk_up]

    def groups(self) -> list[tuple[str, str, list[Change]]]:
        """``(group id, title, changes)`` of each group that has changes, in order."""
        out: list[tuple[str, str, list[Change]]] = []
        for name, title in GROUPS:
            items = [c for c in self.changes if c.group == name]
            if items:
                out.append((name, title, items))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_label,
            "new": self.new_label,
            "same": self.same,
            "summary": {
                "changes": len(self.changes),
                "risk_flags": len(self.risk_flags),
                "groups": {name: len(items) for name, _title, items in self.groups()},
            },
            "risk_flags": [
                {"group": c.group, "path": c.path, "reason": c.reason} for c in self.risk_flags
            ],
            "changes": [c.as_dict() for c in self.changes],
        }
