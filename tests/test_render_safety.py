"""Rendering side of issue 17, point by point: Markdown fields in linear time, links that
cannot reach another host, unforgeable fragment tokens, `render`/`export`/`diff` Markdown
that keeps values as data, and tick boxes stored per page address."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from mkdocs_runbooks.cli import main
from mkdocs_runbooks.diff import diff_plans
from mkdocs_runbooks.load import load_text
from mkdocs_runbooks.mdcost import MAX_COST, markdown_cost
from mkdocs_runbooks.patterns import load_patterns
from mkdocs_runbooks.render import Renderer, apply_fragments
from mkdocs_runbooks.render.diff_text import to_markdown
from mkdocs_runbooks.render.escape import md_field, md_text
from sitebuild import build_site, spec_text

pytest_plugins = ["browser"]


def plan_with(**changes: Any) -> str:
    plan = yaml.safe_load(spec_text("example"))
    for dotted, value in changes.items():
        target = plan
        *parents, last = dotted.split(".")
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(last) if last.isdigit() else last] = value
    return yaml.safe_dump(plan, sort_keys=False, allow_unicode=True)


def problems_of(text: str) -> list[str]:
    loaded = load_text(text, "p.yaml", load_patterns())
    return [p.text() for p in loaded.problems]


# --- point 7: Markdown in linear time -----------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    ["[" * 20_000, "<http://a" * 11_000, "[a][" * 20_000, "![" * 20_000, ("[" + "x" * 4000) * 24],
)
def test_pathological_markdown_is_refused_with_a_clear_error(payload: str) -> None:
    found = problems_of(plan_with(summary=payload))
    assert len(found) == 1, found
    assert found[0].startswith("p.yaml:")
    assert ": summary: " in found[0] and "cannot be converted in reasonable time" in found[0]
    assert f"at most {MAX_COST}" in found[0]


@pytest.mark.slow
def test_large_ordinary_markdown_builds(tmp_path: Path) -> None:
    # 100,000 characters of links, emphasis, code and lists: accepted and converted.
    chunk = "Some *text* with [a link](https://example.com/x) and `code` < 5 > 3.\n\n- item\n\n"
    summary = (chunk * (100_000 // len(chunk) + 1))[:100_000]
    assert not markdown_cost(summary).too_high
    site = build_site(tmp_path, {"checkout-api/big": plan_with(summary=summary)}, strict=True)
    assert not site.aborted, site.warnings
    page = site.page("plans/checkout-api/big/")
    assert page.count('href="https://example.com/x"') > 500


def test_refused_markdown_never_reaches_the_converter() -> None:
    # Defence in depth: the escaper itself shows such text as text, at once.
    out = md_field("[" * 50_000)
    assert out.startswith("<pre>") and out.count("[") == 50_000


# --- point 12: links that would reach another host ---------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "\\\\evil.example/x",
        "/\\evil.example/x",
        " //evil.example",
        "/\t/evil.example",
        "\\/evil.example",
    ],
)
def test_link_to_another_host_is_refused(url: str) -> None:
    found = problems_of(plan_with(**{"links.0.url": url}))
    assert any("links[0].url" in p and "invalid link" in p for p in found), found


@pytest.mark.parametrize("url", ["java\x01script:alert(1)", "\x01javascript:alert(1)", "a\u202eb"])
def test_link_with_hidden_characters_is_refused(url: str) -> None:
    found = problems_of(plan_with(**{"links.0.url": url}))
    assert any("links[0].url" in p and "invisible character" in p for p in found), found


def test_markdown_links_to_another_host_lose_their_target() -> None:
    out = md_field(
        "[a](/\\evil.example) [b](\\\\\\\\evil.example) [c](../ok) [d](https://ok.example)"
    )
    assert 'href="../ok"' in out and 'href="https://ok.example"' in out
    assert "evil" not in "".join(re.findall(r'href="([^"]*)"', out))


# --- point 8: fragment tokens cannot be forged -------------------------------------------------


def test_fragment_tokens_are_unpredictable() -> None:
    assert Renderer().nonce != Renderer().nonce
    # A token that is not one of the page's own is left as text.
    assert apply_fragments("<p>rbf0123456789n0z</p>", {"rbfabcdefabcdn0z": "<b>x</b>"}) == (
        "<p>rbf0123456789n0z</p>"
    )


def test_plain_text_escapes_every_syntax() -> None:
    text = str(md_text('==m== ~~d~~ ^^c^^ :smile: www.x.example $x$ (c) "q" 1st {: #id } |'))
    assert not re.search(r"[=~^:$()\"{}|#.]", text.replace("&#", "").replace(";", ""))
    assert (
        html.unescape(text) == '==m== ~~d~~ ^^c^^ :smile: www.x.example $x$ (c) "q" 1st {: #id } |'
    )


# --- point 12: render (portable Markdown) and export --------------------------------------------


def test_render_drops_script_links_encodes_urls_and_keeps_heredoc_blank_lines(
    tmp_path: Path,
) -> None:
    heredoc = "cat <<'EOF' > x\na\n\n\nb\nEOF\n"
    text = plan_with(
        **{
            "summary": "[x](javascript:alert(1)) [y](javascript&#58;alert(2)) [z](//evil.example)"
            "\n\n[r]: javascript:alert(3)\n",
            "links.0.url": "https://ok.example/a|b (c)",
            "phases.0.steps.0.command": heredoc,
            "environment": "prod\r| x | y |\r\rz",
        }
    )
    source = tmp_path / "deployment-plan.yaml"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out.md"
    assert main(["render", str(source), "-o", str(out)]) == 0
    result = out.read_text(encoding="utf-8")
    assert "javascript" not in result.lower().replace("javascript&amp;#58;", "")
    assert "evil.example" not in result
    assert "https://ok.example/a%7Cb%20%28c%29" in result
    assert "\na\n\n\nb\nEOF\n" in result
    assert b"\r" not in out.read_bytes()
    env_row = next(line for line in result.splitlines() if line.startswith("| Environment"))
    assert env_row.endswith("z |") and "&lt;U+000D>" in env_row
    row = next(line for line in result.splitlines() if "ok.example" in line)
    assert row.count("|") == 3  # the row's own cell separators only


@pytest.mark.slow
def test_export_keeps_crlf_in_a_command(tmp_path: Path) -> None:
    command = "echo one\r\necho two"
    site = tmp_path / "site"
    build_site(site, {"checkout-api/x": plan_with(**{"phases.0.steps.0.command": command})})
    out = tmp_path / "export"
    assert main(["export", "--config-file", str(site / "mkdocs.yml"), "--out", str(out)]) == 0
    page = (out / "plans/checkout-api/x/index.md").read_bytes()
    assert b"\r" not in page  # written as a character reference, never a line break
    line = next(x for x in page.decode().splitlines() if "echo one" in x)
    assert "echo two" in line and "&#13;" in line


@pytest.mark.slow
def test_export_links_follow_use_directory_urls(tmp_path: Path) -> None:
    site = tmp_path / "site"
    plans = {"checkout-api/a": spec_text("example")}
    build_site(site, plans, config={"use_directory_urls": False})
    out = tmp_path / "export"
    assert main(["export", "--config-file", str(site / "mkdocs.yml"), "--out", str(out)]) == 0
    index = (out / "plans/index.md").read_text(encoding="utf-8")
    assert 'href="checkout-api/a/index.html"' in index and 'href="checkout-api/index.html"' in index


# --- point 5: diff --format markdown ----------------------------------------------------------


def test_diff_markdown_keeps_values_as_text() -> None:
    registry = load_patterns()
    old = load_text(spec_text("example"), "a.yaml", registry).plan
    role = "Lead\r\r<img src=x onerror=alert(1)>"
    new = load_text(
        plan_with(**{"roles.0.role": role, "title": "T\r\r<b>x</b>"}), "b.yaml", registry
    ).plan
    assert old and new
    out = to_markdown(diff_plans(old, new))
    assert "\r" not in out
    converted = markdown.markdown(out, extensions=["fenced_code", "tables"])
    assert "<img" not in converted and "<b>" not in converted
    assert "&lt;img" in converted and "U+000D" in converted


# --- point 10: tick boxes ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_prefixes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One portal built once, served under /pr-123/ and /prod/ of one origin."""
    root = tmp_path_factory.mktemp("prefixes")
    site = build_site(root / "src", {"checkout-api/x": spec_text("example")}, strict=True)
    assert not site.aborted, site.warnings
    for prefix in ("pr-123", "prod"):
        shutil.copytree(site.site_dir, root / "www" / prefix)
    return root / "www"


@pytest.mark.browser
def test_ticks_are_kept_per_site_address(two_prefixes: Path, serve: Any, page: Any) -> None:
    with serve(two_prefixes) as base:
        page.goto(base + "pr-123/plans/checkout-api/x/")
        page.wait_for_selector(".rb-controls")
        page.locator('input[data-rb-item="step:backup"]').check()
        page.reload()
        page.wait_for_selector(".rb-controls")
        assert page.locator('input[data-rb-item="step:backup"]').is_checked()
        page.goto(base + "prod/plans/checkout-api/x/")
        page.wait_for_selector(".rb-controls")
        assert not page.locator('input[data-rb-item="step:backup"]').is_checked()
        keys = page.evaluate("Object.keys(localStorage)")
        assert keys == ["mkdocs-runbooks/v1//pr-123/plans/checkout-api/x/"]


FULL_STORAGE = """
const setItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (key, value) {
  if (key.endsWith('probe')) return setItem.call(this, key, value);
  throw new DOMException('full', 'QuotaExceededError');
};
"""


@pytest.mark.browser
def test_failed_storage_write_says_so(two_prefixes: Path, serve: Any, page: Any) -> None:
    page.add_init_script(FULL_STORAGE)
    with serve(two_prefixes) as base:
        page.goto(base + "prod/plans/checkout-api/x/")
        page.wait_for_selector(".rb-controls")
        status = page.locator(".rb-status-msg")
        assert status.inner_text() == ""
        page.locator('input[data-rb-item="step:backup"]').check()
        assert "not saved" in status.inner_text()
        # The tick still counts for this visit.
        assert page.locator(".rb-progress-text").inner_text().startswith("1 of")


@pytest.mark.slow
def test_checklist_ids_differ_for_any_item_text(tmp_path: Path) -> None:
    items = [
        "Backup done!",
        "Backup done?",
        "Backup: done",
        "Бэкап готов",
        "Бэкап сделан",
        "Backup done!",
    ]
    text = plan_with(
        checklists=[{"title": "\u0422-1", "items": items}, {"title": "T-1", "items": items}]
    )
    site = build_site(tmp_path, {"checkout-api/x": text}, strict=True)
    ids = re.findall(r'data-rb-item="(check:[^"]+)"', site.page("plans/checkout-api/x/"))
    assert len(ids) == 2 * len(items) == len(set(ids))


def test_markdown_fields_show_hidden_characters() -> None:
    """A bidi override or a zero-width character in a Markdown field (in a code block an
    operator may copy, in prose, in a link) shows as <U+XXXX>, as in commands."""
    from mkdocs_runbooks.render.escape import md_field

    field = (
        "Run this:\n\n```\necho safe \u202e; rm -rf / #\n```\n\n"
        "Approve\u200b only [if\u2066 green](https://example.com/a\u202eb) ok\n"
    )
    out = str(md_field(field))
    assert not any(ch in out for ch in "\u202e\u200b\u2066")
    assert "echo safe &lt;U+202E&gt;; rm -rf / #" in out
    assert "Approve&lt;U+200B&gt; only" in out and "if&lt;U+2066&gt; green" in out
    assert '<a href="https://example.com/a&lt;U+202E&gt;b" rel="noopener noreferrer">' in out
