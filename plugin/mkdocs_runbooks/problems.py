"""The ``Problem`` value: what is wrong, where, and how sure we are; and its printed forms."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}

__all__ = ["SEVERITY_ORDER", "Problem", "Severity", "format_path", "render_problems"]


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

    @property
    def is_finding(self) -> bool:
        return self.rule is not None

    def text(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}: "
        key = f"{self.path}: " if self.path else ""
        if self.rule:
            return f"{where}{key}{self.severity} {self.rule}: {self.message}"
        return f"{where}{key}{self.message}"

    def github(self) -> str:
        level = {"error": "error", "warning": "warning", "info": "notice"}[self.severity]
        title = f",title={self.rule}" if self.rule else ""
        message = (f"{self.path}: " if self.path else "") + self.message
        # Workflow commands need %, CR and LF escaped in the message and , : in properties.
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        file = self.file.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
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
