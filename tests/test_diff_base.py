"""`diff_base`: a real git repository in tmp_path with a base commit and a feature branch."""

from __future__ import annotations

import os
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


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def _plan(release: str) -> str:
    return spec_text("example").replace('release: "2.10"', f'release: "{release}"')


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    make_site(
        tmp_path,
        {"checkout-api/a": _plan("1"), "checkout-api/b": _plan("2"), "checkout-api/c": _plan("3")},
        plugin={"diff_base": "main"},
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    changed = tmp_path / "plans/checkout-api/a/deployment-plan.yaml"
    changed.write_text(
        changed.read_text().replace('threshold: "> 0.05"', 'threshold: "> 0.20"'),
        encoding="utf-8",
    )
    (tmp_path / "plans/checkout-api/c/deployment-plan.yaml").unlink()
    new = tmp_path / "plans/checkout-api/d/deployment-plan.yaml"
    new.parent.mkdir()
    new.write_text(_plan("4"), encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "feature")
    return tmp_path


def test_changed_new_removed_and_unchanged_plans(repo: Path) -> None:
    site = run_build(repo, strict=True)
    assert not site.aborted, site.warnings
    changed = site.page("plans/checkout-api/a/")
    assert 'id="changed"' in changed and "Changed since main" in changed
    block = changed[changed.index('class="rb-change rb-change-changed"') :]
    assert "0.05" in block and "0.20" in block
    assert "loosened" in block.lower() or "risk" in block.lower()
    assert "rb-change-new" in site.page("plans/checkout-api/d/")
    unchanged = site.page("plans/checkout-api/b/")
    assert "rb-change" not in unchanged
    index = site.page("plans/")
    row = lambda release: index[index.index(f">{release}</a>") :].split("</tr>")[0]  # noqa: E731
    assert "changed" in row("1") and "new" in row("4")
    assert "rb-change-mark" not in row("2")
    assert 'id="removed"' in index and "plans/checkout-api/c/deployment-plan.yaml" in index


def test_environment_variable_sets_the_base(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = (repo / "mkdocs.yml").read_text().replace("diff_base: main", "enabled: true")
    (repo / "mkdocs.yml").write_text(config)
    monkeypatch.setenv("RUNBOOKS_DIFF_BASE", "main")
    site = run_build(repo, strict=True)
    assert 'id="changed"' in site.page("plans/checkout-api/a/")


def test_missing_ref_or_no_repository_says_so_and_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    make_site(tmp_path, {"checkout-api/a": _plan("1")}, plugin={"diff_base": "origin/nope"})
    with caplog.at_level("INFO"):
        site = run_build(tmp_path, strict=True)
    assert not site.aborted, site.warnings
    notes = [r.getMessage() for r in caplog.records if "diff_base 'origin/nope'" in r.getMessage()]
    assert len(notes) == 1
    assert "rb-change" not in site.page("plans/checkout-api/a/")
