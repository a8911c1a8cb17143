"""The portable Markdown of `render` and `diff --format markdown` (render/gfm.py): plain text
comes back exactly when a real CommonMark/GFM parser reads it, in every context the
templates put it in, while ordinary text is written as it is (issue 20).

Two parsers read it: markdown-it-py (CommonMark with GFM tables and strikethrough) and
cmarkgfm, GitHub's own cmark-gfm (tables, strikethrough with one or two tildes, task
lists, extended autolinks, tag filter).
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from mkdocs_runbooks.cli import main
from mkdocs_runbooks.hidden import visible
from mkdocs_runbooks.render.gfm import fence, gfm_line, gfm_text, gfm_ticks, shown_line
from mkdocs_runbooks.render.gfm_md import gfm_md
from sitebuild import spec_text

CI = os.environ.get("CI") == "true"
TEMPLATES = Path(__file__).parents[1] / "plugin/mkdocs_runbooks/render/templates"

_MARKDOWN_IT = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def markdown_it(text: str) -> str:
    return _MARKDOWN_IT.render(text)


def github(text: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(text)


PARSERS = {"markdown-it-py": markdown_it, "cmark-gfm": github}


class _Events(HTMLParser):
    """HTML as a list of tags and texts (adjacent texts joined, character references
    read), so two renderings compare by structure and text, not by spelling."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, *sorted(f"{k}={v}" for k, v in attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.events.append(("text", data))


def _joined(found: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for e in found:
        if e[0] == "text" and out and out[-1][0] == "text":
            out[-1] = ("text", out[-1][1] + e[1])
        else:
            out.append(e)
    return [e for e in out if e != ("text", "")]


def _mail_link(found: list[tuple[str, ...]], i: int) -> bool:
    """An e-mail autolink of cmark-gfm: ``<a href="[mailto:]TEXT">TEXT</a>``, TEXT with @."""
    if found[i][:2] != ("start", "a") or i + 2 >= len(found) or found[i + 2] != ("end", "a"):
        return False
    text = found[i + 1][1] if found[i + 1][0] == "text" else ""
    return "@" in text and found[i][2:] in ((f"href={text}",), (f"href=mailto:{text}",))


def events(html_text: str, *, drop_mail_links: bool = False) -> list[tuple[str, ...]]:
    parser = _Events()
    parser.feed(html_text)
    parser.close()
    found = _joined(parser.events)
    if drop_mail_links:  # GitHub links e-mail addresses whatever the escapes (see gfm.py)
        links = [i for i in range(len(found)) if _mail_link(found, i)]
        for i in reversed(links):
            del found[i + 2], found[i]
    return _joined(found)


# Every context the templates (plan.gfm.j2) and diff_text.py put plain text in; {a} and {b}
# are values, each with the escaper that context uses.
Escaper = Callable[[object], object]
CONTEXTS: dict[str, tuple[str, Escaper, Escaper]] = {
    "heading": ("# {a}\n", gfm_text, gfm_text),
    "numbered heading": ("### 1.2 {a}\n", gfm_text, gfm_text),
    "heading of two values": ("### {a} {b}\n", gfm_text, gfm_text),
    "bold line": ("**{a}**\n\n- **changed** `x`: {b}\n", gfm_text, gfm_text),
    "task list item": ("- [ ] {a}\n- [ ] {b}\n", gfm_text, gfm_text),
    "after a label": ("**Result:** {a} — Started: {b}\n", gfm_text, gfm_text),
    "in parentheses": ("Window: {a} ({b})\n", gfm_text, gfm_text),
    "before a semicolon": ("- [ ] Done — Phase: {a}; Tested in: {b}\n", gfm_text, gfm_text),
    "blockquote": ("> **Decision owner:** {a} — **Expected duration:** {b}\n", gfm_text, gfm_text),
    "table cells": ("| | | |\n| --- | --- | --- |\n| {a} | {b} | x |\n", gfm_text, gfm_text),
    "link text in a table": (
        "| | |\n| --- | --- |\n| {a} | [{b}](https://example.com/x) |\n",
        gfm_text,
        gfm_text,
    ),
    "list item start": ("- {a}: {b}\n- x: y\n", gfm_line, gfm_text),
    "line start": ("{a}:\n\n{b}\n", gfm_line, gfm_line),
    "paragraph after a paragraph": ("Some text\n{a}\n", gfm_line, gfm_line),
}

# Markdown-significant pieces, so that short examples often hold syntax.
PIECES = st.sampled_from(
    [
        *string.punctuation,
        *(" ", "\t", "\n", "  ", "a", "Z", "0", "9", "é", "漢", "\u00a0", "\u3000", "\u0301"),
        *("\r", "\x00", "\x1b", "\u202e", "\u200b", "\u2028", "😀"),
        *("www.", "WWW.", "http://", "https://", "ftp://", "mailto:", "a@b.co", "x_y", "_x"),
        *("&amp;", "&#35;", "&#x23;", "&nbsp", "&copy;", "1.", "1)", "12345. ", "# ", "###"),
        *("> ", "- ", "+ ", "* ", "---", "===", "```", "~~~", "~~", "~", "__", "**", "<a>"),
        *("<!--", "</b>", "<?", "<http://x>", "](x)", "[x]", "![x](y)", "[^1]", "\\", "\\\\"),
        *("|", "\\|", "  \n", "\\\n", "[ ] ", "[x] ", ":smile:", "{: #id }", "$x$", "=="),
        *("{", "}", "{ .c }", "{: onclick=x }", "{{ x }}", "&amp", "&#35", "&#x2", "R&D"),
    ]
)
# Values that show as something (an empty one leaves the template's own space before it,
# which Markdown strips: a difference of the template, not of the value).
VALUES = st.one_of(
    st.text(min_size=1, max_size=30),
    st.lists(PIECES, min_size=1, max_size=12).map("".join),
    st.text(alphabet=string.printable, min_size=1, max_size=30),
).filter(lambda v: shown_line(v) != "")


def _check(parse: Callable[[str], str], context: str, a: str, b: str) -> None:
    template, escape_a, escape_b = CONTEXTS[context]
    mail = parse is github
    base = events(parse(template.format(a="QQAQQ", b="QQBQQ")))
    expected = [
        ("text", e[1].replace("QQAQQ", shown_line(a)).replace("QQBQQ", shown_line(b)))
        if e[0] == "text"
        else e
        for e in base
    ]
    expected = [e for e in expected if e != ("text", "")]
    written = template.format(a=escape_a(a), b=escape_b(b))
    assert events(parse(written), drop_mail_links=mail) == expected, written


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("context", CONTEXTS)
@settings(max_examples=250 if CI else 60, deadline=None, derandomize=CI)
@given(a=VALUES, b=VALUES)
def test_plain_text_round_trips_through_commonmark_and_gfm(
    parser: str, context: str, a: str, b: str
) -> None:
    _check(PARSERS[parser], context, a, b)


def _tags(html_text: str) -> list[tuple[str, ...]]:
    return [e for e in events(html_text) if e[0] != "text"]


@pytest.mark.parametrize("context", CONTEXTS)
@settings(max_examples=150 if CI else 40, deadline=None, derandomize=CI)
@given(a=VALUES, b=VALUES)
def test_python_markdown_builds_no_markup_from_plain_text(context: str, a: str, b: str) -> None:
    """Python-Markdown (Zensical, a site converting the file) is not CommonMark: a few
    escapes show their backslash there (``\\~``, ``https\\://``), but no value adds or
    removes a tag or an attribute: no raw HTML, emphasis, link, line break, or attributes
    from attr_list (``{: onclick=x }``)."""
    template, escape_a, escape_b = CONTEXTS[context]
    convert = markdown.Markdown(extensions=["tables", "fenced_code", "attr_list"]).convert
    written = template.format(a=escape_a(a), b=escape_b(b))
    assert _tags(convert(written)) == _tags(convert(template.format(a="QQAQQ", b="QQBQQ")))


def _without_code(found: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Events with ``<code>`` tags taken out and the texts around them joined."""
    return _joined([e for e in found if e[1:2] != ("code",) or e[0] == "text"])


FINDING = "- **warning RB102** x (line 1): {a}\n- **error RB107** y (line 2): {b}\n"


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=250 if CI else 60, deadline=None, derandomize=CI)
@given(a=VALUES, b=st.lists(st.sampled_from(["`", "x", " ", "verify:", "*", "\\"]), max_size=12))
def test_finding_messages_round_trip_with_code_spans(parser: str, a: str, b: list[str]) -> None:
    parse, joined = PARSERS[parser], "".join(b) or "x"

    def shown(text: str) -> str:  # as the page's ticks shows it: code parts lose their `
        return re.sub(r"(?<!`)`([^`\s](?:[^`]*[^`\s])?)`(?!`)", r"\1", shown_line(text))

    base = events(parse(FINDING.format(a="QQAQQ", b="QQBQQ")))
    expected = [
        ("text", e[1].replace("QQAQQ", shown(a)).replace("QQBQQ", shown(joined)))
        if e[0] == "text"
        else e
        for e in base
    ]
    written = FINDING.format(a=gfm_ticks(a), b=gfm_ticks(joined))
    got = events(parse(written), drop_mail_links=parse is github)
    assert _without_code(got) == [e for e in expected if e != ("text", "")], written


def test_finding_messages_show_backticked_parts_as_code() -> None:
    message = "step 'roll-out' has no `verify`: add `verify:` with a command"
    written = str(gfm_ticks(message))
    assert written == message
    assert markdown_it(written).count("<code>") == 2


# Cases found while writing the rules, kept as plain examples (each failed some version).
KNOWN = [
    "Issue #",
    "#",
    "C# ##",
    "a *b",
    "*",
    " * ",
    "x\\",
    "a\\*b",
    "R&D",
    "&copy;",
    "a &#35; b",
    "<b>x</b>",
    "<http://x.example>",
    "see www.example.com",
    "https://example.com/a_b",
    "~5 min",
    "~x~",
    "snake_case_",
    "_private",
    "  indented",
    "trailing  ",
    "\tx\t",
    "1. first",
    "1) first",
    "- item",
    "+ item",
    "> quote",
    "---",
    "===",
    "- - -",
    "# heading",
    "a | b",
    "[x](javascript:alert(1))",
    "![i](https://x.example/i.png)",
    "[ ] not a task",
    "line\nbreak",
    "cr\rcr",
    "bidi\u202eoverride",
    "nbsp\u00a0",
    "\u00a0nbsp",
    "`code`",
    "```",
    "a\\\nb",
]


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("context", CONTEXTS)
def test_known_hard_cases_round_trip(parser: str, context: str) -> None:
    for value in KNOWN:
        _check(PARSERS[parser], context, value, value)


# Ordinary text is written as it is: what a reader sees in a pull request's diff.
PLAIN = [
    "Pre-Deployment",
    "2.10",
    "v1.2.3",
    "payments.vault_token",
    "checkout_api_errors_total",
    "p99 < 300ms",
    "error_rate > 0.05",
    "5-10 min",
    "50%",
    "2 * 3",
    "x = y + 1",
    "R&D team",
    "Backup done!",
    "Ready? Yes: go (EU only).",
    'it\'s "quoted"',
    "{{ config.site_name }}",
    "#incidents",
    "C#",
    "alice@example.com",
    "C:\\deploy\\run.ps1",
    "example.com/path",
    "T-24 hours",
    "Café — ünïcode 漢字",
    "> 900 ms",
    "1. first",
    "- none",
]


@pytest.mark.parametrize("value", PLAIN)
def test_ordinary_text_is_not_escaped(value: str) -> None:
    assert str(gfm_text(value)) == value


@pytest.mark.parametrize(
    ("value", "line_start"),
    [
        ("Pre-Deployment", "Pre-Deployment"),
        ("> 900 ms", "\\> 900 ms"),
        ("1. first", "1\\. first"),
        ("- none", "\\- none"),
        ("# x", "\\# x"),
        ("#x", "\\#x"),
        ("---", "\\---"),
        ("2.10", "2.10"),
    ],
)
def test_line_start_escapes_only_what_starts_a_block(value: str, line_start: str) -> None:
    assert str(gfm_line(value)) == line_start


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("a*b", "a\\*b"),
        ("vault__token", "vault__token"),
        ("_private", "\\_private"),
        ("see www.example.com", "see www\\.example.com"),
        ("https://example.com", "https\\://example.com"),
        ("a|b", "a\\|b"),
        ("<b>", "&lt;b>"),
        ("&amp;", "&amp;amp;"),
        ("Issue #", "Issue \\#"),
        ("x\\", "x\\\\"),
        ("  x  ", "&#32;&#32;x&#32;&#32;"),
        ("x\ry", "x&lt;U+000D>y"),
    ],
)
def test_what_is_escaped(value: str, written: str) -> None:
    assert str(gfm_text(value)) == written


def test_no_template_starts_a_line_with_inline_text() -> None:
    """``gtext`` assumes text before it on the line; a value at a line start needs
    ``gline`` (block starts escaped)."""
    for path in TEMPLATES.glob("*.gfm.j2"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not re.match(r"\s*(?:[-+*] )?\{\{[^}]*\|gtext", line), f"{path.name}:{number}"


# --- fences and Markdown fields: no raw CR ------------------------------------------------


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=200 if CI else 60, deadline=None, derandomize=CI)
@given(command=st.text(min_size=1, max_size=60))
def test_fence_keeps_a_command_byte_for_byte(parser: str, command: str) -> None:
    written = str(fence(command, "sh"))
    code = re.findall(r"<pre[^>]*><code[^>]*>(.*?)</code></pre>", PARSERS[parser](written), re.S)
    assert len(code) == 1, written
    shown = events(code[0])
    body = shown[0][1] if shown else ""
    expected = visible(command)
    assert body == (expected if expected.endswith("\n") else expected + "\n")


def test_fence_shows_a_carriage_return_as_on_the_page() -> None:
    written = str(fence("echo one\r\necho two\r"))
    assert "\r" not in written
    assert written == "```\necho one<U+000D>\necho two<U+000D>\n```"


def test_markdown_fields_carry_no_raw_carriage_return() -> None:
    assert str(gfm_md("a\r\nb\rc\n")) == "a\nb\nc"


def test_render_writes_no_raw_cr_and_lint_names_it(tmp_path: Path) -> None:
    plan = yaml.safe_load(spec_text("example"))
    plan["phases"][0]["steps"][0]["command"] = "echo one\r\necho two"
    plan["summary"] = "Line one\r\nline two\rthree"
    source = tmp_path / "x" / "deployment-plan.yaml"
    source.parent.mkdir()
    source.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out.md"
    assert main(["render", str(source), "-o", str(out)]) == 0
    data = out.read_bytes()
    assert b"\r" not in data
    text = data.decode("utf-8")
    assert "```\necho one<U+000D>\necho two\n```" in text
    review = text[text.index("## Plan review") :]
    assert "RB107" in review and "U+000D" in review
