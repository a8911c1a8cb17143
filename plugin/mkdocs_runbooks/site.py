"""Every page of a runbook portal, as data: the one place that runs the whole core.

``generate`` loads the plans and patterns, lints, builds the portal and renders every page
the plugin adds to a site. The MkDocs adapter turns the result into ``File.generated``
pages; ``export`` writes the same pages as Markdown files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, Generic, TypeVar

from . import gitref
from .diff import diff_plans
from .insights.collect import PortalInsights, build_date, collect
from .insights.feeds import deployments_ics, plans_json, plans_schema
from .lint import check_ignores, lint_plan
from .load import PLAN_NAMES, LoadCache, LoadedPlan, load_bytes, load_plans
from .model import Plan
from .patterns import PatternRegistry, load_patterns
from .portal import Entry, Portal
from .problems import Problem, log_safe
from .render import RenderedPage, Renderer
from .render.words import Words
from .verdict import Verdict
from .yamlnodes import Limits, SourceMap

__all__ = ["Cache", "GeneratedPage", "PlanMemo", "Settings", "SiteResult", "generate"]


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
    directory_urls: bool = True
    """MkDocs' ``use_directory_urls``: the form of the addresses HTML links point at."""
    insights: bool = True
    """Figures and charts (Insights page, service and pattern sections, upcoming list)."""
    feeds: bool = True
    """``plans.json`` (with its schema) and ``deployments.ics``."""
    insights_url: str = "insights"
    today: dt.date | None = None
    """The build date the figures are relative to; default: :func:`build_date`."""
    site_url: str = ""
    """The site's ``site_url``, for absolute links in the feeds."""
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
    def from_options(
        cls, base: Path, options: Any, theme_language: str = "en", directory_urls: bool = True
    ) -> Settings:
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
            directory_urls=directory_urls,
            insights=options.insights,
            feeds=options.feeds,
            insights_url=options.insights_url,
            # With nav_plans the nav lists every service, whatever their number.
            nav_services=1 << 30 if options.nav_plans else options.nav_services,
        )

    @property
    def templates_root(self) -> Path | None:
        return self.base / self.templates_dir if self.templates_dir else None

    def renderer(self) -> Renderer:
        return Renderer(
            self.templates_root, Words(self.language, dict(self.words)), self.directory_urls
        )

    def templates_digest(self) -> str:
        """A digest of the site's template overrides (names and contents): a rendered page
        depends on them as much as on the plan."""
        digest = hashlib.sha256()
        root = self.templates_root
        if root is not None and root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
        return digest.hexdigest()


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
    """Files not built: pattern pages that could not be read, files that look like misnamed
    plans."""
    notes: list[str] = field(default_factory=list)
    """Things worth saying once (the diff base could not be read, ...)."""
    files: dict[str, bytes] = field(default_factory=dict)
    """Other files of the site by path (charts as SVG, ``plans.json``, ``deployments.ics``)."""

    def problems(self) -> Iterable[Problem]:
        """Every format error of every plan, then the ignored files."""
        for item in self.loaded:
            yield from item.problems
        yield from self.ignored


T = TypeVar("T")


class PlanMemo(Generic[T]):
    """Values made once per plan object: under ``serve`` the cache hands back the same
    :class:`Plan` object while its file is unchanged, so what is derived from it alone (its
    findings, its search record) is kept with it."""

    def __init__(self) -> None:
        self._made: dict[int, tuple[Plan, T]] = {}

    def get(self, plan: Plan, make: Callable[[], T]) -> T:
        found = self._made.get(id(plan))
        if found is None or found[0] is not plan:  # (an id may be reused by a new object)
            found = self._made[id(plan)] = (plan, make())
        return found[1]

    def keep_only(self, plans: Iterable[Plan]) -> None:
        """Let go of what was made for plans a build no longer has."""
        live = {id(plan) for plan in plans}
        for stale in [k for k in self._made if k not in live]:
            del self._made[stale]

    def clear(self) -> None:
        self._made.clear()


@dataclass
class _Shared:
    """The portal's shared pages and files of one build (serve), and what they were made
    from."""

    key: str
    pages: list[GeneratedPage]
    files: dict[str, bytes]
    insights: PortalInsights | None
    notes: list[str]


class Cache:
    """What survives between builds of one ``mkdocs serve``: plans loaded and pages rendered,
    keyed by file content and by everything a page shows, so an edit re-does only what it
    touches."""

    def __init__(self) -> None:
        self.loaded = LoadCache()
        self.pages: dict[str, RenderedPage] = {}
        self.renderer: Renderer | None = None
        self.inputs: tuple[Settings, str] | None = None
        # Per plan object: its findings, and the digest of what the shared pages show of it.
        self.findings: PlanMemo[list[Problem]] = PlanMemo()
        self.verdicts: PlanMemo[Verdict] = PlanMemo()
        self.listings: PlanMemo[str] = PlanMemo()
        self.shared: _Shared | None = None

    def renderer_for(self, settings: Settings) -> Renderer:
        """The renderer for these settings and template overrides; pages rendered with other
        ones are dropped (an edited override re-renders every page)."""
        inputs = (settings, settings.templates_digest())
        if self.renderer is None or self.inputs != inputs:
            self.renderer, self.inputs = settings.renderer(), inputs
            self.pages.clear()
            self.findings.clear()
            self.verdicts.clear()
            self.shared = None
        return self.renderer

    def listing(self, plan: Plan) -> str:
        """The digest of :func:`listing` of a plan, made once per plan object."""
        return self.listings.get(plan, lambda: listing(plan))

    def forget_plans_but(self, loaded: Iterable[LoadedPlan]) -> None:
        """Drop what is kept of plans this build no longer has."""
        live = [item.plan for item in loaded if item.plan is not None]
        self.findings.keep_only(live)
        self.verdicts.keep_only(live)
        self.listings.keep_only(live)


def listing(plan: Plan) -> str:
    """A digest of everything the portal's shared pages and files (index, service
    histories, pattern pages, quality, insights, feeds) may read of a plan: the whole plan
    except what its steps say (their titles, commands, notes), of which only whether they
    have a duration, a command, a verification and an expected result counts there.

    An edit of a step's text then changes the plan's own page only (its findings, which do
    count, are compared apart)."""
    data = plan.model_dump(mode="json")
    for phase in data["phases"]:
        phase["steps"] = [
            (
                step.get("duration"),
                step.get("command") is None,
                step.get("verify") is None,
                bool(step.get("expected")),
            )
            for step in phase["steps"]
        ]
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _page_key(entry: Entry, portal: Portal) -> str:
    """Everything the plan page shows besides the plan file itself."""
    plan = entry.plan
    assert plan is not None
    pattern = portal.pattern(plan.strategy.pattern)

    def neighbour(other: Entry | None) -> tuple[str, str, str, str, str] | None:
        # Links to the older, newer and newest plans show their release and verdict badge.
        if other is None:
            return None
        v = other.verdict
        release = other.plan.release if other.plan else ""
        return (other.src_uri, release, v.kind, v.tone, v.label)

    parts = (
        entry.loaded.digest,
        entry.src_uri,
        neighbour(entry.prev),
        neighbour(entry.next),
        neighbour(portal.newest(plan.service)),
        entry.latest,
        (pattern.id, pattern.title, pattern.summary, pattern.rollback_time) if pattern else None,
        portal.patterns.get("expand-contract") is not None,
        [(f.rule, f.severity, f.line, f.col, f.path, f.message) for f in entry.loaded.findings],
        entry.change,
        entry.diff.as_dict() if entry.diff else None,
        portal.diff_base,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _unreadable(old: gitref.TreeFile, limit: int) -> str | None:
    """Why the base version of a plan is not read, or ``None``."""
    if not old.is_file:
        return "it is not a regular file there"
    if (old.size or 0) > limit:
        return f"it is {old.size:,} bytes there, over the {limit:,}-byte limit"
    return None


def _compare(settings: Settings, portal: Portal, registry: PatternRegistry) -> list[str]:
    """Compare every plan with its version at ``settings.diff_base``; notes to say once.

    A ref git cannot read turns the comparison off for every plan (one note). A plan git
    cannot give (a link, a folder, a file too large) loses its own comparison only: the
    other plans are still compared, and a note names the plan.
    """
    ref = settings.diff_base
    assert ref
    try:
        tree = gitref.list_tree(ref, settings.plans_dir, settings.base)
        top = gitref.repo_path(settings.plans_root, settings.base)
    except gitref.GitError as error:
        for entry in portal.entries:
            entry.change, entry.diff = None, None
        return [log_safe(f"diff_base '{ref}': {error}; plans are not compared")]
    before = {path for path in tree if PurePosixPath(path).name in PLAN_NAMES}
    notes: list[str] = []
    now: set[str] = set()
    compared: dict[str, Entry] = {}
    root = settings.plans_root
    for entry in portal.entries:
        # The path in the repository is read from where the plan was found, never by
        # resolving it: a link must not move (or hide) a plan.
        try:
            below = entry.loaded.path.relative_to(root).as_posix()
        except ValueError:
            continue
        rel = f"{top}/{below}" if top not in ("", ".") else below
        now.add(rel)
        if entry.plan is None:
            continue
        if rel not in before:
            entry.change = "new"
            continue
        why = _unreadable(tree[rel], settings.max_file_size)
        if why:
            notes.append(
                log_safe(f"diff_base '{ref}': {entry.loaded.display} is not compared: {why}")
            )
            continue
        compared[rel] = entry
    # One git process reads every base version, whatever the number of plans.
    try:
        blobs = gitref.read_blobs((tree[rel].oid for rel in compared), settings.base)
    except gitref.GitError as error:
        return [log_safe(f"diff_base '{ref}': {error}; plans are not compared")]
    for rel, entry in compared.items():
        assert entry.plan is not None
        base = load_bytes(blobs.get(tree[rel].oid, b""), f"{ref}:{rel}", registry, path=Path(rel))
        old = base.plan if check_ignores(base) else None
        result = diff_plans(old, entry.plan, old_label=ref, new_label="this version")
        if old is not None and not result.same:
            entry.change, entry.diff = "changed", result
    portal.diff_base = ref
    portal.removed = sorted(before - now)
    return notes


def _load_and_lint(
    settings: Settings, registry: PatternRegistry, cache: Cache, *, keep: bool
) -> tuple[list[LoadedPlan], list[Problem]]:
    """Every plan, linted; with ``keep`` (serve), loaded through the cache."""
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
        # A plan's findings depend on it alone (and the rules, which reset the cache):
        # linted once per version of the file.
        for item in loaded:
            plan = item.plan
            # (check_ignores turns a plan that ignores an unknown rule into an invalid one.)
            if plan is None or not check_ignores(item):
                continue
            findings = cache.findings.get(plan, partial(lint_plan, item, settings.disable_rules))
            item.findings = list(findings)
        cache.forget_plans_but(loaded)
    for item in loaded:
        if item.plan is None:  # made invalid after loading (two plans, one address)
            item.findings = []
    return loaded, ignored


def _plan_pages(
    portal: Portal, renderer: Renderer, cache: Cache, *, keep: bool
) -> list[GeneratedPage]:
    """A page per plan address: the plan, or its error page; reused from the cache (serve)
    when nothing it shows changed. Pages the build no longer uses leave the cache."""
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
        elif keep:
            key = _page_key(entry, portal)
            used.add(key)
            cached = cache.pages.get(key)
            if cached is None:
                cached = cache.pages[key] = renderer.plan_page(entry, portal)
            pages.append(GeneratedPage(entry.src_uri, cached, entry))
        else:  # one build: nothing to reuse, so no key to compute
            pages.append(GeneratedPage(entry.src_uri, renderer.plan_page(entry, portal), entry))
    for stale in [k for k in cache.pages if k not in used]:
        del cache.pages[stale]
    return pages


def _portal_pages(
    settings: Settings, portal: Portal, renderer: Renderer, taken: set[str], notes: list[str]
) -> list[GeneratedPage]:
    """The index, quality, rules and service history pages."""
    list_services = len(portal.by_service) > settings.nav_services  # not in the nav
    index = renderer.index_page(portal, list_services=list_services)
    pages = [
        GeneratedPage(portal.index_src(), index, None, "index"),
        GeneratedPage(portal.quality_src(), renderer.quality_page(portal), None, "quality"),
        GeneratedPage(portal.rules_src(), renderer.rules_page(), None, "rules"),
    ]
    for service in portal.by_service:
        src = portal.service_src(service)
        if src in taken:
            notes.append(
                log_safe(
                    f"no history page for service '{service}': a plan's own page is at "
                    f"'{src}' (keep plans in folders below {settings.plans_dir}/{service}/)"
                )
            )
            continue
        pages.append(GeneratedPage(src, renderer.service_page(service, portal), None, "service"))
    return pages


def _pattern_pages(
    settings: Settings, registry: PatternRegistry, portal: Portal, renderer: Renderer
) -> list[GeneratedPage]:
    """A page per pattern, and the library's other pages as they are."""
    pages: list[GeneratedPage] = []
    for pattern in registry.patterns.values():
        if pattern.source is None:
            continue
        page = renderer.pattern_page(pattern.text, pattern.id, portal)
        pages.append(GeneratedPage(portal.pattern_src(pattern.id), page, None, "pattern"))
    for name, text in registry.pages.items():
        uri = posixpath.join(settings.patterns_url, name)
        pages.append(GeneratedPage(uri, RenderedPage(text, ""), None, "patterns-page"))
    return pages


def generate(settings: Settings, cache: Cache | None = None) -> SiteResult:
    """Load, lint and render every page of the portal.

    With a ``cache`` (``mkdocs serve``), plans and plan pages whose inputs did not change
    since the last call are reused, and so are the portal's shared pages and files when
    nothing they show changed; without one nothing is kept.
    """
    keep = cache is not None
    cache = cache or Cache()
    renderer = cache.renderer_for(settings)
    registry = load_patterns(settings.patterns_root)
    loaded, ignored = _load_and_lint(settings, registry, cache, keep=keep)
    portal = Portal.build(
        loaded, registry, settings.plans_url, settings.patterns_url, settings.quality_url
    )
    if keep:
        _reuse_verdicts(portal, cache)
    notes = _compare(settings, portal, registry) if settings.diff_base else []
    key = _shared_key(settings, portal, registry, cache) if keep else ""
    shared = cache.shared if keep and cache.shared and cache.shared.key == key else None
    if shared is not None:
        portal.insights = shared.insights
        files = shared.files
    else:
        files = _insights(settings, portal, renderer)
    pages = _plan_pages(portal, renderer, cache, keep=keep)
    if shared is not None:
        notes += shared.notes
        return SiteResult(
            portal, pages + shared.pages, loaded, registry.problems + ignored, notes, files
        )
    others: list[GeneratedPage] = []
    shared_notes: list[str] = []
    if portal.entries or settings.plans_root.is_dir():
        taken = {page.src_uri for page in pages}
        others += _portal_pages(settings, portal, renderer, taken, shared_notes)
    notes += shared_notes
    others += _pattern_pages(settings, registry, portal, renderer)
    if portal.insights is not None:
        src = portal.insights.page_src()
        others.append(GeneratedPage(src, renderer.insights_page(portal), None, "insights"))
    if keep:
        cache.shared = _Shared(key, others, files, portal.insights, shared_notes)
    return SiteResult(portal, pages + others, loaded, registry.problems + ignored, notes, files)


def _reuse_verdicts(portal: Portal, cache: Cache) -> None:
    """A plan's verdict depends on the plan and its findings alone (linted once per plan
    object): computed once per plan object under `serve`."""

    def made(entry: Entry) -> Callable[[], Verdict]:
        return lambda: entry.verdict

    for entry in portal.valid:
        if entry.plan is not None:
            entry.known_verdict = cache.verdicts.get(entry.plan, made(entry))


def _shared_key(settings: Settings, portal: Portal, registry: PatternRegistry, cache: Cache) -> str:
    """A digest of everything the shared pages and files show: per plan its address, its
    :func:`listing`, its findings (places left out), its change against the diff base; the
    invalid plans' problems; the patterns; the settings and the build date."""
    digest = hashlib.sha256()
    for entry in portal.entries:
        plan = entry.plan
        if plan is None:
            problems = [(p.line, p.col, p.path, p.message) for p in entry.loaded.problems]
            part: object = (entry.src_uri, entry.loaded.display, problems)
        else:
            findings = [(f.rule, f.severity, f.path, f.message) for f in entry.loaded.findings]
            part = (entry.src_uri, entry.loaded.display, cache.listing(plan), findings)
        digest.update(repr((part, entry.change)).encode() + b"\0")
    for pattern in registry.patterns.values():  # the page's text is one of its fields
        digest.update(repr(dataclasses.astuple(pattern)).encode() + b"\0")
    for name, text in registry.pages.items():
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    today = settings.today or build_date()
    # Whether the plans folder exists decides which shared pages there are at all.
    shown = (settings, today, portal.diff_base, portal.removed, settings.plans_root.is_dir())
    digest.update(repr(shown).encode())
    return digest.hexdigest()


def _insights(settings: Settings, portal: Portal, renderer: Renderer) -> dict[str, bytes]:
    """Figures and charts on the portal (for the pages) and the feeds' files."""
    if not (settings.insights or settings.feeds) or not settings.plans_root.is_dir():
        return {}
    today = settings.today or build_date()
    files: dict[str, bytes] = {}
    if settings.insights:
        portal.insights = collect(portal, today, renderer.insight_words, settings.insights_url)
        files.update({k: v.encode() for k, v in portal.insights.files().items()})
    if settings.feeds:
        site, dirs = settings.site_url, settings.directory_urls
        prefix = settings.plans_url
        files[posixpath.join(prefix, "plans.json")] = plans_json(portal, today, site, dirs).encode()
        schema = json.dumps(plans_schema(), indent=1) + "\n"
        files[posixpath.join(prefix, "plans.schema.json")] = schema.encode()
        stamp = dt.datetime.combine(today, dt.time(), dt.timezone.utc)
        files[posixpath.join(prefix, "deployments.ics")] = deployments_ics(
            portal, stamp, site, dirs, t=renderer.insight_words
        )
        if portal.insights is not None:
            portal.insights.feeds = {
                kind: posixpath.join(prefix, name)
                for kind, name in (
                    ("json", "plans.json"),
                    ("schema", "plans.schema.json"),
                    ("ics", "deployments.ics"),
                )
            }
    return files
