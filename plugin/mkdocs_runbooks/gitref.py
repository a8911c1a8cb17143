"""Plan files as they were at a git ref (``main``, ``origin/main``, ``HEAD~1``, a commit).

Runs ``git`` as a subprocess; every failure is a :class:`GitError` whose message says what
to do (not a repository, unknown ref, no such file at that ref, git not installed).

Paths given to and returned by :func:`show_file` and :func:`list_plan_files` are relative to
the repository's top folder, with ``/`` separators, as ``git show REF:path`` reads them; use
:func:`repo_path` to turn a file-system path into one.
"""

from __future__ import annotations

import codecs
import hashlib
import subprocess
from pathlib import Path, PurePosixPath

from .load import PLAN_NAMES, LoadedPlan, load_text
from .patterns import PatternRegistry
from .problems import Problem

__all__ = [
    "GitError",
    "list_plan_files",
    "load_plan_at",
    "object_type",
    "repo_path",
    "repo_root",
    "resolve_ref",
    "show_file",
    "split_ref_path",
]


class GitError(Exception):
    """git could not give what was asked; the message is meant for the user."""


def _git(args: list[str], cwd: Path | None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            stdin=subprocess.DEVNULL,
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


def list_plan_files(ref: str, directory: str = ".", cwd: Path | None = None) -> list[str]:
    """Plan files (``deployment-plan.yaml``/``.yml``) below ``directory`` at ``ref``, sorted.

    Runs ``git ls-tree -r --name-only REF -- DIR``; ``directory`` is relative to ``cwd`` (the
    current folder by default), the paths returned are relative to the repository top. A
    folder that does not exist at ``ref`` gives an empty list.
    """
    resolve_ref(ref, cwd)
    result = _git(
        ["ls-tree", "-r", "-z", "--name-only", "--full-name", ref, "--", directory or "."], cwd
    )
    if result.returncode != 0:  # pragma: no cover - the ref was checked
        raise GitError(f"cannot list '{directory}' at {ref}: {_stderr(result)}")
    names = [n for n in result.stdout.decode("utf-8", "replace").split("\0") if n]
    return sorted(n for n in names if PurePosixPath(n).name in PLAN_NAMES)


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
    shown = display or f"{ref}:{_norm(path)}"
    digest = hashlib.sha256(raw).hexdigest()
    fail = LoadedPlan(Path(_norm(path)), shown, None, [], digest=digest)
    body = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        fail.problems.append(
            Problem(shown, line, 1, "", f"byte 0x{body[error.start]:02x} is not UTF-8")
        )
        return fail
    if not text.strip():
        fail.problems.append(
            Problem(shown, 1, 1, "", "the file is empty: a plan is a mapping of keys")
        )
        return fail
    return load_text(text, shown, patterns, path=Path(_norm(path)), digest=digest)
