"""Names are data: folder names, releases, titles, environments and roles from plans never
run or render as markup in anything the plugin hands to MkDocs and the theme (issue 17).

The site is a real MkDocs build in a real git repository (``diff_base`` on) with Material,
``search``, ``tags``, the pymdownx extensions that read syntax in plain text, ``repo_url``
and ``content.action.edit``, with ``nav_plans`` off and on. Every HTML file is inspected,
then every page is opened in Chromium (search included).
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
import yaml

from hostile.names import (
    BIDI_COMMAND,
    COLLIDING_ITEMS,
    CRLF_COMMAND,
    FOLDERS,
    INVISIBLE_COMMAND,
    TRAILING_COMMAND,
    corpus,
)
from mkdocs_runbooks.load import FOLDER_RULE
from mkdocs_runbooks.problems import log_safe
from sitebuild import SPEC, Site, make_site, run_build

pytest_plugins = ["browser"]

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}

EXTENSIONS = [
    "attr_list",
    "pymdownx.mark",
    "pymdownx.tilde",
    "pymdownx.caret",
    {"pymdownx.emoji": {}},
    {"pymdownx.magiclink": {"repo_url_shorthand": True, "user": "u", "repo": "r"}},
    {"pymdownx.arithmatex": {"generic": True}},
    "pymdownx.smartsymbols",
    "smarty",
    "pymdownx.superfences",
]


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def _spec(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load((SPEC / f"deployment-plan.{name}.yaml").read_text()))


def build_hostile(root: Path, nav_plans: bool) -> Site:
    example, minimal = _spec("example"), _spec("minimal")
    config = {
        "repo_url": "https://github.com/example/portal",
        "edit_uri": "edit/main/docs/",
        "theme": {"name": "material", "font": False, "features": ["content.action.edit"]},
        "plugins": ["search", "tags", {"runbooks": {"nav_plans": nav_plans, "diff_base": "main"}}],
        "markdown_extensions": EXTENSIONS,
    }
    make_site(
        root,
        corpus(example, minimal, feature=False),
        config=config,
        docs={"tags.md": "# Tags\n\n<!-- material/tags -->\n"},
    )
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    _git(root, "checkout", "-q", "-b", "feature")
    make_site(root, corpus(example, minimal, feature=True), config=config)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "feature")
    site = run_build(root)
    assert not site.aborted, site.warnings
    return site


@pytest.fixture(scope="module", params=[False, True], ids=["nav_plans-off", "nav_plans-on"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build_hostile(tmp_path_factory.mktemp("names"), request.param)


def html_files(site: Site) -> list[Path]:
    return sorted(site.site_dir.rglob("*.html"))


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.title = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("script", "title"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "title":
            self.title += data


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.mark.slow
def test_every_name_is_a_page_or_a_named_error(site: Site) -> None:
    index = site.page("plans/")
    # Every plan link on the index is an HTML link whose (percent-encoded) target is the
    # page's real address.
    hrefs = re.findall(r'<td[^>]*><a href="([^"]+)">', index)
    targets = {posixpath.normpath(posixpath.join("plans", html.unescape(h))) for h in hrefs}
    assert targets
    for target in targets:
        assert (site.site_dir / unquote(target) / "index.html").is_file(), target
    # A hostile folder name is outside the safe set: the plan is refused with an error that
    # names its file (escaped, on one line), never built as a page.
    refused = [w for w in site.warnings if FOLDER_RULE in w]
    for folder in FOLDERS:
        first = folder.split("/")[0]  # a name holding '/' is several folders
        assert not any(first in t for t in targets), folder
        assert any(f"folder name '{log_safe(first)}'" in w for w in refused), folder
    assert all("\n" not in w and "\r" not in w and "\x1b" not in w for w in site.warnings)


def test_no_handler_script_or_foreign_request_in_any_file(site: Site) -> None:
    files = html_files(site)
    assert len(files) > 15  # the valid plans, services, patterns and portal pages
    for path in files:
        page = parse(path)
        where = path.relative_to(site.site_dir)
        for tag, attrs in page.tags:
            handlers = [a for a in attrs if a.startswith("on")]
            assert not handlers, (where, tag, attrs)
            assert tag not in ("iframe", "object", "embed", "svg") or "__xss" not in str(attrs)
            for key in ("href", "src", "action", "formaction", "data-clipboard-text"):
                value = attrs.get(key, "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (where, attrs)
                # A folder may be named after a host; a link may never lead there.
                host = urlsplit(value.replace("\\", "/")).netloc
                assert "evil" not in host, (where, tag, attrs)
            if tag == "img":
                assert "__xss" not in attrs.get("onerror", ""), (where, attrs)
                assert not attrs.get("src", "").startswith(("http:", "https:", "//")), attrs
        assert not [s for s in page.scripts if "__xss" in s], where
        # <title> is text: no tag in it, whatever the theme's striptags un-escaped.
        raw = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.S)
        assert raw and "<" not in raw.group(1), (where, raw and raw.group(1))


def test_titles_survive_striptags(site: Site) -> None:
    page = site.page("plans/checkout-api/v1-tags/")
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and "&lt;/title&gt;&lt;img" in title.group(1)
    entities = site.page("plans/checkout-api/v2-entities/")
    title = re.search(r"<title>(.*?)</title>", entities, re.S)
    # Shown as written: the entity text itself, escaped once more.
    assert title and "&amp;lt;/title&amp;gt;" in title.group(1)


def test_edit_link_is_one_attribute(site: Site) -> None:
    for folder in FOLDERS[:6]:
        path = site.site_dir / "plans" / "checkout-api" / folder / "index.html"
        if not path.is_file():
            continue
        edits = [a for t, a in parse(path).tags if t == "a" and a.get("rel") == "edit"]
        assert edits, folder
        for attrs in edits:
            assert set(attrs) <= {"href", "title", "class", "rel"}, attrs
            assert attrs["href"].startswith("https://github.com/example/portal/edit/main/")
            assert '"' not in attrs["href"] and " " not in attrs["href"]


def test_tags_and_search_entries_are_text(site: Site) -> None:
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text())
    for doc in index["docs"]:
        for tag in doc.get("tags", []):
            assert re.fullmatch(r"[\w .-]+", tag), tag
        for key in ("title", "text"):
            assert not re.search(r"<(img|svg|script|iframe|b)\b", doc[key], re.I), (key, doc)
    tags = site.page("tags/")
    article = tags[tags.index("<article") : tags.index("</article>")]
    assert not re.search(r"<(img|svg|script)[^>]*__xss", article)
    # The environment's tag is there, in safe characters.
    assert 'id="tag:prod--onmouseover-window__xss-1"' in article


def test_plain_text_is_plain_under_every_extension(site: Site) -> None:
    page = site.page("plans/checkout-api/v3-extensions/")
    article = page[page.index("<article") : page.index("</article>")]
    for tag in ("<mark", "<del", "<ins", "<sup", 'class="arithmatex"', "twemoji", "emojione"):
        assert tag not in article, tag
    assert 'href="https://evil.example' not in article
    for text in ("==mark==", "~~del~~", "^^ins^^", ":smile:", "(c)", "www.evil.example"):
        assert text in article, text
    # The release equal to a fragment token is shown as written, and changes nothing.
    assert "rbf0123456789n0z" in article


def test_control_characters_never_change_structure(site: Site) -> None:
    page = site.page("plans/checkout-api/v4-control/")
    article = page[page.index("<article") : page.index("</article>")]
    # The title's "\r\r## injected heading\r\r```" stays inside the h1, shown.
    assert "<U+000D>" in html.unescape(article)
    assert not re.search(r"<h2[^>]*>\s*injected heading", article)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", article, re.S)
    assert h1 and "## injected heading" in html.unescape(h1.group(1))
    index = site.page("plans/")
    table = index[index.index("<table") : index.index("</table>")]
    # One row per plan: no row or cell was split by \r in a plain field.
    rows = re.findall(r"<tr>", table)
    assert len(rows) == 1 + len(re.findall(r"<td>\d{4}-\d\d-\d\d</td>", table))


def test_changed_since_block_escapes_values(site: Site) -> None:
    page = site.page("plans/checkout-api/v4-control/")
    block = page[page.index('class="rb-change rb-change-changed"') :]
    block = block[: block.index("</section>") if "</section>" in block else None]
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in block
    assert "<img" not in block.split('id="findings"')[0]
    assert "&lt;U+000D&gt;" in block


def test_commands_show_hidden_characters_and_copy_exact_bytes(site: Site) -> None:
    from sitebuild import code_blocks, shown_blocks

    page = site.page("plans/checkout-api/v5-bidi/")
    copied, shown = code_blocks(page), shown_blocks(page)
    for command in (BIDI_COMMAND, INVISIBLE_COMMAND, TRAILING_COMMAND, CRLF_COMMAND):
        assert command in copied, repr(command)
    assert "echo safe <U+202E>; rm -rf / #" in shown
    assert "kubectl delete<U+200B> pod<U+2060> x<U+FEFF>" in shown
    assert TRAILING_COMMAND in shown
    assert not any("\u202e" in s or "\u200b" in s for s in shown)
    # The plan review names the code point (RB107, an error).
    assert "RB107" in page and "U+202E" in page


def test_tick_ids_are_unique(site: Site) -> None:
    page = site.page("plans/checkout-api/v5-bidi/")
    ids = re.findall(r'data-rb-item="([^"]+)"', page)
    checks = [i for i in ids if i.startswith("check:")]
    assert len(checks) == len(COLLIDING_ITEMS)
    assert len(set(ids)) == len(ids)


# --- Chromium ------------------------------------------------------------------------------

CAPTURE_CLIPBOARD = """
window.__copied = [];
Object.defineProperty(navigator, 'clipboard', {value: {writeText: (t) => {
  window.__copied.push(t); return Promise.resolve(); }}});
"""

HANDLERS = """() => [...document.querySelectorAll('*')].flatMap(e =>
  [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"""


@pytest.mark.browser
@pytest.mark.slow
def test_chromium_runs_nothing_and_asks_no_other_host(
    site: Site, serve: Any, context: Any, console: Any
) -> None:
    dialogs: list[str] = []
    foreign: list[str] = []
    with serve(site.site_dir) as base:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        # The site's own repo_url makes Material ask GitHub for the repository's figures;
        # nothing else may leave the site.
        own = (base, "data:", "blob:", "about:", "https://api.github.com/repos/example/portal")
        page.on(
            "request",
            lambda r: foreign.append(r.url) if not r.url.startswith(own) else None,
        )
        urls = sorted(
            p.parent.relative_to(site.site_dir).as_posix() + "/"
            for p in site.site_dir.rglob("index.html")
        )
        for url in urls:
            page.goto(base + ("" if url == "./" else quote(url)))
            page.wait_for_load_state("load")
            page.mouse.move(200, 200)
            page.mouse.move(600, 400)
            assert page.evaluate("window.__xss") is None, url
            assert page.evaluate(HANDLERS) == [], url
        # Search: the hostile environments are found, and their results run nothing.
        page.goto(base + "plans/")
        for query in ("prod", "onerror", "title"):
            page.locator("label.md-search__icon, .md-search__input").first.click()
            page.locator("input.md-search__input").fill(query)
            page.wait_for_timeout(800)
            assert page.evaluate("window.__xss") is None, query
            assert page.evaluate(HANDLERS) == [], query
        page.close()
    assert dialogs == []
    assert foreign == []


@pytest.mark.browser
def test_copy_button_copies_exact_bytes(site: Site, serve: Any, context: Any) -> None:
    context.add_init_script(CAPTURE_CLIPBOARD)
    with serve(site.site_dir) as base:
        page = context.new_page()
        page.goto(base + "plans/checkout-api/v5-bidi/")
        page.wait_for_selector(".rb-code .rb-copy")
        buttons = page.locator(
            '[data-rb-step="backup"] .rb-copy, [data-rb-step="health-before"] .rb-copy'
        )
        assert buttons.count() == 4
        for i in range(4):
            buttons.nth(i).click()
        page.wait_for_function("window.__copied.length >= 4")
        copied = page.evaluate("window.__copied")
        assert copied[:4] == [BIDI_COMMAND, INVISIBLE_COMMAND, TRAILING_COMMAND, CRLF_COMMAND]
        shown = page.locator('[data-rb-step="backup"] .rb-code code').nth(0).inner_text()
        assert shown == "echo safe <U+202E>; rm -rf / #"
        page.close()
