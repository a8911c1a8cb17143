"""`diff_base` reads the base with a constant number of git processes per build.

A logging ``git`` wrapper on ``PATH`` (which runs the real git) counts the processes of a real
MkDocs build, for a portal of 2 plans and one of 12.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from sitebuild import make_site, run_build, spec_text

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def _repo(root: Path, count: int) -> None:
    plans = {
        f"checkout-api/p{i:02d}": spec_text("example").replace(
            'release: "2.10"', f'release: "2.{i}"'
        )
        for i in range(count)
    }
    make_site(root, plans, plugin={"diff_base": "main"})
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)
    for i in range(0, count, 2):  # every other plan changes after the base
        path = root / f"plans/checkout-api/p{i:02d}/deployment-plan.yaml"
        path.write_text(path.read_text().replace("> 0.05", "> 0.20"), encoding="utf-8")


@pytest.fixture
def git_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``git`` on PATH that appends each call to a log and runs the real git."""
    real = shutil.which("git")
    assert real
    shim_dir, log = tmp_path / "bin", tmp_path / "git-calls.log"
    shim_dir.mkdir()
    shim = shim_dir / "git"
    shim.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{shim_dir}{os.pathsep}{os.environ['PATH']}")
    return log


def _calls_for(root: Path, count: int, log: Path) -> tuple[int, str]:
    _repo(root, count)
    log.write_text("", encoding="utf-8")
    site = run_build(root, strict=True)
    assert not site.aborted, site.warnings
    changed = [
        i
        for i in range(count)
        if "Changed since main" in site.page(f"plans/checkout-api/p{i:02d}/")
    ]
    assert changed == list(range(0, count, 2))
    return len(log.read_text(encoding="utf-8").splitlines()), log.read_text(encoding="utf-8")


@pytest.mark.slow
def test_git_processes_do_not_grow_with_the_number_of_plans(tmp_path: Path, git_log: Path) -> None:
    small, small_calls = _calls_for(tmp_path / "small", 2, git_log)
    large, large_calls = _calls_for(tmp_path / "large", 12, git_log)
    assert small == large, (small_calls, large_calls)
    assert large <= 6, large_calls
