"""The load cache of `mkdocs serve` (load.LoadCache): a file whose status (device, inode,
size, modification and change times) did not change is not read again, and every change
of its bytes is still seen, even one that keeps the size and the modification time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mkdocs_runbooks import load
from mkdocs_runbooks.load import LoadCache, load_plans
from sitebuild import spec_text

PLAN = spec_text("minimal")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The plan files read from disk (the loader's reads, passed through)."""
    seen: list[str] = []
    real = load.read_limited

    def counting(root: Path, relative: list[str], limit: int) -> bytes:
        seen.append("/".join(relative))
        return real(root, relative, limit)

    monkeypatch.setattr(load, "read_limited", counting)
    yield seen


@pytest.fixture
def settled_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust a file's status at once (files written by a test are never 2 s old)."""
    monkeypatch.setattr(load, "_SETTLED_NS", 0)


def _plans(root: Path, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        path = root / "plans" / "svc" / f"2026-01-0{n + 1}-1.{n}" / "deployment-plan.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(PLAN, encoding="utf-8")
        paths.append(path)
    return paths


def _titles(root: Path, cache: LoadCache) -> list[str]:
    loaded, _ = load_plans(root / "plans", display_root=root, cache=cache)
    return [item.plan.display_title if item.plan else "" for item in loaded]


def test_an_unchanged_file_is_not_read_again(
    tmp_path: Path, reads: list[str], settled_now: None
) -> None:
    paths = _plans(tmp_path, 3)
    cache = LoadCache()
    first = _titles(tmp_path, cache)
    assert len(reads) == 3
    reads.clear()
    assert _titles(tmp_path, cache) == first
    assert reads == []
    paths[1].write_text(PLAN.replace("release:", "title: Edited\nrelease:", 1), encoding="utf-8")
    titles = _titles(tmp_path, cache)
    assert len(reads) == 1 and reads[0].endswith(paths[1].parent.name + "/deployment-plan.yaml")
    assert titles[1] == "Edited" and titles[0] == first[0]


def test_a_file_changed_in_the_last_two_seconds_is_read_again(
    tmp_path: Path, reads: list[str]
) -> None:
    """Without the settled-time rule: the files were just written, so a clock tick could
    hide a second edit; every one is read again."""
    _plans(tmp_path, 2)
    cache = LoadCache()
    _titles(tmp_path, cache)
    _titles(tmp_path, cache)
    assert len(reads) == 4


def test_an_edit_keeping_size_and_modification_time_is_seen(
    tmp_path: Path, settled_now: None
) -> None:
    (path,) = _plans(tmp_path, 1)
    cache = LoadCache()
    before = os.stat(path)
    (first,) = _titles(tmp_path, cache)
    edited = PLAN.replace("service:", "title: ABCDEFG\nservice:", 1)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or `touch -r`
    (second,) = _titles(tmp_path, cache)
    assert second == "ABCDEFG" != first
    # The same size too:
    path.write_text(edited.replace("ABCDEFG", "GFEDCBA"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert _titles(tmp_path, cache) == ["GFEDCBA"]


def test_a_file_replaced_by_one_with_the_same_size_and_times_is_seen(
    tmp_path: Path, settled_now: None
) -> None:
    (path,) = _plans(tmp_path, 1)
    cache = LoadCache()
    path.write_text(PLAN.replace("service:", "title: AAAA\nservice:", 1), encoding="utf-8")
    _titles(tmp_path, cache)
    other = tmp_path / "other.yaml"
    other.write_text(PLAN.replace("service:", "title: BBBB\nservice:", 1), encoding="utf-8")
    info = os.stat(path)
    os.utime(other, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(other, path)  # another inode in its place
    assert _titles(tmp_path, cache) == ["BBBB"]


def test_the_cache_keeps_only_what_the_last_build_used(
    tmp_path: Path, reads: list[str], settled_now: None
) -> None:
    paths = _plans(tmp_path, 3)
    cache = LoadCache()
    _titles(tmp_path, cache)
    assert len(cache) == 3
    paths[2].unlink()
    _titles(tmp_path, cache)
    assert len(cache) == 2
    # Back with the same bytes: read again (its status was forgotten with it).
    paths[2].write_text(PLAN, encoding="utf-8")
    reads.clear()
    _titles(tmp_path, cache)
    assert len(reads) == 1


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The folders listed (os.scandir, passed through)."""
    seen: list[str] = []
    real = os.scandir

    def counting(path: str) -> Any:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(os, "scandir", counting)
    yield seen


def test_an_unchanged_folder_is_not_listed_again_and_changes_are_seen(
    tmp_path: Path, listed: list[str], settled_now: None
) -> None:
    paths = _plans(tmp_path, 2)
    cache = LoadCache()
    first = load.discover(tmp_path / "plans", tmp_path, cache)
    load.load_plans(tmp_path / "plans", display_root=tmp_path, cache=cache)
    assert len(first.plans) == 2
    listed.clear()
    again = load.discover(tmp_path / "plans", tmp_path, cache)
    assert listed == [] and again.plans == first.plans
    # A plan added in a new folder, a near-miss name beside a plan, a folder made a link.
    new = tmp_path / "plans/svc/2026-02-01-2.0/deployment-plan.yaml"
    new.parent.mkdir()
    new.write_text(PLAN, encoding="utf-8")
    (paths[0].parent / "deployment_plan.yaml").write_text(PLAN, encoding="utf-8")
    moved = tmp_path / "elsewhere"
    paths[1].parent.rename(moved)
    paths[1].parent.symlink_to(moved, target_is_directory=True)
    found = load.discover(tmp_path / "plans", tmp_path, cache)
    assert found.plans == sorted([paths[0], new])
    messages = " ".join(problem.message for problem in found.ignored)
    assert "deployment_plan.yaml" in messages and "symbolic link" in messages
    assert sorted(listed) == sorted(
        str(p) for p in (tmp_path / "plans/svc", new.parent, paths[0].parent)
    )


def test_a_folder_holding_a_link_is_listed_again(tmp_path: Path, settled_now: None) -> None:
    """A link named like a plan is a plan to report while it points at a file, a link to a
    folder (reported, not followed) once its target is a folder: neither the link's nor
    its folder's status changes with the target, so such a folder is listed every time.
    (Found by an outside review.)"""
    root = tmp_path / "plans"
    (root / "svc" / "a").mkdir(parents=True)
    target = tmp_path / "target"
    target.write_text(PLAN, encoding="utf-8")
    (root / "svc" / "a" / "deployment-plan.yaml").symlink_to(target)
    cache = LoadCache()
    first = load.discover(root, tmp_path, cache)
    cache.finish()
    assert [p.name for p in first.plans] == ["deployment-plan.yaml"]
    target.unlink()
    target.mkdir()
    want, got = load.discover(root, tmp_path), load.discover(root, tmp_path, cache)
    assert want.plans == got.plans == []
    assert [p.text() for p in got.ignored] == [p.text() for p in want.ignored] != []


def test_messages_name_where_a_linked_plans_folder_leads_now(
    tmp_path: Path, settled_now: None
) -> None:
    """`plans` a link to `A`; `A` renamed `B` (its folders keep their status) and the link
    pointed at `B`: what is reported names `B`. (Found by an outside review.)"""
    folder = tmp_path / "A" / "svc" / "p0"
    folder.mkdir(parents=True)
    (folder / "deployment_plan.yaml").write_text(PLAN, encoding="utf-8")
    plans = tmp_path / "plans"
    plans.symlink_to(tmp_path / "A", target_is_directory=True)
    cache = LoadCache()
    load.discover(plans, tmp_path, cache)
    cache.finish()
    (tmp_path / "A").rename(tmp_path / "B")
    plans.unlink()
    plans.symlink_to(tmp_path / "B", target_is_directory=True)
    got = load.discover(plans, tmp_path, cache)
    assert [p.file for p in got.ignored] == ["B/svc/p0/deployment_plan.yaml"]
