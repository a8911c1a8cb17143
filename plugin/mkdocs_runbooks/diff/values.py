"""Values as the diff shows them, and how a field is compared: by its type in the model.

A field typed :data:`~mkdocs_runbooks.fields.Shell` is shell text (shown exactly, in a code
block, diffed by line), :data:`~mkdocs_runbooks.fields.Markdown` is prose (diffed by line),
anything else is plain text (diffed by line only when it spans lines).
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import typing
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, WithJsonSchema

__all__ = ["How", "how_of", "line_diff", "show"]


class How(enum.Enum):
    TEXT = "text"
    CODE = "code"
    PROSE = "prose"


_BY_FORMAT = {"shell": How.CODE, "markdown": How.PROSE}


def _metadata(annotation: Any) -> list[Any]:
    """The ``Annotated`` metadata anywhere in a type (``Shell | None`` included)."""
    if typing.get_origin(annotation) is Annotated:
        return [*annotation.__metadata__, *_metadata(typing.get_args(annotation)[0])]
    return [m for arg in typing.get_args(annotation) for m in _metadata(arg)]


@cache
def how_of(model: type[BaseModel], name: str) -> How:
    """How field ``name`` of ``model`` is compared and shown, from its declared type."""
    info = model.model_fields[name]
    for meta in [*info.metadata, *_metadata(info.annotation)]:
        if isinstance(meta, WithJsonSchema) and meta.json_schema:
            how = _BY_FORMAT.get(str(meta.json_schema.get("format", "")))
            if how is not None:
                return how
    return How.TEXT


def show(value: object) -> str | None:
    """A model value as display text; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(show(v) or "" for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v) or ''}" for k, v in value.items()) + "}"
    return str(value)


def line_diff(old: str, new: str, context: int = 2) -> tuple[str, ...]:
    """Unified diff lines of two texts: ``-``, ``+`` and context lines, without the
    ``---``/``+++`` header; ``@@`` hunk lines only when there is more than one hunk.

    A change of the final newline alone shows as ``\\ No newline at end of file``, as in
    ``diff -u``.
    """
    if old.endswith("\n") == new.endswith("\n"):
        a, b = old.splitlines(), new.splitlines()
        raw = list(difflib.unified_diff(a, b, n=context, lineterm=""))
        return tuple(_hunks(raw))
    out: list[str] = []
    raw = list(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), n=context
        )
    )
    for line in _hunks(raw):
        body = line.rstrip("\r\n") if line.endswith("\n") else line
        if line.startswith("@@"):
            out.append(body.strip())
            continue
        out.append(body)
        if not line.endswith("\n"):
            out.append("\\ No newline at end of file")
    return tuple(out)


def _hunks(lines: list[str]) -> list[str]:
    """The hunks of ``unified_diff`` output; a lone hunk loses its ``@@`` line."""
    for i, line in enumerate(lines):
        if line.startswith("@@"):
            body = lines[i:]
            if sum(1 for x in body if x.startswith("@@")) == 1:
                return body[1:]
            return body
    return []
