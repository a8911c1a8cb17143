"""The Jinja2 environment and the page functions.

Templates write Markdown for the page skeleton (headings, so the table of contents, deep
links and search sections work) and HTML for everything else. HTML is written inside
``{% call html() %}`` blocks: the block becomes a *fragment* and the Markdown gets an
alphanumeric token in its place. After Markdown has run, :func:`apply_fragments` puts the
HTML back. So plan text never passes through the Markdown parser or another plugin's
``on_page_markdown`` (a macros plugin sees ``{{`` only as tokens), and commands keep their
tabs, trailing spaces and backticks.

Autoescaping is on: a plan string printed without a filter is HTML-escaped. In Markdown
context use ``|mdtext``; Markdown fields use ``|md``; shell text uses ``|shell``.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    pass_context,
)
from markupsafe import Markup

from ..fields import duration_seconds
from ..insights.figures import format_seconds
from ..insights.upcoming import verdict_of
from ..lint.quality import RULES_DOC, quality
from ..model import STANDARD_PHASES, Plan, Role
from ..portal import Entry, Portal, relative
from ..problems import Problem
from ..verdict import executed_since
from .diff_text import blocky, summary_line
from .escape import (
    html_title,
    ident,
    md_field,
    md_inline,
    md_text,
    safe_tag,
    shell_block,
    slug,
    ticks,
    url_path,
    visible,
)
from .figures import shown_quality, shown_stats
from .gfm import fence, gfm_line, gfm_text, gfm_ticks, gfm_url
from .gfm_md import gfm_md
from .words import Words

__all__ = [
    "RenderedPage",
    "Renderer",
    "apply_fragments",
    "front_matter",
    "inline_fragments",
    "page_url",
]

_TOKEN_RE = re.compile(r"<p>(rbf[0-9a-f]{10}n\d+z)</p>|(rbf[0-9a-f]{10}n\d+z)")


@dataclass
class RenderedPage:
    """A generated page: Markdown with fragment tokens, and the fragments' HTML."""

    markdown: str
    title: str
    fragments: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    """Page metadata (``tags``, ``hide``): the plugin sets it on the page, ``export`` writes
    it as front matter. Kept out of the Markdown so MkDocs holds no second copy of it."""


def apply_fragments(html: str, fragments: Mapping[str, str]) -> str:
    """Put the fragments' HTML back in place of their tokens in the converted page."""
    if not fragments:
        return html

    def put(match: re.Match[str]) -> str:
        key = match.group(1) or match.group(2)
        return fragments.get(key, match.group(0))

    return _TOKEN_RE.sub(put, html)


_WRAPPER_RE = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*>")


def inline_fragments(page: RenderedPage) -> str:
    """The page as self-contained Markdown for any Python-Markdown engine (the export).

    Each fragment becomes a one-line raw HTML block: newlines, tabs and braces inside it are
    written as character references, so neither Markdown (which expands tabs and ends blocks
    at blank lines) nor a template plugin (``{{``) can change a command. A fragment that only
    opens an element (the rollback box) gets ``markdown="1"`` so that the headings up to its
    closing fragment are still Markdown (``md_in_html``).
    """

    def encode(fragment: str) -> str:
        if _WRAPPER_RE.fullmatch(fragment) and not fragment.startswith("</"):
            fragment = fragment[:-1] + ' markdown="1">'
        return (
            fragment.replace("\r", "&#13;")
            .replace("\n", "&#10;")
            .replace("\t", "&#9;")
            .replace("{", "&#123;")
            .replace("}", "&#125;")
        )

    return apply_fragments(page.markdown, {k: encode(v) for k, v in page.fragments.items()})


_BETWEEN_TAGS = re.compile(r">\s+<")


def _tight(html: str) -> Markup:
    """HTML without the whitespace between tags (generated tables and charts: fewer nodes
    for the search index to parse)."""
    return Markup(_BETWEEN_TAGS.sub("><", str(html)))


def _param_text(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_param_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_param_text(v) for v in value)
    return "—" if value is None else str(value)


def item_hash(*parts: object) -> str:
    """A short hash of an item's content: a tick is dropped when its item changes."""
    data = json.dumps(
        [p.model_dump() if hasattr(p, "model_dump") else p for p in parts], default=str
    )
    return hashlib.sha256(data.encode()).hexdigest()[:12]


def check_hash(*parts: object) -> str:
    """The full hash of a checklist item: its tick-box id, unique for any item text."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The address of the page made from ``src_uri``, as MkDocs gives it (not encoded)."""
    stem = posixpath.splitext(src_uri)[0]
    if not directory_urls:
        return stem + ".html"
    name = posixpath.basename(stem)
    if name in ("index", "README"):
        folder = posixpath.dirname(stem)
        return folder + "/" if folder else ""
    return stem + "/"


def url_between(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """A relative, percent-encoded address from one generated page to another."""
    here, there = page_url(from_src, directory_urls), page_url(to_src, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    rel = posixpath.relpath(there or ".", base.rstrip("/") or ".")
    if there.endswith("/") or not there:
        rel = "./" if rel == "." else rel + "/"
    return url_path(rel)


def _plain(value: Any) -> Any:
    """Jinja2 ``finalize``: every plain string printed by a template shows its hidden
    characters (bidi controls, zero-width, CR, ...) as ``<U+XXXX>`` before it is escaped."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value)
    return value


_ISO_TIME_RE = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(?::00(?:\.0+)?)?(Z|[+-]\d\d:\d\d)?$")


def readable_time(value: str) -> str:
    """``2026-12-08T06:00:00+01:00`` as ``2026-12-08 06:00 +01:00`` (other text unchanged)."""
    match = _ISO_TIME_RE.match(value)
    if not match:
        return value
    day, time, zone = match.groups()
    return f"{day} {time}" + (" UTC" if zone == "Z" else f" {zone}" if zone else "")


def owner_roles(plan: Plan) -> list[Role]:
    """The roles that the rollback owner names (by person or by role), for their contact."""
    owner = plan.rollback.owner.casefold()
    return [r for r in plan.roles if r.name.casefold() in owner or r.role.casefold() in owner]


def _mentions(text: str, ident: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(ident)}(?![\w])", text) is not None


def applies(plan: Plan) -> dict[str, list[tuple[str, str]]]:
    """Which step applies which migration, both ways.

    A step applies a migration when its command is the migration's command, or when its id
    or title names the migration's id. Keys ``step:<uid>`` give the migration ids a step
    applies; keys ``migration:<id>`` give ``(step uid, number)`` of the steps applying it.
    """
    out: dict[str, list[tuple[str, str]]] = {}
    items = plan.migrations.items if plan.migrations else []
    for pn, phase in enumerate(plan.phases, 1):
        for sn, step in enumerate(phase.steps, 1):
            for item in items:
                same = item.command is not None and step.command is not None
                same = same and (item.command or "").strip() == (step.command or "").strip()
                named = _mentions(step.uid, item.id) or _mentions(step.title, item.id)
                if same or named:
                    out.setdefault("step:" + step.uid, []).append((item.id, item.description))
                    out.setdefault("migration:" + item.id, []).append((step.uid, f"{pn}.{sn}"))
    return out


def severity_counts(findings: list[Problem]) -> dict[str, int]:
    """Findings by severity, for the summary of the plan review."""
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return counts


def front_matter(meta: Mapping[str, Any]) -> str:
    """``meta`` as a YAML front matter block (for files written by ``export``)."""
    # JSON is YAML: values are quoted, so nothing in a plan can break the front matter.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def _environment(loaders: list[Any], autoescape: bool) -> Environment:
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_plain if autoescape else None,
    )


# The site templates' filters: one escaper per context (see docs/architecture.md).
_SITE_FILTERS: dict[str, Any] = {
    "mdtext": md_text,
    "md": md_field,
    "mdi": md_inline,
    "shell": shell_block,
    "slug": slug,
    "item_hash": item_hash,
    "seconds": duration_seconds,
    "ticks": ticks,
    "ident": ident,
    "readable": readable_time,
    "hms": format_seconds,
    "tight": _tight,
}


class Renderer:
    """Renders pages from a portal. One renderer serves a whole build."""

    def __init__(
        self,
        templates_dir: Path | None = None,
        words: Words | None = None,
        directory_urls: bool = True,
    ) -> None:
        loaders: list[Any] = []
        if templates_dir is not None:
            loaders.append(FileSystemLoader(str(templates_dir)))
        loaders.append(PackageLoader("mkdocs_runbooks.render", "templates"))
        self.words = words or Words()
        self.directory_urls = directory_urls
        # Fragment tokens are unpredictable: plan text cannot name one (a release equal to
        # a token would otherwise be replaced by that fragment).
        self.nonce = secrets.token_hex(5)
        self.insight_words: Callable[[str], str] = self.words.get

        def environment(autoescape: bool) -> Environment:
            return _environment(loaders, autoescape)

        env = environment(autoescape=True)
        env.filters.update(_SITE_FILTERS)
        env.globals.update(
            t=self.words.get,
            # The templates' own text is ASCII (entities for dashes and arrows): a page of
            # ASCII plan text is then a one-byte-per-character string in memory, not two
            # (MkDocs holds every page's HTML until the build ends).
            dash=Markup("&mdash;"),
            STANDARD_PHASES=STANDARD_PHASES,
            phase_title=self.phase_title,
            step_hash=item_hash,
            script_words=self.words.script(),
            diff_blocky=blocky,
            check_hash=check_hash,
            diff_summary=lambda change: summary_line(change, "→"),
            ti=self.insight_words,
            verdict_of=verdict_of,
        )
        self.env = env
        # Portable GitHub-flavoured Markdown: no HTML at all, so no HTML autoescaping; every
        # plan string goes through gtext (gline at a line start, gticks for a finding), gmd
        # or fence.
        gfm = environment(autoescape=False)
        gfm.filters.update(
            gtext=gfm_text,
            gline=gfm_line,
            gticks=gfm_ticks,
            gmd=self._gfm_block(gfm_md),
            fence=self._gfm_block(fence),
            gurl=gfm_url,
            pvalue=_param_text,
        )
        gfm.globals.update(t=self.words.get, phase_title=self.phase_title)
        self.gfm_env = gfm

    def _gfm_block(self, write: Callable[..., Markup]) -> Callable[..., Markup]:
        """A filter writing a block (a Markdown field, a code block) as a key on its own
        line, replaced by the block once the template's blank lines are squeezed: the
        squeezing never touches a block's lines (a heredoc keeps its blank lines)."""
        nonce = self.nonce

        @pass_context
        def block(context: Any, value: Any, *args: Any) -> Markup:
            text = str(write(value, *args))
            if not text:
                return Markup("")
            blocks: dict[str, str] = context["gfm_blocks"]
            key = f"rbg{nonce}n{len(blocks)}z"
            blocks[key] = text
            return Markup(key)

        return block

    def phase_title(self, phase: Any) -> str:
        if phase.title:
            return str(phase.title)
        known = self.words.get("phase:" + phase.phase, "")
        return known or phase.phase.replace("-", " ").capitalize()

    def _render(self, template: str, src_uri: str, **context: Any) -> RenderedPage:
        fragments: dict[str, str] = {}
        nonce = self.nonce

        def keep(caller: Callable[[], str], block: bool) -> Markup:
            key = f"rbf{nonce}n{len(fragments)}z"
            fragments[key] = str(caller()).strip()
            return Markup(f"\n\n{key}\n\n" if block else key)

        def html(caller: Callable[[], str]) -> Markup:
            return keep(caller, True)

        def inline(caller: Callable[[], str]) -> Markup:
            return keep(caller, False)

        def link(to_src: str) -> str:
            """A Markdown link target (MkDocs resolves it), percent-encoded."""
            return url_path(relative(src_uri, to_src))

        def href(to_src: str) -> str:
            """An HTML link target: the page's final address, relative, percent-encoded."""
            return url_between(src_uri, to_src, self.directory_urls)

        text = self.env.get_template(template).render(
            html=html, inline=inline, link=link, href=href, src_uri=src_uri, **context
        )
        text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
        title = str(context.get("title", ""))
        # MkDocs and the themes print titles as HTML (nav, <title>, header, search).
        return RenderedPage(text, title, fragments, meta={"title": html_title(title)})

    def plan_page(self, entry: Entry, portal: Portal) -> RenderedPage:
        """The runbook page of a valid plan."""
        plan = entry.plan
        assert plan is not None
        pattern = portal.pattern(plan.strategy.pattern)
        expand = portal.pattern("expand-contract")
        page = self._render(
            "plan.md.j2",
            entry.src_uri,
            title=plan.display_title,
            plan=plan,
            entry=entry,
            portal=portal,
            pattern=pattern,
            pattern_src=portal.pattern_src(pattern.id) if pattern else None,
            expand_src=portal.pattern_src(expand.id) if expand else None,
            findings=entry.loaded.findings,
            rules_src=portal.rules_src(),
            steps_total=sum(len(p.steps) for p in plan.phases),
            verdict=entry.verdict,
            newest=portal.newest(plan.service),
            owner_roles=owner_roles(plan),
            applies=applies(plan),
            counts=severity_counts(entry.loaded.findings),
        )
        tags = [plan.service, plan.strategy.pattern, plan.status, plan.environment]
        # Themes print tags as HTML (search results, the tags plugin): safe characters only.
        page.meta["tags"] = [t for t in (safe_tag(tag) for tag in tags) if t]
        return page

    def gfm_plan(self, entry: Entry, portal: Portal) -> str:
        """One plan as standalone GitHub-flavoured Markdown: same content and order as the
        page, no raw HTML, commands in fences (``mkdocs-runbooks render``)."""
        plan = entry.plan
        assert plan is not None
        blocks: dict[str, str] = {}
        text = self.gfm_env.get_template("plan.gfm.j2").render(
            gfm_blocks=blocks,
            plan=plan,
            entry=entry,
            portal=portal,
            pattern=portal.pattern(plan.strategy.pattern),
            findings=entry.loaded.findings,
        )
        text = re.sub(r"\n(?:[ \t]*\n)+", "\n\n", text).strip() + "\n"
        if not blocks:
            return text
        return re.sub(rf"rbg{self.nonce}n[0-9]+z", lambda m: blocks[m.group(0)], text)

    def error_page(self, entry: Entry, problems: list[Problem]) -> RenderedPage:
        """The page shown at an invalid plan's address: its problems."""
        return self._render(
            "invalid.md.j2",
            entry.src_uri,
            title=f"{self.words.get('Invalid plan')}: {entry.loaded.folder}",
            entry=entry,
            problems=problems,
        )

    def pattern_page(self, text: str, pattern_id: str, portal: Portal) -> RenderedPage:
        """A pattern page: its own Markdown (front matter kept), then the plans using it."""
        pattern = portal.pattern(pattern_id)
        users = portal.users_of(pattern) if pattern else []
        src = portal.pattern_src(pattern_id)
        title = pattern.title if pattern else pattern_id
        page = self._render(
            "pattern_users.md.j2",
            src,
            title=title,
            users=users,
            pattern=pattern,
            portal=portal,
        )
        page.markdown = text.rstrip() + "\n\n" + page.markdown
        return page

    def index_page(self, portal: Portal, *, list_services: bool = False) -> RenderedPage:
        """The plan index: every plan, newest first, with counts and a filter; with
        ``list_services`` (when the nav does not list them) a list of the services."""
        rolled_back = sum(
            1
            for e in portal.valid
            if e.plan and e.plan.outcome and e.plan.outcome.result == "rolled-back"
        )
        invalid = [e for e in portal.entries if not e.valid and e.src_uri]
        page = self._render(
            "index.md.j2",
            portal.index_src(),
            title=self.words.get("Plans"),
            portal=portal,
            entries=portal.valid,
            invalid=invalid,
            rolled_back=rolled_back,
            list_services=list_services,
        )
        page.meta["hide"] = ["toc"]
        return page

    def quality_page(self, portal: Portal) -> RenderedPage:
        """Portal-wide coverage and findings by rule."""
        return self._render(
            "quality.md.j2",
            portal.quality_src(),
            title=self.words.get("Plan quality"),
            portal=portal,
            quality=shown_quality(quality([e.loaded for e in portal.entries])),
            rules_src=portal.rules_src(),
        )

    def rules_page(self) -> RenderedPage:
        """The rules reference shipped with the package."""
        return RenderedPage(RULES_DOC.read_text(encoding="utf-8"), "Best-practice rules")

    def service_page(self, service: str, portal: Portal) -> RenderedPage:
        """One service's history, newest first, with its figures."""
        return self._render(
            "service.md.j2",
            portal.service_src(service),
            title=service,
            service=service,
            history=portal.by_service[service],
            stats=shown_stats(portal.stats(service)),
            production=portal.in_production(service),
            newest=portal.newest(service),
            since=executed_since,
            portal=portal,
        )

    def insights_page(self, portal: Portal) -> RenderedPage:
        """The portal's delivery figures and charts (``insights`` option)."""
        assert portal.insights is not None
        page = self._render(
            "insights.md.j2",
            portal.insights.page_src(),
            title=self.insight_words("Insights"),
            portal=portal,
            insights=portal.insights,
        )
        return page
