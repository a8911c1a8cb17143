"""Escapers for portable, GitHub-flavoured Markdown (``mkdocs-runbooks render``).

No raw HTML is written: plain text is escaped only where CommonMark, GFM (GitHub) or
Python-Markdown would read syntax in it (the rules: docs/architecture.md, "Portable
Markdown"; proven by tests/test_gfm_escape.py), Markdown fields keep their Markdown but any
``<`` outside code is shown as text, and shell text goes into fenced code blocks whose fence
is longer than any backtick run inside.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from ..fields import reaches_other_host
from ..hidden import visible

__all__ = [
    "code_span",
    "fence",
    "gfm_line",
    "gfm_md",
    "gfm_text",
    "gfm_ticks",
    "gfm_url",
    "shown_line",
    "squeeze_blank_lines",
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
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]*(?:;|\s*$))")  # &amp; &#35; &#x23;
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


def _escapes(text: str, start: int, end: int) -> set[int]:
    """Offsets of the characters of ``text[start:end]`` to write with a backslash."""
    core = text[:end]
    found: set[int] = set()
    for pattern in (_ALWAYS, _BACKSLASH, _HTML_START, _ENTITY):
        found.update(m.start() for m in pattern.finditer(core, start))
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
    return _write(text, _escapes(text, start, end), start, end)


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
    block = _BLOCK_START.match(text[start:end]) if start == 0 else None
    if block:
        group = next(g for g in range(1, 6) if block.group(g) is not None)
        escaped.add(block.start(group))
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


_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")


def gfm_url(url: str) -> Markup:
    """A link target for a Markdown table: percent-encoded, so ``|``, spaces, newlines,
    brackets and parentheses cannot end the link or the table row."""
    return Markup(quote(url, safe=":/?#@!$&'*+,;=%~"))


def _unsafe(dest: str) -> bool:
    """Whether a link target in a Markdown field may run script or leave for another host
    (``javascript:``, ``data:``, ``vbscript:``, ``//host``, ``\\\\host``, entity-encoded too)."""
    text = html.unescape(dest.strip("<>"))
    text = re.sub(r"[\x00-\x20]", "", text)
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return True
    return scheme not in ("", "http", "https", "mailto") or reaches_other_host(text)


# An inline link's target `](target` and a reference definition `[label]: target`.
_INLINE_DEST = re.compile(r"(\]\(\s*)(<[^>\n]*>?|[^\s)]+)")
_REF_DEST = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)(\S+)")


def _safe_links(text: str) -> str:
    """Targets of links that may run script are replaced by ``#`` (the text stays)."""

    def fix(match: re.Match[str]) -> str:
        return match.group(1) + ("#" if _unsafe(match.group(2)) else match.group(2))

    return _REF_DEST.sub(fix, _INLINE_DEST.sub(fix, text))


def _plain_part(text: str) -> str:
    return _safe_links(text.replace("<", "&lt;"))


def _escape_html_outside_code(line: str) -> str:
    """``<`` outside inline code spans becomes ``&lt;`` (CommonMark code-span rule), and
    links that may run script lose their target."""
    out: list[str] = []
    pos = 0
    while pos < len(line):
        match = _TICKS.search(line, pos)
        if match is None:
            out.append(_plain_part(line[pos:]))
            break
        out.append(_plain_part(line[pos : match.start()]))
        run = match.group(0)
        close = re.compile(rf"(?<!`){run}(?!`)").search(line, match.end())
        if close is None:
            out.append(run)
            pos = match.end()
        else:
            out.append(line[match.start() : close.end()])
            pos = close.end()
    return "".join(out)


def gfm_md(value: str | None) -> Markup:
    """A Markdown field kept as Markdown, with raw HTML shown as text (code untouched)."""
    if not value:
        return Markup("")
    lines: list[str] = []
    fence: str | None = None
    # CR and CRLF end lines in Markdown (and in Python-Markdown, for the page): written as
    # LF, so the file carries no raw CR.
    for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        opened = _FENCE_OPEN.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            lines.append(line)
        elif opened:
            fence = opened.group(1)
            lines.append(line)
        else:
            lines.append(_escape_html_outside_code(line))
    return Markup("\n".join(lines).rstrip("\n"))


def squeeze_blank_lines(text: str) -> str:
    """Runs of blank lines become one, except inside fenced code blocks (a heredoc keeps
    its blank lines)."""
    out: list[str] = []
    fence: str | None = None
    blank = False
    for line in text.split("\n"):
        opened = _FENCE_OPEN.match(line)
        if fence is not None:
            closing = opened and line.strip() == opened.group(1)
            if closing and opened and opened.group(1)[0] == fence[0]:
                fence = None if len(opened.group(1)) >= len(fence) else fence
            out.append(line)
            continue
        if opened:
            fence = opened.group(1)
        if not line.strip():
            if blank:
                continue
            blank = True
        else:
            blank = False
        out.append(line)
    return "\n".join(out)


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
