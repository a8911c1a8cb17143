"""Every page of a runbook portal, as data: the one place that runs the whole core.

``generate`` loads the plans and patterns, lints, builds the portal and renders every page
the plugin adds to a site. The MkDocs adapter turns the result into ``File.generated``
pages; ``export`` writes the same pages as Markdown files.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .lint import lint_all
from .load import LoadedPlan, load_plans
from .patterns import load_patterns
from .portal import Entry, Portal
from .problems import Problem
from .render import RenderedPage, Renderer
from .render.words import Words
from .yamlnodes import Limits

__all__ = ["GeneratedPage", "Settings", "SiteResult", "generate"]


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

    @property
    def plans_root(self) -> Path:
        return self.base / self.plans_dir

    @property
    def patterns_root(self) -> Path | None:
        root = self.base / self.patterns_dir
        return root if root.is_dir() else None

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

    def problems(self) -> Iterable[Problem]:
        """Every format error of every plan, then the ignored files."""
        for item in self.loaded:
            yield from item.problems
        yield from self.ignored


def generate(settings: Settings, renderer: Renderer | None = None) -> SiteResult:
    """Load, lint and render every page of the portal."""
    renderer = renderer or settings.renderer()
    registry = load_patterns(settings.patterns_root)
    loaded: list[LoadedPlan] = []
    ignored: list[Problem] = []
    if settings.plans_root.is_dir():
        loaded, ignored = load_plans(
            settings.plans_root,
            registry,
            display_root=settings.base,
            limits=Limits(max_bytes=settings.max_file_size),
        )
    lint_all(loaded, settings.disable_rules)
    portal = Portal.build(
        loaded, registry, settings.plans_url, settings.patterns_url, settings.quality_url
    )
    pages: list[GeneratedPage] = []
    seen: set[str] = set()
    for entry in portal.entries:
        if not entry.src_uri or entry.src_uri in seen:
            continue
        seen.add(entry.src_uri)
        if entry.plan is None:
            page = renderer.error_page(entry, entry.loaded.problems)
            pages.append(GeneratedPage(entry.src_uri, page, entry, "invalid"))
        else:
            pages.append(GeneratedPage(entry.src_uri, renderer.plan_page(entry, portal), entry))
    if portal.entries or settings.plans_root.is_dir():
        pages.append(GeneratedPage(portal.index_src(), renderer.index_page(portal), None, "index"))
        pages.append(
            GeneratedPage(portal.quality_src(), renderer.quality_page(portal), None, "quality")
        )
        pages.append(GeneratedPage(portal.rules_src(), renderer.rules_page(portal), None, "rules"))
        for service in portal.by_service:
            src = portal.service_src(service)
            if src in seen:
                continue
            pages.append(
                GeneratedPage(src, renderer.service_page(service, portal), None, "service")
            )
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
    return SiteResult(portal, pages, loaded, ignored)
