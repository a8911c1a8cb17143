"""Golden files: the generated Markdown of the two spec plans, fragments put in place.

Regenerate with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mkdocs_runbooks.lint import lint_all
from mkdocs_runbooks.load import load_plan
from mkdocs_runbooks.patterns import load_patterns
from mkdocs_runbooks.portal import Portal
from mkdocs_runbooks.render import Renderer, apply_fragments
from sitebuild import SPEC

GOLDEN = Path(__file__).parent / "golden"


def render_spec(name: str) -> str:
    registry = load_patterns()
    loaded = load_plan(SPEC / f"deployment-plan.{name}.yaml", registry, display=f"{name}.yaml")
    loaded.folder = f"{loaded.plan.service}/{name}" if loaded.plan else name
    lint_all([loaded])
    portal = Portal.build([loaded], registry)
    page = Renderer().plan_page(portal.entries[0], portal)
    return apply_fragments(page.markdown, page.fragments)


@pytest.mark.parametrize("name", ["example", "minimal"])
def test_golden_markdown(name: str) -> None:
    got = render_spec(name)
    path = GOLDEN / f"{name}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert path.is_file(), f"missing {path}; run with UPDATE_GOLDEN=1"
    assert got == path.read_text(encoding="utf-8")
