"""The plugin's own nav sections, added to the nav MkDocs (and any nav plugin) built.

The plugin never writes ``config.nav`` for a site without one: MkDocs builds the site's nav
from its files (the generated pages are ``NOT_IN_NAV``, so none of them shows up under a
folder name), nav plugins rework it in their ``on_nav``, and only then, at a lower
priority, the *Plans* and *Patterns* sections are appended (``nav: auto``).
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import (
    Navigation,
    Section,
    _add_parent_links,
    _add_previous_and_next_links,
    _get_by_type,
)
from mkdocs.structure.pages import Page

__all__ = ["NavItems", "append_sections", "pages_in"]

# A nav as in mkdocs.yml: a list of src_uris, {title: src_uri} and {title: [...]}.
NavItems = list[Any]


def pages_in(nav: Navigation) -> set[str]:
    """Source paths of the pages the nav lists."""
    return {page.file.src_uri for page in _get_by_type(nav.items, Page)}


def _items(data: NavItems, files: Files, config: MkDocsConfig) -> list[Any]:
    out: list[Any] = []
    for item in data:
        title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(value, list):
            children = _items(value, files, config)
            if children:
                out.append(Section(title=str(title), children=children))
            continue
        file = files.get_file_from_path(value)
        if file is None or file.inclusion.is_excluded():  # type: ignore[no-untyped-call]
            continue
        page = file.page if isinstance(file.page, Page) else Page(None, file, config)
        if title is not None:
            page.title = str(title)
        out.append(page)
    return out


def append_sections(
    nav: Navigation, sections: NavItems, files: Files, config: MkDocsConfig
) -> Navigation:
    """``nav`` with ``sections`` (nav data, as in mkdocs.yml) appended, linked as MkDocs
    links its own nav: previous/next pages and parents."""
    items = [*nav.items, *_items(sections, files, config)]
    pages = _get_by_type(items, Page)
    _add_previous_and_next_links(pages)
    _add_parent_links(items)
    return Navigation(items, pages)
