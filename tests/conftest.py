"""Shared pytest fixtures.

Other fixture sections may be added below; keep each section self-contained.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
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
