"""The whole set of plans as data: addresses, grouping, ordering and back-links.

Built once per build from the loaded plans and the pattern registry. Pure data: it knows
no Markdown and no MkDocs. Everything that spans plans is computed here, once, so a build
stays linear in the number of plans.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from .diff import PlanDiff
from .load import LoadedPlan
from .model import Plan
from .patterns import Pattern, PatternRegistry
from .verdict import SUCCESS_RESULTS, Verdict, verdict

if TYPE_CHECKING:
    from .insights.collect import PortalInsights

__all__ = ["Entry", "Portal", "relative"]


def relative(from_src: str, to_src: str) -> str:
    """A relative Markdown link from one page's source path to another's."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


@dataclass
class Entry:
    """One discovered plan file and where its page lives."""

    loaded: LoadedPlan
    src_uri: str
    prev: Entry | None = None
    next: Entry | None = None
    latest: bool = False
    change: str | None = None
    """Against ``diff_base``: ``new``, ``changed`` or ``None`` (unchanged, or no base)."""
    diff: PlanDiff | None = None

    @property
    def verdict(self) -> Verdict:
        """Whether this plan may be run (:mod:`mkdocs_runbooks.verdict`); findings are final
        once the portal is built, so it is computed on first use and kept."""
        if self.known_verdict is None:
            loaded = self.loaded
            problems = loaded.findings if loaded.plan is not None else loaded.problems
            self.known_verdict = verdict(loaded.plan, problems, invalid=loaded.plan is None)
        return self.known_verdict

    known_verdict: Verdict | None = field(default=None, repr=False, compare=False)
    """The verdict once computed (a serve cache may hand over the last build's)."""

    @property
    def plan(self) -> Plan | None:
        return self.loaded.plan

    @property
    def valid(self) -> bool:
        return self.loaded.plan is not None

    @property
    def sort_key(self) -> tuple[str, str, str]:
        plan = self.loaded.plan
        return (plan.date.isoformat() if plan else "", plan.service if plan else "", self.src_uri)


@dataclass
class Portal:
    """All plans of a site, grouped and ordered (newest first)."""

    entries: list[Entry]
    patterns: PatternRegistry
    plans_uri: str = "plans"
    patterns_uri: str = "patterns"
    quality_uri: str = "quality"
    by_service: dict[str, list[Entry]] = field(default_factory=dict)
    by_pattern: dict[str, list[Entry]] = field(default_factory=dict)
    migration_users: list[Entry] = field(default_factory=list)
    valid: list[Entry] = field(default_factory=list)
    """Valid plans, newest first."""
    diff_base: str | None = None
    """The git ref plans were compared with, when the comparison could be made."""
    removed: list[str] = field(default_factory=list)
    """Plan files present at ``diff_base`` and gone now (paths in the repository)."""
    insights: PortalInsights | None = None
    """Figures, charts and upcoming plans (``insights`` option), set by ``site.generate``."""

    @classmethod
    def build(
        cls,
        loaded: Iterable[LoadedPlan],
        patterns: PatternRegistry,
        plans_uri: str = "plans",
        patterns_uri: str = "patterns",
        quality_uri: str = "quality",
    ) -> Portal:
        entries = [
            Entry(item, posixpath.join(plans_uri, item.folder, "index.md") if item.folder else "")
            for item in loaded
        ]
        portal = cls(entries, patterns, plans_uri, patterns_uri, quality_uri)
        portal._index()
        return portal

    def _index(self) -> None:
        valid = sorted((e for e in self.entries if e.valid), key=lambda e: e.sort_key, reverse=True)
        services: dict[str, list[Entry]] = defaultdict(list)
        users: dict[str, list[Entry]] = defaultdict(list)
        for entry in valid:
            plan = entry.plan
            assert plan is not None
            services[plan.service].append(entry)
            users[plan.strategy.pattern].append(entry)
            if plan.migrations and plan.migrations.strategy == "expand-contract":
                self.migration_users.append(entry)
        for history in services.values():
            history[0].latest = True
            for newer, older in pairwise(history):
                older.next, newer.prev = newer, older
        self.by_service = dict(sorted(services.items()))
        self.by_pattern = dict(users)
        self.valid = valid

    def quality_src(self) -> str:
        return posixpath.join(self.quality_uri, "index.md")

    def rules_src(self) -> str:
        return posixpath.join(self.quality_uri, "rules.md")

    def index_src(self) -> str:
        return posixpath.join(self.plans_uri, "index.md")

    def service_src(self, service: str) -> str:
        return posixpath.join(self.plans_uri, service, "index.md")

    def stats(self, service: str) -> dict[str, object]:
        """Figures of one service's history (plans that were carried out)."""
        history = self.by_service.get(service, [])
        done = [e for e in history if e.plan and e.plan.outcome]
        rollbacks = sum(
            1 for e in done if e.plan and e.plan.outcome and e.plan.outcome.result == "rolled-back"
        )
        strategies = sorted({e.plan.strategy.pattern for e in history if e.plan})
        return {
            "deployments": len(done),
            "rollbacks": rollbacks,
            "strategies": strategies,
        }

    def newest(self, service: str) -> Entry | None:
        """The newest plan of a service (by date), whatever its state."""
        history = self.by_service.get(service)
        return history[0] if history else None

    def in_production(self, service: str) -> Entry | None:
        """The newest plan of a service whose outcome succeeded: the release running now."""
        for entry in self.by_service.get(service, []):
            plan = entry.plan
            if plan and plan.outcome and plan.outcome.result in SUCCESS_RESULTS:
                return entry
        return None

    def pattern_src(self, pattern_id: str) -> str:
        return posixpath.join(self.patterns_uri, f"{pattern_id}.md")

    def pattern(self, pattern_id: str) -> Pattern | None:
        return self.patterns.get(pattern_id)

    def users_of(self, pattern: Pattern) -> list[Entry]:
        """Plans using a pattern, newest first (expand-contract: plans migrating with it)."""
        if pattern.kind == "migration" and pattern.id == "expand-contract":
            return self.migration_users
        return self.by_pattern.get(pattern.id, [])
