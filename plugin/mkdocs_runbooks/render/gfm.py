"""Escapers for portable, GitHub-flavoured Markdown (``mkdocs-runbooks render``).

No raw HTML is written: plain text is backslash-escaped, Markdown fields keep their
Markdown but any ``<`` outside code is shown as text, and shell text goes into fenced code
blocks whose fence is longer than any backtick run inside.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from ..fields import reaches_other_host
from ..hidden import visible

__all__ = ["code_span", "fence", "gfm_md", "gfm_text", "gfm_url", "squeeze_blank_lines"]

_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


def gfm_text(value: object) -> Markup:
    """Plain text as inline Markdown: every ASCII punctuation that means something escaped."""
    # Hidden characters show as <U+XXXX>: a \r cannot end a table row or a heading.
    text = " ".join(visible(str(value)).split("\n"))
    out = _PUNCT.sub(
        lambda m: (
            "&lt;" if m.group(1) == "<" else "&amp;" if m.group(1) == "&" else "\\" + m.group(1)
        ),
        text,
    )
    return Markup(out)


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
    for line in value.split("\n"):
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
    """Shell text in a fenced code block; its content is ``value`` byte for byte."""
    if value is None:
        return Markup("")
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
