"""Reading and writing files below one folder without trusting what the folder holds.

Plans arrive through pull requests, so a plans folder may hold symbolic links (to
``/etc/passwd``, to ``/dev/zero``, in loops), FIFOs, device nodes or huge files. This module
opens every path one component at a time from a folder's descriptor with ``O_NOFOLLOW``, so
no symbolic link below that folder is ever followed; it refuses anything that is not a
regular file *before* reading (``lstat``) and again on the open descriptor (``fstat``); it
opens with ``O_NONBLOCK`` so a FIFO cannot hang; and it reads at most ``limit + 1`` bytes,
whatever ``stat()`` says. Errors are :class:`Refused` with a message that names the path
(never a link's target, never file content).

Writing (``export``) goes the same way: folders are created or opened with ``O_NOFOLLOW``
below the output folder, and each file is written to a fresh temporary name and renamed
over the old one, so a symbolic link already in the output folder is replaced, never
written through.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath

__all__ = [
    "Refused",
    "kind_of",
    "read_limited",
    "safe_parts",
    "unlink_below",
    "write_below",
    "write_text",
]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_CHUNK = 64 * 1024


class Refused(Exception):
    """A path that is not read or written; the message is meant for the user."""


def kind_of(mode: int) -> str:
    """What a file of ``mode`` is, in words."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def safe_parts(relative: str | PurePosixPath | Sequence[str]) -> list[str]:
    """The components of a relative path; :class:`Refused` for ``..``, absolute paths and
    empty names (a path that could leave the folder it is relative to)."""
    parts = list(relative) if isinstance(relative, (list, tuple)) else None
    if parts is None:
        text = str(relative)
        if text.startswith("/") or "\\" in text or "\0" in text:
            raise Refused(f"'{text}' is not a relative path below the folder")
        parts = text.split("/")
    for part in parts:
        if part in ("", ".", "..") or "/" in part or "\0" in part:
            raise Refused(f"'{'/'.join(parts)}' is not a relative path below the folder")
    return parts


@contextmanager
def _folder_fd(root: Path, parts: Sequence[str], *, create: bool = False) -> Iterator[int]:
    """A descriptor of ``root/parts...``, each component opened without following links."""
    fd = os.open(root, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    try:
        for i, part in enumerate(parts):
            try:
                child = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                os.mkdir(part, 0o777, dir_fd=fd)
                child = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd)
            except OSError as error:
                where = "/".join(parts[: i + 1])
                try:
                    what = kind_of(os.stat(part, dir_fd=fd, follow_symlinks=False).st_mode)
                except OSError:
                    what = error.strerror or "unreadable"
                raise Refused(
                    f"'{where}' is {what}, not a folder (links are not followed)"
                ) from None
            os.close(fd)
            fd = child
        yield fd
    finally:
        os.close(fd)


def _open_regular(root: Path, folders: Sequence[str], name: str) -> int:
    """A descriptor of the regular file ``root/folders.../name`` (lstat before opening, so
    a device or FIFO is never opened; non-blocking, so a FIFO swapped in cannot hang)."""
    with _folder_fd(root, folders) as dir_fd:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"not read: it is {kind_of(info.st_mode)}, not a regular file")
        try:
            return os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=dir_fd)
        except OSError as error:
            if error.errno in (errno.ELOOP, errno.EMLINK):
                raise Refused("not read: it is a symbolic link, not a regular file") from None
            raise


def read_limited(root: Path, relative: Sequence[str], limit: int) -> bytes:
    """The bytes of the regular file ``root/relative``, at most ``limit`` of them.

    :class:`Refused` when a component is a symbolic link, when the file is not a regular
    file (folder, FIFO, device, socket), or when it holds more than ``limit`` bytes;
    ``OSError`` when it cannot be read at all.
    """
    *folders, name = safe_parts(list(relative))
    try:
        fd = _open_regular(root, folders, name)
    except Refused as refused:
        text = str(refused)
        raise Refused(text if text.startswith("not read") else f"not read: {text}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # replaced between lstat and open
            raise Refused(f"not read: it is {kind_of(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise Refused(f"file is {info.st_size:,} bytes, over the {limit:,}-byte limit")
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise Refused(f"file is over the {limit:,}-byte limit (read stopped there)")
        return b"".join(chunks)
    finally:
        os.close(fd)


def write_below(root: Path, relative: str, data: bytes) -> None:
    """Write ``data`` to ``root/relative``, creating folders, never through a link.

    A component that is a symbolic link (or not a folder) is :class:`Refused`; the file
    itself is written to a new name and renamed over ``relative``, so an existing link
    there is replaced, not followed.
    """
    *folders, name = safe_parts(relative)
    with _folder_fd(root, folders, create=True) as dir_fd:
        temp = f".{name}.{os.getpid()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
        with suppress(FileNotFoundError):
            os.unlink(temp, dir_fd=dir_fd)
        fd = os.open(temp, flags, 0o666, dir_fd=dir_fd)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        except BaseException:
            os.close(fd)
            os.unlink(temp, dir_fd=dir_fd)
            raise
        os.close(fd)
        try:
            os.replace(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except OSError:
            os.unlink(temp, dir_fd=dir_fd)
            raise


def unlink_below(root: Path, relative: str) -> bool:
    """Remove the file (or link) ``root/relative`` without following any link; whether it
    was removed. A folder on the way that is a link, or a name that leaves ``root``, is
    left alone."""
    try:
        *folders, name = safe_parts(relative)
        with _folder_fd(root, folders) as dir_fd:
            info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                return False
            os.unlink(name, dir_fd=dir_fd)
            return True
    except (Refused, OSError):
        return False


def write_text(path: Path, text: str) -> None:
    """Write a file the user named (``--out``, ``-o``), creating its folder; an ``OSError``
    always names ``path`` (a failed write alone does not say which file it was)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise OSError(error.errno, error.strerror or str(error), str(path)) from None
