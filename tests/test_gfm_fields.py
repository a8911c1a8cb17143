"""Markdown fields in the portable Markdown of `render` (render/gfm_md.py): whatever a field
holds, the file `mkdocs-runbooks render` writes, read by cmark-gfm (GitHub's parser, raw HTML
allowed so that any would show) and by markdown-it-py, holds no HTML the writer did not
intend, no link to a target the page refuses, no image, every section of the page, and
every command byte for byte (the attack review's findings, each a regression test, and a
property test over Markdown-ish text)."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import cmarkgfm
import markdown
import pytest
import yaml
from cmarkgfm.cmark import Options
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from mkdocs_runbooks.cli import main
from mkdocs_runbooks.hidden import visible
from mkdocs_runbooks.render.gfm import gfm_line, gfm_text
from mkdocs_runbooks.render.gfm_md import gfm_md
from sitebuild import spec_text

CI = os.environ.get("CI") == "true"
_MARKDOWN_IT = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def github(text: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)


PARSERS = {"cmark-gfm": github, "markdown-it-py": _MARKDOWN_IT.render}

# What the writer means to produce, and the attributes it may carry.
_TAGS = {
    *("p", "em", "strong", "del", "s", "code", "pre", "ul", "ol", "li", "blockquote", "hr"),
    *("table", "thead", "tbody", "tr", "th", "td", "a", "br"),
    *(f"h{n}" for n in range(1, 7)),
    "input",  # task list items (cmark-gfm)
}
_ATTRS = {
    "a": {"href"},
    "code": {"class"},
    "pre": {"lang"},
    "ol": {"start"},
    "th": {"align", "style"},
    "td": {"align", "style"},
    "input": {"type", "disabled", "checked"},
    "li": {"class"},
    "ul": {"class"},
}
_ALLOWED_HREF = re.compile(r"(?i)(https?:|mailto:|(?![a-z][a-z0-9+.-]*:)(?![/\\]{2}))")


class _Html(HTMLParser):
    """The page's elements, headings and code blocks; anything unintended is a problem."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.code: list[str] = []
        self._open: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name not in _ATTRS.get(tag, set()):
                self.problems.append(f"<{tag} {name}>")
            if name == "href" and not _ALLOWED_HREF.match((value or "").strip()):
                self.problems.append(f"href={value}")
        self._open.append(tag)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") or tag == "code":
            self._text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append((tag, "".join(self._text)))
        elif tag == "code" and "pre" in self._open:
            self.code.append("".join(self._text))
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"<![{data}>")


def read(html: str) -> _Html:
    parser = _Html()
    parser.feed(html)
    parser.close()
    return parser


def render(tmp_path: Path, plan: dict[str, Any]) -> str:
    source = tmp_path / "p" / "deployment-plan.yaml"
    source.parent.mkdir(exist_ok=True)
    source.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out.md"
    assert main(["render", str(source), "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def minimal() -> dict[str, Any]:
    plan: dict[str, Any] = yaml.safe_load(spec_text("minimal"))
    return plan


def commands(plan: dict[str, Any]) -> list[str]:
    steps = [s for p in plan["phases"] for s in p["steps"]] + plan["rollback"]["steps"]
    return [s[k] for s in steps for k in ("command", "verify") if s.get(k) is not None]


def sections(html: str) -> list[tuple[str, str]]:
    """The page's own headings (h1-h3; a field's headings are h4 and below)."""
    return [h for h in read(html).headings if h[0] in ("h1", "h2", "h3")]


def check(tmp_path: Path, plan: dict[str, Any], written: str | None = None) -> str:
    """Render ``plan`` and assert the properties; the written Markdown."""
    written = written if written is not None else render(tmp_path, plan)
    for name, parse in PARSERS.items():
        html = parse(written)
        found = read(html)
        assert found.problems == [], (name, found.problems, written)
        assert "<img" not in html
        for command in commands(plan):
            shown = visible(command)
            assert (shown if shown.endswith("\n") else shown + "\n") in found.code, (name, command)
        titles = [t for _, t in sections(html)]
        for title in ("Strategy", "Risk assessment", "Roles", "Rollback", "Triggers", "Procedure"):
            assert title in titles, (name, title, written)
        assert titles[-3:] == ["Rollback", "Triggers", "Procedure"] or "Plan review" in titles
    return written


def with_fields(text: str) -> dict[str, Any]:
    """The minimal plan with ``text`` in every kind of Markdown field a step and a plan have."""
    plan = minimal()
    step = plan["phases"][0]["steps"][0]
    step.update(expected=text, notes=text)
    plan["phases"][0]["steps"].append(
        {"title": "second", "command": "cat <<'EOF'\na\n\n\n\nb\nEOF\n", "notes": text}
    )
    plan["summary"] = text
    plan["strategy"]["rationale"] = text or "x"
    plan["risk"]["notes"] = text
    plan["rollback"]["database"] = text
    plan["rollback"]["steps"][0]["notes"] = text
    return plan


# --- the attack review's findings --------------------------------------------------------

FINDINGS = {
    "1a comment after the label": "```\n<!--",
    "1a tracking pixel": "```\n<img src=https://t.example/p.gif>",
    "1b info string with a backtick": "ok\n```x`\n<i>ITAL</i>",
    "1c fence in a list item": "- a\n  ```\n<!--",
    "1c list fence with img": "- a\n  ```\n<img src=x onerror=alert(3)>\n",
    "1d escaped backtick": "\\`<b>BOLD</b>`",
    "1e unclosed fence": "first\n\n```sh\nrm -rf /",
    "1e unclosed tilde fence": "first\n\n~~~\nx",
    "3 escaped colon": "[a](javascript\\:alert(1)) [b](https\\://evil.example/)",
    "3 backslash host": "[c](\\\\evil.example/x) [d](/\\evil.example/x)",
    "3 target on the next line": "see [docs](\njavascript:alert(1))",
    "3 definition on the next line": "see [docs][x]\n\n[x]:\n  javascript:alert(1)\n",
    "3 definition in a quote": "see [docs][x]\n\n> [x]: //evil.example/p",
    "3 escaped bracket": "see [a\\]b]\n\n[a\\]b]: javascript:alert(1)",
    "3 multi-line label": "see [a\nb]\n\n[a\nb]: //evil.example/p",
    "3 definition in a list": "[y]\n\n- [y]: //evil.example/p",
    "3 entity scheme": "[a](javascript&#58;alert(1)) [b](&#47;&#47;evil.example/p)",
    "5 images": "![t](https://tracker.example/p.gif) ![u][r]\n\n[r]: https://t.example/u.gif",
    "autolink scheme": "<javascript:alert(1)> <https://ok.example/>",
    "html block": '<div onclick="x">\n\n<script>alert(1)</script>\n\n</div>',
    "nested strikethrough at a line start": "a\n    ~~~~x~~~~ <b>\n\n<!--",
}


@pytest.mark.parametrize("text", FINDINGS.values(), ids=FINDINGS.keys())
def test_a_finding_stays_inside_its_field(tmp_path: Path, text: str) -> None:
    written = check(tmp_path, with_fields(text))
    assert "<U+" not in written or "\\u" in text


def test_a_fence_in_a_field_leaves_later_commands_alone(tmp_path: Path) -> None:
    """Finding 4: a fake fence line in a field no longer makes the blank lines of a later
    command's heredoc look like blank lines to squeeze."""
    plan = with_fields("see below\n```sh")
    written = check(tmp_path, plan)
    assert "cat <<'EOF'\na\n\n\n\nb\nEOF\n" in written


def test_links_keep_allowed_targets_only() -> None:
    text = str(
        gfm_md("[a](https://ok.example/x?a=1&b=2) [b](javascript:x) [c](../p.md) [d](//e.x)")
    )
    assert "[a](https://ok.example/x?a=1&amp;b=2)" in text
    assert "[c](../p.md)" in text
    hrefs = re.findall(r'href="([^"]*)"', github(text))
    assert hrefs == ["https://ok.example/x?a=1&amp;b=2", "../p.md"]
    assert text.endswith(") b [c](../p.md) d")  # refused targets: the link's text, as on the page


def test_images_show_their_description() -> None:
    assert str(gfm_md("![a *pixel*](https://t.example/p.gif)")) == "a *pixel*"


def test_hidden_characters_show_in_fields_and_their_code() -> None:
    """Finding 7: as in plain text and commands, ``<U+XXXX>``, code included."""
    text = str(gfm_md("Approve \u202etxt.exe\u202c ok\u200b \f end\n\n    x\u202ey\n"))
    assert "\u202e" not in text and "\u200b" not in text and "\f" not in text
    assert "&lt;U+202E>" in text and "x<U+202E>y" in text


def test_code_keeps_its_less_than() -> None:
    """Finding 8: code is written as it is; ``` x is not a closing fence."""
    assert str(gfm_md("Example:\n\n    if a < b && c\n")) == "Example:\n\n```\nif a < b && c\n```"
    written = str(gfm_md("- a\n\n  ```\n  x < y\n  ``` x\n  ```\n"))
    html = github(written)
    assert "x &lt; y\n``` x\n</code>" in html


@pytest.mark.parametrize(
    ("first", "then"), [("- ", "  "), ("10. ", "    "), ("> ", "> "), ("- > 1. ", "  >    ")]
)
@pytest.mark.parametrize("parser", PARSERS)
def test_code_in_lists_and_quotes_keeps_its_bytes(first: str, then: str, parser: str) -> None:
    """Tabs, leading spaces and blank lines of a nested code block come back exactly."""
    code = "\tx\n \ty\n  \t z\n\n\n    w\t\n"
    lines = ["```", *code.split("\n")[:-1], "```"]
    source = first + lines[0] + "".join(f"\n{then}{line}" for line in lines[1:])
    assert read(PARSERS[parser](source)).code == [code]  # the field as written
    written = str(gfm_md(source))
    found = read(PARSERS[parser](written))
    assert found.code == [code], written


def test_r_and_d_stays_readable() -> None:
    """Finding 10: a ``&`` that cannot start a reference is written as it is."""
    assert str(gfm_md("R&D")) == "R&D"
    assert str(gfm_md("x &amp;amp; y &copy;")) == "x &amp;amp; y ©"


@pytest.mark.parametrize("text", ["> " * 30 + "x <b>", "- " * 30 + "x", "1. > " * 15 + "x"])
def test_a_field_nested_too_deep_shows_as_it_is(text: str) -> None:
    """The parser stops at 20 levels and would drop the rest: the field is shown as code."""
    html = github(str(gfm_md(text)))
    shown = text.replace("<", "&lt;").replace(">", "&gt;")
    assert html == f'<pre lang="text"><code>{shown}\n</code></pre>\n'


def test_headings_sit_below_the_page_headings() -> None:
    assert str(gfm_md("# A\n\nB\n---\n\n#### C")) == "#### A\n\n##### B\n\n###### C"
    assert str(gfm_md("two\nlines\n===")) == "#### two lines"


def test_lists_nest_and_stay_apart() -> None:
    written = str(gfm_md("- a\n  - b\n\n* c\n\n1. d\n2. e\n\n> q\n> - r"))
    html = github(written)
    assert html.count("<ul>") == 4 and html.count("<ol>") == 1
    assert "<blockquote>" in html


def test_tables_keep_their_cells() -> None:
    written = str(gfm_md("| a | `b\\|c` |\n|:-|-:|\n| <b>x</b> | [l](javascript:y) |"))
    html = github(written)
    assert '<th align="left">a</th>' in html and "<code>b|c</code>" in html
    assert (
        '<td align="left">&lt;b&gt;x&lt;/b&gt;</td>' in html and '<td align="right">l</td>' in html
    )


def test_templates_start_every_field_on_its_own_line(tmp_path: Path) -> None:
    """Finding 1a: a field is never written after a label on the same line."""
    text = (
        Path(__file__).parents[1] / "plugin/mkdocs_runbooks/render/templates/plan.gfm.j2"
    ).read_text()
    for line in text.split("\n"):
        if "|gmd" in line:
            assert re.fullmatch(r"\{\{ [\w.]+\|gmd \}\}", line), line


def test_decision_owner_and_triggers_are_apart(tmp_path: Path) -> None:
    """Finding 9: the rollback's quote ends before the Triggers heading."""
    written = render(tmp_path, minimal())
    assert re.search(r"^> \*\*Decision owner:\*\*.*\n\n### Triggers$", written, re.M)


# --- attr_list: `{` never opens attributes ----------------------------------------------


@pytest.mark.parametrize(
    "value", ["Plan {: onclick=alert(3) }", 'T-1 {: style="display:none" }', "a { #id .c }"]
)
def test_braces_build_no_attributes_in_python_markdown(value: str) -> None:
    """Finding 6: Python-Markdown with attr_list builds no attribute from plain text."""
    for doc in (f"# {gfm_text(value)}", f"{gfm_line(value)}", f"- {gfm_line(value)}"):
        html = markdown.markdown(doc, extensions=["attr_list"])
        assert not re.search(r"<\w+ ", html), (doc, html)
        assert "{" in html


def test_braces_of_two_values_build_no_attributes() -> None:
    """A ``{`` in one value, the ``}`` in the next (found by fuzzing): no attribute."""
    doc = f"### {gfm_text('^# {')} {gfm_text('{: onclick=x }##')}"
    html = markdown.markdown(doc, extensions=["attr_list"])
    assert not re.search(r"<\w+ ", html), (doc, html)


_PIECES = [
    *["```", "```x`", "~~~", "````", "`", "``", "\\`", "``` x"],
    *["<!--", "-->", "<b>", "</b>", "<img src=x onerror=alert(1)>", "<i>", "<script>", "<?php"],
    *["<![CDATA[", "<!DOCTYPE x>", "&lt;", "&#58;", "&amp;", "&#x3C;", "&colon;", "R&D"],
    *["[a](javascript:alert(1))", "[a](javascript&#58;x)", "[a](//evil.example/p)"],
    *["[a](\\\\evil.example)", "[r]", "[r]: javascript:alert(1)", "[r]:\n  //evil.example"],
    *["![i](https://t.example/p.gif)", "![u][r]", "<https://x.example>", "<javascript:y>"],
    *["[a](https://ok.example/?a=1&b=2)", "[a](x.md)", "](", "[", "]", "(", ")"],
    *["- ", "* ", "+ ", "1. ", "2) ", "> ", "  ", "    ", "\t", "| a | b |\n| - | - |", "|"],
    *["\n", "\n", "\n\n", "# ", "---", "===", "\\", "*", "**", "_", "~~", "{: onclick=x }"],
    *["\u202e", "\u200b", "\f", "x", "text ", "http://a.example", "www.a.example", "!"],
    *["~~~~", "***", "\n- a\n\n  b", "[a]: http://x\n", "> ```\n> <b>", "10. ", "`` ` ``"],
]


@settings(max_examples=120 if CI else 25, deadline=None, derandomize=CI)
@given(parts=st.lists(st.sampled_from(_PIECES), max_size=30))
def test_any_field_stays_inside_its_field(tmp_path_factory: Any, parts: list[str]) -> None:
    check(tmp_path_factory.mktemp("f"), with_fields("".join(parts)))


# --- finding 2: link addresses of the plan --------------------------------------------


@pytest.mark.parametrize(
    "url", ["javascript&#58;alert%281%29", "&#47;&#47;evil.example/p", "javascript&colon;x"]
)
def test_entity_encoded_link_addresses_are_refused(tmp_path: Path, url: str) -> None:
    for where in ("links", "dashboard"):
        plan = minimal()
        if where == "links":
            plan["links"] = [{"title": "Docs", "url": url}]
        else:
            plan["rollback"]["triggers"][0]["dashboard"] = url
        source = tmp_path / where / "deployment-plan.yaml"
        source.parent.mkdir(exist_ok=True)
        source.write_text(yaml.safe_dump(plan), encoding="utf-8")
        out = tmp_path / f"{where}.md"
        assert main(["render", str(source), "-o", str(out)]) != 0
        assert not out.exists()


def test_an_ampersand_in_a_link_address_stays_itself(tmp_path: Path) -> None:
    plan = minimal()
    plan["links"] = [{"title": "Docs", "url": "https://docs.example/?a=1&copy=2&amp;x"}]
    written = check(tmp_path, plan)
    hrefs = re.findall(r'href="([^"]*)"', github(written))
    assert hrefs == ["https://docs.example/?a=1&amp;copy=2&amp;amp;x"]


def test_diff_keeps_each_change_apart_from_the_details_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding 9: a change's details, then simple changes: two lists, not one."""
    old, new = minimal(), minimal()
    new["rollback"]["triggers"] += [
        {"condition": "Queue lag", "metric": "lag_seconds", "threshold": "> 60"},
        {"condition": "DLQ grows"},
    ]
    paths = []
    for name, plan in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(plan), encoding="utf-8")
        paths.append(str(path))
    main(["diff", *paths, "--format", "markdown"])
    written = capsys.readouterr().out
    for parse in PARSERS.values():
        html = parse(written)
        lists = re.findall(r"<ul>(.*?)</ul>", html, re.S)
        assert any("metric" in x and "added" not in x for x in lists), html
        assert any("DLQ grows" in x and "metric" not in x for x in lists), html
