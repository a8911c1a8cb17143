"""Other MkDocs plugins next to runbooks: one real build per row of docs/compatibility.md.

Every build is strict (a warning fails it) and each test asserts on the HTML. The versions
tested are pinned in the ``compat`` extra of pyproject.toml; TechDocs gets its own
virtualenv (tests/compat_venv.py) because techdocs-core pins its own MkDocs stack.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from compat_venv import compat_venv
from sitebuild import Site, build_site, code_blocks, make_site, run_build, spec_text

EXAMPLE = "plans/checkout-api/2026-11-20-2.10/"
MINIMAL = "plans/billing-worker/2026-12-01-4.2.0/"
EXAMPLE_MD = EXAMPLE + "index.md"
TECHDOCS_CORE = "mkdocs-techdocs-core==1.7.1"

pytestmark = pytest.mark.compat


def plans() -> dict[str, str]:
    return {
        "checkout-api/2026-11-20-2.10": spec_text("example"),
        "billing-worker/2026-12-01-4.2.0": spec_text("minimal"),
    }


def build(root: Path, plugins: list[Any], **kw: Any) -> Site:
    """A strict build of both spec plans with ``plugins``; no warning allowed."""
    config = {"plugins": plugins, **kw.pop("config", {})}
    site = build_site(root, kw.pop("plans", None) or plans(), config=config, strict=True, **kw)
    assert not site.aborted, site.warnings
    assert site.warnings == []
    return site


def nav_links(page: str) -> list[str]:
    """Addresses in the primary nav of a Material page, in order."""
    start = page.index("md-nav--primary")
    end = page.index("md-sidebar--secondary", start)
    return re.findall(r'<a href="([^"]+)" class="md-nav__link[^"]*">', page[start:end])


def nav_titles(page: str) -> list[str]:
    """Titles in the primary nav of a Material page (sections and pages), in order."""
    start = page.index("md-nav--primary")
    end = page.index("md-sidebar--secondary", start)
    spans = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', page[start:end], re.S)
    return [re.sub(r"<[^>]+>", "", s).strip() for s in spans]


def h1(page: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert match
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# --- Material's own plugins -------------------------------------------------------------------


@pytest.mark.parametrize("order", ["before", "after"])
def test_search_indexes_plan_sections(tmp_path: Path, order: str) -> None:
    plugins = ["search", "runbooks"] if order == "before" else ["runbooks", "search"]
    site = build(tmp_path, plugins)
    index = json.loads((site.site_dir / "search/search_index.json").read_text())
    docs = {d["location"]: d for d in index["docs"]}
    assert EXAMPLE in docs
    rollback = docs[EXAMPLE + "#rollback"]
    assert rollback["title"] == "Rollback"
    # Fragments are back in place before search reads the page: commands are indexed.
    assert "pg_dump" in json.dumps(index)


def test_tags_lists_plan_pages(tmp_path: Path) -> None:
    site = build(
        tmp_path,
        ["search", "tags", "runbooks"],
        docs={"tags.md": "# Tags\n\n<!-- material/tags -->\n"},
    )
    page = site.page(EXAMPLE)
    assert re.findall(r'class="md-tag">([^<]+)<', page) == [
        "blue-green",
        "checkout-api",
        "completed",
        "production",
    ]
    tags = site.page("tags/")
    assert 'id="tag:checkout-api"' in tags
    assert f'href="../{EXAMPLE}"' in tags
    assert f'href="../{MINIMAL}"' in tags


def test_blog_next_to_plans(tmp_path: Path) -> None:
    post = (
        f"---\ndate: 2026-01-02\n---\n# Cut-over done\n\nSee [the runbook](../../{EXAMPLE_MD}).\n"
    )
    site = build(
        tmp_path,
        ["search", "blog", "runbooks"],
        docs={"blog/index.md": "# Blog\n", "blog/posts/cut-over.md": post},
    )
    article = site.page("blog/2026/01/02/cut-over-done/")
    assert f'href="../../../../../{EXAMPLE}"' in article
    assert "cut-over-done/" in site.page("blog/")
    home = nav_links(site.page(""))
    assert "blog/" in home and "plans/" in home
    assert "rb-rollback" in site.page(EXAMPLE)


def test_privacy_finds_no_external_asset(tmp_path: Path) -> None:
    # With assets_fetch off the privacy plugin warns about every external asset it finds
    # (so --strict fails): web fonts are off, and Mermaid is Material's own lazy loader.
    privacy = {"assets_fetch": False, "assets_exclude": ["unpkg.com/*"]}
    site = build(
        tmp_path,
        ["search", {"privacy": privacy}, "runbooks"],
        config={"theme": {"name": "material", "font": False}},
    )
    page = site.page(EXAMPLE)
    assets = re.findall(r'<(?:script|img)[^>]+src="([^"]+)"', page)
    assets += re.findall(r'<link rel="(?:stylesheet|preconnect)" href="([^"]+)"', page)
    assert assets and not [a for a in assets if re.match(r"(https?:)?//", a)], assets
    assert 'src="../../../assets/runbooks/runbooks.js"' in page


def test_meta_files_apply_to_plan_pages(tmp_path: Path) -> None:
    site = build(
        tmp_path,
        ["search", "meta", "tags", "runbooks"],
        docs={
            "plans/.meta.yml": "tags:\n  - runbook\nhide:\n  - navigation\n",
            "tags.md": "# Tags\n\n<!-- material/tags -->\n",
        },
    )
    page = site.page(EXAMPLE)
    assert "runbook" in re.findall(r'class="md-tag">([^<]+)<', page)
    assert "checkout-api" in re.findall(r'class="md-tag">([^<]+)<', page)
    assert re.search(r'md-sidebar--primary"[^>]*hidden>', page)
    assert not re.search(r'md-sidebar--primary"[^>]*hidden>', site.page(""))
    assert 'id="tag:runbook"' in site.page("tags/")


OFFLINE_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--allow-file-access-from-files",
]


@pytest.mark.browser
def test_offline_portal_from_disk(tmp_path: Path) -> None:
    site = build(
        tmp_path,
        ["search", "offline", "runbooks"],
        config={"use_directory_urls": False, "theme": {"name": "material", "font": False}},
    )
    plan_html = site.site_dir / EXAMPLE / "index.html"
    page = plan_html.read_text(encoding="utf-8")
    local = [h for h in re.findall(r'href="([^"#]+)"', page) if not h.startswith("http")]
    pages = [h for h in local if not h.startswith("../../../assets/")]
    assert pages and all(h.endswith(".html") for h in pages), pages
    assert "../../../patterns/blue-green.html" in pages
    index = (site.site_dir / "plans/index.html").read_text(encoding="utf-8")
    assert 'href="checkout-api/2026-11-20-2.10/index.html"' in index
    assert (site.site_dir / "search/search_index.js").is_file()

    from browser import require_chromium

    chromium = require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=OFFLINE_ARGS, headless=True
        )
        try:
            context = browser.new_context()
            context.set_default_timeout(30_000)  # a loaded 2-core CI machine
            # No network: whatever is not on disk fails (Material asks unpkg for a shim).
            context.route(re.compile(r"^https?://"), lambda route: route.abort())
            tab = context.new_page()
            tab.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
            tab.on(
                "requestfailed",
                lambda r: errors.append(f"failed: {r.url}") if r.url.startswith("file:") else None,
            )
            tab.goto(plan_html.as_uri())
            tab.wait_for_selector(".rb-progress-all .rb-controls")
            box = tab.locator('input[data-rb-item="step:backup"]')
            box.check()
            assert tab.locator(".rb-progress-all .rb-progress-text").inner_text() == (
                "1 of 8 steps"
            )
            tab.reload()
            tab.wait_for_selector(".rb-progress-all .rb-controls")
            assert box.is_checked()
            tab.locator('.md-content a[href$="patterns/blue-green.html"]').first.click()
            tab.wait_for_url("**/patterns/blue-green.html")
            assert tab.locator("h1").first.inner_text() == "Blue-green deployment"
            tab.go_back()
            tab.wait_for_selector(".rb-progress-all .rb-controls")
            assert tab.locator('input[data-rb-item="step:backup"]').is_checked()
        finally:
            browser.close()
    assert errors == []


# --- Navigation plugins -----------------------------------------------------------------------

# Generated pages are NOT_IN_NAV: awesome-nav's globs and folder entries never list them;
# a page entry (`Runbooks: plans/index.md`) places one where the site wants it.
AWESOME_NAV = (
    "nav:\n  - index.md\n  - Runbooks: plans/index.md\n"
    "  - Strategies:\n      - Canary: patterns/canary.md\n  - '*'\n"
)


@pytest.mark.parametrize("order", ["before", "after"])
def test_awesome_nav_places_generated_pages(tmp_path: Path, order: str) -> None:
    plugins = ["search", "awesome-nav", "runbooks"]
    if order == "after":
        plugins = ["search", "runbooks", "awesome-nav"]
    site = build(tmp_path, plugins, docs={".nav.yml": AWESOME_NAV, "about.md": "# About\n"})
    links = nav_links(site.page(""))
    # The site's entries only: the `*` glob lists none of the generated pages, and the
    # plugin appends no section since the site placed its index.
    assert links == [".", "plans/", "patterns/canary/", "about/"]
    assert {"Runbooks", "Strategies"} <= set(nav_titles(site.page("")))
    assert site.exists("plans/checkout-api") and site.exists("quality")


SUMMARY = (
    "* [Home](index.md)\n"
    "* [Runbooks](plans/index.md)\n"
    "    * Checkout\n"
    "        * plans/checkout-api/*/index.md\n"
    "* [Strategies](patterns/)\n"
)


@pytest.mark.parametrize("order", ["before", "after"])
def test_literate_nav_places_generated_pages(tmp_path: Path, order: str) -> None:
    plugins = ["search", "literate-nav", "runbooks"]
    if order == "after":
        plugins = ["search", "runbooks", "literate-nav"]
    site = build(tmp_path, plugins, docs={"SUMMARY.md": SUMMARY})
    links = nav_links(site.page(""))
    assert links[:3] == [".", "plans/", EXAMPLE]
    assert MINIMAL not in links  # only what SUMMARY.md lists
    assert "patterns/blue-green/" in links and "patterns/" in links
    titles = nav_titles(site.page(""))
    assert titles[:2] == ["Home", "Runbooks"], titles
    assert titles.index("Runbooks") < titles.index("Checkout") < titles.index("Strategies")


# --- Macros -----------------------------------------------------------------------------------

TEMPLATED = [
    "kubectl get pods -o go-template='{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}'",
    "helm template web ./chart --set image.tag='{{ .Values.tag }}' {% raw %}x{% endraw %} {# c #}",
    "echo '{% if x %}y{% endif %}' {{ config.site_name }} {%- set a = 1 -%}",
]


def templated_plan() -> str:
    import yaml

    plan = yaml.safe_load(spec_text("minimal"))
    plan["release"] = "4.2 {{ 6 * 7 }} {% if true %}T{% endif %}"
    plan["summary"] = "Summary {{ 7 * 7 }} {% if true %}yes{% endif %}"
    plan["phases"][0]["steps"] = [
        {"id": f"s{i}", "title": f"Step {i} {{{{ 6 * 7 }}}}", "command": c, "verify": c}
        for i, c in enumerate(TEMPLATED)
    ]
    return yaml.safe_dump(plan, sort_keys=False, allow_unicode=True)


@pytest.mark.parametrize("order", ["before", "after"])
def test_macros_never_evaluate_plan_text(tmp_path: Path, order: str) -> None:
    plugins = ["search", "macros", "runbooks"]
    if order == "after":
        plugins = ["search", "runbooks", "macros"]
    site = build(
        tmp_path,
        plugins,
        plans={"billing-worker/x": templated_plan()},
        docs={"calc.md": "# Calc\n\nTwo is {{ 1 + 1 }}.\n"},
    )
    page = site.page("plans/billing-worker/x/")
    assert code_blocks(page)[: 2 * len(TEMPLATED)] == [c for c in TEMPLATED for _ in (0, 1)]
    assert "Summary {{ 7 * 7 }} {% if true %}yes{% endif %}" in page
    assert "Step 0 {{ 6 * 7 }}</h3>" in page
    assert h1(page) == "billing-worker 4.2 {{ 6 * 7 }} {% if true %}T{% endif %}"
    for url in ("plans/", "plans/billing-worker/", "patterns/rolling/"):
        assert "4.2 {{ 6 * 7 }} {% if true %}T{% endif %}" in site.page(url), url
    assert "Two is 2." in site.page("calc/")


def test_macros_opt_in_on_own_pattern_page(tmp_path: Path) -> None:
    pattern = "---\nid: shadow\nrender_macros: true\n---\n# Shadow traffic\n\n{{ 2 * 3 }} copies.\n"
    site = build(tmp_path, ["search", "macros", "runbooks"], files={"patterns/shadow.md": pattern})
    assert "6 copies." in site.page("patterns/shadow/")


# --- Git dates and redirects ------------------------------------------------------------------


def git_commit(root: Path, date: str, paths: list[str]) -> None:
    if shutil.which("git") is None:
        message = "the git dates test needs the git command"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    who = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com"}
    who |= {"GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"}
    env = {**os.environ, **who, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    if not (root / ".git").exists():
        subprocess.run(["git", "init", "-q", str(root)], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "add", *paths], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "-m", date], check=True, env=env)


def revision_dates(page: str) -> list[str]:
    return re.findall(r'class="git-revision-date-localized-plugin[^"]*"[^>]*>([^<]+)<', page)


def test_git_revision_date_of_plan_yaml_and_redirects(tmp_path: Path) -> None:
    redirects = {
        "runbooks/checkout.md": EXAMPLE_MD,
        "old-plans.md": "plans/index.md",
    }
    git_dates = {"type": "iso_date", "enable_creation_date": True, "strict": True}
    make_site(
        tmp_path,
        plans(),
        config={
            "plugins": [
                "search",
                {"git-revision-date-localized": git_dates},
                "runbooks",
                {"redirects": {"redirect_maps": redirects}},
            ]
        },
    )
    git_commit(
        tmp_path, "2024-03-05T10:00:00+00:00", ["docs", "mkdocs.yml", "plans/billing-worker"]
    )
    git_commit(tmp_path, "2025-01-07T10:00:00+00:00", ["plans/checkout-api"])
    site = run_build(tmp_path, strict=True)
    assert not site.aborted, site.warnings
    assert site.warnings == []
    # Each plan page gets the dates of its own YAML file.
    assert revision_dates(site.page(EXAMPLE)) == ["2025-01-07", "2025-01-07"]
    assert revision_dates(site.page(MINIMAL)) == ["2024-03-05", "2024-03-05"]
    assert revision_dates(site.page("")) == ["2024-03-05", "2024-03-05"]
    # Pages with no source of their own (index, services, patterns) get the build date.
    assert len(revision_dates(site.page("plans/"))) == 2
    assert len(revision_dates(site.page("patterns/canary/"))) == 2
    refresh = r'<meta http-equiv="refresh" content="0; url=([^"]+)">'
    assert re.findall(refresh, site.page("runbooks/checkout/")) == [f"../../{EXAMPLE}"]
    assert re.findall(refresh, site.page("old-plans/")) == ["../plans/"]


# --- Languages --------------------------------------------------------------------------------


def test_theme_language_fr_and_words_override(tmp_path: Path) -> None:
    theme = {"name": "material", "language": "fr"}
    site = build(tmp_path / "fr", ["search", "runbooks"], config={"theme": theme})
    page = site.page(EXAMPLE)
    assert '<html lang="fr"' in page
    headings = re.findall(r"<h2[^>]*>([^<]+)<", page)
    for word in ("Résumé", "Stratégie", "Évaluation des risques", "Retour arrière", "Résultat"):
        assert word in headings
    labels = set(re.findall(r'class="rb-label">([^<]+)<', page))
    assert {"Commande", "Vérification", "Résultat attendu", "Retour arrière"} <= labels
    assert "Risque: élevé" in page and ">terminé<" in page
    assert "Rollback" not in headings and "Verify" not in labels
    assert "Tous les plans de" in page
    assert "Déploiements" in site.page("plans/checkout-api/")
    assert "Qualité des plans" in site.page("quality/")

    site = build(
        tmp_path / "words",
        ["search", {"runbooks": {"words": {"Rollback": "Retour"}}}],
        config={"theme": theme},
    )
    headings = re.findall(r"<h2[^>]*>([^<]+)<", site.page(EXAMPLE))
    assert "Retour" in headings and "Retour arrière" not in headings
    assert "Résumé" in headings


def test_french_table_has_every_word_of_the_templates() -> None:
    from mkdocs_runbooks import model
    from mkdocs_runbooks.lint.quality import quality
    from mkdocs_runbooks.render.words import LANGUAGES

    templates = Path(model.__file__).parent / "render" / "templates"
    words: set[str] = set()
    for template in templates.glob("*.j2"):
        words |= set(re.findall(r"\bt\('([^']*)'\)", template.read_text(encoding="utf-8")))
    assert {"Rollback", "Expected", "Verify", "Done", "Plan quality"} <= words
    # Values the templates pass to t(): the plan's enumerations, severities, coverage labels.
    for values in (
        model.STATUSES,
        model.RISK_LEVELS,
        model.USER_IMPACTS,
        model.ROLLBACK_COMPLEXITIES,
        model.MIGRATION_STRATEGIES,
        model.MIGRATION_PHASES,
        model.OUTCOMES,
        ("error", "warning", "info"),
        [c.label for c in quality([]).coverage],
    ):
        words |= set(values)
    words |= {f"phase:{name}" for name in model.STANDARD_PHASES}
    assert sorted(words - set(LANGUAGES["fr"])) == []


def test_static_i18n_is_reported_as_unsupported(tmp_path: Path) -> None:
    languages = [
        {"locale": "en", "default": True, "name": "English", "build": True},
        {"locale": "fr", "name": "Français", "build": True},
    ]
    make_site(
        tmp_path,
        plans(),
        config={"plugins": ["search", {"i18n": {"languages": languages}}, "runbooks"]},
    )
    # mkdocs-static-i18n 1.3.1 rebuilds the file list from docs_dir and fails on pages
    # made in memory (ultrabug/mkdocs-static-i18n#263); the plugin says so first.
    warnings: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: warnings.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        run_build(tmp_path, strict=True)
    except TypeError:
        pass  # the crash in mkdocs-static-i18n itself
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    assert any("mkdocs-static-i18n" in w and "theme.language" in w for w in warnings), warnings


# --- Backstage TechDocs -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def techdocs_bin() -> Path:
    return compat_venv("techdocs", [TECHDOCS_CORE])


@pytest.mark.slow
@pytest.mark.parametrize("order", ["before", "after"])
def test_techdocs_core_builds_a_techdocs_site(
    tmp_path: Path, techdocs_bin: Path, order: str
) -> None:
    plugins = ["techdocs-core", "runbooks"] if order == "before" else ["runbooks", "techdocs-core"]
    make_site(tmp_path, plans(), config={"site_name": "checkout-api", "plugins": plugins})
    # What `techdocs-cli generate --no-docker` runs: mkdocs build with techdocs-core.
    result = subprocess.run(
        [str(techdocs_bin / "mkdocs"), "build", "--strict", "--site-dir", "site"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    site = Site(tmp_path)
    metadata = json.loads((site.site_dir / "techdocs_metadata.json").read_text())
    assert metadata["site_name"] == "checkout-api"
    page = site.page(EXAMPLE)
    assert 'id="rollback"' in page and "rb-rollback" in page
    example_commands = code_blocks(page)
    assert any(c.startswith("pg_dump") for c in example_commands), example_commands
    assert "assets/runbooks/runbooks.js" in page
    assert site.exists("plans/") and site.exists("patterns/blue-green/")


# --- Plugin order -----------------------------------------------------------------------------


@pytest.mark.slow
def test_plugin_order_gives_the_same_site(tmp_path: Path) -> None:
    others = ["search", "tags", "macros", "awesome-nav"]
    docs = {
        ".nav.yml": AWESOME_NAV + "  - tags.md\n",
        "about.md": "# About\n",
        "tags.md": "# Tags\n\n<!-- material/tags -->\n",
    }
    outputs = []
    for name, plugins in (("first", ["runbooks", *others]), ("last", [*others, "runbooks"])):
        site = build(tmp_path / name, plugins, docs=docs)
        outputs.append(
            {url: site.page(url) for url in (EXAMPLE, "plans/", "patterns/canary/", "tags/", "")}
        )
    assert outputs[0] == outputs[1]
