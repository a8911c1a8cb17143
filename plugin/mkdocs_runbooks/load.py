"""Discovery and loading of plan files: bytes -> YAML data -> ``Plan`` plus ``Problem`` values.

Nothing here raises for bad input. Every discovered file comes back as a ``LoadedPlan`` that
holds either a valid ``Plan`` or the problems that stopped it (usually both kinds of facts:
all problems of a file are reported at once).
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import hashlib
import os
import re
import time
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .measure import duration_seconds, percent
from .model import Plan, Step
from .patterns import PatternRegistry
from .problems import Problem, decode_text, format_path, readable, shown_path
from .safefs import Refused, read_limited
from .yamlnodes import Limits, Loc, SourceMap, parse_yaml

__all__ = [
    "PLAN_NAMES",
    "Discovery",
    "LoadCache",
    "LoadedPlan",
    "derive_step_id",
    "discover",
    "is_near_miss",
    "load_plan",
    "load_plans",
    "load_text",
]

PLAN_NAMES = ("deployment-plan.yaml", "deployment-plan.yml")
_NEAR_RE = re.compile(r"deployment[-_ .]?plans?", re.I)


@dataclass
class LoadedPlan:
    """One plan file after loading: the plan when valid, and every problem found."""

    path: Path
    display: str
    plan: Plan | None
    problems: list[Problem]
    source: SourceMap = field(default_factory=SourceMap)
    digest: str = ""
    folder: str = ""
    """The plan's folder below the plans root, with ``/`` separators (its page address)."""
    findings: list[Problem] = field(default_factory=list)
    """Best-practice findings (filled by :mod:`mkdocs_runbooks.lint`)."""

    @property
    def ok(self) -> bool:
        return self.plan is not None and not any(p.severity == "error" for p in self.problems)

    def problem(self, loc: Loc, message: str, *, key: bool = False, **kw: Any) -> Problem:
        line, col = self.source.key(loc) if key else self.source.value(loc)
        return Problem(self.display, line, col, format_path(loc), message, **kw)


@dataclass
class Discovery:
    """What a folder holds: plan files, and files that look like misnamed plans."""

    plans: list[Path] = field(default_factory=list)
    ignored: list[Problem] = field(default_factory=list)


_FOLDER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
FOLDER_RULE = (
    "use ASCII letters, digits, '.', '_' and '-', starting with a letter or a digit "
    "(at most 100 characters)"
)


def is_near_miss(name: str) -> bool:
    """Whether ``name`` looks like a plan file that is not named ``deployment-plan.yaml``."""
    if name in PLAN_NAMES:
        return False
    lowered = name.lower()
    if _NEAR_RE.match(lowered):
        return True
    stem = lowered.split(".", 1)[0]
    # A ratio of 0.85 against the 15 letters of "deployment-plan" needs a stem of 11 to 20
    # letters; checking the length first keeps a scan of thousands of files fast.
    if not 11 <= len(stem) <= 20:
        return False
    matcher = difflib.SequenceMatcher(None, stem, "deployment-plan")
    return matcher.real_quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


def _ignored(path: Path, root: Path | None, message: str) -> Problem:
    return Problem(shown_path(path, root), 1, 1, "", message, severity="warning")


def discover(
    root: Path, display_root: Path | None = None, cache: LoadCache | None = None
) -> Discovery:
    """Plan files below ``root`` (sorted), and what is not built, reported as ignored.

    Symbolic links to folders are not followed, and reported; plan files in hidden folders
    are reported, not loaded; near-miss names are reported. Entries *named* like a plan
    that are not regular files (links, folders, FIFOs, devices) are returned as plans, so
    loading reports each of them as an error. With ``cache``, a folder whose status did
    not change since the last build is not listed again (:class:`LoadCache`).
    """
    found = Discovery()
    if not root.is_dir():
        found.plans.append(root)
        return found
    top = os.fspath(root)
    # A folder's findings depend on the root (hidden folders), the display root and where
    # the root leads (messages name resolved paths) too.
    display = os.fspath(display_root) if display_root is not None else ""
    shown = f"{display}\0{top}\0{os.path.realpath(top)}"
    folders = [top]  # depth first, in name order, as os.walk goes
    while folders:
        here = folders.pop()
        started = time.time_ns()
        status = _status(here) if cache is not None else None
        folder = cache.folder(here, shown, status) if cache is not None else None
        if folder is None:
            folder = _scan(here, top, display_root)
            if cache is not None and not folder.links:
                cache.scanned(here, shown, status, folder, started)
        found.plans += folder.plans
        found.ignored += folder.ignored
        folders += [os.path.join(here, name) for name in reversed(folder.walk)]
    found.plans.sort()
    return found


@dataclass
class _Folder:
    """What one folder holds for :func:`discover`: its plans, what it reports, the folders
    below it to walk into (by name)."""

    plans: list[Path]
    ignored: list[Problem]
    walk: list[str]
    links: bool = False
    """Whether an entry is a symbolic link: its target can change between a file and a
    folder without the folder's status changing, so such a listing is not kept."""


def _scan(here: str, top: str, display_root: Path | None) -> _Folder:
    """List one folder (as ``os.walk`` does: entries that are folders, links to folders
    included, apart from the rest)."""
    found = Discovery()
    try:
        with os.scandir(here) as entries:
            folders: list[str] = []
            files: list[str] = []
            links = False
            for entry in entries:
                links = links or entry.is_symlink()
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                (folders if is_dir else files).append(entry.name)
    except OSError as error:
        where = Path(error.filename) if error.filename else Path(here)
        why = f"cannot read this folder: {error.strerror}"
        return _Folder([], [_ignored(where, display_root, why)], [])
    # Folder names as strings: a Path is made for plans and reported files only, which
    # keeps a scan of 10,000 folders fast.
    below = here[len(top) :].split(os.sep)
    hidden = next((p for p in below if p.startswith(".")), None)
    walk = _walk_folders(found, here, sorted(folders), hidden, display_root)
    _sort_files(found, here, sorted(files), hidden, display_root)
    return _Folder(found.plans, found.ignored, walk, links)


def _walk_folders(
    found: Discovery, here: str, names: list[str], hidden: str | None, display_root: Path | None
) -> list[str]:
    """The folders of ``here`` to walk into; links are reported, not followed."""
    keep: list[str] = []
    for name in names:
        if os.path.islink(os.path.join(here, name)):
            path = Path(here, name)
            if hidden is None:
                found.ignored.append(
                    _ignored(
                        path,
                        display_root,
                        f"ignored symbolic link '{readable(name)}' to a folder: links below "
                        "the plans folder are not followed, so no plan inside it is built",
                    )
                )
            continue
        if name in PLAN_NAMES and hidden is None and not name.startswith("."):
            found.plans.append(Path(here, name))  # a folder named like a plan: loading says so
        keep.append(name)
    return keep


def _sort_files(
    found: Discovery, here: str, names: list[str], hidden: str | None, display_root: Path | None
) -> None:
    """Plan files of ``here`` to load; plans in hidden folders and near misses reported."""
    for name in names:
        if name in PLAN_NAMES:
            if hidden is None:
                found.plans.append(Path(here, name))
            else:
                found.ignored.append(
                    _ignored(
                        Path(here, name),
                        display_root,
                        f"ignored plan in hidden folder '{readable(hidden)}': plans in "
                        "folders whose name starts with '.' are not built; rename the "
                        "folder to build it",
                    )
                )
        elif hidden is None and is_near_miss(name):
            found.ignored.append(
                _ignored(
                    Path(here, name),
                    display_root,
                    f"ignored '{readable(name)}': a plan file must be named "
                    "'deployment-plan.yaml' (or '.yml'); rename it to be built",
                )
            )


class _Names:
    """Where each plan ``discover`` found below ``root`` is: its path below ``root`` and its
    name in messages (:func:`~mkdocs_runbooks.problems.shown_path`), worked out on strings
    with ``root`` and the display root resolved once, not per plan: ``discover`` follows
    no link below ``root``, so a plan's folder resolves to the resolved root joined with
    the folders between. (A rebuild under ``serve`` names 10,000 plans this way.)"""

    def __init__(self, root: Path, display_root: Path | None) -> None:
        top = os.fspath(root)
        self.prefix = top if top.endswith(os.sep) else top + os.sep
        self.display_root = display_root
        self.shown: str | None = None
        """The resolved root relative to the resolved display root, ``/``-ended."""
        # (A loop above the root: OSError or RuntimeError; shown_path copes with it.)
        with contextlib.suppress(OSError, RuntimeError, ValueError):
            if root.is_dir():
                real, base = root.resolve(), (display_root or Path.cwd()).resolve()
                shown = real.relative_to(base).as_posix()
                self.shown = "" if shown == "." else shown + "/"

    def below(self, path: Path) -> str | None:
        """``path`` below the root, ``/``-separated (``None`` when it is not below it)."""
        name = os.fspath(path)
        if not name.startswith(self.prefix):
            return None
        return name[len(self.prefix) :].replace(os.sep, "/")

    def display(self, path: Path, below: str | None) -> str:
        if self.shown is None or below is None:
            return shown_path(path, self.display_root)
        return readable(self.shown + below)


def folder_problem(folder: str) -> str | None:
    """Why ``folder`` (a plan's folder below the plans root, ``/``-separated) cannot be a
    page address, or ``None`` when every component is a safe name."""
    for part in folder.split("/"):
        if not _FOLDER_RE.fullmatch(part):
            return (
                f"folder name '{readable(part)}' cannot be part of a page address: "
                f"{FOLDER_RULE}; the plan is not built"
            )
    return None


# --- pydantic errors to problems -------------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    """The model class inside ``list[X]``, ``X | None``, ``Annotated[X, ...]``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        elif origin is not None:  # Union / Optional
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _model_at(loc: Loc) -> type[BaseModel] | None:
    current: Any = Plan
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"


def _message(error: Any) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return f"required key '{error['loc'][-1]}' is missing"
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        model = _model_at(tuple(error["loc"][:-1]))
        known = list(model.model_fields) if model else []
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        if close:
            return f"unknown key '{key}'; did you mean '{close[0]}'?"
        return f"unknown key '{key}' (allowed: {', '.join(known)})"
    if kind in ("string_type", "int_type", "bool_type", "date_type") and value is None:
        return "a value is required here, found nothing"
    if kind == "string_type":
        return f"expected text, found {_kind(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of keys, found {_kind(value)}"
    if kind == "list_type":
        return f"expected a list, found {_kind(value)}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, found {_kind(value)}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, found {_kind(value)}"
    if kind.startswith("date_"):  # pydantic's date_type, date_parsing, ... (not our "datetime")
        return f"invalid date {_kind(value)}: use YYYY-MM-DD, for example 2026-11-20"
    if kind == "too_short":
        return f"needs at least {error.get('ctx', {}).get('min_length', 1)} item(s)"
    return str(error["msg"])


# --- checks the models cannot express ------------------------------------------------------------

_SLUGIFY_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    return _SLUGIFY_RE.sub("-", text.lower()).strip("-") or "step"


def derive_step_id(title: str, taken: set[str], prefix: str = "") -> str:
    """The id of a step without an explicit ``id``: ``prefix`` + its title as a slug, with
    ``-2``, ``-3``... when ``taken`` already holds it; the id is added to ``taken``."""
    base = prefix + slugify(title)
    uid, n = base, 1
    while uid in taken:
        n += 1
        uid = f"{base}-{n}"
    taken.add(uid)
    return uid


def _all_steps(plan: Plan) -> Iterable[tuple[Loc, Step]]:
    for i, phase in enumerate(plan.phases):
        for j, step in enumerate(phase.steps):
            yield ("phases", i, "steps", j), step
    for j, step in enumerate(plan.rollback.steps):
        yield ("rollback", "steps", j), step


def _assign_step_ids(plan: Plan) -> list[tuple[Loc, str]]:
    """Check explicit step ids and derive the others from titles.

    A derived id depends only on the step's title and on earlier steps with the same title,
    so adding a step elsewhere does not change it.
    """
    problems: list[tuple[Loc, str]] = []
    seen: dict[str, Loc] = {}
    for loc, step in _all_steps(plan):
        if step.id is None:
            continue
        key = step.id.lower()
        if key in seen:
            first = format_path(seen[key])
            problems.append(
                (
                    (*loc, "id"),
                    f"duplicate step id '{step.id}' (also at {first}; ids are compared "
                    "ignoring case, since they become page anchors)",
                )
            )
        elif not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", step.id):
            problems.append(
                ((*loc, "id"), f"invalid step id '{step.id}': use letters, digits, '.', '_', '-'")
            )
        seen.setdefault(key, loc)
    taken = set(seen)
    for loc, step in _all_steps(plan):
        if step.id is not None:
            continue
        step._uid = derive_step_id(step.title, taken, "rollback-" if loc[0] == "rollback" else "")
    return problems


def _is_percent(value: object) -> bool:
    number = percent(value)
    return number is not None and 0 < number <= 100


def _check_parameters(plan: Plan) -> list[tuple[Loc, str]]:
    params = plan.strategy.parameters or {}
    base: Loc = ("strategy", "parameters")
    out: list[tuple[Loc, str]] = []
    known: dict[str, dict[str, str]] = {
        "canary": {"steps": "percentages", "interval": "duration"},
        "rolling": {"batch_size": "count", "pause": "duration"},
        "recreate": {"expected_downtime": "duration"},
    }
    for key, kind in known.get(plan.strategy.pattern, {}).items():
        if key not in params:
            continue
        value = params[key]
        loc = (*base, key)
        if kind == "duration":
            try:
                duration_seconds(str(value))
            except ValueError:
                out.append((loc, f"invalid duration {_kind(value)}: use 90s, 45m, 2h30m, 1d"))
        elif kind == "percentages":
            if not isinstance(value, list) or not value:
                out.append((loc, "expected a list of traffic percentages, e.g. [5, 25, 50, 100]"))
            else:
                for i, item in enumerate(value):
                    if not _is_percent(item):
                        out.append(
                            ((*loc, i), f"expected a percentage (0-100], found {_kind(item)}")
                        )
        elif kind == "count" and not (str(value).isdigit() or _is_percent(value)):
            out.append(
                (loc, f"expected a number of instances or a percentage, found {_kind(value)}")
            )
    return out


def check_plan(plan: Plan) -> list[tuple[Loc, str]]:
    """Rules of the format that span several keys (ids, required-when)."""
    out = _assign_step_ids(plan)
    if plan.migrations:
        seen: dict[str, int] = {}
        for i, item in enumerate(plan.migrations.items):
            loc: Loc = ("migrations", "items", i)
            if item.id in seen:
                out.append(
                    (
                        (*loc, "id"),
                        f"duplicate migration id '{item.id}' (also items[{seen[item.id]}])",
                    )
                )
            seen.setdefault(item.id, i)
            if item.reversible and item.rollback is None:
                out.append(
                    (
                        loc,
                        "required key 'rollback' is missing: a reversible migration needs its "
                        "rollback command (or set reversible: false)",
                    )
                )
    out += _check_parameters(plan)
    return out


# --- loading ---------------------------------------------------------------------------------


def load_text(
    text: str,
    display: str,
    patterns: PatternRegistry | None = None,
    *,
    path: Path | None = None,
    limits: Limits | None = None,
    digest: str = "",
) -> LoadedPlan:
    """Validate one plan given as text."""
    parsed = parse_yaml(text, limits)
    loaded = LoadedPlan(path or Path(display), display, None, [], parsed.source, digest)
    loaded.problems += [
        Problem(display, p.line, p.col, format_path(p.loc), p.message) for p in parsed.problems
    ]
    if parsed.data is None and parsed.problems:
        return loaded
    if not isinstance(parsed.data, dict):
        loaded.problems.append(
            loaded.problem(
                (), f"a plan is a mapping of keys, found {_kind(parsed.data)} at the top level"
            )
        )
        return loaded
    try:
        plan = Plan.model_validate(parsed.data, context={"patterns": patterns})
    except ValidationError as error:
        for item in error.errors(include_url=False):
            loc = tuple(item["loc"])
            on_key = item["type"] == "extra_forbidden"
            loaded.problems.append(loaded.problem(loc, _message(item), key=on_key))
        loaded.problems.sort(key=lambda p: (p.line, p.col))
        return loaded
    for loc, message in check_plan(plan):
        loaded.problems.append(loaded.problem(loc, message))
    loaded.problems.sort(key=lambda p: (p.line, p.col))
    if not loaded.problems:
        loaded.plan = plan
    return loaded


_SETTLED_NS = 2_000_000_000
"""A file's status is trusted to show a change once its times are this much older than the
moment it was read: file systems with coarse timestamps (FAT: 2 s) give an edit in the same
tick the same modification time."""

_Status = tuple[int, int, int, int, int]


def _settled(status: _Status, started: int) -> bool:
    """Whether a status read at ``started`` (ns) can be trusted to show later changes."""
    return max(status[3], status[4]) <= started - _SETTLED_NS


def _status(path: str) -> _Status | None:
    """Device, inode, size, modification and change time of ``path`` (not following a final
    link), or ``None`` when it cannot be read."""
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


_K = typing.TypeVar("_K")
_V = typing.TypeVar("_V")


class _Kept(typing.Generic[_K, _V]):
    """Values kept from the last build, each with the status of the file or folder it was
    made from; what this build uses or makes is kept for the next (:meth:`finish`)."""

    def __init__(self) -> None:
        self._last: dict[_K, tuple[_Status | None, _V]] = {}
        self._now: dict[_K, tuple[_Status | None, _V]] = {}

    def get(self, key: _K) -> _V | None:
        """The value kept under ``key`` (kept for the next build too)."""
        kept = self._last.get(key)
        if kept is None:
            return None
        self._now[key] = kept
        return kept[1]

    def unchanged(self, key: _K, status: _Status | None) -> _V | None:
        """The value kept under ``key`` while the status it was made with is ``status`` (a
        status that could not be read matches nothing)."""
        kept = self._last.get(key)
        if kept is None or status is None or kept[0] != status:
            return None
        return self.get(key)

    def put(self, key: _K, value: _V, status: _Status | None = None) -> None:
        self._now[key] = (status, value)

    def put_settled(self, key: _K, value: _V, status: _Status | None, started: int) -> None:
        """Keep ``value``, made from a file or folder whose ``status`` was read before it at
        ``started`` (ns), when that status can be trusted to show later changes."""
        if status is not None and _settled(status, started):
            self.put(key, value, status)

    def finish(self) -> None:
        self._last, self._now = self._now, {}

    def __len__(self) -> int:
        return len(self._last)


class LoadCache:
    """Plans loaded by earlier builds of one ``mkdocs serve``, so that a rebuild neither
    parses nor reads again what did not change.

    A result is kept by the file's bytes (its digest), its path and name in messages, and
    what else a plan depends on (the pattern library, the limits). The digest of a file is
    also kept with the file's status (device, inode, size, modification and change times)
    when it was read: while the status is the same, the file is not read again. A status is
    kept only when its times were at least two seconds old at that moment, so that an edit
    within the same tick of a coarse file-system clock is still seen. (The change time,
    which ``touch`` and copies that keep times cannot set back, changes with every write.)
    Only what the last build used is kept.
    """

    def __init__(self) -> None:
        self._loaded: _Kept[str, LoadedPlan] = _Kept()
        self._read: _Kept[str, str] = _Kept()
        self._folders: _Kept[tuple[str, str], _Folder] = _Kept()

    def __len__(self) -> int:
        return len(self._loaded)

    def digest(self, path: str, status: _Status | None) -> str | None:
        """The digest of ``path`` when its status is the one kept from its last reading."""
        return self._read.unchanged(path, status)

    def read(self, path: str, status: _Status | None, digest: str, started: int) -> None:
        """``path`` had ``status`` before it was read at ``started`` (ns) and ``digest``."""
        self._read.put_settled(path, digest, status, started)

    def folder(self, path: str, shown: str, status: _Status | None) -> _Folder | None:
        """What :func:`discover` found in the folder ``path`` (``shown``: the display root
        its messages were written for and the root walked), when its status is the one
        kept from then."""
        return self._folders.unchanged((path, shown), status)

    def scanned(
        self, path: str, shown: str, status: _Status | None, folder: _Folder, started: int
    ) -> None:
        """The folder ``path`` had ``status`` before it was listed at ``started`` (ns)."""
        self._folders.put_settled((path, shown), folder, status, started)

    def get(self, key: str) -> LoadedPlan | None:
        return self._loaded.get(key)

    def put(self, key: str, item: LoadedPlan) -> None:
        self._loaded.put(key, _copy(item))

    def finish(self) -> None:
        """Keep only what this build used."""
        for kept in (self._loaded, self._read, self._folders):
            kept.finish()


def load_plan(
    path: Path,
    patterns: PatternRegistry | None = None,
    *,
    display: str | None = None,
    limits: Limits | None = None,
    cache: LoadCache | None = None,
    cache_key: str = "",
    root: Path | None = None,
) -> LoadedPlan:
    """Read and validate one plan file. Never raises for what the file holds.

    The file is read with :func:`~mkdocs_runbooks.safefs.read_limited`: no symbolic link
    is followed below ``root`` (or, without it, the file's own folder), only a regular file
    is read, and at most ``limits.max_bytes`` of it.

    With ``cache``, a file whose bytes (and ``cache_key``: the pattern library, the limits)
    were seen before is not parsed again, and a file whose status did not change is not
    read again (:class:`LoadCache`); the cached result is copied. (Call the cache's
    ``finish`` after the last plan of a build.)
    """
    limits = limits or Limits()
    shown = display or shown_path(path, None)
    name = os.fspath(path)
    status = started = None
    if cache is not None:
        started = time.time_ns()
        status = _status(name)
        digest = cache.digest(name, status)
        if digest is not None:
            found = cache.get(f"{name}\0{shown}\0{digest}\0{cache_key}")
            if found is not None:
                return _copy(found)
    fail = LoadedPlan(path, shown, None, [])
    if root is None:
        base, parts = path.parent, [path.name]
    else:
        base, parts = root, list(path.relative_to(root).parts)
    try:
        raw = read_limited(base, parts, limits.max_bytes)
    except Refused as refused:
        fail.problems.append(Problem(shown, 1, 1, "", str(refused)))
        return fail
    except OSError as error:
        why = error.strerror or type(error).__name__
        fail.problems.append(Problem(shown, 1, 1, "", f"cannot read the file: {why}"))
        return fail
    digest = hashlib.sha256(raw).hexdigest()
    fail.digest = digest
    if cache is None or started is None:
        return _load_bytes(raw, fail, patterns, limits)
    cache.read(name, status, digest, started)
    key = f"{name}\0{shown}\0{digest}\0{cache_key}"
    result = cache.get(key)
    if result is None:
        result = _load_bytes(raw, fail, patterns, limits)
        cache.put(key, result)
    return _copy(result)


def _copy(item: LoadedPlan) -> LoadedPlan:
    """A copy whose lists can be changed (the plan itself is shared and not changed)."""
    return dataclasses.replace(item, problems=list(item.problems), findings=list(item.findings))


def load_bytes(
    raw: bytes,
    shown: str,
    patterns: PatternRegistry | None = None,
    *,
    path: Path,
    limits: Limits | None = None,
) -> LoadedPlan:
    """Validate the bytes of a plan file read elsewhere (from git, say): the same checks of
    encoding, emptiness and content as :func:`load_plan`'s; ``shown`` names it in problems."""
    digest = hashlib.sha256(raw).hexdigest()
    fail = LoadedPlan(path, shown, None, [], digest=digest)
    return _load_bytes(raw, fail, patterns, limits or Limits())


def _load_bytes(
    raw: bytes, fail: LoadedPlan, patterns: PatternRegistry | None, limits: Limits
) -> LoadedPlan:
    """``fail`` (the file's path, display name and digest, no plan) gets the problems."""
    shown = fail.display
    text = decode_text(raw, shown)
    if isinstance(text, Problem):
        fail.problems.append(text)
        return fail
    if not text.strip():
        fail.problems.append(
            Problem(shown, 1, 1, "", "the file is empty: a plan is a mapping of keys")
        )
        return fail
    return load_text(text, shown, patterns, path=fail.path, limits=limits, digest=fail.digest)


def _refuse(item: LoadedPlan, why: str) -> None:
    """Make ``item`` an error without a page of its own."""
    item.problems.insert(0, Problem(item.display, 1, 1, "", why))
    item.plan = None
    item.folder = ""


def _refuse_service_addresses(loaded: list[LoadedPlan], root: Path) -> None:
    """A plan right in ``plans/<service>/`` would take the address of the service's
    history page: it is refused (the history page keeps its address)."""
    services = {item.plan.service.lower() for item in loaded if item.plan is not None}
    for item in loaded:
        if item.path.parent == root:  # the command line's one plan folder: no address
            continue
        if item.folder and "/" not in item.folder and item.folder.lower() in services:
            _refuse(
                item,
                f"the plan's folder '{item.folder}/' is the address of the history page of "
                f"service '{item.folder.lower()}': move the plan into a folder of its own "
                f"below it, for example '{item.folder}/2026-11-20-1.0/'; the plan is not built",
            )


def _cache_key(patterns: PatternRegistry | None, limits: Limits | None) -> str:
    """What a cached plan depends on besides its bytes: the pattern library, the limits."""
    library = patterns.patterns.values() if patterns else ()
    # In the registry's order, not sorted: a name two patterns share resolves to the one
    # loaded last, so renaming a pattern file can change what a plan's pattern is.
    known = [(p.id, p.title, p.kind, p.aliases) for p in library]
    return hashlib.sha256(repr((known, limits)).encode()).hexdigest()


def _set_folder(
    item: LoadedPlan, path: Path, below: str | None, root: Path, *, root_plan_ok: bool
) -> None:
    """The plan's folder below ``root`` (its page address; ``below`` is the plan's path
    below ``root``); a folder name outside the safe set refuses the plan."""
    # Discovered paths are below ``root`` as written: the folder is read from the path
    # itself, never by resolving it (a link or a loop must not move a plan's address).
    if below is not None:
        item.folder = below.rpartition("/")[0] or "."
    else:
        item.folder = path.parent.name
    if item.folder == ".":
        item.folder = root.resolve().name if root_plan_ok else ""
    else:
        why = folder_problem(item.folder)
        if why:
            _refuse(item, why)


def _refuse_shared_addresses(loaded: list[LoadedPlan], root: Path) -> None:
    """A plan right in ``root``, and two plans with one page address, are errors."""
    by_address: dict[str, list[LoadedPlan]] = {}
    for item in loaded:
        by_address.setdefault(item.folder.lower(), []).append(item)
    for item in loaded:
        if not item.folder and item.path.parent != root:
            continue  # refused (its folder name): no address to share
        why = ""
        if not item.folder and root.is_dir():
            why = "a plan needs a folder of its own below the plans folder"
        else:
            clash = [other for other in by_address[item.folder.lower()] if other is not item]
            if clash:
                names = ", ".join(other.display for other in clash)
                why = f"two plans share the page address '{item.folder}/': also {names}"
        if why:
            item.problems.insert(0, Problem(item.display, 1, 1, "", why))
            item.plan = None


def load_plans(
    root: Path,
    patterns: PatternRegistry | None = None,
    *,
    display_root: Path | None = None,
    limits: Limits | None = None,
    root_plan_ok: bool = False,
    cache: LoadCache | None = None,
    each: Callable[[LoadedPlan], None] | None = None,
) -> tuple[list[LoadedPlan], list[Problem]]:
    """Every plan below ``root`` (loaded), plus problems that belong to no single plan.

    A plan directly in ``root`` is an error (its page would have no address of its own)
    unless ``root_plan_ok``: the command line validates one plan's folder that way.
    ``each`` is called with every plan as soon as it is loaded (a build lints it there and
    then drops its key places, so they never all sit in memory at once).

    Two plans that would share one page address are both reported; neither is built. A
    folder name outside the safe set (:data:`FOLDER_RULE`) and a plan directly in the
    folder of a service's history page (``plans/<service>/``) are errors, and such a plan
    gets no page at all (its problems are reported where the build and the CLI report).
    """
    found = discover(root, display_root, cache)
    loaded: list[LoadedPlan] = []
    cache_key = _cache_key(patterns, limits) if cache is not None else ""
    names = _Names(root, display_root)
    base = root if root.is_dir() else None
    for path in found.plans:
        below = names.below(path)
        item = load_plan(
            path,
            patterns,
            display=names.display(path, below),
            limits=limits,
            cache=cache,
            cache_key=cache_key,
            root=base,
        )
        if each is not None:
            each(item)
        _set_folder(item, path, below, root, root_plan_ok=root_plan_ok)
        loaded.append(item)
    _refuse_shared_addresses(loaded, root)
    _refuse_service_addresses(loaded, root)
    if cache is not None:
        cache.finish()  # keep what this build used: it never outgrows the plans folder
    return loaded, found.ignored
