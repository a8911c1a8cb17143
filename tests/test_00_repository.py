"""First of the suite: tests and benchmarks read nothing outside the repository (issue 16).

A clone, the sdist (which ships tests/) and any CI have only the repository: a test that reads
``../shared`` (as the suite once did for the contract's sample plans) fails there. Two guards
(tests/repo_guard.py): a static scan of every test and benchmark source for path expressions
that land outside the root, and an audit hook that fails any test that opened a file outside
it. The only exception is the conformance test, tests/test_contract.py, for ``../shared/spec``.
"""

from __future__ import annotations

import os
import textwrap
import uuid
from pathlib import Path

import pytest

from repo_guard import (
    CONTRACT_SPEC,
    EXCEPTIONS,
    GUARD,
    ROOT,
    Places,
    helper_modules,
    paths_inside,
    recorder,
    scan_source,
    sources,
)

pytest_plugins = ["pytester"]

SITEBUILD = ROOT / "tests" / "sitebuild.py"

# How the suite read the contract before issue 16 (git show 9e57fd8), and other ways to climb.
REGRESSIONS = {
    "parents": 'SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec"\n',
    "parent chain": (
        "SPEC_DIR = Path(\n"
        '    os.environ.get("RUNBOOKS_SPEC_DIR")\n'
        '    or Path(__file__).resolve().parent.parent.parent / "shared" / "spec"\n'
        ")\n"
    ),
    "named root": 'ROOT = Path(__file__).resolve().parents[1]\nSPEC = ROOT / ".." / "shared"\n',
    "dot-dot literal": 'text = open("../shared/spec/deployment-plan.example.yaml").read()\n',
    "os.path": (
        'HERE = os.path.dirname(os.path.abspath(__file__))\nX = os.path.join(HERE, "../..")\n'
    ),
    "joinpath": 'X = Path(__file__).parents[1].joinpath("..", "shared")\n',
    "absolute": 'SPEC = "/work/shared/spec"\n',
    "imported root": (
        "from sitebuild import ROOT\n"
        "def spec_text(name):\n"
        '    return (ROOT.parent / "shared" / "spec" / name).read_text()\n'
    ),
    "method on a parent": "ROOT = Path(__file__).resolve().parents[1]\nROOT.parent.iterdir()\n",
}


def test_no_test_or_benchmark_path_leads_outside_the_repository() -> None:
    files = sources()
    assert SITEBUILD in files and ROOT / "benchmarks" / "overhead.py" in files
    assert ROOT / GUARD not in files  # the guard names the one exception, ../shared/spec
    helpers = helper_modules()
    found = {
        path.relative_to(ROOT).as_posix(): [str(f) for f in findings]
        for path in files
        if (findings := scan_source(path.read_text(encoding="utf-8"), path, helpers=helpers))
    }
    assert found == {}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_the_scan_finds_paths_that_climb_out(name: str) -> None:
    findings = scan_source(
        REGRESSIONS[name], ROOT / "tests" / "test_x.py", helpers=helper_modules()
    )
    assert findings, f"{name} not caught"
    assert all(f.why in ("next to the repository", "outside the repository") for f in findings)
    assert not any(Path(f.path).is_relative_to(ROOT) for f in findings)


def test_the_scan_finds_the_old_shared_spec_path_exactly() -> None:
    [finding] = scan_source(REGRESSIONS["parents"], SITEBUILD)
    assert finding.line == 1
    assert finding.path == str(CONTRACT_SPEC)
    assert finding.why == "next to the repository"


def test_the_scan_leaves_paths_inside_the_root_and_link_text_alone() -> None:
    source = textwrap.dedent(
        """
        ROOT = Path(__file__).resolve().parents[1]
        SPEC = ROOT / "tests" / "fixtures" / "contract"
        HOSTILE = Path(__file__).parent / "hostile"
        SCHEMA = "../../../schema/deployment-plan.schema.json"
        assert 'href="../../../patterns/canary/"' in page
        CHROMIUM = Path("/usr/bin/chromium")
        """
    )
    assert scan_source(source, SITEBUILD) == []


def test_only_the_conformance_test_may_use_the_contract_folder() -> None:
    assert EXCEPTIONS == {CONTRACT_SPEC: "tests/test_contract.py"}
    source = 'SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec"\n'
    assert scan_source(source, ROOT / "tests" / "test_contract.py") == []
    assert scan_source(source, ROOT / "tests" / "test_other.py") != []
    beside = 'X = Path(__file__).resolve().parents[2] / "shared" / "hooks"\n'
    assert scan_source(beside, ROOT / "tests" / "test_contract.py") != []


def test_places_allow_the_repository_temp_and_python_only() -> None:
    places = Places.here()
    assert places.check(str(SITEBUILD)) is None
    assert places.check(os.__file__) is None
    assert places.check("/usr/share/zoneinfo/UTC") is None
    assert places.check(str(ROOT.parent / "shared" / "spec" / "x.yaml")) == "next to the repository"
    assert places.check(str(CONTRACT_SPEC / "x.yaml"), "tests/test_contract.py::test_x") is None
    assert places.check(str(CONTRACT_SPEC / "x.yaml"), "tests/test_portal.py::test_x") is not None
    assert places.check("/srv/elsewhere/data.yaml") == "outside the repository"


def test_nothing_outside_was_opened_outside_any_test() -> None:
    """Collection imports every test module: a module-level read of ../shared shows here."""
    outside = recorder().during(None)
    assert [(o.event, o.path, o.why) for o in outside] == []


def test_the_audit_hook_records_a_read_next_to_the_repository(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    rec = recorder()
    (tmp_path / "inside.txt").write_text("x", encoding="utf-8")
    (tmp_path / "inside.txt").read_text(encoding="utf-8")
    SITEBUILD.read_text(encoding="utf-8")
    assert rec.during(request.node.nodeid) == []
    missing = ROOT.parent / f"shared-{uuid.uuid4().hex}" / "spec" / "x.yaml"
    with pytest.raises(FileNotFoundError):
        missing.read_text(encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        os.listdir(CONTRACT_SPEC.parent / uuid.uuid4().hex)
    seen = rec.during(request.node.nodeid)
    assert [(o.event, o.path, o.why) for o in seen] == [
        ("open", str(missing), "next to the repository"),
        ("os.listdir", str(seen[1].path), "next to the repository"),
    ]
    rec.seen = [o for o in rec.seen if o not in seen]  # this test's own reads were on purpose


@pytest.mark.slow
def test_a_test_that_reads_outside_fails(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard as a plugin in a separate pytest run: the reading test fails, naming the path."""
    target = ROOT.parent / f"shared-{uuid.uuid4().hex}" / "spec.yaml"
    pytester.makepyfile(
        test_reads=f"""
        import pathlib

        def test_reads_next_to_the_repository():
            try:
                pathlib.Path({str(target)!r}).read_text()
            except FileNotFoundError:
                pass

        def test_reads_its_tmp_path(tmp_path):
            (tmp_path / "x").write_text("x")
            assert (tmp_path / "x").read_text() == "x"
        """
    )
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "tests"))
    result = pytester.runpytest_subprocess("-p", "repo_guard", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines([f"*open {target} (next to the repository)*"])


GENERATED = {".venv-compat"}  # made by the tests themselves (tests/compat_venv.py)


def test_the_sdist_ships_every_file_the_tests_read() -> None:
    """The sdist ships tests/, so it must ship what they read (plans/, schema/, mkdocs.yml...)."""
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = set(config["tool"]["hatch"]["build"]["targets"]["sdist"]["include"])
    helpers = helper_modules()
    read = set()
    for path in sources():
        for inside in paths_inside(path.read_text(encoding="utf-8"), path, helpers):
            first = inside.split("/")[0]
            if (ROOT / first).exists() and first not in GENERATED:
                read.add(first)
    assert {"plans", "schema", "tests", "mkdocs.yml"} <= read
    assert sorted(read - include - {"pyproject.toml"}) == []


def test_markers_are_registered_strict_and_carried(request: pytest.FixtureRequest) -> None:
    """The quick run (-m "not slow and not browser and not compat") leaves out what it says."""
    config = request.config
    registered = {line.split(":")[0] for line in config.getini("markers")}
    assert {"browser", "compat", "slow"} <= registered
    assert config.option.strict_markers
    for item in request.session.items:
        marks = {m.name for m in item.iter_markers()}
        if "browser" in getattr(item, "fixturenames", ()) or "chromium" in item.name:
            assert "browser" in marks, item.nodeid
        if item.path.name in ("test_compat.py", "test_browser_checklist.py"):
            assert {"test_compat.py": "compat", "test_browser_checklist.py": "browser"}[
                item.path.name
            ] in marks, item.nodeid
