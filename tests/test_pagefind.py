"""Plan search with Pagefind (`search: pagefind`): attributes, the theme's index, the
engine choice, the nav at many services, and real queries in Chromium.

Real MkDocs + Material builds in tmp_path; Pagefind (the `pagefind[bin]` extra) indexes
the built site; Chromium queries it through the plugin's script.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from mkdocs_runbooks.render.words import Words
from mkdocs_runbooks.search import binary, choose_engine, pagefind_available, script_words
from mkdocs_runbooks.search_start import WORKER_URI, speaks_worker_protocol
from sitebuild import Site, build_site, make_site, spec_text

pytest_plugins = ["browser"]

HOSTILE = Path(__file__).parent / "hostile"
needs_pagefind = pytest.mark.skipif(
    not pagefind_available(), reason="needs pip install 'mkdocs-runbooks[pagefind]'"
)
# Pagefind's early start is written for the installed Pagefind (search_start.py).
EARLY = pagefind_available() and speaks_worker_protocol(binary())
needs_early = pytest.mark.skipif(
    not EARLY, reason=f"the early start is not written for Pagefind at {binary()}"
)
# No web fonts: every request a page makes must stay on the site's origin.
MATERIAL = {"name": "material", "font": False}


def plan(
    service: str,
    release: str,
    date: str,
    *,
    title: str | None = None,
    step: str | None = None,
    command: str | None = None,
    owner: str | None = None,
    status: str = "completed",
    outcome: str | None = "success",
    pattern: str = "blue-green",
) -> str:
    """The contract's complete example with the searched fields replaced."""
    text = spec_text("example")
    text = text.replace(
        "title: Checkout API 2.10 - card vault migration",
        f"title: {title or f'{service} {release} maintenance'}",
    )
    if step:
        text = text.replace("title: Back up the payments database", f"title: {step}")
    if command:
        text = text.replace(
            "command: ./lb switch checkout --to green", f"command: {json.dumps(command)}"
        )
    if owner:
        text = text.replace("Dana Kowalski (Release Manager)", owner)
    text = text.replace("service: checkout-api", f"service: {service}")
    text = text.replace('release: "2.10"', f'release: "{release}"')
    text = text.replace("date: 2026-11-20", f"date: {date}")
    text = text.replace("status: completed", f"status: {status}")
    if pattern != "blue-green":
        text = text.replace("pattern: blue-green", f"pattern: {pattern}")
        text = text.replace("    switch: load balancer\n    standby: 24h\n", "    team: core\n")
    head, _, _ = text.partition("\noutcome:")
    return head + (f"\noutcome:\n  result: {outcome}\n" if outcome else "\n")


# Fillers make the ranking mean something; TARGET is the plan each field must find.
TARGET_URL = "plans/ledger-api/2024-05-07-7.3.1/"
TARGET = {
    "service": "ledger-api",
    "release": "7.3.1",
    "title": "Quartz reconciliation cut-over",
    "step": "Drain the walnut settlement queue",
    "command": "helm upgrade ledger-api ./chart --set image.tag=7.3.1-zephyr",
    "owner": "Ingrid Solberg",
    "status": "rolled-back",
}
FILLER_SERVICES = ["billing-api", "search-web", "orders-worker", "cart-api", "fraud-batch"]


def portal_plans() -> dict[str, str]:
    plans = {
        "ledger-api/2024-05-07-7.3.1": plan(
            "ledger-api",
            "7.3.1",
            "2024-05-07",
            title=TARGET["title"],
            step=TARGET["step"],
            command=TARGET["command"],
            owner=TARGET["owner"],
            status="rolled-back",
            outcome="rolled-back",
            pattern="canary",
        ),
        "ledger-api/2024-01-02-7.2.0": plan("ledger-api", "7.2.0", "2024-01-02"),
    }
    for i in range(14):
        service = FILLER_SERVICES[i % len(FILLER_SERVICES)]
        release = f"{i + 1}.{i % 4}.0"
        plans[f"{service}/2025-0{1 + i % 9}-1{i % 10}-{release}"] = plan(
            service,
            release,
            f"2025-0{1 + i % 9}-1{i % 10}",
            status="approved" if i % 3 else "completed",
            outcome=None if i % 3 else "success",
            pattern=("rolling", "recreate", "blue-green")[i % 3],
        )
    return plans


def hostile_plans() -> dict[str, str]:
    return {
        f"checkout-api/{p.stem}": p.read_text(encoding="utf-8")
        for p in sorted(HOSTILE.glob("*.yaml"))
    }


def build(root: Path, plans: dict[str, str], **plugin: Any) -> Site:
    site = build_site(
        root,
        plans,
        config={"theme": MATERIAL},
        plugin={"search": "pagefind", **plugin},
        docs={"guide.md": "# Operations guide\n\nThe on-call rota lives in the pager tool.\n"},
        strict=True,
    )
    assert not site.aborted, site.warnings
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    if not pagefind_available():
        pytest.skip("needs pip install 'mkdocs-runbooks[pagefind]'")
    return build(tmp_path_factory.mktemp("pagefind"), {**portal_plans(), **hostile_plans()})


class _Elements(HTMLParser):
    """Every element with its attributes and the text directly inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[dict[str, Any]] = []
        self.elements: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = {"tag": tag, "attrs": {k: v or "" for k, v in attrs}, "text": ""}
        self.elements.append(element)
        if tag not in ("br", "hr", "img", "input", "meta", "link", "wbr"):
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()["tag"] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1]["text"] += data


def elements(page: str) -> list[dict[str, Any]]:
    parser = _Elements()
    parser.feed(page)
    return parser.elements


def search_attributes(page: str) -> tuple[dict[str, str], dict[str, str]]:
    found = elements(page)
    filters = {
        e["attrs"]["data-pagefind-filter"]: e["text"]
        for e in found
        if "data-pagefind-filter" in e["attrs"]
    }
    meta = {
        e["attrs"]["data-pagefind-meta"]: e["text"]
        for e in found
        if "data-pagefind-meta" in e["attrs"]
    }
    return filters, meta


# --- attributes, the theme's index, the engine -------------------------------------------------


def record_block(page: str) -> str:
    """The hidden element Pagefind indexes on a plan page."""
    block = page[page.index('<div class="rb-search-record"') :]
    return block[: block.index("</div></div>") + 12]


def head(page: str) -> str:
    return page[page.index("<head") : page.index("</head>")]


@pytest.mark.slow
@needs_early
def test_plugin_pages_start_pagefind_in_their_head(site: Site) -> None:
    """The plugin's pages create Pagefind's worker from the top of their head, before any
    stylesheet; the site's own pages are left as they are."""
    pages = ((TARGET_URL, "../../../"), ("plans/", "../"), ("plans/ledger-api/", "../../"))
    for url, root in pages:
        top = head(site.page(url))
        assert top.count(WORKER_URI) == 1, url
        assert f'new URL("{root}", location.href)' in top, url
        assert top.index(WORKER_URI) < top.index('rel="stylesheet"'), url
    guide = site.page("guide/")
    assert WORKER_URI not in guide and "__rbPagefindStart" not in guide
    worker = (site.site_dir / WORKER_URI).read_text(encoding="utf-8")
    assert 'importScripts(options.basePath + "pagefind-worker.js")' in worker
    assert (site.site_dir / "pagefind" / "pagefind-worker.js").is_file()


@pytest.mark.slow
@needs_pagefind
@pytest.mark.skipif(os.name != "posix", reason="a shell script stands for the binary")
def test_an_unknown_pagefind_gets_no_early_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a Pagefind whose worker the plugin does not know, plan pages load Pagefind
    through pagefind.js only (the binary here reports 1.99.0 and is the real one)."""
    fake = tmp_path / "pagefind"
    fake.write_text(
        '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "pagefind 1.99.0"; exit 0; fi\n'
        f'exec "{binary()}" "$@"\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    site = build(tmp_path / "portal", dict(list(portal_plans().items())[:2]))
    page = site.page("plans/")
    assert WORKER_URI not in page and "data-rb-search" in page
    assert not (site.site_dir / WORKER_URI).exists()
    assert (site.site_dir / "pagefind" / "pagefind.js").is_file(), "Pagefind still indexed"


@pytest.mark.slow
@needs_early
def test_no_early_start_where_materials_search_is_disabled(tmp_path: Path) -> None:
    """Material's search plugin turned off (`enabled: false`) shows no search box: plan
    pages have none plan search serves, so they do not start Pagefind; the plans index,
    whose own box does, still does."""
    site = build_site(
        tmp_path,
        dict(list(portal_plans().items())[:2]),
        config={
            "theme": MATERIAL,
            "plugins": [{"search": {"enabled": False}}, {"runbooks": {"search": "pagefind"}}],
        },
        strict=True,
    )
    assert not site.aborted, site.warnings
    page = site.page(TARGET_URL)
    assert "md-search__input" not in page, "no search box"
    assert WORKER_URI not in page
    assert WORKER_URI not in site.page("plans/ledger-api/")
    assert WORKER_URI in head(site.page("plans/")) and "data-rb-search" in site.page("plans/")


@pytest.mark.slow
def test_plan_pages_carry_pagefind_body_filters_and_meta(site: Site) -> None:
    page = site.page(TARGET_URL)
    article = page[page.index("<article") : page.index("</article>")]
    assert page.count("data-pagefind-body") == 1
    body = [e for e in elements(article) if "data-pagefind-body" in e["attrs"]]
    assert body[0]["tag"] == "div" and "hidden" in body[0]["attrs"], body
    assert body[0]["attrs"]["class"] == "rb-search-record"
    filters, meta = search_attributes(page)
    assert filters == {
        "service": "ledger-api",
        "status": "rolled-back",
        "outcome": "rolled-back",
        "strategy": "canary",
    }
    assert meta == {
        "title": TARGET["title"],
        "service": "ledger-api",
        "release": "7.3.1",
        "date": "2024-05-07",
        "status": "rolled-back",
    }
    # A plan without an outcome is filtered as "none".
    other = site.page("plans/search-web/2025-02-11-2.1.0/")
    assert search_attributes(other)[0]["outcome"] == "none"


@pytest.mark.slow
def test_pagefind_indexes_the_searched_fields_and_not_the_prose(site: Site) -> None:
    """What Pagefind stored of the plan (its fragment: the text it searches and excerpts):
    every field search must find it by, commands byte for byte (the phases', the
    migrations' and the rollback's), and none of the page's long prose (rationale,
    expected outcomes, checklists), which made the index several times larger, nor the
    steps' verification commands (Pagefind's memory at 10,000 plans)."""
    content = fragments(site.site_dir)["/" + TARGET_URL]
    for field, value in TARGET.items():
        assert value in content, field
    assert "Deployment Lead" in content and "Alice Martin" in content  # the roles
    for command in (
        "kubectl -n checkout-green set image deploy/checkout-api "
        "api=registry.example.com/checkout-api:2.10",  # a step's command
        "python -m checkout.backfill --batch 10000",  # a migration's command
        "./lb switch checkout --to blue",  # the rollback step's command
    ):
        assert command in content, command
    for left_out in (
        "blue-green gives an instant",  # the strategy's rationale
        "pg_dump exits 0 and the dump file",  # a step's expected outcome
        "Database backup tested by a restore",  # a checklist item
        # the same step's verification command, and the rollback step's
        "kubectl -n checkout-green rollout status deploy/checkout-api --timeout=300s",
        "./lb status checkout | grep 'active: blue'",
    ):
        assert left_out in html.unescape(site.page(TARGET_URL)), left_out
        assert left_out not in content, left_out


def test_other_pages_are_not_pagefind_pages(site: Site) -> None:
    for url in ("", "guide/", "plans/", "plans/ledger-api/", "patterns/canary/"):
        assert "data-pagefind-body" not in site.page(url), url


def test_attributes_carry_hostile_plan_text_as_text(site: Site) -> None:
    page = site.page("plans/checkout-api/xss-everywhere/")
    tags = {e["tag"] for e in elements(record_block(page))}
    assert tags == {"div", "p", "span"}, "plan text made no element in the search record"
    _, meta = search_attributes(page)
    assert meta["release"] == "2.10<script>window.__xss=1</script>"
    assert meta["title"].endswith('<img src=x onerror="window.__xss=(window.__xss||0)+1">')


def test_material_index_leaves_plan_pages_out(site: Site) -> None:
    index = json.loads((site.site_dir / "search/search_index.json").read_text())
    pages = {d["location"].split("#")[0] for d in index["docs"]}
    assert "guide/" in pages and "plans/" in pages and "plans/ledger-api/" in pages
    assert not [p for p in pages if re.fullmatch(r"plans/[^/]+/[^/]+/", p)], pages
    # Nor the plans index's table of every plan (Pagefind finds plans); its title stays.
    plans_index = " ".join(
        d["text"] for d in index["docs"] if d["location"].split("#")[0] == "plans/"
    )
    assert "plans" in plans_index
    assert "ledger-api" not in plans_index and "checkout-api" not in plans_index
    assert "<table data-search-exclude>" in site.page("plans/")
    assert (site.site_dir / "pagefind/pagefind.js").is_file()
    assert "assets/runbooks/search.js" in site.page("guide/")


@pytest.mark.slow
@needs_pagefind
def test_material_engine_keeps_plans_in_the_theme_index(tmp_path: Path) -> None:
    site = build(tmp_path, dict(list(portal_plans().items())[:2]), search="material")
    index = json.loads((site.site_dir / "search/search_index.json").read_text())
    assert any(d["location"].startswith(TARGET_URL) for d in index["docs"])
    assert "data-pagefind-body" not in site.page(TARGET_URL)
    assert not (site.site_dir / "pagefind").exists()
    assert "search.js" not in site.page(TARGET_URL)


@pytest.mark.slow
@needs_pagefind
@pytest.mark.parametrize(("threshold", "engine"), [(1, "pagefind"), (2, "material")])
def test_auto_engine_follows_the_threshold(tmp_path: Path, threshold: int, engine: str) -> None:
    plans = dict(list(portal_plans().items())[:2])
    site = build(tmp_path, plans, search="auto", search_threshold=threshold)
    assert (site.site_dir / "pagefind").exists() == (engine == "pagefind")
    assert ("data-pagefind-body" in site.page(TARGET_URL)) == (engine == "pagefind")


def test_engine_choice() -> None:
    assert choose_engine("auto", 500, 200, available=True, offline=False).engine == "pagefind"
    assert choose_engine("auto", 200, 200, available=True, offline=False).engine == "material"
    offline = choose_engine("auto", 500, 200, available=True, offline=True)
    assert offline.engine == "material" and offline.note and "offline" in offline.note
    missing = choose_engine("auto", 500, 200, available=False, offline=False)
    assert missing.engine == "material" and missing.note and "pagefind" in missing.note
    asked = choose_engine("pagefind", 1, 200, available=False, offline=False)
    assert asked.engine == "material" and asked.level >= 30
    assert choose_engine("pagefind", 1, 200, available=True, offline=True).engine == "pagefind"
    assert choose_engine("material", 10**5, 200, available=True, offline=False).engine == "material"


# --- the nav at many services -----------------------------------------------------------------


def _nav(page: str) -> str:
    return page[
        page.index('<nav class="md-nav md-nav--primary"') : page.index('<div class="md-content"')
    ]


@pytest.mark.slow
@pytest.mark.parametrize("nav_services", [30, 2])
def test_nav_lists_services_up_to_nav_services(tmp_path: Path, nav_services: int) -> None:
    plans = {
        f"{s}/2025-01-0{i + 1}": plan(s, f"1.{i}", f"2025-01-0{i + 1}")
        for i, s in enumerate(["alpha-api", "beta-api", "gamma-api"])
    }
    site = build_site(
        tmp_path, plans, config={"theme": MATERIAL}, plugin={"nav_services": nav_services},
        strict=True,
    )  # fmt: skip
    assert not site.aborted, site.warnings
    nav = _nav(site.page(""))
    index = site.page("plans/")
    listed = 'class="rb-service-list"' in index
    for service in ("alpha-api", "beta-api", "gamma-api"):
        assert (f'href="plans/{service}/"' in nav) == (nav_services >= 3), service
        assert (f'href="{service}/"' in index) and listed == (nav_services < 3)
    assert 'href="plans/"' in nav, "the plans index stays in the nav"


# --- Chromium ----------------------------------------------------------------------------------


def wait_for_wasm(page: Any, fetched: list[str]) -> None:
    """Until Pagefind's WebAssembly has arrived (requests of the page and of its workers)."""
    for _ in range(200):  # (a wait, not a timing: up to 20 s on a loaded machine)
        if any("/pagefind/wasm." in url for url in fetched):
            return
        page.wait_for_timeout(100)


@pytest.fixture(scope="module")
def served(site: Site, serve: Any) -> Any:
    with serve(site.site_dir) as base:
        yield base


@pytest.fixture
def requests(page: Any) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def dialog_search(page: Any, base: str, query: str, start: str = "guide/") -> list[dict[str, str]]:
    """Type ``query`` into Material's search box on the page ``start``; the plan results
    shown in its dialog."""
    page.goto(base + start)
    page.locator("label.md-search__icon, .md-search__input").first.wait_for(state="attached")
    page.locator("input.md-search__input").press_sequentially(query)
    page.wait_for_function(
        "q => document.querySelector('.rb-search-dialog')?.getAttribute('data-rb-query') === q",
        arg=query,
    )
    return hits(page, ".rb-search-dialog")


def hits(page: Any, scope: str) -> list[dict[str, str]]:
    result: list[dict[str, str]] = page.eval_on_selector_all(
        f"{scope} .rb-search-hit",
        """items => items.map(li => ({
            href: li.querySelector('a').getAttribute('href'),
            title: li.querySelector('.rb-search-title').textContent,
            release: (li.querySelector('.rb-search-release') || {}).textContent || '',
            date: (li.querySelector('.rb-search-date') || {}).textContent || '',
            status: (li.querySelector('.rb-search-status') || {}).textContent || '',
        }))""",
    )
    return result


@pytest.mark.browser
@pytest.mark.parametrize("field", list(TARGET))
def test_search_box_finds_the_plan_by_each_field(
    served: str, page: Any, requests: list[str], console: Any, field: str
) -> None:
    query = TARGET[field]
    if field == "status":
        query = "rolled-back ledger-api"
    found = dialog_search(page, served, query)
    urls = [h["href"] for h in found[:5]]
    assert served + TARGET_URL in urls, (query, urls)
    target = next(h for h in found if h["href"] == served + TARGET_URL)
    assert target["title"] == TARGET["title"]
    assert (target["release"], target["date"], target["status"]) == (
        "7.3.1",
        "2024-05-07",
        "rolled-back",
    )
    assert all(url.startswith(served) for url in requests), [
        u for u in requests if not u.startswith(served)
    ]
    assert any("/pagefind/" in url for url in requests)
    assert not console.errors


# An image that arrives only when the test says so: until then the page's `load` event waits.
HOLD_LOAD = """document.addEventListener('DOMContentLoaded', () => {
  const img = document.createElement('img');
  img.src = '/rb-held-image.png';
  document.body.append(img);
})"""


@pytest.mark.browser
@pytest.mark.parametrize("start", ["guide/", TARGET_URL])
def test_pagefind_loads_while_the_page_loads(
    served: str, context: Any, page: Any, start: str
) -> None:
    """Pagefind's WebAssembly and page list are fetched with no search box touched and
    before the page's `load` event (held here by an image that has not arrived), so that a
    query made as soon as the page has loaded does not wait for all of them: on a page of
    the site through pagefind.js, on a plan page through the early start, whose warm-up
    search fetches nothing more."""
    fetched: list[str] = []
    context.on("requestfinished", lambda request: fetched.append(request.url))
    held: list[Any] = []
    # (a plain function: Playwright cannot mark the bound method held.append as a handler)
    page.route("**/rb-held-image.png", lambda route: held.append(route))  # noqa: PLW0108
    page.add_init_script(HOLD_LOAD)
    page.goto(served + start, wait_until="domcontentloaded")
    assert not page.evaluate("document.activeElement.matches('input')")

    def pagefind() -> list[str]:
        return [url.rsplit("/", 1)[1] for url in fetched if "/pagefind/" in url]

    for _ in range(200):  # (a wait, not a timing: up to 20 s on a loaded machine)
        if any(n.startswith("wasm.") for n in pagefind()) and any(
            n.endswith(".pf_meta") for n in pagefind()
        ):
            break
        page.wait_for_timeout(100)
    assert any(name.startswith("wasm.") for name in pagefind()), pagefind()
    assert any(name.endswith(".pf_meta") for name in pagefind()), pagefind()
    assert held, "the held image was requested"
    assert page.evaluate("document.readyState") != "complete", "the load event waited"
    held[0].fulfill(status=204)
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
    # Only what every query needs: no index chunk, filter or result before a query.
    assert not [n for n in pagefind() if n.endswith((".pf_index", ".pf_filter", ".pf_fragment"))]


@pytest.mark.slow
@pytest.mark.browser
@needs_pagefind
def test_other_themes_load_pagefind_only_where_a_box_uses_it(
    tmp_path: Path, context: Any, serve: Any
) -> None:
    """With MkDocs' own theme the plans index has the plugin's search box and its other
    pages have none the plugin serves: Pagefind is preloaded on the index only."""
    site = build_site(
        tmp_path,
        dict(list(portal_plans().items())[:2]),
        config={"theme": {"name": "mkdocs"}},
        plugin={"search": "pagefind"},
        docs={"guide.md": "# Operations guide\n"},
        strict=True,
    )
    assert not site.aborted, site.warnings
    # The early start (search_start.py) only where the plugin's box is: the plans index.
    assert (WORKER_URI in head(site.page("plans/"))) is EARLY
    assert WORKER_URI not in site.page(TARGET_URL)
    assert WORKER_URI not in site.page("plans/ledger-api/")
    fetched: list[str] = []
    context.on("requestfinished", lambda request: fetched.append(request.url))
    with serve(site.site_dir) as base:
        page = context.new_page()
        page.goto(base + "plans/", wait_until="load")
        wait_for_wasm(page, fetched)
        page.wait_for_load_state("networkidle")
        assert [url for url in fetched if "/pagefind/wasm." in url], fetched
        page.goto(base + "guide/", wait_until="load")
        fetched.clear()
        page.reload(wait_until="load")
        page.wait_for_load_state("networkidle")
        page.evaluate("() => new Promise(r => requestIdleCallback(r, {timeout: 3000}))")
        page.wait_for_load_state("networkidle")
    assert base + "assets/runbooks/search.js" in fetched  # the script runs on the page
    assert not [url for url in fetched if "/pagefind/" in url], fetched


@pytest.mark.slow
@pytest.mark.browser
@needs_pagefind
def test_instant_navigation_keeps_plan_search(tmp_path: Path, context: Any, serve: Any) -> None:
    """With Material's instant navigation, the script runs once: reaching the plans index
    from another page mounts its search box, which finds plans; Pagefind is loaded once.
    (Instant navigation only takes links of sitemap.xml, which keeps site_url's port: the
    server starts first and the site is built with its address.)"""
    fetched: list[str] = []
    context.on("requestfinished", lambda request: fetched.append(request.url))
    (tmp_path / "site").mkdir()
    with serve(tmp_path / "site") as base:
        site = build_site(
            tmp_path,
            dict(list(portal_plans().items())[:2]),
            config={
                "theme": {**MATERIAL, "features": ["navigation.instant"]},
                "site_url": base,
            },
            plugin={"search": "pagefind"},
            docs={"guide.md": "# Operations guide\n\n[All plans](plans/index.md)\n"},
            strict=True,
        )
        assert not site.aborted, site.warnings
        page = context.new_page()
        page.goto(base + "guide/", wait_until="load")
        page.wait_for_load_state("networkidle")  # Material has read sitemap.xml
        page.evaluate("window.__rbSamePage = true")
        page.locator("article a[href$='plans/']").click()
        box = page.locator("[data-rb-search][data-rb-mounted] input")
        box.fill("ledger-api")
        page.wait_for_selector("[data-rb-search][data-rb-query='ledger-api']")
        assert page.evaluate("window.__rbSamePage") is True, "instant navigation, no reload"
        found = {h["href"] for h in hits(page, "[data-rb-search]")}
        assert base + TARGET_URL in found, found
    assert len([url for url in fetched if url.endswith("/pagefind/pagefind.js")]) == 1, fetched


# Every Worker the page creates: its script, and whether the page was still being parsed.
WORKERS = """window.__rbWorkers = [];
const RealWorker = window.Worker;
window.Worker = function (url, options) {
  window.__rbWorkers.push({url: String(url), parsing: document.readyState === 'loading',
                           bodyScripts: document.querySelectorAll('body script').length});
  return new RealWorker(url, options);
};"""
# The whole query at once, as soon as the page has loaded (the benchmark's "load" kind).
PASTE_AT_LOAD = """(query) => {
  const input = document.querySelector('input.md-search__input');
  input.focus();
  input.value = query;
  input.dispatchEvent(new Event('input', {bubbles: true}));
}"""


def query_at_load(page: Any, url: str, query: str) -> list[str]:
    page.goto(url, wait_until="load")
    page.evaluate(PASTE_AT_LOAD, query)
    page.wait_for_function(
        "q => document.querySelector('.rb-search-dialog')?.getAttribute('data-rb-query') === q",
        arg=query,
    )
    return [h["href"] for h in hits(page, ".rb-search-dialog")[:5]]


@pytest.mark.browser
@needs_early
def test_a_plan_page_starts_pagefind_while_it_is_parsed(
    served: str, context: Any, page: Any, console: Any
) -> None:
    """On a plan page, Pagefind's worker is created from the head, while the page is
    parsed and before the theme's scripts; a query made as soon as the page has loaded is
    answered through it, and pagefind.js is never loaded."""
    fetched: list[str] = []
    context.on("requestfinished", lambda request: fetched.append(request.url))
    page.add_init_script(WORKERS)
    urls = query_at_load(page, served + TARGET_URL, TARGET["step"])
    assert served + TARGET_URL in urls, urls
    workers = page.evaluate("window.__rbWorkers")
    pagefind = [w for w in workers if w["url"].endswith("/" + WORKER_URI)]
    assert len(pagefind) == 1, workers
    assert pagefind[0]["parsing"] and pagefind[0]["bodyScripts"] == 0, pagefind
    assert served + "pagefind/pagefind-worker.js" in fetched, "it runs Pagefind's worker"
    assert not [url for url in fetched if url.endswith("/pagefind/pagefind.js")], fetched
    assert [url for url in fetched if ".pf_fragment" in url], "results came from Pagefind"
    assert not console.errors


# How the early start's worker fails: its script is not found, or it runs and never
# answers (as a Pagefind whose messages are not those search.js knows would).
BROKEN_WORKER: dict[str, dict[str, Any]] = {
    "missing": {"status": 404},
    "silent": {"body": "self.onmessage = null;", "content_type": "text/javascript"},
}


@pytest.mark.browser
@needs_early
@pytest.mark.parametrize("broken", ["missing", pytest.param("silent", marks=pytest.mark.slow)])
def test_without_a_working_early_worker_the_page_falls_back_to_pagefind_js(
    served: str, context: Any, broken: str
) -> None:
    """If the early start's worker cannot start, or does not answer "init" within 5 s
    (then it is stopped), search.js loads pagefind.js, which starts its own worker: the
    query made meanwhile is answered; it does not hang."""
    page = context.new_page()
    page.route("**/" + WORKER_URI, lambda route: route.fulfill(**BROKEN_WORKER[broken]))
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    urls = query_at_load(page, served + TARGET_URL, TARGET["step"])
    assert served + TARGET_URL in urls, urls
    assert [url for url in fetched if url.endswith("/pagefind/pagefind.js")], fetched
    page.close()


@pytest.mark.browser
@needs_early
def test_a_page_opened_at_a_doubled_slash_still_searches(served: str, page: Any) -> None:
    """At http://host//plans/... (servers that merge slashes serve it), the site's root
    path is "//": the bundle's address reaches the worker whole, not as a path that would
    name another host ("//pagefind/...")."""
    origin = served.rstrip("/")
    urls = query_at_load(page, origin + "//" + TARGET_URL, TARGET["step"])
    assert any(url.endswith("/" + TARGET_URL) for url in urls), urls
    assert all(url.startswith(origin + "/") for url in urls), urls


@pytest.mark.browser
@pytest.mark.parametrize("start", ["guide/", TARGET_URL])
def test_without_pagefinds_bundle_the_box_says_so_and_no_error_escapes(
    served: str, context: Any, page: Any, console: Any, start: str
) -> None:
    """Pagefind's bundle out of reach (`mkdocs serve` before Pagefind has run, a build
    whose indexing failed): the search says it could not load, and the failure, which
    search.js handles, is not reported to the page as an uncaught error (what a site's
    error tracker counts), neither through pagefind.js nor through the early start."""
    context.route("**/pagefind/**", lambda route: route.fulfill(status=404, body=""))
    page.goto(served + start, wait_until="load")
    page.locator("input.md-search__input").press_sequentially("ledger")
    count = ".rb-search-dialog .rb-search-count"
    page.wait_for_function(f"() => document.querySelector({json.dumps(count)})?.textContent")
    assert page.locator(count).text_content() == script_words(Words("en"))["failed"]
    assert not [e for e in console.errors if e.startswith("pageerror")], console.errors


@pytest.mark.browser
def test_a_pasted_query_finds_the_plan(served: str, page: Any) -> None:
    """The whole query at once, in the instant the search box gets focus."""
    page.goto(served + "guide/", wait_until="load")
    page.locator("input.md-search__input").fill(TARGET["step"])
    page.wait_for_function(
        "q => document.querySelector('.rb-search-dialog')?.getAttribute('data-rb-query') === q",
        arg=TARGET["step"],
    )
    urls = [h["href"] for h in hits(page, ".rb-search-dialog")[:5]]
    assert served + TARGET_URL in urls, urls


@pytest.mark.browser
def test_material_search_still_finds_other_pages(served: str, page: Any) -> None:
    page.goto(served + "guide/")
    page.locator("input.md-search__input").press_sequentially("rota")
    page.wait_for_selector(".md-search-result__list .md-search-result__item")
    links = page.eval_on_selector_all(
        ".md-search-result__list a", "as => as.map(a => a.getAttribute('href'))"
    )
    assert any(link.rstrip("/").endswith("guide") for link in links), links
    assert not any("/plans/ledger-api/2024" in link for link in links)


@pytest.mark.browser
def test_filters_on_the_plans_index(served: str, page: Any, requests: list[str]) -> None:
    page.goto(served + "plans/")
    box = page.locator("[data-rb-search]")
    box.locator("input").fill("ledger-api")
    page.wait_for_selector("[data-rb-search][data-rb-query='ledger-api']")
    both = {h["href"] for h in hits(page, "[data-rb-search]")}
    assert {served + TARGET_URL, served + "plans/ledger-api/2024-01-02-7.2.0/"} <= both
    status = box.locator("select[data-rb-filter='status']")
    status.select_option("rolled-back")
    page.wait_for_function(
        "document.querySelectorAll('[data-rb-search] .rb-search-hit').length === 1"
    )
    assert [h["href"] for h in hits(page, "[data-rb-search]")] == [served + TARGET_URL]
    # Filters alone, without a query: every plan with that strategy and no outcome yet.
    box.locator("input").fill("")
    status.select_option("")
    box.locator("select[data-rb-filter='outcome']").select_option("none")
    box.locator("select[data-rb-filter='strategy']").select_option("recreate")
    page.wait_for_function(
        "[...document.querySelectorAll('[data-rb-search] .rb-search-hit')].length === 5"
    )
    found = hits(page, "[data-rb-search]")
    assert all(h["status"] == "approved" for h in found), found
    assert all(url.startswith(served) for url in requests)
    # A query no plan matches: the count says so, and no "Show more" button is shown.
    box.locator("select[data-rb-filter='outcome']").select_option("")
    box.locator("select[data-rb-filter='strategy']").select_option("")
    box.locator("input").fill("zzqx")
    page.wait_for_selector("[data-rb-search][data-rb-query='zzqx']")
    page.wait_for_function(
        "!document.querySelector('[data-rb-search] .rb-search-hit')"
        " && document.querySelector('[data-rb-search] .rb-search-count').textContent"
    )
    assert not box.locator(".rb-search-more").is_visible()


@pytest.mark.browser
@pytest.mark.parametrize("start", ["guide/", TARGET_URL])
def test_plan_text_in_results_is_escaped(served: str, page: Any, console: Any, start: str) -> None:
    """From a page of the site (pagefind.js) and from a plan page (the early start)."""
    found = dialog_search(page, served, "window.__xss", start)
    hostile = [h for h in found if "/plans/checkout-api/" in h["href"]]
    assert hostile, found
    titles = " ".join(h["title"] + h["release"] for h in hostile)
    assert "<img src=x onerror=" in titles or "<script>" in titles
    tags = page.eval_on_selector_all(
        ".rb-search-dialog .rb-search-hit *", "els => [...new Set(els.map(e => e.localName))]"
    )
    assert set(tags) <= {"a", "article", "h2", "p", "span", "mark"}, tags
    assert page.evaluate("window.__xss") is None
    assert not console.errors


@pytest.mark.browser
def test_file_url_says_search_needs_http(site: Site, browser: Any) -> None:
    context = browser.new_context()  # (the shared context answers every non-HTTP request)
    page = context.new_page()
    page.goto((site.site_dir / "plans/index.html").as_uri())
    page.wait_for_selector("[data-rb-search] .rb-search-count")
    text = page.text_content("[data-rb-search] .rb-search-count") or ""
    context.close()
    assert "file://" in text


# --- mkdocs serve -----------------------------------------------------------------------------


def fragments(site_dir: Path) -> dict[str, str]:
    """Pagefind's stored page records (gzip, a signature, then JSON), by page URL."""
    out = {}
    for path in (site_dir / "pagefind/fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        record = json.loads(data)
        out[record["url"]] = record["content"]
    return out


@pytest.mark.slow
@needs_pagefind
def test_rebuild_under_serve_updates_the_pagefind_index(tmp_path: Path) -> None:
    """Under `mkdocs serve` Pagefind runs after each build, in the background, and its new
    bundle replaces the last one whole."""
    plans = dict(list(portal_plans().items())[:2])
    make_site(tmp_path, plans, config={"theme": MATERIAL}, plugin={"search": "pagefind"})
    cfg = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    cfg.plugins.on_startup(command="serve", dirty=True)  # one plugin instance, kept
    plugin = cfg.plugins["runbooks"]
    mkdocs_build(cfg, dirty=True)
    plugin.indexer.wait()  # under serve, Pagefind runs after the build, in the background
    url = "/" + TARGET_URL
    assert "kumquat" not in fragments(tmp_path / "site")[url]
    yaml_file = tmp_path / "plans" / TARGET_URL.removeprefix("plans/") / "deployment-plan.yaml"
    yaml_file.write_text(yaml_file.read_text().replace(TARGET["step"], "Drain the kumquat queue"))
    cfg = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    mkdocs_build(cfg, dirty=True)
    plugin.indexer.wait()
    assert sorted(p.name for p in (tmp_path / "site").iterdir() if "pagefind" in p.name) == [
        "pagefind"
    ], "no folder of an earlier run is left"
    assert "Drain the kumquat queue" in fragments(tmp_path / "site")[url]


@pytest.mark.slow
@needs_pagefind
def test_auto_keeps_material_search_with_the_offline_plugin(tmp_path: Path) -> None:
    site = build_site(
        tmp_path,
        dict(list(portal_plans().items())[:2]),
        config={"theme": MATERIAL, "plugins": ["search", "offline", {"runbooks": {
            "search": "auto", "search_threshold": 1}}]},
        strict=True,
    )  # fmt: skip
    assert not site.aborted, site.warnings
    assert not (site.site_dir / "pagefind").exists()
    assert "data-pagefind-body" not in site.page(TARGET_URL)


@pytest.mark.slow
@needs_pagefind
def test_auto_uses_pagefind_when_the_offline_plugin_is_turned_off(tmp_path: Path) -> None:
    """Material's offline plugin listed but turned off (`enabled: false`, the `!ENV`
    switch Material documents for it): the site is served over HTTP, so `auto` chooses
    Pagefind as without the plugin."""
    site = build_site(
        tmp_path,
        dict(list(portal_plans().items())[:2]),
        config={"theme": MATERIAL, "plugins": ["search", {"offline": {"enabled": False}},
            {"runbooks": {"search": "auto", "search_threshold": 1}}]},
        strict=True,
    )  # fmt: skip
    assert not site.aborted, site.warnings
    assert (site.site_dir / "pagefind" / "pagefind-entry.json").is_file()
    assert "data-pagefind-body" in site.page(TARGET_URL)
