"""Separate virtualenvs for compatibility tests with plugins that pin their own MkDocs stack.

``mkdocs-techdocs-core`` (Backstage TechDocs) pins exact versions of mkdocs-material,
pymdown-extensions and Markdown, so it cannot share the test environment. ``compat_venv``
creates a virtualenv once under ``<repo>/.venv-compat/<name>/`` (ignored by git through a
``.gitignore`` written there), installs the given requirements and this repository in
editable mode, and returns the folder of its executables. A second run reuses it while the
requirements and ``pyproject.toml`` are unchanged.

An install that fails (no registry, a build error in a dependency) skips the test with pip's
last lines as the reason, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".venv-compat"
BIN = "Scripts" if os.name == "nt" else "bin"


def _give_up(message: str) -> NoReturn:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _stamp(requirements: list[str]) -> str:
    data = "\n".join([*requirements, (ROOT / "pyproject.toml").read_text(encoding="utf-8")])
    return hashlib.sha256(data.encode()).hexdigest()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One process at a time makes a given virtualenv (two test runs may start together)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def compat_venv(name: str, requirements: list[str], *, timeout: float = 900) -> Path:
    """Folder of the executables of a virtualenv with ``requirements`` and this package."""
    CACHE.mkdir(exist_ok=True)
    ignore = CACHE / ".gitignore"
    if not ignore.is_file():
        ignore.write_text("# virtualenvs made by tests/compat_venv.py\n*\n", encoding="utf-8")
    with _locked(CACHE / f"{name}.lock"):
        return _make(name, requirements, timeout)


def _make(name: str, requirements: list[str], timeout: float) -> Path:
    venv = CACHE / name
    bindir = venv / BIN
    stamp_file = venv / ".requirements-stamp"
    stamp = _stamp(requirements)
    if stamp_file.is_file() and stamp_file.read_text() == stamp and (bindir / "mkdocs").exists():
        return bindir
    shutil.rmtree(venv, ignore_errors=True)
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [
            str(bindir / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *requirements,
            "-e",
            str(ROOT),
        ],
    ]
    for label, command in zip(("venv", "pip install"), steps, strict=True):
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            shutil.rmtree(venv, ignore_errors=True)
            _give_up(f"could not make the {name} virtualenv: {exc}")
        if result.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            lines = (result.stderr or result.stdout).strip().splitlines()
            tail = [line for line in lines if line.startswith("ERROR")] or lines[-8:]
            _give_up(f"could not make the {name} virtualenv ({label}): " + " | ".join(tail))
    stamp_file.write_text(stamp)
    return bindir
