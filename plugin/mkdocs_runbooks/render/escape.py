"""The escapers. Every plan string reaches a page through exactly one of them.

- :func:`md_text`: plain text placed in Markdown (headings, table cells): HTML-escaped, then
  Markdown punctuation backslash-escaped, so it shows as written and builds nothing.
- :func:`md_field`: a Markdown field, converted to HTML and cleaned with an allow-list
  (``nh3``): formatting stays, scripts, handlers and ``javascript:`` links do not.
- :func:`shell_block`: shell text as a ``<pre><code>`` block whose text content is the
  command byte for byte (it never passes through the Markdown parser).
- :func:`ticks`: a finding's message in HTML, escaped, with its backticked parts as code.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

__all__ = ["md_field", "md_text", "shell_block", "slug", "ticks"]

# The characters Python-Markdown (with tables and attr_list) gives a meaning to; each is
# backslash-escaped, which Python-Markdown and CommonMark both undo when rendering.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def md_text(value: object) -> Markup:
    """Plain text for a Markdown context: shown literally, never markup."""
    text = html.escape(str(value), quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # Newlines would end a heading or a table row; plain fields are one line on a page.
    return Markup(" ".join(text.split("\n")))


_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) - {"img", "map", "area", "center", "hgroup", "nav"}
_ALLOWED_ATTRS = {k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items() if k in _ALLOWED_TAGS}
_ALLOWED_ATTRS.setdefault("code", set()).add("class")
_ALLOWED_ATTRS.setdefault("a", set()).add("title")


def _clean(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@lru_cache(maxsize=8192)
def _md_to_html(text: str) -> str:
    converter = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
    # A heading inside a field sits below the page's own headings (h1-h3): shift it by 3.
    return _HEADING_RE.sub(_shift_heading, _clean(converter.convert(text)))


_HEADING_RE = re.compile(r"<(/?)h([1-6])\b")


def _shift_heading(match: re.Match[str]) -> str:
    return f"<{match.group(1)}h{min(6, int(match.group(2)) + 3)}"


def md_field(value: str | None) -> Markup:
    """A Markdown field as sanitised HTML."""
    if not value:
        return Markup("")
    return Markup(_md_to_html(value))


def md_inline(value: str | None) -> Markup:
    """A short Markdown field as inline HTML (a single paragraph loses its ``<p>``)."""
    out = md_field(value)
    match = re.fullmatch(r"<p>(.*)</p>", out.strip(), re.S)
    return Markup(match.group(1)) if match and "<p>" not in match.group(1) else out


def shell_block(value: str | None, label: str = "", extra: str = "") -> Markup:
    """Shell text as a copyable code block: its text content equals ``value`` exactly.

    ``extra`` is a class name for a block that repeats a command shown elsewhere (the first
    rollback command in the "If it goes wrong" card)."""
    if value is None:
        return Markup("")
    body = html.escape(value, quote=False)
    aria = f' aria-label="{html.escape(label)}"' if label else ""
    cls = f"rb-code {html.escape(extra)} copy" if extra else "rb-code copy"
    return Markup(f'<div class="{cls}"{aria}><pre><code>{body}</code></pre></div>')


def slug(value: str) -> str:
    """An HTML id fragment from any text."""
    return re.sub(r"[^a-z0-9._-]+", "-", value.lower()).strip("-") or "x"


_TICKS_RE = re.compile(r"`([^`]+)`")


def ticks(value: object) -> Markup:
    """A message for an HTML context: HTML-escaped, with its `backticked` parts as code."""
    text = html.escape(str(value), quote=False)
    return Markup(_TICKS_RE.sub(r"<code>\1</code>", text))
