"""The mark every generated page carries: an element of class ``rb-page``.

The plugin's CSS is scoped to its own elements (``.rb-*``) or to pages holding this mark
(``:has(.rb-page)``), so none of its rules reaches a page of the site's own.
"""

from __future__ import annotations

import re

__all__ = ["PAGE_MARK", "with_mark"]

PAGE_MARK = '<div class="rb-page" hidden></div>'
_HAS_MARK = re.compile(r'class="(?:[^"]* )?rb-page[ "]')


def with_mark(html: str) -> str:
    """``html`` (a page's content, or Markdown) with the mark at its end, once. At the
    end, so that no first-child rule of a theme sees it."""
    if _HAS_MARK.search(html):
        return html
    return html.rstrip("\n") + "\n\n" + PAGE_MARK + "\n"
