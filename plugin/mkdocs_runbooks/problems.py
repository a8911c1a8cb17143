"""The ``Problem`` value: what is wrong, where, and how sure we are; and its printed forms."""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}

__all__ = [
    "SEVERITY_ORDER",
    "Problem",
    "Severity",
    "decode_text",
    "format_path",
    "log_safe",
    "readable",
    "render_problems",
    "shown_path",
]

# What must never reach a terminal or a CI log as itself: C0 controls (tab, CR, LF, ESC,
# NUL, ...), DEL, C1 controls, the Unicode line and paragraph separators, the bidi
# embeddings, overrides and isolates, and lone surrogates (undecodable bytes in file names).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_KEEP_LINES = re.compile(
    "[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def log_safe(text: object) -> str:
    """``text`` as one line that shows, and does, nothing but itself in a terminal or CI log.

    Control characters (``\\n``, ``\\r``, ESC, NUL, C1), Unicode line separators, bidi
    controls and undecodable bytes are written as escapes: ``\\x1b``, ``\\u202e``.
    """
    return _UNSAFE.sub(_escape_char, str(text))


def _github_data(text: str) -> str:
    """A workflow command's message: controls escaped, then GitHub's own ``%`` escapes
    (line breaks stay line breaks in the annotation)."""
    text = _UNSAFE_KEEP_LINES.sub(_escape_char, text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``): also ``:`` and ``,``."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_path(loc: Iterable[str | int]) -> str:
    """``("phases", 0, "steps", 1, "command")`` -> ``phases[0].steps[1].command``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file. Loading never raises; it returns these.

    ``rule`` is ``None`` for format errors (the plan is invalid) and a rule id such as
    ``RB101`` for best-practice findings.
    """

    file: str
    line: int
    col: int
    path: str
    message: str
    severity: Severity = "error"
    rule: str | None = None

    def text(self) -> str:
        """One log line: every part that may come from a plan or a path is escaped."""
        where = f"{log_safe(self.file)}:{self.line}:{self.col}: "
        key = f"{log_safe(self.path)}: " if self.path else ""
        message = log_safe(self.message)
        if self.rule:
            return f"{where}{key}{self.severity} {log_safe(self.rule)}: {message}"
        return f"{where}{key}{message}"

    def github(self) -> str:
        """A GitHub Actions workflow command, escaped as GitHub reads them."""
        level = {"error": "error", "warning": "warning", "info": "notice"}[self.severity]
        title = f",title={_github_property(self.rule)}" if self.rule else ""
        message = _github_data((f"{self.path}: " if self.path else "") + self.message)
        file = _github_property(self.file)
        return f"::{level} file={file},line={self.line},col={self.col}{title}::{message}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def render_problems(problems: Iterable[Problem], fmt: str) -> str:
    """All problems in one of the forms ``text``, ``github`` or ``json``."""
    items = list(problems)
    if fmt == "json":
        return json.dumps([p.as_dict() for p in items], indent=2)
    if fmt == "github":
        return "\n".join(p.github() for p in items)
    return "\n".join(p.text() for p in items)


def decode_text(raw: bytes, shown: str) -> str | Problem:
    """The UTF-8 text of a file's bytes (a leading BOM dropped), or the problem naming the
    line and column of the first byte that is not UTF-8."""
    # Strip a BOM first: decoding with "utf-8-sig" would give error offsets after the BOM.
    body = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        before = body[: error.start]
        line = before.count(b"\n") + 1
        # Columns count characters, as the YAML parser's do (the prefix is valid UTF-8).
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        message = f"byte 0x{body[error.start]:02x} is not UTF-8: save the file as UTF-8"
        return Problem(shown, line, col, "", message)


def readable(name: str) -> str:
    """A path as text that can be printed and written: bytes that were not UTF-8 in a file
    name (kept by Python as lone surrogates) become ``\\xNN``."""
    try:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    except UnicodeError:  # pragma: no cover - not a surrogate-escaped name
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def shown_path(path: Path, root: Path | None = None) -> str:
    """``path`` relative to ``root`` (or the current folder), printable. Only the folder
    holding ``path`` is resolved: the last component may be a link or a loop."""
    base = root or Path.cwd()
    try:
        parent = path.parent.resolve()
    except (OSError, RuntimeError):  # pragma: no cover - a loop above the file
        parent = path.parent
    full = parent / path.name
    try:
        return readable(full.relative_to(base.resolve()).as_posix())
    except ValueError:
        return readable(path.as_posix())
