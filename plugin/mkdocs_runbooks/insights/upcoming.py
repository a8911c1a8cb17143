"""Upcoming deployments: plans dated today or later that have not been carried out.

``verdict_of`` is the one place that says what an upcoming plan's state is. Today it is the
plan's own ``status``; the verdict of issue 18 (``do-not-run`` / ``not-approved`` / ``ready`` /
``executed``) plugs in here, and the index, the home-page snippet and the feeds follow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..portal import Entry
from .figures import PlanFacts

__all__ = ["Verdict", "upcoming", "verdict_of"]


@dataclass(frozen=True)
class Verdict:
    """What to show next to an upcoming plan: a token for the CSS class and its label key."""

    key: str
    label: str


def verdict_of(entry: Entry) -> Verdict:
    """The state shown for an upcoming plan.

    HOOK (issue 18): replace the body by the plan's verdict (``verdict.py``) when it lands,
    e.g. ``v = verdict(entry); return Verdict(v.key, v.label)``.
    """
    plan = entry.plan
    assert plan is not None
    return Verdict(plan.status, plan.status)


def upcoming(entries: Iterable[Entry], facts: dict[str, PlanFacts], today: dt.date) -> list[Entry]:
    """Valid plans dated ``today`` or later and not executed, soonest first."""
    found = [
        e
        for e in entries
        if e.plan is not None and e.plan.date >= today and not facts[e.src_uri].executed
    ]
    return sorted(found, key=lambda e: (e.sort_key[0], e.sort_key[1], e.src_uri))
