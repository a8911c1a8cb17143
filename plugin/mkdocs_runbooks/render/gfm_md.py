"""A Markdown field as portable GitHub-flavoured Markdown (``mkdocs-runbooks render``).

The field is parsed with markdown-it-py (CommonMark, GFM tables and strikethrough), and
Markdown is written back from the tokens by this small writer, which knows only the
structures it writes: paragraphs and line breaks, emphasis, strikethrough, code spans, code
blocks (always fenced, their text byte for byte), lists, block quotes, headings (below the
page's own, as on the page), tables, and links whose target is allowed (``http``,
``https``, ``mailto``, or a relative address: the page's rule). Everything else is written
as text, escaped by the rules of :mod:`.gfm`: raw HTML, images (their description), link
reference definitions (resolved by the parser), links to other targets (their text). So no
input can open a block the writer did not write, and the field cannot run into the
template text around it (docs/architecture.md, "Portable Markdown").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from markupsafe import Markup

from ..hidden import visible
from .gfm import code_span, escape_part, fence, gfm_url, link_allowed

__all__ = ["gfm_md"]


class _Parser(MarkdownIt):
    """CommonMark that reads every link as a link: the writer decides which target it
    keeps, and a refused one leaves the link's text, as on the page (markdown-it-py's own
    check would leave the whole ``[x](javascript:...)`` as text)."""

    def validateLink(self, url: str) -> bool:  # noqa: ARG002 (markdown-it-py's method)
        return True


_PARSER = _Parser("commonmark").enable(["table", "strikethrough"])

# A piece of an inline run: text to escape, or Markdown the writer made ("raw"), or a line
# break (soft: "\n", hard: "\\\n").
_Piece = tuple[str, str]
_TEXT, _RAW, _BREAK = "text", "raw", "break"
_DELIMITERS = {"em": None, "strong": None, "s": "~~"}
_INFO = re.compile(r"[A-Za-z0-9_+.#-]+")


def gfm_md(value: str | None) -> Markup:
    """A Markdown field as Markdown made only of the structures listed above, each of its
    text runs escaped, beginning and ending with a block of its own (the template puts it
    after a blank line)."""
    if not value:
        return Markup("")
    tokens = _PARSER.parse(value)
    if max((t.level for t in tokens), default=0) >= _PARSER.options["maxNesting"] - 1:
        # Nested deeper than the parser goes (it would drop the rest): shown as it is.
        return fence(value, "text")
    return Markup(_join(SyntaxTreeNode(tokens).children))


def _join(nodes: Sequence[SyntaxTreeNode]) -> str:
    return "\n\n".join(b for b in (_block(n) for n in nodes) if b)


def _block(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind == "paragraph":
        return _inline(node.children, line_start=True)
    if kind == "heading":
        # Below the page's own headings (h1-h3), as the page shifts them (escape.py).
        level = min(6, int(node.tag[1]) + 3)
        return "#" * level + " " + _inline(node.children, line_start=False)
    if kind in ("fence", "code_block"):
        info = _INFO.match(node.info.strip()) if kind == "fence" else None
        return str(fence(node.content, info.group(0) if info else ""))
    if kind == "blockquote":
        return "\n".join(f"> {line}" if line else ">" for line in _join(node.children).split("\n"))
    if kind in ("bullet_list", "ordered_list"):
        return _list(node)
    if kind == "table":
        return _table(node)
    if kind == "hr":
        return "___"  # never read as a list item or a setext underline
    if kind == "html_block":
        return _html_block(node.content)
    return ""


def _html_block(content: str) -> str:
    """Raw HTML as text: paragraphs of its lines, each escaped as a line start."""
    paragraphs = re.split(r"\n[ \t]*\n", content.strip("\n"))
    out = []
    for paragraph in paragraphs:
        lines = [visible(line) for line in paragraph.split("\n") if line.strip()]
        esc = [escape_part(x, lead=True, trail=True, line_start=True, line_end=True) for x in lines]
        if esc:
            out.append("\n".join(esc))
    return "\n\n".join(out)


_INTERRUPTS = frozenset({"bullet_list", "fence", "code_block", "blockquote", "heading", "hr"})


def _item(item: SyntaxTreeNode, marker: str, tight: bool) -> str:
    # Continuation lines are indented by spaces only, exactly to the content column: a tab
    # in a code block's text is never part of the indentation (its bytes stay).
    width = len(marker) + 1
    body = ""
    for child in item.children:
        text = _block(child)
        if not text:
            continue
        if body:
            ordered_one = child.type == "ordered_list" and int(child.attrs.get("start", 1)) == 1
            joins = tight and (child.type in _INTERRUPTS or ordered_one)
            body += "\n" if joins else "\n\n"
        body += text
    if not body:
        return marker
    first, *rest = body.split("\n")
    lines = [marker + " " * (width - len(marker)) + first]
    lines += [" " * width + line if line else "" for line in rest]
    return "\n".join(lines)


def _list(node: SyntaxTreeNode) -> str:
    ordered = node.type == "ordered_list"
    number = int(node.attrs.get("start", 1)) if ordered else 0
    items = node.children
    tight = all(c.hidden for i in items for c in i.children if c.type == "paragraph")
    out = []
    for offset, item in enumerate(items):
        # The source's marker: lists it kept apart by their markers stay apart.
        marker = f"{number + offset}{item.markup}" if ordered else item.markup
        out.append(_item(item, marker, tight))
    return ("\n" if tight else "\n\n").join(out)


def _table(node: SyntaxTreeNode) -> str:
    rows: list[list[str]] = []
    aligns: list[str] = []
    for section in node.children:
        for row in section.children:
            rows.append(
                [_inline(cell.children, line_start=False, cell=True) for cell in row.children]
            )
            if not aligns:
                aligns = [_align(str(cell.attrs.get("style", ""))) for cell in row.children]
    lines = [_row(cells) for cells in rows]
    lines.insert(1, _row(aligns))
    return "\n".join(lines)


def _align(style: str) -> str:
    return {"text-align:left": ":---", "text-align:right": "---:"}.get(
        style, ":---:" if style == "text-align:center" else "---"
    )


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _inline(nodes: Sequence[SyntaxTreeNode], *, line_start: bool, cell: bool = False) -> str:
    """An inline run (a paragraph's, a heading's, a table cell's) as Markdown."""
    if nodes and nodes[0].type == "inline":
        nodes = nodes[0].children
    pieces = list(_pieces(nodes, cell))
    if not line_start:  # a heading (setext: it may span lines) or a cell: one line
        pieces = [(_TEXT, " ") if kind == _BREAK else (kind, t) for kind, t in pieces]
    pieces = _merged(pieces)
    out: list[str] = []
    for i, (kind, text) in enumerate(pieces):
        if kind != _TEXT:
            out.append(text)
            continue
        first = i == 0 or pieces[i - 1][0] == _BREAK
        last = i == len(pieces) - 1 or pieces[i + 1][0] == _BREAK
        part = escape_part(
            text,
            lead=first,
            trail=last,
            line_start=first and line_start,
            line_end=last and not cell,
        )
        if part.endswith("!") and not last and pieces[i + 1][1].startswith("["):
            part = part[:-1] + "\\!"  # `!` before a link's `[` would make an image
        out.append(part)
    return "".join(out)


def _merged(pieces: list[_Piece]) -> list[_Piece]:
    out: list[_Piece] = []
    for kind, text in pieces:
        if kind == _TEXT and out and out[-1][0] == _TEXT:
            out[-1] = (_TEXT, out[-1][1] + text)
        elif kind != _TEXT or text:
            out.append((kind, text))
    return out


def _pieces(nodes: Sequence[SyntaxTreeNode], cell: bool, struck: bool = False) -> Iterator[_Piece]:
    """``struck``: inside a strikethrough, where another is written as its content only
    (``~~~~`` at a line's start would open a fenced code block)."""
    for node in nodes:
        kind = node.type
        if kind == "text":
            yield _TEXT, visible(node.content)
        elif kind == "html_inline":
            yield _TEXT, visible(node.content.replace("\n", " "))
        elif kind == "code_inline":
            span = code_span(node.content)
            yield _RAW, span.replace("|", "\\|") if cell else span
        elif kind == "softbreak":
            yield _BREAK, "\n"
        elif kind == "hardbreak":
            yield _BREAK, "\\\n"
        elif kind in _DELIMITERS and not (struck and kind == "s"):
            mark = _DELIMITERS[kind] or node.markup
            yield _RAW, mark
            yield from _pieces(node.children, cell, struck or kind == "s")
            yield _RAW, mark
        elif kind == "link" and link_allowed(str(node.attrs.get("href", ""))):
            yield _RAW, "["
            yield from _pieces(node.children, cell, struck)
            yield _RAW, f"]({gfm_url(str(node.attrs.get('href', '')))})"
        else:  # a link to another target, an image, a strikethrough in one: their text
            yield from _pieces(node.children, cell, struck)
