"""Shared pytest fixtures.

Other fixture sections may be added below; keep each section self-contained.
"""

from __future__ import annotations

import gc
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# --- core tests (test_load.py, test_cli.py, test_schema.py) --------------------------------------
# The contract's two sample plans, and a factory that writes a plan file below tmp_path.

SPEC_DIR = Path(__file__).resolve().parent / "fixtures" / "contract"


@pytest.fixture(scope="session")
def spec_example() -> Path:
    """``deployment-plan.example.yaml`` of the format contract (read-only)."""
    path = SPEC_DIR / "deployment-plan.example.yaml"
    return path


@pytest.fixture(scope="session")
def spec_minimal() -> Path:
    """``deployment-plan.minimal.yaml`` of the format contract (read-only)."""
    path = SPEC_DIR / "deployment-plan.minimal.yaml"
    return path


WritePlan = Callable[..., Path]


@pytest.fixture
def write_plan(tmp_path: Path) -> WritePlan:
    """``write_plan(folder, text_or_bytes, name=...)``: a file at ``tmp_path/folder/name``.

    Text is dedented (so tests can indent their YAML); bytes are written as they are.
    """

    def write(folder: str, content: str | bytes, name: str = "deployment-plan.yaml") -> Path:
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return path

    return write


# --- end of core tests section -------------------------------------------------------------------


# --- the repository guard (issue 16) -------------------------------------------------------------
# Every test fails when it opens a file outside the repository (tests/repo_guard.py).

pytest_plugins = ["repo_guard"]


# --- markers (issue 16) --------------------------------------------------------------------------
# browser, compat and slow are registered in pyproject.toml (--strict-markers). A test that uses
# the chromium of tests/browser.py is a browser test even when its mark was forgotten, so the
# quick run (`-m "not slow and not browser and not compat"`) never starts chromium.


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) and not item.get_closest_marker(
            "browser"
        ):
            item.add_marker(pytest.mark.browser)


# --- coverage floor (issue 16) -------------------------------------------------------------------
# pyproject.toml's [tool.coverage.report] fail_under holds for the whole suite. A partial run
# (-m, -k, --lf, --deselect or named files) still prints coverage but is not held to the floor.


def _partial(config: pytest.Config) -> bool:
    option = config.option
    return (
        bool(getattr(option, "markexpr", ""))
        or bool(getattr(option, "keyword", ""))
        or bool(getattr(option, "deselect", None))
        or bool(getattr(option, "lf", False))
        or config.args_source != pytest.Config.ArgsSource.TESTPATHS
    )


def pytest_configure(config: pytest.Config) -> None:
    cov = config.pluginmanager.getplugin("_cov")  # pytest-cov's plugin, when --cov is on
    if cov is not None and _partial(config):
        cov.options.cov_fail_under = 0


def pytest_report_header(config: pytest.Config) -> str | None:
    if config.pluginmanager.getplugin("_cov") is not None and _partial(config):
        return "coverage: a partial run, not held to fail_under"
    return None


# --- garbage collector ---------------------------------------------------------------------------
# Under `mkdocs serve` the plugin makes Python's full collections between builds
# (serving.Collector: no automatic full collection after the first build) and puts the
# thresholds back on shutdown; tests that play serve without shutting down must not leave
# them changed for the tests after them.

_THRESHOLDS = gc.get_threshold()


@pytest.fixture(autouse=True)
def _gc_thresholds_back() -> Iterator[None]:
    yield
    gc.set_threshold(*_THRESHOLDS)
