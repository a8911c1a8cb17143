"""The test suite reads nothing outside the repository (issue 16).

Two guards, both used by ``tests/test_00_repository.py``:

- ``scan_source``: a static look at a test or benchmark source. Every path expression built
  from ``__file__`` (``Path(__file__).resolve().parents[2] / "shared"``, ``.parent.parent``,
  ``os.path.dirname``, ``..`` parts), from a relative literal (resolved from the repository
  root, where ``tests/run.sh`` runs) or an absolute literal (``"/work/shared/spec"``) is
  worked out; one that lands outside the repository (and outside the system places below)
  is reported with its line.
- An audit hook (``sys.addaudithook``, events ``open``, ``os.listdir``, ``os.scandir``),
  installed by ``pytest_configure`` of this plugin (loaded from conftest.py). It records
  every file or folder the test process opens outside the allowed places, with the test
  that was running; a test that opened one fails in its teardown, and what collection
  opened fails ``test_00_repository.py``.

Allowed places: the repository, pytest's temporary folders and ``tempfile``'s, the Python
installation (prefixes, site-packages, ``sys.path``), system folders (``/usr``, ``/etc``,
``/proc``, ``/dev``...) and dot-folders of the home folder (caches, configs). A sibling of
the repository (``../shared``) is never allowed, except ``../shared/spec`` for the one
conformance test, ``tests/test_contract.py`` (``EXCEPTIONS``).
"""

from __future__ import annotations

import ast
import os
import re
import site
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The one allowed use of a folder outside the repository: the format contract's own copy of
# the sample plans, read by the conformance test when it is there (issue 16).
CONTRACT_SPEC = ROOT.parent / "shared" / "spec"
EXCEPTIONS: dict[Path, str] = {CONTRACT_SPEC: "tests/test_contract.py"}

SYSTEM = (
    "/usr",
    "/lib",
    "/lib32",
    "/lib64",
    "/bin",
    "/sbin",
    "/etc",
    "/proc",
    "/sys",
    "/dev",
    "/run",
    "/var",
    "/opt",
    "/nix",
    "/snap",
    "/System",
    "/Library",
    "/private/var",
    "/private/etc",
    "/private/tmp",
)
_TEMP_NAME = re.compile(r"^(tmp|pytest-of-|pytest-\d)")


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _python_places() -> list[str]:
    """The interpreter, its packages and the package under test wherever it is installed
    (an editable install of another checkout reads its pattern library from there)."""
    from mkdocs_runbooks import patterns

    places = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    places.update({os.path.dirname(patterns.__file__), str(patterns.BUILTIN_DIR)})
    places.update(site.getsitepackages())
    places.add(site.getusersitepackages())
    ancestors = {str(p) for p in [ROOT, *ROOT.parents]}
    for entry in sys.path:
        absolute = os.path.abspath(entry or os.curdir)
        if absolute not in ancestors and not _inside(absolute, str(ROOT.parent)):
            places.add(absolute)
    return sorted(os.path.abspath(p) for p in places if p)


@dataclass(frozen=True)
class Places:
    """Where the test process may read; ``check(path)`` says why a path is not allowed."""

    root: tuple[str, ...]
    temp: str
    basetemp: tuple[str, ...]
    python: tuple[str, ...]
    home: str

    @classmethod
    def here(cls, basetemp: tuple[str, ...] = ()) -> Places:
        roots = {str(ROOT), os.path.realpath(ROOT)}
        return cls(
            root=tuple(sorted(roots)),
            temp=os.path.abspath(tempfile.gettempdir()),
            basetemp=basetemp,
            python=tuple(_python_places()),
            home=os.path.abspath(os.path.expanduser("~")),
        )

    def check(self, path: str, test: str | None = None) -> str | None:
        """None when ``path`` (absolute, normalised) may be read by ``test``, else why not."""
        if any(_inside(path, r) for r in self.root):
            return None
        for folder, owner in EXCEPTIONS.items():
            if _inside(path, str(folder)) and test is not None and test.startswith(owner):
                return None
        if any(_inside(path, b) for b in self.basetemp) or self._temporary(path):
            return None
        if any(_inside(path, p) for p in self.python):
            return None
        if _inside(path, self.home) and path[len(self.home) + 1 :].startswith("."):
            return None
        parents = [str(Path(r).parent) for r in self.root]
        if any(_inside(path, p) for p in parents if p != os.sep):
            return "next to the repository"
        if any(_inside(path, s) for s in SYSTEM):
            return None
        return "outside the repository"

    def _temporary(self, path: str) -> bool:
        if not _inside(path, self.temp) or path == self.temp:
            return False
        first = path[len(self.temp) + 1 :].split(os.sep, 1)[0]
        return _TEMP_NAME.match(first) is not None or not any(
            _inside(r, self.temp) for r in self.root
        )


# --- the audit hook ------------------------------------------------------------------------


@dataclass
class Opened:
    path: str
    event: str
    test: str | None
    why: str


class Recorder:
    """Records opens outside the allowed places; the hook stays installed for the process."""

    def __init__(self, places: Places) -> None:
        self.places = places
        self.test: str | None = None
        self.seen: list[Opened] = []
        self.active = True

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active or event not in ("open", "os.listdir", "os.scandir"):
            return
        target = args[0] if args else None
        if isinstance(target, int) or target is None:
            return
        try:
            path = os.path.abspath(os.fsdecode(target))
        except (TypeError, ValueError):
            return
        why = self.places.check(path, self.test)
        if why is not None:
            self.seen.append(Opened(path, event, self.test, why))

    def during(self, test: str | None) -> list[Opened]:
        return [o for o in self.seen if o.test == test]


RECORDER: Recorder | None = None


def recorder() -> Recorder:
    assert RECORDER is not None, "repo_guard is loaded as a pytest plugin by conftest.py"
    return RECORDER


def pytest_configure(config: pytest.Config) -> None:
    global RECORDER
    if RECORDER is None:
        basetemp = config.option.basetemp
        extra = (os.path.abspath(basetemp),) if basetemp else ()
        RECORDER = Recorder(Places.here(extra))
        sys.addaudithook(RECORDER.hook)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    rec = recorder()
    rec.test = item.nodeid
    try:
        return (yield)
    finally:
        rec.test = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    if call.when == "teardown" and report.passed:
        outside = recorder().during(item.nodeid)
        if outside:
            report.outcome = "failed"
            report.longrepr = describe(outside)
    return report


def describe(opened: list[Opened]) -> str:
    lines = [f"{o.event} {o.path} ({o.why})" for o in opened[:20]]
    more = f"\n... and {len(opened) - 20} more" if len(opened) > 20 else ""
    return (
        f"the test opened {len(opened)} path(s) outside the repository root {ROOT}; "
        "tests read only files of the repository (tests/fixtures/) or of tmp_path:\n"
        + "\n".join(lines)
        + more
    )


# --- the static scan -----------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    line: int
    path: str
    why: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.path} ({self.why})"


_PATH_CALLS = {"Path", "PurePath", "PosixPath", "PurePosixPath", "open", "abspath", "realpath"}
_ABSOLUTE = re.compile(r"^/[\w.+-]+(/[\w.+-]*)*$")


class _Evaluator:
    """Works out the paths a module's expressions may denote (as POSIX strings)."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.names: dict[str, set[str]] = {}
        self.helpers: dict[str, dict[str, set[str]]] = {}

    def paths(self, node: ast.AST) -> set[str]:
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return {str(self.file)}
            return self.names.get(node.id, set())
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.BoolOp):
            return set().union(*(self.paths(v) for v in node.values))
        if isinstance(node, ast.IfExp):
            return self.paths(node.body) | self.paths(node.orelse)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            left, right = self.paths(node.left), self.paths(node.right)
            return {_join(a, b) for a in left for b in right if _pathish(a)}
        if isinstance(node, ast.Attribute):
            return self._attribute(node)
        if isinstance(node, ast.Subscript):
            return self._parents(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        return set()

    def _attribute(self, node: ast.Attribute) -> set[str]:
        base = {p for p in self.paths(node.value) if _pathish(p)}
        if node.attr == "parent":
            return {_parent(p, 1) for p in base}
        if node.attr in ("parents",):
            return {p + "#parents" for p in base}
        return set()

    def _parents(self, node: ast.Subscript) -> set[str]:
        if not (isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int)):
            return set()
        bases = [p[: -len("#parents")] for p in self.paths(node.value) if p.endswith("#parents")]
        return {_parent(p, node.slice.value + 1) for p in bases}

    def _call(self, node: ast.Call) -> set[str]:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if isinstance(func, ast.Attribute) and name in ("resolve", "absolute", "expanduser"):
            return {p for p in self.paths(func.value) if _pathish(p)}
        if isinstance(func, ast.Attribute) and name == "joinpath":
            out = {p for p in self.paths(func.value) if _pathish(p)}
            for arg in node.args:
                out = {_join(a, b) for a in out for b in self.paths(arg)}
            return out
        if name == "dirname" and node.args:
            return {_parent(p, 1) for p in self.paths(node.args[0]) if _pathish(p)}
        if name == "join" and node.args and _is_os_path(func):
            out = self.paths(node.args[0])
            for arg in node.args[1:]:
                out = {_join(a, b) for a in out for b in self.paths(arg)}
            return out
        if name in _PATH_CALLS and node.args:
            return {_anchor(p) for p in self.paths(node.args[0]) if _pathish(p)}
        return set()


def _is_os_path(func: ast.expr) -> bool:
    return isinstance(func, ast.Attribute) and ast.unparse(func.value) in ("os.path", "path")


def _pathish(value: str) -> bool:
    return "\n" not in value and len(value) < 300


def _anchor(path: str) -> str:
    """A relative path is read from the repository root (tests/run.sh runs there)."""
    return path if path.startswith("/") else str(PurePosixPath(ROOT) / path)


def _join(left: str, right: str) -> str:
    return str(PurePosixPath(_anchor(left)) / right)


def _parent(path: str, levels: int) -> str:
    out = PurePosixPath(os.path.normpath(_anchor(path)))
    for _ in range(levels):
        out = out.parent
    return str(out)


_BUILDS = (ast.BinOp, ast.Call, ast.Attribute, ast.Subscript)


def _evaluate_module(
    tree: ast.Module, evaluator: _Evaluator, check: Callable[[ast.AST, set[str]], None]
) -> None:
    """Walk ``tree`` in source order: names are bound as assignments come, and each path
    expression is handed to ``check`` once, whole (not its parts: ``ROOT.parent / "x"`` is
    checked, ``ROOT.parent`` alone only where it is used as it is)."""
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    nodes = sorted(
        (n for n in ast.walk(tree) if hasattr(n, "lineno")),
        key=lambda n: (n.lineno, n.col_offset),
    )
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module in evaluator.helpers:
            exported = evaluator.helpers[node.module]
            for alias in node.names:
                if alias.name in exported:
                    evaluator.names[alias.asname or alias.name] = exported[alias.name]
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = evaluator.paths(node.value)
            for target in targets:
                if isinstance(target, ast.Name):
                    evaluator.names[target.id] = value
            value_node = node.value
            if isinstance(value_node, ast.Constant) and _ABSOLUTE.match(str(value_node.value)):
                check(node, {str(value_node.value)})
        if isinstance(node, _BUILDS):
            parent = parents.get(id(node))
            if isinstance(parent, _BUILDS) and evaluator.paths(parent):
                continue  # a part of a bigger path expression, checked whole
            found = {p for p in evaluator.paths(node) if not p.endswith("#parents")}
            check(node, {p for p in found if p.startswith("/")})


def helper_names(file: Path) -> dict[str, set[str]]:
    """Module-level path names of a test helper (``ROOT``, ``SPEC`` of sitebuild.py)."""
    evaluator = _Evaluator(file.resolve())
    _evaluate_module(ast.parse(file.read_text(encoding="utf-8")), evaluator, lambda n, p: None)
    return evaluator.names


def scan_source(
    source: str,
    file: Path,
    places: Places | None = None,
    helpers: dict[str, dict[str, set[str]]] | None = None,
) -> list[Finding]:
    """Path expressions of ``source`` (the text of ``file``) that land outside the repository.

    ``helpers`` maps a helper module's name to its module-level names, so that
    ``from sitebuild import ROOT`` brings ``ROOT`` along (``helper_modules()``)."""
    places = places or Places.here()
    evaluator = _Evaluator(file.resolve())
    evaluator.helpers = helpers or {}
    owner = file.resolve().relative_to(ROOT).as_posix() if file.is_relative_to(ROOT) else ""
    found: dict[tuple[int, str], Finding] = {}

    def check(node: ast.AST, candidates: set[str]) -> None:
        for candidate in candidates:
            path = os.path.normpath(candidate)
            why = places.check(path, owner)
            if why is not None:
                line = getattr(node, "lineno", 0)
                found.setdefault((line, path), Finding(line, path, why))

    _evaluate_module(ast.parse(source), evaluator, check)
    return sorted(found.values(), key=lambda f: (f.line, f.path))


def paths_inside(
    source: str, file: Path, helpers: dict[str, dict[str, set[str]]] | None = None
) -> set[str]:
    """Repository-relative paths (POSIX) that ``source``'s path expressions lead to."""
    evaluator = _Evaluator(file.resolve())
    evaluator.helpers = helpers or {}
    inside: set[str] = set()

    def collect(node: ast.AST, candidates: set[str]) -> None:
        for candidate in candidates:
            path = Path(os.path.normpath(candidate))
            if path.is_relative_to(ROOT) and path != ROOT:
                inside.add(path.relative_to(ROOT).as_posix())

    _evaluate_module(ast.parse(source), evaluator, collect)
    return inside


HELPERS = ("sitebuild", "conftest", "compat_venv", "browser")
GUARD = "tests/repo_guard.py"


def helper_modules() -> dict[str, dict[str, set[str]]]:
    return {name: helper_names(ROOT / "tests" / f"{name}.py") for name in HELPERS}


def sources() -> list[Path]:
    """Every Python source of the test suite and the benchmarks, but this guard, which names
    the one allowed outside folder (``EXCEPTIONS``) and is the exception's keeper."""
    found = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")]
    return sorted(p for p in found if p.relative_to(ROOT).as_posix() != GUARD)
