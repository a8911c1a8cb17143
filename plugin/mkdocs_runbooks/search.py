"""Search of plan pages: the choice of engine, the Pagefind attributes, the Pagefind index.

With Pagefind, plan pages are left out of the theme's search index (Material honours
``search: {exclude: true}`` in page metadata) and indexed after the build by Pagefind, whose
browser side fetches only the index chunks a query needs. Each plan page's content is
wrapped in an element with ``data-pagefind-body`` and carries its filters (service, status,
outcome, strategy), metadata (title, service, release, date, status) and sort key (date) as
the text of hidden elements: every value is HTML-escaped, and element text (rather than the
``key:value`` attribute form) keeps commas and colons in plan text from being read as
Pagefind syntax.

This module imports no MkDocs: the adapter calls it.
"""

from __future__ import annotations

import html
import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .model import OUTCOMES, STATUSES, Plan, Step
from .render.words import Words

__all__ = [
    "ENGINES",
    "PAGEFIND_OPTIONS",
    "SEARCH_DIR",
    "Background",
    "Choice",
    "PagefindError",
    "PlanRecord",
    "binary",
    "choose_engine",
    "index_site",
    "pagefind_available",
    "script",
    "script_words",
    "searched_text",
    "with_search_box",
    "wrap_plan",
]

ENGINES = ("auto", "material", "pagefind")
_ASSETS = Path(__file__).parent / "assets"
SEARCH_DIR = "pagefind"
"""Folder of the site where Pagefind writes its bundle (``pagefind/pagefind.js``, ...)."""
PAGEFIND_OPTIONS: dict[str, int | str] = {"excerptLength": 24}
"""Pagefind's options in the browser (with ``baseUrl``, the site's root): words of plan
text shown around the match in a result."""


@dataclass(frozen=True)
class PlanRecord:
    """What Pagefind indexes, shows and filters a plan by (plain strings, escaped when
    written)."""

    title: str
    service: str
    release: str
    date: str
    status: str
    outcome: str
    strategy: str
    text: tuple[str, ...] = ()
    """The searched text beyond the fields above: summary, owners, step titles, commands
    (not the verification commands)."""

    @classmethod
    def of(cls, plan: Plan) -> PlanRecord:
        return cls(
            title=plan.display_title,
            service=plan.service,
            release=plan.release,
            date=plan.date.isoformat(),
            status=plan.status,
            outcome=plan.outcome.result if plan.outcome else "none",
            strategy=plan.strategy.pattern,
            text=searched_text(plan),
        )

    def filters(self) -> dict[str, str]:
        return {
            "service": self.service,
            "status": self.status,
            "outcome": self.outcome,
            "strategy": self.strategy,
        }

    def meta(self) -> dict[str, str]:
        return {
            "title": self.title,
            "service": self.service,
            "release": self.release,
            "date": self.date,
            "status": self.status,
        }


def _step_text(steps: list[Step]) -> list[str]:
    out: list[str] = []
    for step in steps:
        out += [step.title, *(x for x in (step.owner, step.command) if x)]
    return out


def searched_text(plan: Plan) -> tuple[str, ...]:
    """The text of a plan that search finds it by, in page order: summary, owners, the
    phases' step titles, owners and commands, migration ids and commands, the rollback
    steps' titles, owners and commands. Long prose (rationale, risk notes, expected
    outcomes, notes, checklists, reviews, communications, outcome notes) is left out: it
    made Pagefind's index (and its memory while indexing) several times larger without
    finding plans better. So are the steps' verification commands: checks such as
    ``kubectl rollout status`` repeat the step's own names, and leaving them out took
    Pagefind's peak at 10,000 plans from 1,457-1,563 MiB to 1,310-1,398 MiB, under the
    1.5 GB target (docs/performance.md)."""
    out = [plan.environment]
    if plan.summary:
        out.append(plan.summary)
    out += [f"{role.role} {role.name}" for role in plan.roles]
    for phase in plan.phases:
        if phase.title:
            out.append(phase.title)
        out += _step_text(phase.steps)
    if plan.migrations:
        for item in plan.migrations.items:
            out += [item.id, *(x for x in (item.command, item.rollback) if x)]
    out.append(plan.rollback.owner)
    out += _step_text(plan.rollback.steps)
    return tuple(out)


@dataclass(frozen=True)
class Choice:
    engine: str
    """``material`` or ``pagefind``."""
    note: str | None = None
    """Something to log (``warning`` when the option asked for what cannot be had)."""
    level: int = logging.INFO


def pagefind_available() -> bool:
    """Whether the ``pagefind`` package and a Pagefind binary are installed."""
    return binary() is not None


def binary() -> str | None:
    """The Pagefind binary the ``pagefind`` package runs, if it and one are installed."""
    if importlib.util.find_spec("pagefind") is None:
        return None
    from pagefind.service import get_executable

    found = get_executable()
    return None if found is None else str(found)


def choose_engine(
    option: str, plans: int, threshold: int, *, available: bool, offline: bool
) -> Choice:
    """The engine for plan pages.

    ``auto`` picks Pagefind when it is installed, the portal has more than ``threshold``
    valid plans and Material's ``offline`` plugin is not on (Pagefind needs HTTP: browsers
    refuse its module and index fetches from ``file://``).
    """
    if option == "material":
        return Choice("material")
    if option == "pagefind":
        if available:
            return Choice("pagefind")
        return Choice(
            "material",
            "search: pagefind needs the Pagefind binary (pip install 'mkdocs-runbooks[pagefind]'); "
            "plan pages stay in the theme's search index",
            logging.WARNING,
        )
    if plans <= threshold:
        return Choice("material")
    if offline:
        return Choice(
            "material",
            f"search: auto keeps {plans} plans in the theme's search index because the offline "
            "plugin is on (Pagefind cannot load from file://)",
        )
    if not available:
        return Choice(
            "material",
            f"search: {plans} plans make a large search index for the browser; install "
            "'mkdocs-runbooks[pagefind]' to search plans with Pagefind",
        )
    return Choice("pagefind")


def _e(value: str) -> str:
    return html.escape(value, quote=True)


def wrap_plan(content: str, record: PlanRecord) -> str:
    """A plan page's HTML with, before it, the hidden ``data-pagefind-body`` element that
    Pagefind indexes instead of the page: the plan's title, service, release, date, status,
    outcome and strategy, then the text of ``record.text`` (summary, owners, step titles,
    commands; not the verification commands), one paragraph each, and its filters,
    metadata and sort key as unindexed elements. Every value is escaped plan text. The
    visible page is not indexed: its prose would make the index several times larger
    (docs/search.md)."""
    facts = [record.title, record.service, record.release, record.date, record.status]
    facts += [record.outcome, record.strategy]
    parts = ['<div class="rb-search-record" hidden data-pagefind-body>']
    parts += [f"<p>{_e(value)}</p>" for value in (*facts, *record.text)]
    parts.append("<div data-pagefind-ignore>")
    parts += [
        f'<span data-pagefind-filter="{key}">{_e(value)}</span>'
        for key, value in record.filters().items()
    ]
    parts += [
        f'<span data-pagefind-meta="{key}">{_e(value)}</span>'
        for key, value in record.meta().items()
    ]
    parts.append(f'<span data-pagefind-sort="date">{_e(record.date)}</span>')
    parts.append("</div></div>")
    return "".join(parts) + content


_SCRIPT_WORDS = {
    "en": {
        "heading": "Plans",
        "placeholder": "Search plans: service, release, step, command, owner…",
        "label": "Search plans",
        "any": "all",
        "service": "Service",
        "status": "Status",
        "outcome": "Outcome",
        "strategy": "Strategy",
        "found": "{n} plans found",
        "none": "No plan matches",
        "more": "Show more",
        "file": "Plan search needs the site served over HTTP: browsers do not let it load "
        "from a file:// page.",
        "failed": "Plan search could not load its index.",
    },
    "fr": {
        "heading": "Plans",
        "placeholder": "Chercher un plan : service, version, étape, commande, responsable…",
        "label": "Chercher un plan",
        "any": "tous",
        "service": "Service",
        "status": "Statut",
        "outcome": "Résultat",
        "strategy": "Stratégie",
        "found": "{n} plans trouvés",
        "none": "Aucun plan ne correspond",
        "more": "Voir plus",
        "file": "La recherche de plans demande un site servi en HTTP : les navigateurs "
        "l'interdisent depuis une page file://.",
        "failed": "La recherche de plans n'a pas pu charger son index.",
    },
}


def script_words(words: Words) -> dict[str, str]:
    """The search script's words in the site's language: its own (overridable through the
    ``words`` option as ``search:<key>``) and the names of statuses, outcomes and
    strategies."""
    own = {**_SCRIPT_WORDS["en"], **_SCRIPT_WORDS.get(words.language, {})}
    out = {key: words.get(f"search:{key}", text) for key, text in own.items()}
    for value in (*STATUSES, *OUTCOMES):
        out[f"value:{value}"] = words.get(value)
    out["value:none"] = words.get("no outcome yet")
    return out


def script(words: Words) -> bytes:
    """``assets/search.js`` with the site's words."""
    text = (_ASSETS / "search.js").read_text(encoding="utf-8")
    data = json.dumps(script_words(words), ensure_ascii=False).replace("<", "\\u003c")
    text = text.replace("/*RB_WORDS*/{}", data, 1)
    text = text.replace("/*RB_OPTIONS*/{}", json.dumps(PAGEFIND_OPTIONS, sort_keys=True), 1)
    return text.encode("utf-8")


_H1_END = re.compile(r"</h1>", re.IGNORECASE)


def with_search_box(content: str) -> str:
    """The plans index's HTML with the plan search box after its title (the script fills
    the box in; without JavaScript it stays empty and hidden), and its tables (every plan,
    the upcoming ones) left out of the theme's search index: Pagefind finds plans. At
    10,000 plans the table was 0.94 MB of Material's 2.1 MB index, which every page
    loads and indexes in the browser, on the same cores as plan search."""
    box = '<div class="rb-plan-search" data-rb-search hidden></div>'
    content = content.replace("<table>", "<table data-search-exclude>")
    match = _H1_END.search(content)
    if match is None:
        return box + content
    return content[: match.end()] + box + content[match.end() :]


class PagefindError(Exception):
    """Pagefind could not index the site (its message says why)."""


def _start(site_dir: Path, glob: str | None) -> tuple[subprocess.Popen[str], Path, Path]:
    """Start Pagefind on ``site_dir``, writing into a new folder; returns the process, that
    folder and the empty working folder it runs in."""
    found = binary()
    if found is None:
        raise PagefindError("no Pagefind binary (pip install 'mkdocs-runbooks[pagefind]')")
    site = site_dir.resolve()
    new = site / f".{SEARCH_DIR}-{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(new, ignore_errors=True)
    # "." inside words: releases (2.10, 7.3.1) and file names stay one word each, so a
    # release or a command fragment matches that plan, not every page with its digits.
    command = [found, "--site", str(site), "--output-subdir", new.name, "--quiet"]
    command += ["--include-characters", "."]
    if glob:
        command += ["--glob", glob]
    # An empty working folder (inside the site: nothing is written elsewhere), so that no
    # pagefind.yml of the current folder changes what Pagefind does.
    empty = site / f".{SEARCH_DIR}-cwd-{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(empty, ignore_errors=True)
    empty.mkdir()
    process = subprocess.Popen(
        command, cwd=empty, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    return process, new, empty


def _finish(process: subprocess.Popen[str], new: Path, empty: Path) -> None:
    """Wait for Pagefind; on success its bundle replaces ``<site>/pagefind`` (so a rebuild
    leaves no chunk of the last index behind, and a page never sees half an index)."""
    output, _ = process.communicate()
    shutil.rmtree(empty, ignore_errors=True)
    if process.returncode != 0:
        shutil.rmtree(new, ignore_errors=True)
        lines = (output or "").strip().splitlines()
        raise PagefindError(" / ".join(lines[-5:]) or f"exit status {process.returncode}")
    final = new.parent / SEARCH_DIR
    old = new.parent / f"{new.name}-old"
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def index_site(site_dir: Path, glob: str | None = None) -> None:
    """Run Pagefind on the built site; its bundle replaces ``site_dir/pagefind``.

    Only pages with ``data-pagefind-body`` (the plans) are indexed; ``glob`` (relative to
    the site) spares Pagefind reading the other pages. The binary is run rather than the
    ``pagefind.index`` Python API, which (pagefind 1.5.2, on this project's loaded CI
    machine) once left ``pagefind-entry.json`` empty: it stops its service as soon as the
    write request is answered.
    """
    _finish(*_start(site_dir, glob))


class Background:
    """Pagefind runs of ``mkdocs serve``: started after a build, waited for in a thread, so
    the rebuilt pages are served at once and the index follows seconds later. A new build
    stops the run still going (the process this object started, by its handle)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._paths: tuple[Path, Path] | None = None
        self._thread: threading.Thread | None = None

    def start(self, site_dir: Path, glob: str | None, done: Callable[[str | None], None]) -> None:
        self.stop()
        process, new, empty = _start(site_dir, glob)
        self._process, self._paths = process, (new, empty)

        def wait() -> None:
            try:
                _finish(process, new, empty)
            except (PagefindError, OSError) as error:
                if process.returncode is not None and process.returncode < 0:
                    return  # stopped by a newer build
                done(str(error))
                return
            done(None)

        self._thread = threading.Thread(target=wait, name="rb-pagefind", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        process, paths = self._process, self._paths
        if process is not None and process.poll() is None:
            process.terminate()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if paths is not None:
            for path in paths:
                shutil.rmtree(path, ignore_errors=True)
        self._process = self._paths = self._thread = None

    def wait(self) -> None:
        """Wait for the run in progress (tests, benchmarks)."""
        if self._thread is not None:
            self._thread.join()
