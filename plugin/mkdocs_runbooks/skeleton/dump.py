"""The new plan as readable YAML that reads back as exactly the values written."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from ..yamlnodes import parse_yaml
from .content import DEFAULTS
from .errors import NewPlanError

__all__ = ["Quoted", "as_loaded", "dump_plan"]

_STR = "tag:yaml.org,2002:str"
_SHORT_RE = re.compile(r"[\w.%+-]+")


class Quoted(str):
    """Text always written in double quotes (``release: "2.10"``)."""

    __slots__ = ()


class _Dumper(yaml.SafeDumper):
    """Safe YAML with lists indented under their key, as the format's examples are."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: ARG002 - PyYAML passes it by name; lists are never indentless here
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style: str | None = None
    if "\n" in value:
        style = "|"
    elif value.startswith("TODO:") and not any(c in value for c in '"\\'):
        style = '"'  # command: "TODO: the exact command"
    return dumper.represent_scalar(_STR, value, style=style)


def _represent_quoted(dumper: yaml.SafeDumper, value: Quoted) -> yaml.Node:
    return dumper.represent_scalar(_STR, str(value), style='"')


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    def short(item: object) -> bool:
        if isinstance(item, bool):
            return False
        return isinstance(item, int) or (isinstance(item, str) and bool(_SHORT_RE.fullmatch(item)))

    flow = bool(value) and all(short(v) for v in value) and len(str(value)) <= 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Quoted, _represent_quoted)
_Dumper.add_representer(list, _represent_list)

_HINTED_BEFORE = ("application-deployment", "smoke-testing", "monitoring")


def _decorate(body: str, data: dict[str, Any]) -> str:
    """A blank line before each top-level section, and the migration hint among the phases."""
    sections = {key for key, value in data.items() if isinstance(value, (dict, list))}
    out: list[str] = []
    in_phases = False
    hinted = any(p.get("phase") == "database-migration" for p in data.get("phases", []))
    for line in body.splitlines():
        if line[:1] not in ("", " ", "#", "-"):
            key = line.split(":", 1)[0]
            in_phases = key == "phases"
            if key in sections and out:
                out.append("")
        phase = line.removeprefix("  - phase: ") if line.startswith("  - phase: ") else ""
        if in_phases and not hinted and phase in _HINTED_BEFORE:
            out += [f"  {hint}" for hint in DEFAULTS.migration_hint.split("\n")]
            hinted = True
        out.append(line)
    return "\n".join(out) + "\n"


def as_loaded(value: Any) -> Any:
    """``value`` as our loader reads it back: every scalar is its text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return {str(key): as_loaded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_loaded(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None:
        return None
    return str(value)


def dump_plan(data: dict[str, Any], header: tuple[str, ...] = ()) -> str:
    """Readable YAML of ``data`` (key order kept, strings quoted where YAML would retype them).

    Checks that the text reads back through the plan loader as exactly the same values.
    """
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
    )
    head = "".join(f"{line}\n" for line in header)
    expected = as_loaded(data)
    for text in (head + _decorate(body, data), head + body):
        parsed = parse_yaml(text)
        if not parsed.problems and parsed.data == expected:
            return text
    # Only reached if the emitter has a bug.
    raise NewPlanError("internal error: the new plan does not read back as written")
