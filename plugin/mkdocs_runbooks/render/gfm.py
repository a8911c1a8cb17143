"""Escapers for portable, GitHub-flavoured Markdown (``mkdocs-runbooks render``).

No raw HTML is written: plain text is backslash-escaped, Markdown fields keep their
Markdown but any ``<`` outside code is shown as text, and shell text goes into fenced code
blocks whose fence is longer than any backtick run inside.
"""

from __future__ import annotations

import re

from markupsafe import Markup

__all__ = ["fence", "gfm_md", "gfm_text"]

_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


def gfm_text(value: object) -> Markup:
    """Plain text as inline Markdown: every ASCII punctuation that means something escaped."""
    text = " ".join(str(value).split("\n"))
    out = _PUNCT.sub(
        lambda m: (
            "&lt;" if m.group(1) == "<" else "&amp;" if m.group(1) == "&" else "\\" + m.group(1)
        ),
        text,
    )
    return Markup(out)


_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")


def _escape_html_outside_code(line: str) -> str:
    """``<`` outside inline code spans becomes ``&lt;`` (CommonMark code-span rule)."""
    out: list[str] = []
    pos = 0
    while pos < len(line):
        match = _TICKS.search(line, pos)
        if match is None:
            out.append(line[pos:].replace("<", "&lt;"))
            break
        out.append(line[pos : match.start()].replace("<", "&lt;"))
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


def fence(value: str | None, info: str = "") -> Markup:
    """Shell text in a fenced code block; its content is ``value`` byte for byte."""
    if value is None:
        return Markup("")
    longest = max((len(m) for m in _TICKS.findall(value)), default=0)
    ticks = "`" * max(3, longest + 1)
    body = value if value.endswith("\n") else value + "\n"
    return Markup(f"{ticks}{info}\n{body}{ticks}")
