"""The MkDocs adapter: files, nav, watch and logging around the core.

Everything plan-specific happens in the core (load, lint, portal, render); this module only
turns its results into ``File.generated`` pages, a nav section, log lines and the final
HTML (fragments put back in place).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import posixpath
from collections.abc import Iterable
from html import escape as html_escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

from . import search, search_start
from .config import RunbooksConfig
from .insights.collect import PortalInsights
from .insights.snippet import SNIPPET_MARK, upcoming_html
from .lint import RULES
from .load import LoadedPlan
from .model import Plan
from .navadd import NavItems, append_sections, pages_in
from .pagemark import with_mark
from .portal import Entry, Portal
from .problems import SEVERITY_ORDER, log_safe
from .render import RenderedPage, apply_fragments
from .render.escape import html_title, readable
from .render.words import Words
from .serving import Collector, TemplateCode
from .site import Cache, GeneratedPage, PlanMemo, Settings, generate

__all__ = ["RunbooksPlugin"]

log = get_plugin_logger(__name__)

_I18N = frozenset({"mkdocs_static_i18n"})

ASSETS = Path(__file__).parent / "assets"
CSS_URI = "assets/runbooks/runbooks.css"
PRINT_CSS_URI = "assets/runbooks/print.css"
JS_URI = "assets/runbooks/runbooks.js"
PORTAL_JS_URI = "assets/runbooks/portal.js"
INSIGHTS_CSS_URI = "assets/runbooks/insights.css"
SEARCH_JS_URI = "assets/runbooks/search.js"
SEARCH_CSS_URI = "assets/runbooks/search.css"
ASSET_FILES = {
    "insights.css": INSIGHTS_CSS_URI,
    "runbooks.css": CSS_URI,
    "print.css": PRINT_CSS_URI,
    "runbooks.js": JS_URI,
    "portal.js": PORTAL_JS_URI,
}


class RunbooksPlugin(BasePlugin[RunbooksConfig]):  # type: ignore[no-untyped-call]
    """Turns ``plans/**/deployment-plan.yaml`` into runbook pages."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        self.dirty = False
        self.last_engine = ""  # under `serve`: the search engine of the last build
        self.last_upcoming = ""  # under `serve --dirty`: a digest of the upcoming list
        # Kept across the builds of one `mkdocs serve` (the instance persists, see
        # on_startup): loaded plans and rendered pages by content, and a hash of each
        # page's Markdown so that `--dirty` rebuilds only the pages whose content changed.
        self.cache = Cache()
        self.built: dict[str, tuple[RenderedPage, str, str]] = {}
        self.written: dict[str, bytes] = {}
        # Under `serve`: the File of each plan page of the last build, reused while the
        # page and where it comes from and goes to are the same.
        self.plan_files: dict[str, tuple[tuple[str, ...], str, _PageFile]] = {}
        self.builds = 0
        self.template_code = TemplateCode()
        self.collector = Collector()  # under `serve --dirty`: full collections between builds
        # Under `serve`: Pagefind's record of each plan object of the last build.
        self.records: PlanMemo[search.PlanRecord] = PlanMemo()
        self.indexer = search.Background()  # Pagefind runs under `mkdocs serve`
        self._reset()

    def _reset(self) -> None:
        self.pages: dict[str, RenderedPage] = {}
        self._own: dict[str, File] = {}
        """The site's files by the address they are written to (``dest_uri``)."""
        self.skipped: set[str] = set()
        """Generated pages left out because a site's page is written to their address."""
        self._real = (Path(), Path())
        self.sections: NavItems = []
        self.strict_serve = False
        self.upcoming: PortalInsights | None = None
        self.plans_root = Path()
        self.patterns_root: Path | None = None
        # Plan search (search.py): the engine of this build and what Pagefind shows of each plan.
        self.search_engine = "material"
        self.early_start = False
        """The plugin's pages create Pagefind's worker from their head (search_start.py)."""
        self.early_everywhere = False
        """On every page of the plugin (Material's search box), not only the plans index."""
        self.search_records: dict[str, search.PlanRecord] = {}
        self.index_src = ""

    # A persistent plugin under `mkdocs serve`: MkDocs keeps the instance across rebuilds
    # when it defines on_startup, so caches can survive; per-build state is reset below.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.indexer.stop()  # a rebuild under `serve`: the last Pagefind run is outdated
        self._reset()
        if self.serving and self.builds:
            self.collector.collect_due(self._release)
        if not self.config.enabled:
            return None
        base = Path(config.config_file_path or ".").resolve().parent
        self.base = base
        # `mkdocs serve` of a strict site: a plan's problems must not abort the preview.
        self.strict_serve = self.serving and bool(config.strict)
        self.plans_root = base / self.config.plans_dir
        patterns_root = base / self.config.patterns_dir
        self.patterns_root = patterns_root if patterns_root.is_dir() else None
        for ext in ("attr_list", "tables", "toc"):
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        for uri in (CSS_URI, PRINT_CSS_URI, INSIGHTS_CSS_URI):
            if uri not in config.extra_css:
                config.extra_css.append(uri)
        scripts = [str(x) for x in config.extra_javascript]
        for uri in (JS_URI, PORTAL_JS_URI):
            if uri not in scripts:
                config.extra_javascript.append(uri)
        i18n = _plugin_named(config, _I18N)
        if i18n:
            log.warning(
                f"plugin '{i18n}' (mkdocs-static-i18n) rebuilds the file list from docs_dir and "
                "drops or fails on pages made in memory, so the runbook pages cannot be built "
                "with it; use theme.language or the runbooks 'language' option instead "
                "(see the compatibility page of the mkdocs-runbooks docs)"
            )
        return config

    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        unknown = [r for r in self.config.disable_rules if r.upper() not in RULES]
        if unknown:
            log.warning(
                f"disable_rules: unknown rule id(s) {', '.join(unknown)} "
                f"(known: {', '.join(sorted(RULES))})"
            )
        if not self.plans_root.is_dir() and self.config.plans_dir != "plans":
            log.warning(f"plans_dir '{self.config.plans_dir}' is not a folder; no plans built")
        # The theme's language is read here, not in on_config: plugins whose on_config runs
        # later (techdocs-core replaces the theme) would otherwise make the result depend
        # on the order of `plugins:`.
        result = generate(self._settings(config), cache=self.cache if self.serving else None)
        for problem in result.problems():
            self._warn(problem.text())
        for note in result.notes:
            log.info(note)
        self._log_findings(result.loaded)
        # Resolved once: no link below the plans folder is followed (see load.discover).
        self._real = (self.plans_root.resolve(), Path(config.docs_dir).resolve())
        self._own = {f.dest_uri: f for f in files}
        self._generate_all(files, config, result.pages)
        # Nothing below needs the plans again: the pages hold what they show. (Under
        # `serve` the cache keeps what the next build can reuse.)
        for name, uri in ASSET_FILES.items():
            if files.get_file_from_path(uri) is None:
                files.append(self._data_file(config, uri, (ASSETS / name).read_bytes()))
        # Charts, `plans.json` and `deployments.ics` (never in docs/); a site's own file at
        # the same path wins.
        for uri, content in result.files.items():
            if files.get_file_from_path(uri) is None:
                files.append(self._data_file(config, uri, content))
        self.upcoming = result.portal.insights
        if self.serving and self.dirty:
            self._refresh_snippet_pages(files)
        self._nav(config, result.portal)
        self._search(config, files, result.portal)
        return files

    def _generate_all(self, files: Files, config: MkDocsConfig, pages: list[GeneratedPage]) -> None:
        for item in pages:
            self._generate(files, config, item.src_uri, item.page, item.entry)
        if self.serving:  # the Files of plans gone are not kept
            self.plan_files = {k: v for k, v in self.plan_files.items() if k in self.pages}

    def _refresh_snippet_pages(self, files: Files) -> None:
        """``serve --dirty`` writes a site's page again only when its file changed: a page
        showing the upcoming list (``SNIPPET_MARK``) is written again when the list did."""
        shown = upcoming_html(self.upcoming, str) if self.upcoming is not None else ""
        digest = hashlib.sha256(shown.encode()).hexdigest()
        if digest == self.last_upcoming:
            return
        self.last_upcoming = digest
        for file in files.documentation_pages():
            if isinstance(file, _PageFile) or file.abs_src_path is None:
                continue
            with contextlib.suppress(OSError, UnicodeDecodeError):
                if SNIPPET_MARK in file.content_string:
                    file.is_modified = _always  # type: ignore[method-assign]

    def _warn(self, message: str) -> None:
        """A plan's problem: a warning (so `build --strict` fails on it), except under
        `mkdocs serve` of a strict site, where a warning would abort the preview and hide
        the error page that shows it; there it is logged at info level."""
        if self.strict_serve:
            log.info(f"{message} (a warning in `mkdocs build`)")
        else:
            log.warning(message)

    def _search(self, config: MkDocsConfig, files: Files, portal: Portal) -> None:
        binary = search.binary() if self.config.search != "material" else None
        choice = search.choose_engine(
            self.config.search,
            len(portal.valid),
            self.config.search_threshold,
            available=binary is not None,
            offline=_material_plugin_on(config, "offline"),
        )
        if choice.note:
            log.log(choice.level, choice.note)
        if self.serving and choice.engine != self.last_engine:
            # Plan pages carry the engine's marks: every one is written again on a switch.
            self.last_engine = choice.engine
            for file in files:
                if isinstance(file, _PageFile):
                    file.changed = True
        self.search_engine = choice.engine
        self.early_start = False
        if choice.engine != "pagefind":
            return
        self.early_start = search_start.speaks_worker_protocol(binary)
        if not self.early_start:
            log.debug("search: plan pages load Pagefind through pagefind.js (no early start)")
        # Material's header search box gets plan results on every page; with other themes
        # (or Material's search plugin turned off: no box in the header) only the plans
        # index has a box plan search serves.
        self.early_everywhere = config.theme.name == "material" and _material_plugin_on(
            config, "search"
        )
        if self.early_start and files.get_file_from_path(search_start.WORKER_URI) is None:
            content = search_start.worker_script()
            files.append(File.generated(config, search_start.WORKER_URI, content=content))
        self.index_src = portal.index_src()
        self.search_records = {e.src_uri: self._record(e.plan) for e in portal.valid if e.plan}
        self.records.keep_only(e.plan for e in portal.valid if e.plan)
        if files.get_file_from_path(SEARCH_JS_URI) is None:
            words = Words(self._settings(config).language, dict(self.config.words))
            content = search.script(words)
            files.append(File.generated(config, SEARCH_JS_URI, content=content))
        if files.get_file_from_path(SEARCH_CSS_URI) is None:
            content = (ASSETS / "search.css").read_bytes()
            files.append(File.generated(config, SEARCH_CSS_URI, content=content))
        if SEARCH_JS_URI not in [str(x) for x in config.extra_javascript]:
            config.extra_javascript.append(SEARCH_JS_URI)
        if SEARCH_CSS_URI not in config.extra_css:
            config.extra_css.append(SEARCH_CSS_URI)

    def _record(self, plan: Plan) -> search.PlanRecord:
        """What Pagefind shows of a plan; under `serve`, made once per plan object (the
        cache reuses the objects of unchanged files)."""
        if not self.serving:
            return search.PlanRecord.of(plan)
        return self.records.get(plan, lambda: search.PlanRecord.of(plan))

    def _settings(self, config: MkDocsConfig) -> Settings:
        settings = Settings.from_options(
            self.base, self.config, _theme_language(config), config.use_directory_urls
        )
        return dataclasses.replace(settings, site_url=config.site_url or "")

    def _log_findings(self, loaded: list[LoadedPlan]) -> None:
        level = self.config.findings_as_warnings
        worst = SEVERITY_ORDER.get(level, -1)
        for item in loaded:
            for finding in item.findings:
                if SEVERITY_ORDER[finding.severity] <= worst:
                    self._warn(finding.text())
                else:
                    log.debug(finding.text())

    def _generate(
        self,
        files: Files,
        config: MkDocsConfig,
        src_uri: str,
        page: RenderedPage,
        entry: Entry | None = None,
    ) -> File:
        if entry is None:
            file: File = _PageFile.generated(config, src_uri, content=page.markdown)
        else:
            file = self._plan_file(config, src_uri, page, entry.loaded.path)
        assert isinstance(file, _PageFile)
        # A site's file written to the same address: the same source path, or another one
        # (`insights.md` and `insights/index.md` both give `insights/index.html`).
        clash = self._own.get(file.dest_uri)
        if clash is not None:
            if self._site_page_wins(clash, file, entry):
                return clash
            files.remove(clash)
        # In a nav only where the site's nav or the plugin's sections put it: never listed
        # by MkDocs' nav from files, by nav plugins' globs, or as "not included in the nav".
        file.inclusion = InclusionLevel.NOT_IN_NAV
        # A plan's page shows its file's name too (the "edit this page" link).
        file.changed = self._changed(src_uri, page, entry.loaded.display if entry else "")
        files.append(file)
        self.pages[src_uri] = page
        return file

    def _plan_file(
        self, config: MkDocsConfig, src_uri: str, page: RenderedPage, path: Path
    ) -> File:
        """The File of a plan's page; under `serve`, the last build's while nothing it holds
        changed (making 10,000 of them again took a good part of a rebuild)."""
        plans_real, docs_real = self._real
        where = (path, plans_real, docs_real, config.site_dir, config.use_directory_urls)
        key = tuple(str(x) for x in where)
        kept = self.plan_files.get(src_uri)
        if kept is not None and kept[0] == key and kept[1] is page.markdown:
            file = kept[2]
            file.page = None  # MkDocs makes the page of this build
            return file
        # The folder is resolved, the file is not: a plan that is a link names the link.
        try:
            yaml_path = plans_real / path.relative_to(self.plans_root)
        except ValueError:  # pragma: no cover - every plan is below the plans folder
            yaml_path = path.parent.resolve() / path.name
        file = _plan_file(config, src_uri, page.markdown, yaml_path, docs_real)
        if self.serving:
            self.plan_files[src_uri] = (key, page.markdown, file)
        return file

    def _site_page_wins(self, clash: File, file: File, entry: Entry | None) -> bool:
        """Whether the site's file ``clash``, written to the generated page's address, is
        kept: always, except against a plan's page, which replaces it (with a warning)."""
        if clash.src_uri == file.src_uri:
            where = f"the plan's page '{log_safe(file.src_uri)}' replaces the file of the same name"
            if entry is not None:
                log.warning(f"{log_safe(entry.loaded.display)}: {where} in docs_dir")
            # The site's own page at a generated page's path wins, silently (a site's own
            # plans index, say): the nav entry of that path still leads to a page.
            return entry is None
        where = f"'{log_safe(clash.src_uri)}' and the generated page '{log_safe(file.src_uri)}'"
        if entry is not None:
            log.warning(
                f"{log_safe(entry.loaded.display)}: {where} are both written to "
                f"'{log_safe(file.dest_uri)}'; the plan's page replaces the site's page"
            )
            return False
        log.warning(
            f"the site's page {where} are both written to '{log_safe(file.dest_uri)}': the "
            "site's page is kept and the generated one left out; move one of them (the "
            "runbooks options plans_url, patterns_url, quality_url and insights_url say "
            "where the generated pages go)"
        )
        self.skipped.add(file.src_uri)
        return True

    def _data_file(self, config: MkDocsConfig, uri: str, content: bytes) -> File:
        """A generated file that ``mkdocs serve --dirty`` writes again only when its bytes
        differ from the last build's."""
        file = _PageFile.generated(config, uri, content=content)
        assert isinstance(file, _PageFile)
        if self.serving:
            last = self.written.get(uri)
            file.changed = last is None or (last is not content and last != content)
            self.written[uri] = content
        return file

    def _changed(self, src_uri: str, page: RenderedPage, source: str = "") -> bool:
        """Whether the page differs from the last build's (``mkdocs serve --dirty`` writes
        only those); in a one-off build every page is new."""
        if not self.serving:
            return True
        last = self.built.get(src_uri)
        if last is not None and last[0] is page and last[2] == source:
            return False  # the very page of the last build, reused from the cache
        # The Markdown holds the HTML fragments as tokens: their HTML counts too.
        shown = (page.markdown, sorted(page.fragments.items()), page.title, page.meta, source)
        digest = hashlib.sha256(repr(shown).encode()).hexdigest()
        self.built[src_uri] = (page, digest, source)
        return last is None or last[1] != digest

    def _nav(self, config: MkDocsConfig, portal: Portal) -> None:
        plans: list[Any] = [portal.index_src(), portal.quality_src()]
        if portal.insights is not None:
            plans.append(portal.insights.page_src())
        plans = [src for src in plans if src not in self.skipped]
        # Every page carries the nav: past `nav_services` services the index lists them.
        services_in_nav = len(portal.by_service) <= self._settings(config).nav_services
        for service, history in portal.by_service.items():
            if self.config.nav_plans:
                # Plan pages keep their own plain title (`<service> <release>` or the
                # plan's title) in the nav, as in the page's <title>.
                items = [portal.service_src(service)] + [e.src_uri for e in history]
                plans.append({html_title(service): items})
            elif services_in_nav:
                plans.append({html_title(service): portal.service_src(service)})
        invalid = {e.src_uri: e for e in portal.entries if e.plan is None and e.src_uri}
        if invalid:
            plans.append({"Invalid plans": list(invalid)})
        patterns: list[Any] = []
        if "index.md" in portal.patterns.pages:
            patterns.append(posixpath.join(self.config.patterns_url, "index.md"))
        patterns += [
            {html_title(p.title): portal.pattern_src(p.id)}
            for p in sorted(portal.patterns.patterns.values(), key=lambda p: (p.kind, p.title))
        ]
        self.sections = [{self.config.nav_title: plans}]
        if patterns:
            self.sections.append({self.config.patterns_nav_title: patterns})
        if config.nav is not None:
            # The site's nav: only its `plans/` and `patterns/` entries are filled in.
            sections = {self.config.plans_url: plans, self.config.patterns_url: patterns}
            config.nav = _expand(config.nav, sections)

    # After every nav plugin (awesome-nav 100, awesome-pages 0, blog -50): the site's nav is
    # final; the plugin's sections are appended to it, never written into config.nav.
    @event_priority(-100)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled or self.config.nav != "auto" or not self.sections:
            return None
        if config.nav is not None or pages_in(nav) & set(self.pages):
            # The site's nav says where the pages go: its `nav:` (awesome-pages puts it
            # back by now when it took it away for `...`), a SUMMARY.md (literate-nav), or
            # a nav plugin that listed some of the pages.
            return None
        return append_sections(nav, self.sections, files, config)

    # Before any other plugin's on_page_markdown (mkdocs-macros runs at the default 0).
    @event_priority(100)
    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        rendered = self.pages.get(page.file.src_uri)
        if rendered is not None:
            # The title is plain text from the plan, set before plugins that read
            # `page.title` (markdownextradata, macros) run; otherwise MkDocs would take the
            # Markdown of the first heading (escapes and attribute list included). A title
            # the site's nav gives the page (`Runbooks: plans/index.md`) is kept. Themes
            # print `page.title` as HTML (MkDocs' own titles are the heading's escaped
            # text), so the plain title is HTML-escaped here and nowhere else.
            if rendered.title and "title" not in vars(page):
                page.title = html_escape(rendered.title, quote=False)
            # Generated pages carry plan text: never evaluated as a template by
            # mkdocs-macros. A site's own pattern page may opt in with `render_macros: true`.
            page.meta.setdefault("render_macros", False)
            # Tags and `hide` of generated pages are page metadata, not front matter in the
            # Markdown (MkDocs would keep a second copy of every page without it).
            for key, value in rendered.meta.items():
                page.meta.setdefault(key, value)
            if page.file.src_uri in self.search_records:
                # Pagefind indexes plan pages: the theme's index (Material) leaves them out.
                page.meta.setdefault("search", {"exclude": True})
        return None

    @event_priority(100)
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        rendered = self.pages.get(page.file.src_uri)
        if rendered is None:
            return _upcoming_snippet(html, page, files, self.upcoming)
        # Plain text was written as character references for Markdown; in HTML the plain
        # characters mean the same (< > & and quotes stay escaped).
        html = apply_fragments(readable(html), rendered.fragments)
        # The table of contents too: its titles are the headings' HTML, which MkDocs' own
        # search (themes mkdocs, readthedocs) shows escaped ("1&#46;1" for "1.1").
        _readable_titles(page.toc)
        record = self.search_records.get(page.file.src_uri)
        if record is not None:
            html = search.wrap_plan(html, record)
        elif self.search_engine == "pagefind" and page.file.src_uri == self.index_src:
            html = search.with_search_box(html)
        # The mark the plugin's CSS is scoped to (`:has(.rb-page)`).
        html = with_mark(html)
        if not self.serving:
            # One build: the fragments are in the page now; do not hold them until the end.
            rendered.fragments = {}
        return html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        # Plan search: the plugin's own pages with a search box it serves create Pagefind's
        # worker from their <head>, so that it loads while the theme's scripts run
        # (search_start.py); the site's pages are left as they are.
        if not (self.early_start and isinstance(page.file, _PageFile)):
            return None
        if self.early_everywhere or page.file.src_uri == self.index_src:
            return search_start.with_start(output, page.url, search.PAGEFIND_OPTIONS)
        return None

    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        # MkDocs makes the theme's environment again for every build: under `serve` its
        # compiled templates are kept (Jinja checks each template's source against them).
        if self.serving and env.bytecode_cache is None:
            env.bytecode_cache = self.template_code
        return None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.builds += 1
        if self.serving and self.dirty:
            # A rebuild of `serve --dirty` makes few pages: no full collection in it (one
            # after it). A plain `serve` rebuild makes every page, as a build does, and
            # keeps Python's own collections (without them, 14% more memory at its peak).
            self.collector.start()
            self.collector.build_done(self._release)
        if self.search_engine != "pagefind":
            return
        prefix = self.config.plans_url.strip("/")
        glob = f"{prefix}/**/*.html" if prefix else None
        count = len(self.search_records)

        def done(error: str | None) -> None:
            if error:
                log.warning(f"Pagefind could not index the plan pages, plan search is off: {error}")
            else:
                log.info(f"Pagefind indexed {count} plan pages into {search.SEARCH_DIR}/")

        try:
            if self.serving:
                # The rebuilt pages are served now; the plan index follows when Pagefind ends.
                self.indexer.start(Path(config.site_dir), glob, done)
                return
            search.index_site(Path(config.site_dir), glob)
        except (search.PagefindError, OSError) as error:
            done(str(error))
            return
        done(None)

    def _release(self) -> None:
        """Between two builds of `serve`: the kept Files let go of the last build's pages."""
        for _, _, file in self.plan_files.values():
            file.page = None

    def on_shutdown(self) -> None:
        self.indexer.stop()
        self.collector.stop()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if not self.config.enabled:
            return None
        for folder in (self.plans_root, self.patterns_root):
            if folder is not None and folder.is_dir():
                server.watch(str(folder))
        if self.config.templates_dir:
            server.watch(str(self.base / self.config.templates_dir))
        return server


def _upcoming_snippet(
    html: str, page: Page, files: Files, insights: PortalInsights | None
) -> str | None:
    """The site's own page asked for the upcoming deployments with ``<!-- runbooks:upcoming
    -->``: put the list there (links relative to this page)."""
    if insights is None or SNIPPET_MARK not in html:
        return None

    def href(src_uri: str) -> str:
        target = files.get_file_from_path(src_uri)
        if target is None:
            return "#"
        return str(get_relative_url(target.url, page.url))

    return html.replace(SNIPPET_MARK, upcoming_html(insights, href), 1)


def _theme_language(config: MkDocsConfig) -> str:
    theme = config.theme
    try:
        return str(theme["language"] or theme["locale"] or "en")
    except (KeyError, TypeError):
        return "en"


def _material_plugin_on(config: MkDocsConfig, name: str) -> bool:
    """Whether Material's plugin ``name`` (``search``, ``offline``) is in the site and not
    turned off (``enabled: false``, which Material's plugins offer for ``!ENV`` switches)."""
    return any(
        type(p).__module__.startswith(f"material.plugins.{name}")
        and getattr(p.config, "enabled", True) is not False
        for p in config.plugins.values()
    )


def _readable_titles(items: Iterable[AnchorLink]) -> None:
    for item in items:
        item.title = readable(item.title)
        _readable_titles(item.children)


def _always() -> bool:
    return True


class _PageFile(File):
    """A generated page or file that tells ``mkdocs serve --dirty`` whether its content
    changed."""

    changed: bool = True

    def is_modified(self) -> bool:
        return self.changed or not os.path.isfile(self.abs_dest_path)


def _plan_file(
    config: MkDocsConfig, src_uri: str, markdown: str, yaml_path: Path, docs_real: Path
) -> _PageFile:
    """The page of one plan: its Markdown is in memory, its source is the plan's YAML.

    Not ``File.generated``: a generated file has no source on disk, so plugins that look
    at the source (git-revision-date-localized, git-committers) skip it or use the build
    time. Here ``abs_src_path`` names the YAML file, so they see the plan's own history,
    while MkDocs reads the page from the content set in memory (which wins over the path).
    """
    file = _PageFile(
        src_uri,
        src_dir=None,
        dest_dir=config.site_dir,
        use_directory_urls=config.use_directory_urls,
    )
    file.content_string = markdown  # (this setter clears abs_src_path: set it after)
    file.abs_src_path = str(yaml_path)
    # MkDocs joins edit_uri to the repository address as it is, and themes print the result
    # in an href: a folder name with `"`, `<` or a space is percent-encoded here.
    file.edit_uri = quote(
        posixpath.relpath(yaml_path.as_posix(), docs_real.as_posix()),
        safe="/",
    )
    return file


def _plugin_named(config: MkDocsConfig, packages: frozenset[str]) -> str | None:
    """Name in `plugins:` of the first plugin that comes from one of ``packages``."""
    for name, plugin in config.plugins.items():
        if type(plugin).__module__.split(".")[0] in packages:
            return str(name)
    return None


def _expand(items: Any, sections: dict[str, list[Any]]) -> Any:
    """Replace nav entries that point at a generated folder (``plans/``) by its pages."""
    if isinstance(items, list):
        return [_expand(item, sections) for item in items]
    if isinstance(items, dict):
        return {k: _expand_value(v, sections) for k, v in items.items()}
    return items


def _expand_value(value: Any, sections: dict[str, list[Any]]) -> Any:
    if isinstance(value, str):
        key = value.strip("/")
        if key in sections and value.endswith("/"):
            return sections[key]
        return value
    return _expand(value, sections)
