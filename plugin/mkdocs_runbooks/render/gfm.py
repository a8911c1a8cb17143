"""Escapers for portable, GitHub-flavoured Markdown (``mkdocs-runbooks render``).

No raw HTML is written: plain text is escaped only where CommonMark, GFM (GitHub) or
Python-Markdown would read syntax in it (the rules: docs/architecture.md, "Portable
Markdown"; proven by tests/test_gfm_escape.py), shell text goes into fenced code blocks whose
fence is longer than any backtick run inside, and Markdown fields are written again from
their parse (:mod:`.gfm_md`, with these escapers).
"""

from __future__ import annotations

import html
import re
from html.entities import html5
from urllib.parse import quote

from markupsafe import Markup

from ..fields import WEB_SCHEMES, leaves_site
from ..hidden import visible

__all__ = [
    "code_span",
    "escape_part",
    "fence",
    "gfm_line",
    "gfm_text",
    "gfm_ticks",
    "gfm_url",
    "link_allowed",
    "shown_line",
]


def shown_line(value: object) -> str:
    """What a plain value shows as in Markdown: hidden characters as ``<U+XXXX>`` (so a
    ``\\r`` cannot end a table row or a heading), line breaks as spaces (one line), those at
    either end dropped (a YAML block scalar ends with one)."""
    return " ".join(visible(str(value)).strip("\n").split("\n"))


# The rules of gfm_text (docs/architecture.md, "Portable Markdown"). Each pattern finds the
# characters to escape (``<`` and ``&`` as references, the rest with a backslash); they run
# on the whole value, and a delimiter run at its first or last character (next to template
# text it cannot see) is always escaped.
_ALWAYS = re.compile(r"[`\[\]|]")  # code spans, links and images, table cells
_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~]|\s*$)")  # an escape or a hard line break
_HTML_START = re.compile(r"<(?![ \t])")  # raw HTML, <autolinks>, <a@b> (Python-Markdown)
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]*;)")  # &amp; &#35; &#x23;
# At the value's end, a ``;`` the template writes next would complete a reference: ``&amp``,
# ``&#35``, not ``R&D`` (``&D;`` names no character).
_ENTITY_AT_END = re.compile(r"&(#[0-9]+|#[xX][0-9A-Fa-f]+|[0-9A-Za-z]+)?\s*$")
# Python-Markdown's attr_list reads ``{: ... }`` or ``{ ... }`` that ends a heading, a list
# item, a table cell or a paragraph's text (before a closing ``#`` run, which it drops): a
# ``}`` there that could close one is escaped (``\}``, read alike by CommonMark and
# Python-Markdown), wherever its ``{`` is (the ``{`` may be in text before the value). So is
# a first ``{`` after a code span (gfm_ticks), where attr_list reads attributes for the code.
_ATTR_CLOSE = re.compile(r"\}(?=[ \t#]*$)")
_RUN = re.compile(r"\*+|_+|~+")  # emphasis and GFM strikethrough delimiter runs
_WWW_DOT = re.compile(r"(?<![0-9A-Za-z])(?i:www)(\.)")  # GFM www. autolinks
_SCHEME_COLON = re.compile(r"(?<=[A-Za-z])(:)(?=//)")  # GFM http:// autolinks
_CLOSING_HASHES = re.compile(r"(?:(?<=[ \t])|^)(#)#*$")  # a heading's closing sequence
# A block a value would start at the beginning of a line (gfm_line only); any first ``#``,
# as Python-Markdown reads ``#x`` as a heading.
_BLOCK_START = re.compile(
    r"^(?:(>)|(#)|([-+])(?=[ \t]|$)|[0-9]{1,9}([.)])(?=[ \t]|$)|([-=])[-= \t]*$)"
)


def _edge_spaces(text: str, lead: bool = True, trail: bool = True) -> tuple[int, int]:
    """Where the value's leading and trailing whitespace end and start (Markdown strips
    it in paragraphs, headings and table cells, so it is written as character references).
    ``lead``/``trail`` false: that edge touches a code span, which keeps spaces."""
    start = len(text) - len(text.lstrip()) if lead else 0
    end = len(text.rstrip()) if trail else len(text)
    return start, max(start, end)


def _quiet_run(text: str, match: re.Match[str], start: int, end: int) -> bool:
    """Whether a ``*``, ``_`` or ``~`` run can neither open nor close: between two spaces
    of the value, or, for ``_``, between two letters or digits (``vault_token``)."""
    if match.start() <= start or match.end() >= end:
        return False  # next to the value's edge: what the template puts there is unknown
    before, after = text[match.start() - 1], text[match.end()]
    if before in " \t" and after in " \t":
        return True
    return match.group(0)[0] == "_" and before.isalnum() and after.isalnum()


def _reference_at_end(core: str, start: int) -> int | None:
    """Where a ``&`` ends the value that a following ``;`` would make a reference."""
    match = _ENTITY_AT_END.search(core, start)
    if match is None or match.group(1) is None:
        return None
    name = match.group(1)
    return match.start() if name.startswith("#") or name + ";" in html5 else None


def _escapes(text: str, start: int, end: int, line_end: bool = False) -> set[int]:
    """Offsets of the characters of ``text[start:end]`` to write with a backslash.
    ``line_end``: the value ends its line (nothing the template adds can follow it)."""
    core = text[:end]
    found: set[int] = set()
    for pattern in (_ALWAYS, _BACKSLASH, _HTML_START, _ENTITY):
        found.update(m.start() for m in pattern.finditer(core, start))
    close = _ATTR_CLOSE.search(core, start)
    if close is not None:
        before = core.rfind("}", start, close.start())
        # After another ``}`` of the value, its ``{`` must be between the two.
        if before < 0 or "{" in core[before + 1 : close.start()]:
            found.add(close.start())
    at_end = None if line_end else _reference_at_end(core, start)
    if at_end is not None:
        found.add(at_end)
    for pattern in (_WWW_DOT, _SCHEME_COLON, _CLOSING_HASHES):
        found.update(m.start(1) for m in pattern.finditer(core, start))
    for run in _RUN.finditer(core, start):
        if not _quiet_run(text, run, start, end):
            found.update(range(run.start(), run.end()))
    return found


# ``<`` and ``&`` as references: Python-Markdown, which may read this file too, takes no
# backslash escape for them (``\\<b>`` is raw HTML there).
_REFERENCE = {"<": "&lt;", "&": "&amp;"}


def _write(text: str, escaped: set[int], start: int, end: int) -> str:
    out: list[str] = []
    for i, char in enumerate(text):
        if i < start or i >= end:
            out.append(f"&#{ord(char)};")
        elif i in escaped:
            out.append(_REFERENCE.get(char, "\\" + char))
        else:
            out.append(char)
    return "".join(out)


def _escape(text: str, lead: bool = True, trail: bool = True) -> str:
    start, end = _edge_spaces(text, lead, trail)
    escaped = _escapes(text, start, end)
    if not lead and text.startswith("{"):
        escaped.add(0)
    return _write(text, escaped, start, end)


def escape_part(text: str, *, lead: bool, trail: bool, line_start: bool, line_end: bool) -> str:
    """One run of plain text inside a line that :mod:`.gfm_md` writes (``text`` holds no
    line break). ``lead``/``trail``: whitespace at that edge is written as references (the
    edge is a line's start or end); ``line_start``: the text begins a line, where it could
    start a block; ``line_end``: nothing follows it on its line."""
    start, end = _edge_spaces(text, lead, trail)
    escaped = _escapes(text, start, end, line_end)
    # Any ``{``: its ``}`` may be in a later part of the line (attr_list).
    escaped.update(i for i in range(start, end) if text[i] == "{")
    if line_start:
        _mark_block_start(text, start, end, escaped)
    return _write(text, escaped, start, end)


def _mark_block_start(text: str, start: int, end: int, escaped: set[int]) -> None:
    block = _BLOCK_START.match(text[start:end]) if start == 0 else None
    if block:
        group = next(g for g in range(1, 6) if block.group(g) is not None)
        escaped.add(block.start(group))


def gfm_text(value: object) -> Markup:
    """Plain text inside a line of GitHub-flavoured Markdown (after other text: a table
    cell, a heading's text, a task list item, between ``**``): shown exactly as
    :func:`shown_line` gives it. Only what CommonMark or GFM would read as syntax there is
    escaped; ``Pre-Deployment``, ``2.10``, ``payments.vault_token`` stay as they are."""
    return Markup(_escape(shown_line(value)))


def gfm_line(value: object) -> Markup:
    """:func:`gfm_text` for a value that begins a line or a list item's content, where it
    could also start a block (``# x``, ``> x``, ``- x``, ``1. x``, ``---``; ``#x`` for
    Python-Markdown)."""
    text = shown_line(value)
    start, end = _edge_spaces(text)
    escaped = _escapes(text, start, end)
    _mark_block_start(text, start, end, escaped)
    return Markup(_write(text, escaped, start, end))


# A backticked part of a finding's message: no space at either end (a code span would strip
# it), no backtick next to it (two code spans cannot touch).
_CODE_PART = re.compile(r"(?<!`)`([^`\s](?:[^`]*[^`\s])?)`(?!`)")


def gfm_ticks(value: object) -> Markup:
    """A finding's message: :func:`gfm_text`, with its `backticked` parts as code spans."""
    parts = _CODE_PART.split(shown_line(value))
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(code_span(part))
        elif part:
            out.append(_escape(part, lead=i == 0, trail=i == len(parts) - 1))
    return Markup("".join(out))


_TICKS = re.compile(r"`+")


def gfm_url(url: str) -> Markup:
    """A link target for a Markdown table: percent-encoded, so ``|``, spaces, newlines,
    brackets and parentheses cannot end the link or the table row, and no character
    reference is read in it."""
    # ``&`` as ``&amp;``: Markdown decodes character references in a link target
    # (``javascript&#58;`` would become ``javascript:``).
    return Markup(quote(url, safe=":/?#@!$&'*+,;=%~").replace("&", "&amp;"))


def link_allowed(url: str) -> bool:
    """Whether a link target in a Markdown field may be written as a link: ``http``,
    ``https``, ``mailto`` or a relative address on this host, as on the page (its
    sanitizer's allow-list); ``javascript:``, ``data:``, ``//host``, ``\\\\host`` are not,
    however encoded."""
    text = html.unescape(url.strip("<>"))
    text = re.sub(r"[\x00-\x20]", "", text)
    try:
        return not leaves_site(text, (*WEB_SCHEMES, "mailto"))
    except ValueError:  # not a URL (an unclosed IPv6 bracket, say)
        return False


def fence(value: str | None, info: str = "") -> Markup:
    """Shell text in a fenced code block; its content is ``value`` byte for byte, except
    that hidden characters show as ``<U+XXXX>``, as on the page (rule RB107 reports them):
    a raw ``\\r`` would end a line of the block, and a file has no copy button to copy the
    exact bytes while showing others."""
    if value is None:
        return Markup("")
    value = visible(value)
    longest = max((len(m) for m in _TICKS.findall(value)), default=0)
    ticks = "`" * max(3, longest + 1)
    body = value if value.endswith("\n") else value + "\n"
    return Markup(f"{ticks}{info}\n{body}{ticks}")


def code_span(text: str) -> str:
    """Plain text as inline code on one line, hidden characters made visible; the
    delimiter is longer than any backtick run inside. Code spans show ``<`` and ``&`` as
    text in Python-Markdown and CommonMark alike."""
    text = " ".join(visible(text).split("\n"))
    longest = max((len(m) for m in _TICKS.findall(text)), default=0)
    tick = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{tick}{pad}{text}{pad}{tick}"
