"""Every page of a runbook portal, as data: the one place that runs the whole core.

``generate`` loads the plans and patterns, lints, builds the portal and renders every page
the plugin adds to a site. The MkDocs adapter turns the result into ``File.generated``
pages; ``export`` writes the same pages as Markdown files.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import gitref
from .diff import diff_plans
from .lint import lint_all, lint_plan
from .load import LoadedPlan, load_plans
from .patterns import PatternRegistry, load_patterns
from .portal import Entry, Portal
from .problems import Problem
from .render import RenderedPage, Renderer
from .render.words import Words
from .yamlnodes import Limits, SourceMap

__all__ = ["Cache", "GeneratedPage", "Settings", "SiteResult", "generate"]


@dataclass(frozen=True)
class Settings:
    """What ``generate`` needs; the plugin fills it from its options."""

    base: Path
    """Folder of ``mkdocs.yml``: folders below are relative to it, and so are file names
    in messages."""
    plans_dir: str = "plans"
    patterns_dir: str = "patterns"
    plans_url: str = "plans"
    patterns_url: str = "patterns"
    quality_url: str = "quality"
    templates_dir: str | None = None
    language: str = "en"
    words: Mapping[str, str] = field(default_factory=dict)
    disable_rules: tuple[str, ...] = ()
    max_file_size: int = 1024 * 1024
    diff_base: str | None = None
    """A git ref: each plan is compared with its version there (``diff_base`` option)."""
    nav_services: int = 30
    """Most services the nav lists; above it the plans index lists them (``nav_services``)."""

    @property
    def plans_root(self) -> Path:
        return self.base / self.plans_dir

    @property
    def patterns_root(self) -> Path | None:
        root = self.base / self.patterns_dir
        return root if root.is_dir() else None

    @classmethod
    def from_options(cls, base: Path, options: Any, theme_language: str = "en") -> Settings:
        """Settings from the plugin's options (``RunbooksConfig``); ``diff_base`` falls back
        to the ``RUNBOOKS_DIFF_BASE`` environment variable."""
        diff_base = options.diff_base
        if diff_base is None:
            diff_base = os.environ.get("RUNBOOKS_DIFF_BASE")
        return cls(
            base=base,
            plans_dir=options.plans_dir,
            patterns_dir=options.patterns_dir,
            plans_url=options.plans_url,
            patterns_url=options.patterns_url,
            quality_url=options.quality_url,
            templates_dir=options.templates_dir,
            language=options.language or theme_language,
            words=dict(options.words),
            disable_rules=tuple(options.disable_rules),
            max_file_size=options.max_file_size,
            diff_base=(diff_base or "").strip() or None,
            # With nav_plans the nav lists every service, whatever their number.
            nav_services=1 << 30 if options.nav_plans else options.nav_services,
        )

    def renderer(self) -> Renderer:
        templates = self.base / self.templates_dir if self.templates_dir else None
        return Renderer(templates, Words(self.language, dict(self.words)))


@dataclass
class GeneratedPage:
    """One generated page: where it goes, its content, and the plan it shows (if any)."""

    src_uri: str
    page: RenderedPage
    entry: Entry | None = None
    kind: str = "plan"
    """``plan``, ``invalid``, ``index``, ``quality``, ``rules``, ``service``, ``pattern``,
    ``patterns-page``."""


@dataclass
class SiteResult:
    portal: Portal
    pages: list[GeneratedPage]
    loaded: list[LoadedPlan]
    ignored: list[Problem]
    """Files that look like misnamed plans."""
    notes: list[str] = field(default_factory=list)
    """Things worth saying once (the diff base could not be read, ...)."""

    def problems(self) -> Iterable[Problem]:
        """Every format error of every plan, then the ignored files."""
        for item in self.loaded:
            yield from item.problems
        yield from self.ignored


class Cache:
    """What survives between builds of one ``mkdocs serve``: plans loaded and pages rendered,
    keyed by file content and by everything a page shows, so an edit re-does only what it
    touches."""

    def __init__(self) -> None:
        self.loaded: dict[str, LoadedPlan] = {}
        self.pages: dict[str, RenderedPage] = {}
        self.renderer: Renderer | None = None
        self.settings: Settings | None = None

    def renderer_for(self, settings: Settings) -> Renderer:
        if self.renderer is None or self.settings != settings:
            self.renderer, self.settings = settings.renderer(), settings
            self.pages.clear()
        return self.renderer


def _page_key(entry: Entry, portal: Portal) -> str:
    """Everything the plan page shows besides the plan file itself."""
    plan = entry.plan
    assert plan is not None
    pattern = portal.pattern(plan.strategy.pattern)

    def neighbour(other: Entry | None) -> tuple[str, str] | None:
        return (other.src_uri, other.plan.release if other.plan else "") if other else None

    parts = (
        entry.loaded.digest,
        entry.src_uri,
        neighbour(entry.prev),
        neighbour(entry.next),
        entry.latest,
        (pattern.id, pattern.title, pattern.summary, pattern.rollback_time) if pattern else None,
        portal.patterns.get("expand-contract") is not None,
        [(f.rule, f.severity, f.line, f.col, f.path, f.message) for f in entry.loaded.findings],
        entry.change,
        entry.diff.as_dict() if entry.diff else None,
        portal.diff_base,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _compare(settings: Settings, portal: Portal, registry: PatternRegistry) -> list[str]:
    """Compare every plan with its version at ``settings.diff_base``; notes to say once."""
    ref = settings.diff_base
    assert ref
    try:
        gitref.resolve_ref(ref, settings.base)
        before = set(gitref.list_plan_files(ref, settings.plans_dir, settings.base))
        now: set[str] = set()
        for entry in portal.entries:
            rel = gitref.repo_path(entry.loaded.path, settings.base)
            now.add(rel)
            if entry.plan is None:
                continue
            if rel not in before:
                entry.change = "new"
                continue
            old = gitref.load_plan_at(ref, rel, registry, cwd=settings.base).plan
            result = diff_plans(old, entry.plan, old_label=ref, new_label="this version")
            if old is not None and not result.same:
                entry.change, entry.diff = "changed", result
    except gitref.GitError as error:
        for entry in portal.entries:
            entry.change, entry.diff = None, None
        return [f"diff_base '{ref}': {error}; plans are not compared"]
    portal.diff_base = ref
    portal.removed = sorted(before - now)
    return []


def generate(
    settings: Settings, renderer: Renderer | None = None, cache: Cache | None = None
) -> SiteResult:
    """Load, lint and render every page of the portal.

    With a ``cache`` (``mkdocs serve``), plans and plan pages whose inputs did not change
    since the last call are reused; without one nothing is kept.
    """
    keep = cache is not None
    cache = cache or Cache()
    renderer = renderer or cache.renderer_for(settings)
    registry = load_patterns(settings.patterns_root)
    loaded: list[LoadedPlan] = []
    ignored: list[Problem] = []

    def lint_and_drop_places(item: LoadedPlan) -> None:
        # Places of keys are only needed for problems and findings: made now, the map goes.
        item.findings = lint_plan(item, settings.disable_rules)
        item.source = SourceMap()

    if settings.plans_root.is_dir():
        loaded, ignored = load_plans(
            settings.plans_root,
            registry,
            display_root=settings.base,
            limits=Limits(max_bytes=settings.max_file_size),
            cache=cache.loaded if keep else None,
            each=None if keep else lint_and_drop_places,
        )
    if keep:
        lint_all(loaded, settings.disable_rules)
    for item in loaded:
        if item.plan is None:  # made invalid after loading (two plans, one address)
            item.findings = []
    portal = Portal.build(
        loaded, registry, settings.plans_url, settings.patterns_url, settings.quality_url
    )
    notes = _compare(settings, portal, registry) if settings.diff_base else []
    pages: list[GeneratedPage] = []
    seen: set[str] = set()
    used: set[str] = set()
    for entry in portal.entries:
        if not entry.src_uri or entry.src_uri in seen:
            continue
        seen.add(entry.src_uri)
        if entry.plan is None:
            page = renderer.error_page(entry, entry.loaded.problems)
            pages.append(GeneratedPage(entry.src_uri, page, entry, "invalid"))
        else:
            if keep:
                key = _page_key(entry, portal)
                used.add(key)
                cached = cache.pages.get(key)
                if cached is None:
                    cached = cache.pages[key] = renderer.plan_page(entry, portal)
            else:  # one build: nothing to reuse, so no key to compute
                cached = renderer.plan_page(entry, portal)
            pages.append(GeneratedPage(entry.src_uri, cached, entry))
    if portal.entries or settings.plans_root.is_dir():
        list_services = len(portal.by_service) > settings.nav_services
        index = renderer.index_page(portal, list_services=list_services)
        pages.append(GeneratedPage(portal.index_src(), index, None, "index"))
        pages.append(
            GeneratedPage(portal.quality_src(), renderer.quality_page(portal), None, "quality")
        )
        pages.append(GeneratedPage(portal.rules_src(), renderer.rules_page(portal), None, "rules"))
        for service in portal.by_service:
            src = portal.service_src(service)
            if src in seen:
                notes.append(
                    f"no history page for service '{service}': a plan's own page is at "
                    f"'{src}' (keep plans in folders below {settings.plans_dir}/{service}/)"
                )
                continue
            pages.append(
                GeneratedPage(src, renderer.service_page(service, portal), None, "service")
            )
    for stale in [k for k in cache.pages if k not in used]:
        del cache.pages[stale]
    for pattern in registry.patterns.values():
        if pattern.source is None:
            continue
        text = pattern.source.read_text(encoding="utf-8")
        page = renderer.pattern_page(text, pattern.id, portal)
        pages.append(GeneratedPage(portal.pattern_src(pattern.id), page, None, "pattern"))
    for name, path in registry.pages.items():
        uri = posixpath.join(settings.patterns_url, name)
        text = path.read_text(encoding="utf-8")
        pages.append(GeneratedPage(uri, RenderedPage(text, ""), None, "patterns-page"))
    return SiteResult(portal, pages, loaded, ignored, notes)
