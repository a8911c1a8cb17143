"""Plan files as they were at a git ref (``main``, ``origin/main``, ``HEAD~1``, a commit).

Runs ``git`` as a subprocess; every failure is a :class:`GitError` whose message says what
to do (not a repository, unknown ref, no such file at that ref, git not installed).

Paths given to and returned by :func:`show_file` and :func:`list_plan_files` are relative to
the repository's top folder, with ``/`` separators, as ``git show REF:path`` reads them; use
:func:`repo_path` to turn a file-system path into one.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .load import PLAN_NAMES, LoadedPlan, load_bytes
from .patterns import PatternRegistry

__all__ = [
    "GitError",
    "TreeFile",
    "list_plan_files",
    "list_tree",
    "load_plan_at",
    "object_type",
    "read_blobs",
    "repo_path",
    "repo_root",
    "resolve_ref",
    "show_file",
    "split_ref_path",
]


class GitError(Exception):
    """git could not give what was asked; the message is meant for the user."""


def _git(
    args: list[str], cwd: Path | None, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            input=stdin,
        )
    except FileNotFoundError:
        raise GitError(
            "git is not installed (or not on PATH): cannot read files at a ref"
        ) from None
    except NotADirectoryError:
        raise GitError(f"not a folder: {cwd}") from None


def _stderr(result: subprocess.CompletedProcess[bytes]) -> str:
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else f"git exited with code {result.returncode}"


def repo_root(cwd: Path | None = None) -> Path:
    """The top folder of the work tree holding ``cwd`` (default: the current folder)."""
    result = _git(["rev-parse", "--show-toplevel"], cwd)
    if result.returncode != 0:
        where = (cwd or Path.cwd()).resolve()
        raise GitError(f"not a git repository: {where}")
    return Path(result.stdout.decode("utf-8").strip())


def _check_ref_name(ref: str) -> None:
    if not ref.strip() or ref.startswith("-"):
        raise GitError(f"invalid git ref '{ref}'")


def resolve_ref(ref: str, cwd: Path | None = None) -> str:
    """The commit id ``ref`` names; :class:`GitError` when there is none."""
    _check_ref_name(ref)
    repo_root(cwd)
    result = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    if result.returncode != 0:
        raise GitError(
            f"unknown git ref '{ref}': no branch, tag or commit of that name "
            "(in CI, fetch it first: actions/checkout with fetch-depth: 0)"
        )
    return result.stdout.decode("utf-8").strip()


def _norm(path: str | PurePosixPath) -> str:
    text = str(path).replace("\\", "/")
    while text.startswith("/"):
        text = text[1:]
    return text


def object_type(ref: str, path: str, cwd: Path | None = None) -> str | None:
    """``"blob"`` (a file), ``"tree"`` (a folder), or ``None`` when ``path`` is not at ``ref``.

    Checks the ref first (:class:`GitError` when it or the repository is missing).
    """
    resolve_ref(ref, cwd)
    result = _git(["cat-file", "-t", f"{ref}:{_norm(path)}"], cwd)
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8").strip()


def show_file(
    ref: str, path: str, cwd: Path | None = None, *, max_bytes: int | None = None
) -> bytes:
    """The bytes of the file ``path`` (relative to the repository top) at ``ref``.

    Runs ``git show REF:path``. With ``max_bytes``, a larger file is refused (git's own
    size of the object is asked first, so it is never read).
    """
    kind = object_type(ref, path, cwd)
    if kind is None:
        raise GitError(f"'{_norm(path)}' does not exist at {ref}")
    if kind != "blob":
        raise GitError(f"'{_norm(path)}' is a folder at {ref}, not a file")
    if max_bytes is not None:
        sized = _git(["cat-file", "-s", f"{ref}:{_norm(path)}"], cwd)
        size = int(sized.stdout.strip() or 0) if sized.returncode == 0 else 0
        if size > max_bytes:
            raise GitError(
                f"'{_norm(path)}' is {size:,} bytes at {ref}, over the {max_bytes:,}-byte limit"
            )
    result = _git(["show", f"{ref}:{_norm(path)}"], cwd)
    if result.returncode != 0:  # pragma: no cover - cat-file said it exists
        raise GitError(f"cannot read '{_norm(path)}' at {ref}: {_stderr(result)}")
    return result.stdout


@dataclass(frozen=True)
class TreeFile:
    """One entry of ``git ls-tree -r -l``: a file (or link, or submodule) at a ref."""

    path: str
    """Relative to the repository top, ``/`` separators."""
    mode: str
    """``100644``, ``100755`` (files), ``120000`` (a symbolic link), ``160000`` (a submodule)."""
    oid: str
    size: int | None
    """Bytes of a blob; ``None`` for a submodule."""

    @property
    def is_file(self) -> bool:
        return self.mode in ("100644", "100755")


def list_tree(ref: str, directory: str = ".", cwd: Path | None = None) -> dict[str, TreeFile]:
    """Every entry below ``directory`` at ``ref``, by path: one ``git ls-tree -r -l`` for the
    whole folder, whatever the number of files. ``directory`` is relative to ``cwd``; a
    folder that does not exist at ``ref`` gives an empty mapping."""
    resolve_ref(ref, cwd)
    result = _git(["ls-tree", "-r", "-z", "-l", "--full-name", ref, "--", directory or "."], cwd)
    if result.returncode != 0:  # pragma: no cover - the ref was checked
        raise GitError(f"cannot list '{directory}' at {ref}: {_stderr(result)}")
    tree: dict[str, TreeFile] = {}
    for record in result.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, _kind, oid, size = meta.decode("ascii").split(maxsplit=3)
        path = name.decode("utf-8", "replace")
        tree[path] = TreeFile(path, mode, oid, int(size) if size.strip().isdigit() else None)
    return tree


def list_plan_files(ref: str, directory: str = ".", cwd: Path | None = None) -> list[str]:
    """Plan files (``deployment-plan.yaml``/``.yml``) below ``directory`` at ``ref``, sorted,
    relative to the repository top (see :func:`list_tree`)."""
    return sorted(p for p in list_tree(ref, directory, cwd) if PurePosixPath(p).name in PLAN_NAMES)


def read_blobs(oids: Iterable[str], cwd: Path | None = None) -> dict[str, bytes]:
    """The contents of many blobs through one ``git cat-file --batch`` process."""
    wanted = list(dict.fromkeys(oids))
    if not wanted:
        return {}
    result = _git(["cat-file", "--batch"], cwd, "".join(f"{o}\n" for o in wanted).encode())
    if result.returncode != 0:
        raise GitError(f"cannot read files at the ref: {_stderr(result)}")
    out, pos, blobs = result.stdout, 0, {}
    for oid in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode("ascii").split()
        pos = end + 1
        if len(header) < 3 or header[1] == "missing":
            continue
        size = int(header[2])
        blobs[oid] = out[pos : pos + size]
        pos += size + 1  # the content is followed by a newline
    return blobs


def repo_path(path: Path, cwd: Path | None = None) -> str:
    """``path`` (a file-system path, absolute or relative to ``cwd``) relative to the top of
    its repository, as :func:`show_file` wants it."""
    root = repo_root(cwd).resolve()
    full = path if path.is_absolute() else (cwd or Path.cwd()) / path
    try:
        return full.resolve().relative_to(root).as_posix()
    except ValueError:
        raise GitError(f"{path} is outside the git repository at {root}") from None


def split_ref_path(spec: str) -> tuple[str, str] | None:
    """``("main", "plans/x/deployment-plan.yaml")`` from ``main:plans/x/deployment-plan.yaml``;
    ``None`` when ``spec`` has no ``REF:`` part. Git ref names cannot hold ``:``."""
    ref, sep, path = spec.partition(":")
    if not sep or not ref or not path:
        return None
    return ref, path


def load_plan_at(
    ref: str,
    path: str,
    patterns: PatternRegistry | None = None,
    *,
    cwd: Path | None = None,
    display: str | None = None,
    max_bytes: int | None = None,
) -> LoadedPlan:
    """Read and validate the plan ``path`` as it was at ``ref``.

    Raises :class:`GitError` when git cannot give the file (or it is over ``max_bytes``);
    problems of the file itself (not UTF-8, empty, invalid) come back in the
    ``LoadedPlan`` like ``load_plan``'s.
    """
    raw = show_file(ref, path, cwd, max_bytes=max_bytes)
    return load_bytes(raw, display or f"{ref}:{_norm(path)}", patterns, path=Path(_norm(path)))
