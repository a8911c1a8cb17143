"""The escapers. Every plan string reaches a page through exactly one of them.

- :func:`md_text`: plain text placed in Markdown (headings, table cells): every ASCII
  punctuation written as a numeric character reference, so no Markdown syntax of any
  extension a site enables (emphasis, ``==mark==``, ``:emoji:``, bare URLs, ``$math$``,
  ``(c)``, smart quotes, ``{: attr }``) can start, and no HTML either.
- :func:`md_field`: a Markdown field, converted to HTML and cleaned with an allow-list
  (``nh3``): formatting stays, scripts, handlers and ``javascript:`` links do not.
- :func:`shell_block`: shell text as a ``<pre><code>`` block whose text content is the
  command byte for byte (it never passes through the Markdown parser), shown with hidden
  characters made visible and copied exactly.
- :func:`ticks`: a finding's message in HTML, escaped, with its backticked parts as code.

Plain text inside HTML fragments is HTML-escaped by Jinja2's autoescaping, after
:func:`visible` (the environment's ``finalize``).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

import markdown
import nh3
from markupsafe import Markup, escape

from ..fields import reaches_other_host
from ..hidden import HIDDEN_RE as _HIDDEN_RE
from ..hidden import code_point, hidden_chars, is_hidden, visible
from ..mdcost import markdown_cost

__all__ = [
    "code_point",
    "hidden_chars",
    "html_title",
    "ident",
    "is_hidden",
    "md_field",
    "md_text",
    "readable",
    "safe_tag",
    "shell_block",
    "slug",
    "ticks",
    "url_path",
    "visible",
]


def one_line(text: str) -> str:
    """Visible text on one line (a plain field is one line on a page)."""
    return " ".join(visible(text).split("\n"))


# Every ASCII punctuation character, and a letter right after a digit (``1st``, which
# smartsymbols turns into an ordinal): written as numeric character references. Neither
# Python-Markdown nor any extension reads syntax in a character reference.
_MD_SPECIAL = re.compile(r"[!-/:-@\[-`{-~]|(?<=[0-9])[A-Za-z]")


def md_text(value: object) -> Markup:
    """Plain text for a Markdown context: shown literally, never markup."""
    return Markup(_MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", one_line(str(value))))


# In HTML, a character reference of a punctuation character or letter means the character
# itself; all but < > & " ' can be written back as plain characters once Markdown has run.
_READABLE = frozenset(range(0x21, 0x7F)) - {ord(c) for c in "<>&\"'"}
_NUMERIC_REF = re.compile(r"&#(\d{2,3});")


def readable(converted: str) -> str:
    """HTML converted from :func:`md_text` output, with its character references of ASCII
    punctuation and letters written back as characters: the same HTML, easier to read.
    Only for HTML *after* Markdown has run (in Markdown it would bring the syntax back)."""
    return _NUMERIC_REF.sub(
        lambda m: chr(int(m.group(1))) if int(m.group(1)) in _READABLE else m.group(0), converted
    )


def html_title(value: object) -> str:
    """A title for MkDocs and its theme (nav, ``<title>``, search), which print titles as
    HTML: one visible line, HTML-escaped."""
    return html.escape(" ".join(one_line(str(value)).split()), quote=True)


_TAG_UNSAFE = re.compile(r"[^\w .-]+")


def safe_tag(value: object) -> str:
    """A page tag from plan text: letters, digits, space, ``.``, ``_`` and ``-`` only.

    Themes and the tags plugin print tags as HTML (search results, tag pages), so nothing
    else reaches them; any other run of characters becomes ``-``."""
    return _TAG_UNSAFE.sub("-", visible(str(value))).strip(" -")


def url_path(path: str) -> str:
    """A relative page address, percent-encoded: only ``A-Za-z0-9/._~-`` and ``%`` stay."""
    return quote(path, safe="/")


_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) - {"img", "map", "area", "center", "hgroup", "nav"}
_ALLOWED_ATTRS = {k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items() if k in _ALLOWED_TAGS}
_ALLOWED_ATTRS.setdefault("code", set()).add("class")
_ALLOWED_ATTRS.setdefault("a", set()).add("title")
_URL_ATTRS = frozenset({"href", "src", "cite", "action", "formaction"})


def _attribute(_element: str, attribute: str, value: str) -> str | None:
    if attribute in _URL_ATTRS and reaches_other_host(value):
        return None
    return value


def _clean(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_attribute,
    )


@lru_cache(maxsize=8192)
def _md_to_html(text: str) -> str:
    if markdown_cost(text).too_high:
        # Refused at load time; never handed to Python-Markdown (quadratic on such text).
        return f"<pre>{html.escape(text, quote=False)}</pre>"
    converter = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
    # A heading inside a field sits below the page's own headings (h1-h3): shift it by 3.
    out = _HEADING_RE.sub(_shift_heading, _clean(converter.convert(text)))
    # Hidden characters show as <U+XXXX> here too, as in commands: a bidi override in a
    # code block of a field must not reorder what an operator reads and copies. As text
    # (no element), so that the replacement is valid inside an attribute value as well.
    return _HIDDEN_RE.sub(lambda m: f"&lt;{code_point(m.group(0))}&gt;", out)


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


def _shown(value: str) -> str:
    """Shell text as HTML: escaped, hidden characters as visible marks."""
    out: list[str] = []
    last = 0
    for match in _HIDDEN_RE.finditer(value):
        out.append(html.escape(value[last : match.start()], quote=False))
        point = code_point(match.group(0))
        name = unicodedata.name(match.group(0), "")
        title = f' title="{html.escape(name)}"' if name else ""
        out.append(f'<span class="rb-hidden-char"{title}>&lt;{point}&gt;</span>')
        last = match.end()
    out.append(html.escape(value[last:], quote=False))
    return "".join(out)


def _attr(value: str) -> str:
    """An attribute value that HTML parsing gives back exactly (``\\r`` included: the
    parser turns a raw CR into LF, but not a character reference)."""
    return html.escape(value, quote=True).replace("\r", "&#13;")


# Where an identifier may wrap on a phone (runbooks.css keeps it on one line elsewhere):
# after an underscore, before its label set and after a comma in it
# (``report_builder_`` / ``sql_errors`` / ``{method="a",`` / ``b="c"}``), never inside a word.
_IDENT_BREAK = re.compile(r"(?<=_)|(?=\{)|(?<=,)")


def ident(value: object) -> Markup:
    """An identifier (a metric, a threshold, a contact) as HTML text that never breaks
    inside a word, with a mark (``<span class="rb-brk">``) where a long one may wrap on a
    phone: runbooks.css gives the mark a break opportunity there only (Chromium breaks at a
    ``<wbr>`` even in ``white-space: nowrap``), and copied text holds nothing of it."""
    parts = _IDENT_BREAK.split(visible(str(value)))
    return Markup('<span class="rb-brk"></span>').join(escape(part) for part in parts)


def shell_block(value: str | None, label: str = "", extra: str = "") -> Markup:
    """Shell text as a code block: its text content equals ``value`` exactly, except that
    hidden characters show as ``<U+XXXX>``; the copy button copies ``value`` exactly.

    ``extra`` is a class name for a block that repeats a command shown elsewhere (the first
    rollback command in the "If it goes wrong" card)."""
    if value is None:
        return Markup("")
    shown = _shown(value)
    aria = f' aria-label="{html.escape(label)}"' if label else ""
    exact = f' data-rb-copy="{_attr(value)}"' if _HIDDEN_RE.search(value) else ""
    cls = f"rb-code {html.escape(extra)} no-copy" if extra else "rb-code no-copy"
    # A repeated block (the card's) may scroll, in its <pre> (runbooks.css): reachable with
    # the keyboard without script (the theme only manages the <code> of blocks).
    focus = ' tabindex="0"' if extra else ""
    return Markup(f'<div class="{cls}"{aria}{exact}><pre{focus}><code>{shown}</code></pre></div>')


def slug(value: str) -> str:
    """An HTML id fragment from any text."""
    return re.sub(r"[^a-z0-9._-]+", "-", value.lower()).strip("-") or "x"


_TICKS_RE = re.compile(r"`([^`]+)`")


def ticks(value: object) -> Markup:
    """A message for an HTML context: HTML-escaped, with its `backticked` parts as code."""
    text = html.escape(str(value), quote=False)
    return Markup(_TICKS_RE.sub(r"<code>\1</code>", text))
