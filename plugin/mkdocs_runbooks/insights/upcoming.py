"""Upcoming deployments: plans dated today or later that have not been carried out.

``verdict_of`` is the one place that says what an upcoming plan's state is: its verdict
(:mod:`mkdocs_runbooks.verdict`: ``do-not-run``, ``not-approved``, ``ready``, ``executed``),
shown by the index and the home-page snippet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..portal import Entry
from ..verdict import Verdict
from .figures import PlanFacts

__all__ = ["upcoming", "verdict_of"]


def verdict_of(entry: Entry) -> Verdict:
    """The state shown for an upcoming plan: whether it may be run."""
    return entry.verdict


def upcoming(entries: Iterable[Entry], facts: dict[str, PlanFacts], today: dt.date) -> list[Entry]:
    """Valid plans dated ``today`` or later and not executed, soonest first."""
    found = [
        e
        for e in entries
        if e.plan is not None and e.plan.date >= today and not facts[e.src_uri].executed
    ]
    return sorted(found, key=lambda e: (e.sort_key[0], e.sort_key[1], e.src_uri))
