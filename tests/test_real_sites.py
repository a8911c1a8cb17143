"""Added to a real-shaped site, the plugin changes none of the site's own pages.

Each site of ``tests/sites/`` is built with and without ``runbooks`` (the contract's two
plans copied in), ``--strict``; every page of the site's own is compared: title, main
content, and nav entries (links and section titles) in order. The plugin's own entries may
only come after the site's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from realsites import build_pair, copy_site, is_plugin_entry, own_pages, site_view
from sitebuild import Site, build_site, run_build, spec_text

pytestmark = pytest.mark.compat

EXAMPLE = "plans/checkout-api/2026-11-20-2.10/index.html"


def assert_site_unchanged(without: Site, with_: Site, *, appended: bool) -> None:
    assert not without.aborted and not with_.aborted, (without.warnings, with_.warnings)
    assert with_.warnings == [] and without.warnings == []
    pages = own_pages(without)
    assert len(pages) > 10
    assert own_pages(with_) == pages
    for rel in pages:
        before, after = site_view(without, rel), site_view(with_, rel)
        assert after.title == before.title, rel
        assert after.main == before.main, rel
        theirs = [e for e in after.nav if not is_plugin_entry(rel, e)]
        assert theirs == before.nav, rel
    assert with_.exists("plans/checkout-api/2026-11-20-2.10")
    # The plugin's sections come after all of the site's (nav: auto), or not at all.
    added = ["Plans", "Patterns"] if appended else []
    after, before = sections(nav_of(with_)), sections(nav_of(without))
    at = after.index("Plans") if appended else 0
    assert after[at : at + len(added)] == added
    assert after[:at] + after[at + len(added) :] == before
    assert after[:at] == before[:at]


def sections(nav: list[tuple[str, str, str]]) -> list[str]:
    """Section titles of a nav, in order."""
    return [text for kind, href, text in nav if kind == "label" or href in ("", "#")]


def nav_of(site: Site, rel: str = "index.html") -> list[tuple[str, str, str]]:
    return site_view(site, rel).nav


@pytest.mark.parametrize("first", [False, True], ids=["runbooks-last", "runbooks-first"])
def test_awesome_pages_root_pages_file_keeps_its_nav(tmp_path: Path, first: bool) -> None:
    without, with_ = build_pair("awesome-pages", tmp_path, first=first)
    assert_site_unchanged(without, with_, appended=True)
    nav = nav_of(with_)
    # The .pages files' order and titles hold; the plugin's sections come last.
    assert sections(nav)[:4] == ["Welcome", "Getting started", "Tutorials", "Going further"]
    assert ("a", "plans/", "Plans") in nav


def test_awesome_pages_with_nav_off_adds_nothing(tmp_path: Path) -> None:
    without, with_ = build_pair("awesome-pages", tmp_path, plugin={"nav": "off"})
    assert_site_unchanged(without, with_, appended=False)
    assert not [e for e in nav_of(with_) if is_plugin_entry("index.html", e)]
    # Still built and linked between themselves.
    assert 'href="../">All plans of checkout-api<' in with_.page(
        "plans/checkout-api/2026-11-20-2.10"
    )


def test_explicit_nav_with_omitted_files_warn_is_strict_clean(tmp_path: Path) -> None:
    without, with_ = build_pair("explicit-nav", tmp_path)
    # An explicit nav is the site's: nothing appended, no "not included in the nav".
    assert_site_unchanged(without, with_, appended=False)
    assert not [e for e in nav_of(with_) if is_plugin_entry("index.html", e)]


def test_explicit_nav_plans_entry_is_filled_in_under_strict(tmp_path: Path) -> None:
    root = copy_site("explicit-nav", tmp_path / "site", plugin={})
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("- About:", "- Runbooks: plans/\n- About:")
    assert "Runbooks: plans/" in config
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = run_build(root, strict=True)
    assert not site.aborted and site.warnings == []
    nav = nav_of(site)
    assert ("label", "", "Runbooks") in nav
    assert ("a", "plans/checkout-api/", "checkout-api") in nav
    titles = sections(nav)
    assert titles.index("Reference") < titles.index("Runbooks") < titles.index("About")


@pytest.mark.parametrize("first", [False, True], ids=["runbooks-last", "runbooks-first"])
def test_awesome_nav_glob_keeps_the_sites_tabs(tmp_path: Path, first: bool) -> None:
    without, with_ = build_pair("awesome-nav", tmp_path, first=first)
    assert_site_unchanged(without, with_, appended=True)
    nav = nav_of(with_)
    texts = [text for _, _, text in nav]
    # No folder-name section (Quality) and no plan under its folder's name.
    assert "Quality" not in texts and not any(t.startswith("2026 ") for t in texts)
    assert "Learn" in texts


def test_blog_without_nav(tmp_path: Path) -> None:
    without, with_ = build_pair("blog", tmp_path)
    assert_site_unchanged(without, with_, appended=True)
    nav = nav_of(with_)
    assert ("a", "plans/", "Plans") in nav
    # Posts stay where the blog plugin puts them: not in the nav.
    assert not [href for _, href, _ in nav if "/posts/" in href or "2026/01/10" in href]


def test_mkdocs_theme_without_nav(tmp_path: Path) -> None:
    without, with_ = build_pair("mkdocs-theme", tmp_path)
    assert_site_unchanged(without, with_, appended=True)
    page = with_.page("plans/checkout-api/2026-11-20-2.10")
    assert "<title>Checkout API 2.10 - card vault migration - Plain MkDocs site</title>" in page
    assert 'class="rb-page' in page


@pytest.mark.parametrize("order", ["before", "after"])
def test_title_reading_plugin_sees_plain_titles(tmp_path: Path, order: str) -> None:
    """mkdocs-markdownextradata-plugin reads and re-sets `page.title` in on_page_markdown:
    it sees the plan's title as plain text, not the Markdown heading."""
    plugins: list[object] = ["search", "markdownextradata"]
    runbooks = {"runbooks": {"nav_plans": True}}
    plugins = [*plugins, runbooks] if order == "after" else ["search", runbooks, plugins[1]]
    plan = spec_text("minimal").replace("service: billing-worker", "service: payments-gateway")
    plan = plan.replace("release: 4.2.0", "release: 5.4.0")
    site = build_site(
        tmp_path,
        {"payments-gateway/2026-12-01-5.4.0": plan},
        config={"plugins": plugins, "extra": {"team": "Payments"}},
        docs={"index.md": "# Home\n\nTeam {{ team }}\n"},
        strict=True,
    )
    assert not site.aborted and site.warnings == []
    page = site.page("plans/payments-gateway/2026-12-01-5.4.0")
    assert "<title>payments-gateway 5.4.0 - Test portal</title>" in page
    assert "\\" not in page[: page.index("</title>")]
    index = site.page("")
    assert "Team Payments" in index  # markdownextradata works on the site's pages
    # The nav entry of the plan and the service's history page: plain text too.
    assert ">payments-gateway 5.4.0<" in " ".join(index.split()).replace("> ", ">").replace(
        " <", "<"
    )
    assert "{ #top }" not in index and "{ #top }" not in page
