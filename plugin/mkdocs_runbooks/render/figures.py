"""Figures as a page shows them: the core counts, render writes the text."""

from __future__ import annotations

from dataclasses import dataclass

from ..lint.quality import Coverage, Quality

__all__ = ["ShownCoverage", "percent_text", "shown_quality", "shown_stats"]


def percent_text(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a whole percentage (``"67%"``), or ``"—"`` of nothing."""
    return f"{100 * part / whole:.0f}%" if whole else "—"


@dataclass(frozen=True)
class ShownCoverage(Coverage):
    percent: str = ""


def shown_quality(found: Quality) -> Quality:
    """The quality figures with each coverage line's percentage written out."""
    rows: list[Coverage] = [
        ShownCoverage(c.label, c.done, c.total, percent_text(c.done, c.total))
        for c in found.coverage
    ]
    return Quality(found.plans, rows, found.by_rule, found.silenced)


def shown_stats(stats: dict[str, object]) -> dict[str, object]:
    """A service's figures (:meth:`Portal.stats`) with the rollback rate written out."""
    rollbacks, done = stats["rollbacks"], stats["deployments"]
    assert isinstance(rollbacks, int) and isinstance(done, int)
    return {**stats, "rate": percent_text(rollbacks, done)}
