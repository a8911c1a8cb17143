"""Hostile files and folder names below plans/: links, devices, FIFOs, loops, huge files,
names that are not UTF-8 or that hold markup and control characters.

Every case is checked through ``mkdocs-runbooks validate`` and a real ``mkdocs build`` run
as subprocesses with a timeout (a FIFO that is opened for reading would hang them): no
traceback, no hang, every plan-named entry reported by name, and the secret marker of the
files outside plans/ nowhere in the output, the log or site/.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_runbooks.export import MARKER
from mkdocs_runbooks.load import discover, load_plans
from mkdocs_runbooks.patterns import load_patterns
from mkdocs_runbooks.problems import log_safe
from mkdocs_runbooks.safefs import Refused, read_limited, write_below
from mkdocs_runbooks.site import Settings, generate
from sitebuild import make_site, spec_text

SECRET = "S3CRET-MARKER-9f41c7"
TIMEOUT = 120
REGISTRY = load_patterns()
CLI = [sys.executable, "-c", "import sys; from mkdocs_runbooks.cli import main; sys.exit(main())"]


def _valid(service: str = "billing-worker", release: str = "4.2.0") -> str:
    return (
        spec_text("minimal")
        .replace("service: billing-worker", f"service: {service}")
        .replace("release: 4.2.0", f"release: {release}")
    )


def _link(path: Path, target: str | Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


def hostile_corpus(root: Path) -> dict[str, str]:
    """Write the corpus below ``root``; returns {shown path: expected message part}."""
    outside = root / "outside"
    outside.mkdir()
    # Like /etc/passwd: the first line is what a YAML error message would quote.
    (outside / "passwd").write_text(f"{SECRET}:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (outside / "valid.yaml").write_text(
        _valid().replace("release: 4.2.0", f"release: {SECRET}"), encoding="utf-8"
    )
    (outside / "plans-dir" / "r1").mkdir(parents=True)
    (outside / "plans-dir" / "r1" / "deployment-plan.yaml").write_text(
        _valid().replace("release: 4.2.0", f"release: {SECRET}-dir"), encoding="utf-8"
    )
    plans = root / "plans"
    p = plans / "svc"
    expect: dict[str, str] = {}

    # A valid plan: the rest must not stop it from being built.
    (p / "2026-11-20-1.0").mkdir(parents=True)
    (p / "2026-11-20-1.0" / "deployment-plan.yaml").write_text(_valid("svc"), encoding="utf-8")

    links = {
        "link-abs": outside / "passwd",
        "link-rel": "../../../outside/passwd",
        "link-valid": outside / "valid.yaml",
        "link-zero": "/dev/zero",
        "link-random": "/dev/urandom",
        "link-proc": "/proc/self/environ",
        "link-dangling": outside / "nothing-here",
        "link-self": "deployment-plan.yaml",
    }
    for folder, target in links.items():
        _link(p / folder / "deployment-plan.yaml", target)
        expect[f"plans/svc/{folder}/deployment-plan.yaml"] = "symbolic link"
    # Two links pointing at each other (a loop), under the .yml name.
    _link(p / "link-loop" / "deployment-plan.yml", "other.yml")
    _link(p / "link-loop" / "other.yml", "deployment-plan.yml")
    expect["plans/svc/link-loop/deployment-plan.yml"] = "symbolic link"
    # A FIFO: opening it for reading without O_NONBLOCK would hang.
    (p / "fifo").mkdir()
    os.mkfifo(p / "fifo" / "deployment-plan.yaml")
    expect["plans/svc/fifo/deployment-plan.yaml"] = "FIFO"
    # A folder named like a plan.
    (p / "dir-named" / "deployment-plan.yaml").mkdir(parents=True)
    expect["plans/svc/dir-named/deployment-plan.yaml"] = "a folder, not a regular file"
    # Over the size limit: a real one, and a sparse one whose stat() says 10 GB.
    (p / "big").mkdir()
    (p / "big" / "deployment-plan.yaml").write_bytes(b"x: " + b"a" * (1024 * 1024 + 10))
    expect["plans/svc/big/deployment-plan.yaml"] = "over the 1,048,576-byte limit"
    (p / "sparse").mkdir()
    with open(p / "sparse" / "deployment-plan.yaml", "wb") as handle:
        handle.truncate(10 * 1024**3)
    expect["plans/svc/sparse/deployment-plan.yaml"] = "over the 1,048,576-byte limit"
    # A device node (possible as root only).
    try:
        (p / "device").mkdir()
        os.mknod(p / "device" / "deployment-plan.yaml", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
        expect["plans/svc/device/deployment-plan.yaml"] = "a device"
    except (PermissionError, OSError):
        pass
    # Folders that are links: to a folder outside with a plan, to its own parent (a loop).
    _link(plans / "linked-dir", outside / "plans-dir")
    expect["plans/linked-dir"] = "symbolic link 'linked-dir' to a folder"
    _link(p / "up", "..")
    expect["plans/svc/up"] = "symbolic link 'up' to a folder"
    # Hidden folders.
    (plans / ".hidden" / "r1").mkdir(parents=True)
    (plans / ".hidden" / "r1" / "deployment-plan.yaml").write_text(_valid(), encoding="utf-8")
    expect["plans/.hidden/r1/deployment-plan.yaml"] = "hidden folder '.hidden'"
    (p / ".old").mkdir()
    (p / ".old" / "deployment-plan.yml").write_text(_valid("svc"), encoding="utf-8")
    expect["plans/svc/.old/deployment-plan.yml"] = "hidden folder '.old'"
    # Folder names that cannot be page addresses (valid plans inside).
    names = {
        "caf\udce9": "caf\\xe9",  # the byte 0xE9 alone: not UTF-8
        "a b": "a b",
        'q"uote': 'q"uote',
        "x){: autofocus onfocus=alert(1) }": "x){: autofocus onfocus=alert(1) }",
        "<img src=x onerror=alert(1)>": "<img src=x onerror=alert(1)>",
        "new\nline": "new\\x0aline",
        "cr\rhere": "cr\\x0dhere",
        "esc\x1b[2Jclear": "esc\\x1b[2Jclear",
        "tab\there": "tab\\x09here",
        "bidi\u202eevil": "bidi\\u202eevil",
        "ünïcode": "ünïcode",
        "-dash-first": "-dash-first",
        "%2e%2e": "%2e%2e",
        "a" * 101: "a" * 101,
    }
    for name, shown in names.items():
        folder = p / name
        folder.mkdir()
        (folder / "deployment-plan.yaml").write_text(_valid("svc", "9.9"), encoding="utf-8")
        expect[f"plans/svc/{shown}/deployment-plan.yaml"] = "cannot be part of a page address"
    # A plan right in the folder of its service's history page.
    (plans / "svc" / "deployment-plan.yaml").write_text(_valid("svc", "0.1"), encoding="utf-8")
    expect["plans/svc/deployment-plan.yaml"] = "history page of service 'svc'"
    return expect


def _no_secret(text: str) -> None:
    assert SECRET not in text
    assert "root:/root" not in text


def _check_lines(text: str, expect: dict[str, str]) -> None:
    assert "Traceback" not in text
    assert "\x1b" not in text and "\r" not in text and "\u202e" not in text
    _no_secret(text)
    for shown, why in expect.items():
        lines = [line for line in text.splitlines() if shown in line]
        assert lines, f"{shown!r} is not reported"
        assert any(why in line for line in lines), (shown, why, lines)


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    site = tmp_path / "site-src"
    make_site(site, {}, config={"site_url": "https://example.com/"})
    expect = hostile_corpus(site)
    return site, expect


@pytest.mark.slow
def test_validate_reports_every_hostile_file_and_never_reads_outside(
    corpus: tuple[Path, dict[str, str]],
) -> None:
    root, expect = corpus
    for fmt in ("text", "github"):
        result = subprocess.run(
            [*CLI, "validate", "plans", "--format", fmt],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            errors="surrogateescape",
        )
        assert result.returncode == 1, result.stderr
        out = result.stdout + result.stderr
        if fmt == "text":
            _check_lines(out, expect)
            valid = "plans/svc/2026-11-20-1.0/deployment-plan.yaml"
            assert all(" warning RB" in line for line in out.splitlines() if valid in line)
        else:
            _no_secret(out)
            assert "Traceback" not in out and "\x1b" not in out and "\r" not in out
            for line in result.stdout.splitlines()[:-1]:
                assert line.startswith(("::error file=", "::warning file=", "::notice file="))
    result = subprocess.run(
        [*CLI, "validate", "plans", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    data = json.loads(result.stdout)
    _no_secret(result.stdout)
    # JSON keeps names as they are (JSON escapes them itself); the text form escapes.
    files = {log_safe(p["file"]) for p in data["problems"]}
    for shown in expect:
        assert shown in files or any(f.startswith(shown) for f in files), shown


@pytest.mark.slow
def test_mkdocs_build_reports_every_hostile_file_and_publishes_nothing_outside(
    corpus: tuple[Path, dict[str, str]],
) -> None:
    root, expect = corpus
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", "site"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},  # the theme's own coloured banner
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        errors="surrogateescape",
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    _check_lines(log, expect)
    site = root / "site"
    assert (site / "plans/svc/2026-11-20-1.0/index.html").is_file()
    assert (site / "plans/svc/index.html").is_file()  # the history page keeps its address
    history = (site / "plans/svc/index.html").read_text(encoding="utf-8")
    assert "2026-11-20-1.0" in history
    assert not (site / "plans/linked-dir").exists()
    assert not any(site.glob("plans/.hidden*"))
    for path in site.rglob("*"):
        if path.is_file():
            _no_secret(path.read_bytes().decode("utf-8", "replace"))
    # Every error page of a refused link names the link and says why, nothing more.
    page = (site / "plans/svc/link-abs/index.html").read_text(encoding="utf-8")
    assert "symbolic link" in page


def test_messages_name_the_link_never_the_target(tmp_path: Path) -> None:
    expect = hostile_corpus(tmp_path)
    loaded, ignored = load_plans(tmp_path / "plans", REGISTRY, display_root=tmp_path)
    texts = [p.text() for item in loaded for p in item.problems] + [p.text() for p in ignored]
    joined = "\n".join(texts)
    _check_lines(joined, expect)
    assert str(tmp_path / "outside") not in joined and "/dev/zero" not in joined
    # Refused folder names give no address, so they do not clash with each other.
    assert "share the page address" not in joined
    assert "needs a folder of its own" not in joined
    by_display = {item.display: item for item in loaded}
    link = by_display["plans/svc/link-valid/deployment-plan.yaml"]
    assert link.plan is None
    assert [p.text() for p in link.problems] == [
        "plans/svc/link-valid/deployment-plan.yaml:1:1: not read: it is a symbolic link, "
        "not a regular file"
    ]
    assert by_display["plans/svc/2026-11-20-1.0/deployment-plan.yaml"].ok
    # Refused folder names give no page address at all.
    assert all(not item.folder for item in loaded if "9.9" in repr(item.path) and not item.ok)


def test_discovery_does_not_follow_folder_links(tmp_path: Path) -> None:
    hostile_corpus(tmp_path)
    found = discover(tmp_path / "plans", tmp_path)
    assert not any("plans-dir" in str(p) or "linked-dir" in str(p) for p in found.plans)
    assert not any("/up/" in str(p) for p in found.plans)


def test_read_limited_reads_at_most_limit_plus_one(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"a" * 100)
    assert read_limited(tmp_path, ["f"], 100) == b"a" * 100
    with pytest.raises(Refused, match="over the 99-byte limit"):
        read_limited(tmp_path, ["f"], 99)
    # A file that grows while it is read, or whose size stat() does not tell (procfs):
    # the read stops at limit + 1 bytes whatever stat() said.
    assert os.stat("/proc/self/cmdline").st_size == 0
    with pytest.raises(Refused, match="over the 10-byte limit"):
        read_limited(Path("/proc/self"), ["cmdline"], 10)
    (tmp_path / "d").mkdir()
    _link(tmp_path / "d" / "l", tmp_path / "f")
    with pytest.raises(Refused, match="symbolic link"):
        read_limited(tmp_path, ["d", "l"], 1000)
    _link(tmp_path / "dl", tmp_path / "d")
    with pytest.raises(Refused, match="'dl' is a symbolic link, not a folder"):
        read_limited(tmp_path, ["dl", "x"], 1000)
    with pytest.raises(Refused):
        read_limited(tmp_path, ["..", "f"], 1000)


def test_a_plan_in_its_service_folder_is_refused_and_history_kept(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {"checkout-api": _valid("checkout-api", "1.0"), "checkout-api/r2": _valid("checkout-api")},
    )
    result = generate(Settings(base=tmp_path))
    by_display = {item.display: item for item in result.loaded}
    bad = by_display["plans/checkout-api/deployment-plan.yaml"]
    assert bad.plan is None and bad.folder == ""
    assert "history page of service 'checkout-api'" in bad.problems[0].message
    kinds = {page.src_uri: page.kind for page in result.pages}
    assert kinds["plans/checkout-api/index.md"] == "service"
    assert kinds["plans/checkout-api/r2/index.md"] == "plan"
    # A plan in a one-level folder of another name is fine.
    make_site(tmp_path / "b", {"other": _valid("checkout-api")})
    result = generate(Settings(base=tmp_path / "b"))
    assert [item.ok for item in result.loaded] == [True]


# --- export ----------------------------------------------------------------------------------


def _export(root: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "export", "--out", str(out), *extra],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


@pytest.mark.slow
def test_export_never_writes_through_a_folder_link(tmp_path: Path) -> None:
    site = tmp_path / "s"
    make_site(site, {"svc/r1": _valid("svc")})
    victim = tmp_path / "victim"
    victim.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text(json.dumps({"files": []}), encoding="utf-8")
    _link(out / "plans", victim)
    result = _export(site, out)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "'plans' is a symbolic link, not a folder" in result.stderr
    assert list(victim.iterdir()) == []


@pytest.mark.slow
def test_export_replaces_a_file_link_instead_of_writing_through_it(tmp_path: Path) -> None:
    site = tmp_path / "s"
    make_site(site, {"svc/r1": _valid("svc")})
    target = tmp_path / "target.md"
    target.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    assert _export(site, out).returncode == 0
    page = out / "plans/svc/r1/index.md"
    page.unlink()
    os.symlink(target, page)
    result = _export(site, out)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    assert not page.is_symlink() and "svc" in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_export_record_cannot_remove_files_outside_out(tmp_path: Path) -> None:
    site = tmp_path / "s"
    make_site(site, {"svc/r1": _valid("svc")})
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    inside = tmp_path / "elsewhere"
    inside.mkdir()
    (inside / "x.md").write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    _link(out / "via", inside)
    names = ["../victim.txt", str(victim), "via/x.md", "plans/../../victim.txt"]
    (out / MARKER).write_text(json.dumps({"files": names}), encoding="utf-8")
    result = _export(site, out)
    assert result.returncode == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "keep"
    assert (inside / "x.md").read_text(encoding="utf-8") == "keep"


def test_export_record_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    site = tmp_path / "s"
    make_site(site, {"svc/r1": _valid("svc")})
    record = tmp_path / "record.json"
    record.write_text(json.dumps({"files": []}), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    _link(out / MARKER, record)
    result = _export(site, out)
    assert result.returncode == 2
    assert "not an export record" in result.stderr and "Traceback" not in result.stderr


def test_write_below_refuses_names_leaving_the_folder(tmp_path: Path) -> None:
    for name in ("../x", "/etc/x", "a/../../x", "a//b", "a\\b"):
        with pytest.raises(Refused):
            write_below(tmp_path, name, b"x")
    assert not (tmp_path.parent / "x").exists()


# --- diff_base ---------------------------------------------------------------------------------


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def test_one_linked_plan_does_not_switch_diff_base_off(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "p.yaml").write_text(_valid("svc", SECRET), encoding="utf-8")
    root = tmp_path / "repo"
    make_site(root, {"svc/a": _valid("svc", "1.0"), "svc/b": _valid("svc", "2.0")})
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    path = root / "plans/svc/a/deployment-plan.yaml"
    path.write_text(path.read_text().replace("level: low", "level: high"), encoding="utf-8")
    _link(root / "plans/svc/c/deployment-plan.yaml", outside / "p.yaml")
    _link(root / "plans/svc/d/deployment-plan.yaml", "../a/deployment-plan.yaml")
    result = generate(Settings(base=root, diff_base="main"))
    change = {e.loaded.display: e.change for e in result.portal.entries}
    assert change["plans/svc/a/deployment-plan.yaml"] == "changed"
    assert change["plans/svc/b/deployment-plan.yaml"] is None
    assert result.portal.diff_base == "main"
    assert result.portal.removed == []
    assert not any("not compared" in note for note in result.notes), result.notes
    assert SECRET not in repr(result.notes)


# --- CLI write errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "stdout_full", "names"),
    [
        (["schema", "--out", "/dev/full"], False, "/dev/full"),
        (["schema"], True, "cannot write the output"),
        (["validate", "plans"], True, "cannot write the output"),
        (["render", "plans/svc/r1/deployment-plan.yaml", "-o", "/dev/full"], False, "/dev/full"),
        (["render", "plans/svc/r1/deployment-plan.yaml", "-o", "afile/x.md"], False, "afile"),
        (["render", "plans/svc/r1/deployment-plan.yaml"], True, "cannot write the output"),
        (["schema", "--out", "afile/sub/schema.json"], False, "afile"),
        (["export", "--out", "afile"], False, "afile"),
        (
            [
                "new",
                "svc",
                "5.0",
                "--pattern",
                "rolling",
                "--date",
                "2026-12-01",
                "--plans-dir",
                "afile",
            ],
            False,
            "afile",
        ),
    ],
)
@pytest.mark.slow
def test_cli_write_errors_end_in_one_line(
    args: list[str], stdout_full: bool, names: str, tmp_path: Path
) -> None:
    make_site(tmp_path, {"svc/r1": _valid("svc")})
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    with open("/dev/full", "w") if stdout_full else open(os.devnull, "w") as stdout:
        result = subprocess.run(
            [*CLI, *args],
            cwd=tmp_path,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=TIMEOUT,
        )
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    errors = [line for line in lines if line.startswith("mkdocs-runbooks: error:")]
    assert len(errors) == 1, result.stderr
    assert names in errors[0]
    assert result.returncode == 2


def _pattern_page(pid: str, body: str) -> str:
    return f"---\nid: {pid}\ntitle: {pid.title()}\n---\n\n# {pid.title()}\n\n{body}\n"


@pytest.mark.slow
def test_pattern_pages_are_read_without_following_links(tmp_path: Path) -> None:
    """patterns_dir arrives through pull requests too: a page that is a link (to a file or
    into a linked folder), a FIFO or a non-UTF-8 file is reported by name, never read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.md").write_text(_pattern_page("leak", SECRET), encoding="utf-8")
    (outside / "passwd").write_text(f"{SECRET}:x:0:0\n", encoding="utf-8")
    site = make_site(tmp_path / "site", {"svc/2026-01-01-1.0": _valid()})
    patterns = site / "patterns"
    patterns.mkdir()
    (patterns / "ours.md").write_text(_pattern_page("ours", "Our own words."), encoding="utf-8")
    _link(patterns / "leak.md", outside / "leak.md")
    _link(patterns / "index.md", outside / "passwd")
    os.mkfifo(patterns / "fifo.md")
    (patterns / "latin.md").write_bytes(b"---\nid: latin\n---\n\ncaf\xe9\n")
    registry = load_patterns(patterns)
    assert "ours" in registry.patterns and "leak" not in registry.patterns
    assert SECRET not in registry.pages["index.md"]  # the built-in page stays
    texts = sorted(p.text() for p in registry.problems)
    shown = [t.replace(str(patterns.resolve()), "P").replace(str(patterns), "P") for t in texts]
    assert shown == [
        "P/fifo.md:1:1: pattern page not read: it is a FIFO (named pipe), not a regular file",
        "P/index.md:1:1: pattern page not read: it is a symbolic link, not a regular file",
        "P/latin.md:5:4: byte 0xe9 is not UTF-8: save the file as UTF-8",
        "P/leak.md:1:1: pattern page not read: it is a symbolic link, not a regular file",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "patterns/leak.md:1:1: pattern page not read: it is a symbolic link" in result.stderr
    assert SECRET not in result.stdout + result.stderr
    built = [p.read_text(errors="replace") for p in (site / "site").rglob("*") if p.is_file()]
    assert built and not any(SECRET in text for text in built)
    validate = subprocess.run(
        [*CLI, "validate", "plans"], cwd=site, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert "patterns/index.md:1:1: pattern page not read" in validate.stdout
    assert SECRET not in validate.stdout + validate.stderr
