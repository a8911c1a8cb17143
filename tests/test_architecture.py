"""The layering of docs/architecture.md holds: the import-linter contracts in pyproject.toml
are kept (no cycles, the core imports no MkDocs, nothing below render imports render)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:  # pragma: no cover - the test extra installs it
        pytest.fail("lint-imports is missing: pip install -e '.[test]'")
    result = subprocess.run(
        [exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_figures_are_written_in_render_not_below() -> None:
    from mkdocs_runbooks.lint.quality import Coverage
    from mkdocs_runbooks.render.figures import percent_text

    assert not hasattr(Coverage("steps", 1, 3), "percent")
    assert percent_text(1, 3) == "33%"
    assert percent_text(0, 0) == "—"


def test_public_api_is_the_package_roots_all() -> None:
    import mkdocs_runbooks

    for name in mkdocs_runbooks.__all__:
        assert getattr(mkdocs_runbooks, name) is not None, name
    with pytest.raises(AttributeError):
        _ = mkdocs_runbooks.Renderer  # internal: not part of the API


def test_importing_the_package_imports_nothing_else() -> None:
    code = "import sys, mkdocs_runbooks; print(sorted(m for m in sys.modules if 'mkdocs' in m))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['mkdocs_runbooks', 'mkdocs_runbooks._version']"


def test_no_function_over_60_lines() -> None:
    import ast

    long = []
    for path in sorted((ROOT / "plugin" / "mkdocs_runbooks").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > 60:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({size})")
    assert not long, long
