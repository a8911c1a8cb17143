"""Runbook pages under MkDocs' own themes, without Material for MkDocs.

Each build runs `mkdocs build --strict` in a subprocess where importing `material` or
`pymdownx` fails, as on a site that never installed them: the plugin must need neither.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import Site, build_site, code_blocks, make_site, plan_commands, spec_text

pytestmark = pytest.mark.compat

# The mark of a generated page: an element of class rb-page (the plugin's CSS is scoped to it).
RB_PAGE = re.compile(r'class="(?:[^"]* )?rb-page[ "]')

EXAMPLE = "plans/checkout-api/2026-11-20-2.10"

WITHOUT_MATERIAL = """
import sys
from importlib.abc import MetaPathFinder

class NoMaterial(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("material", "materialx", "pymdownx"):
            raise ModuleNotFoundError(f"No module named {name!r} (not installed here)")
        return None

sys.meta_path.insert(0, NoMaterial())
sys.argv[0] = "mkdocs"
from mkdocs.__main__ import cli
cli()
"""


@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs"])
def test_pages_under_mkdocs_themes_without_material(tmp_path: Path, theme: str) -> None:
    make_site(
        tmp_path,
        {
            "checkout-api/2026-11-20-2.10": spec_text("example"),
            "billing-worker/2026-12-01-4.2.0": spec_text("minimal"),
        },
        config={"theme": {"name": theme}, "plugins": ["runbooks"]},
        docs={"guide/setup.md": "# Setup\n\nThe site's own page.\n"},
    )
    run = subprocess.run(
        [sys.executable, "-c", WITHOUT_MATERIAL, "build", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "material" not in run.stderr.lower()
    site = Site(tmp_path)
    page = site.page(EXAMPLE)
    assert "<title>Checkout API 2.10 - card vault migration - Test portal</title>" in page
    assert RB_PAGE.search(page) and "assets/runbooks/runbooks.css" in page
    assert 'id="rollback"' in page and 'class="rb-step"' in page
    import yaml

    plan = yaml.safe_load(spec_text("example"))
    assert code_blocks(page) == plan_commands(plan)
    # The nav: the site's page, then the plugin's sections.
    home = site.page("")
    assert home.index("guide/setup/") < home.index('href="plans/"') < home.index("patterns/")
    for url in ("plans", "plans/checkout-api", "quality", "patterns/canary"):
        assert RB_PAGE.search(site.page(url)), url


@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs"])
def test_builtin_search_titles_show_plain_text(tmp_path: Path, theme: str) -> None:
    """MkDocs' own search takes section titles from the table of contents (HTML) and shows
    them escaped: a step heading "1.1 ..." must not read "1&#46;1 ...", nor a service
    history heading "&mdash;" (outside review, 2026-11-30)."""
    site = build_site(
        tmp_path,
        {"checkout-api/2026-11-20-2.10": spec_text("example")},
        config={"theme": {"name": theme}, "plugins": ["search", "runbooks"]},
        strict=True,
    )
    assert not site.aborted, site.warnings
    docs = json.loads((site.site_dir / "search/search_index.json").read_text("utf-8"))["docs"]
    titles = [d["title"] for d in docs if d["location"].startswith("plans/")]
    assert any(re.match(r"\d+\.\d+ ", t) for t in titles), titles  # step headings: "1.1 ..."
    assert not [t for t in titles if re.search(r"&#\d+;|&mdash;", t)]
    assert any(" — " in t for t in titles)  # a service history heading: "date — release"
