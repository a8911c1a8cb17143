"""`diff_base`: a real git repository in tmp_path with a base commit and a feature branch."""

from __future__ import annotations

import html
import os
import re
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


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _changed_block(page: str) -> tuple[str, list[str]]:
    """Heading and list items of the page's "Changed since" block, as text."""
    start = page.index('<div class="rb-change rb-change-changed">')
    block = page[start : page.index("</div>", start)]
    heading = _text(re.findall(r"<h2[^>]*>(.*?)</h2>", block, re.S)[0])
    return heading, [_text(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", block, re.S)]


DIR_D = "plans/checkout-api/d/"
THRESHOLD = "rollback.triggers[Error rate above 5% for 5 minutes].threshold"


@pytest.mark.slow
def test_changed_new_removed_and_unchanged_plans(repo: Path) -> None:
    site = run_build(repo, strict=True)
    assert not site.aborted, site.warnings
    changed = site.page("plans/checkout-api/a/")
    assert 'id="changed"' in changed
    assert _changed_block(changed) == (
        "Changed since main",
        [
            f"changed {THRESHOLD}: > 0.05 → > 0.20 — raises risk: trigger 'Error rate above 5%"
            " for 5 minutes' loosened: threshold > 0.05 → > 0.20, a higher value fires later"
        ],
    )
    new = re.findall(r'<p class="rb-change rb-change-new">(.*?)</p>', site.page(DIR_D), re.S)
    assert [_text(p) for p in new] == ["new This plan is new since main."]
    unchanged = site.page("plans/checkout-api/b/")
    assert "rb-change" not in unchanged
    index = site.page("plans/")
    marks = dict(
        re.findall(r'>([^<>]+)</a> <strong class="rb-change-mark">([^<]+)</strong>', index)
    )
    assert marks == {"1": "changed", "4": "new"}
    removed = index[index.index('<h2 id="removed">Removed since main</h2>') :].split("</ul>")[0]
    assert re.findall(r"<li>(.*?)</li>", removed) == ["plans/checkout-api/c/deployment-plan.yaml"]


@pytest.mark.slow
def test_environment_variable_sets_the_base(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = (repo / "mkdocs.yml").read_text().replace("diff_base: main", "enabled: true")
    (repo / "mkdocs.yml").write_text(config)
    monkeypatch.setenv("RUNBOOKS_DIFF_BASE", "main")
    site = run_build(repo, strict=True)
    heading, items = _changed_block(site.page("plans/checkout-api/a/"))
    assert heading == "Changed since main"
    assert [item.split(":")[0] for item in items] == [f"changed {THRESHOLD}"]


@pytest.mark.slow
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
