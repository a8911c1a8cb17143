"""The real-shaped sites of ``tests/sites/``, built with and without ``runbooks``.

Each site is copied into a temporary folder; ``with_plugin`` adds ``runbooks`` to its
``plugins:`` and copies the contract's sample plans into ``plans/``. ``site_view`` reads a
built page as what a reader of the site sees of it: its title, its main content, and the
entries of its nav (links and section titles, in order).
"""

from __future__ import annotations

import posixpath
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from sitebuild import SPEC, Site, run_build

SITES = Path(__file__).resolve().parent / "sites"
PLUGIN_ROOTS = ("plans", "patterns", "quality", "insights")
PLUGIN_SECTIONS = {"Plans", "Patterns"}

_MAIN = (
    re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S),
    re.compile(r'<div class="col-md-9" role="main">(.*?)<footer', re.S),
    re.compile(r'<div role="main" class="document"[^>]*>(.*?)<footer', re.S),
)


def copy_site(
    name: str, dest: Path, *, plugin: Any = None, plans: bool = True, first: bool = False
) -> Path:
    """``tests/sites/<name>`` in ``dest``; with ``plugin`` (options or ``{}``) the
    ``runbooks`` plugin is added last in ``plugins:`` (first with ``first``) and the sample
    plans are copied."""
    shutil.copytree(SITES / name, dest)
    if plugin is None:
        return dest
    config_file = dest / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["plugins"].insert(
        0 if first else len(config["plugins"]), {"runbooks": plugin} if plugin else "runbooks"
    )
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    if plans:
        for name_, folder in (
            ("example", "checkout-api/2026-11-20-2.10"),
            ("minimal", "billing-worker/2026-12-01-4.2.0"),
        ):
            target = dest / "plans" / folder
            target.mkdir(parents=True)
            shutil.copy(SPEC / f"deployment-plan.{name_}.yaml", target / "deployment-plan.yaml")
    return dest


def build_pair(
    name: str, tmp_path: Path, plugin: Any = None, strict: bool = True, first: bool = False
) -> tuple[Site, Site]:
    """The site built without and with the plugin (``plugin``: its options; ``first``: the
    plugin listed first in ``plugins:``)."""
    without = run_build(copy_site(name, tmp_path / "without"), strict=strict)
    with_ = run_build(
        copy_site(name, tmp_path / "with", plugin=plugin or {}, first=first), strict=strict
    )
    return without, with_


def own_pages(site: Site) -> list[str]:
    """Addresses of every HTML page of a built site, relative to the site folder."""
    return sorted(
        p.relative_to(site.site_dir).as_posix()
        for p in site.site_dir.rglob("*.html")
        if not p.relative_to(site.site_dir).as_posix().startswith(PLUGIN_ROOTS)
    )


class _Entries(HTMLParser):
    """Links (href, text) and section labels outside the main content, in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: list[tuple[str, str, str]] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "a":
            self._open.append(["a", attr.get("href") or "", ""])
        elif tag == "label" and "md-nav__link" in (attr.get("class") or ""):
            self._open.append(["label", "", ""])

    def handle_data(self, data: str) -> None:
        for item in self._open:
            item[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "label") and self._open and self._open[-1][0] == tag:
            kind, href, text = self._open.pop()
            self.entries.append((kind, href, " ".join(text.split())))


@dataclass
class View:
    title: str
    main: str
    nav: list[tuple[str, str, str]]


def site_view(site: Site, rel: str) -> View:
    """What a reader sees of the page at ``rel`` (``tutorials/first-app/index.html``)."""
    text = (site.site_dir / rel).read_text(encoding="utf-8")
    title_match = re.search(r"<title>(.*?)</title>", text, re.S)
    title = title_match.group(1).strip() if title_match else ""
    main = ""
    for pattern in _MAIN:
        found = pattern.search(text)
        if found:
            main = found.group(1)
            text = text[: found.start(1)] + text[found.end(1) :]
            break
    parser = _Entries()
    parser.feed(text)
    # The mkdocs theme's previous/next buttons: disabled (no href) at the ends of the nav.
    entries = [e for e in parser.entries if not (e[1] == "" and e[2] in ("Next", "Previous"))]
    return View(title, main, entries)


def is_plugin_entry(rel: str, entry: tuple[str, str, str]) -> bool:
    """A nav entry that leads to a page of the plugin (or titles one of its sections)."""
    kind, href, text = entry
    if href in ("", "#") or kind == "label":
        return text in PLUGIN_SECTIONS
    if re.match(r"^[a-z]+:", href) or href.startswith("#"):
        return False
    path = href.split("#")[0]
    base = "" if path.startswith("/") else posixpath.dirname(rel)
    target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    return target.split("/")[0] in PLUGIN_ROOTS
