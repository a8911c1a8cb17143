"""RB6xx: placeholders left in a plan (``mkdocs-runbooks new`` writes ``TODO:`` values)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from ..model import Plan
from ..yamlnodes import Loc
from .registry import rule

PLACEHOLDER_RE = re.compile(r"(?<![A-Za-z0-9_])TODO:|\A\s*TODO\s*\Z")
"""A placeholder: ``TODO:`` anywhere in a value, or a value that is only ``TODO``."""


def is_placeholder(text: str) -> bool:
    return PLACEHOLDER_RE.search(text) is not None


def strings(value: object, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """``(key path, text)`` of every string held by a model, at any depth, in field order.

    Walks the model's fields generically (nested models, lists and mappings such as
    ``strategy.parameters``), so a field added to the format is checked without a change here.
    """
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from strings(getattr(value, name), (*loc, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, (*loc, str(key)))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from strings(item, (*loc, i))


def _shown(text: str) -> str:
    lines = [part.strip() for part in text.splitlines() if part.strip()]
    line = next((part for part in lines if is_placeholder(part)), lines[0] if lines else "")
    line = line.replace("; ", ", ").replace('"', "'")
    return line if len(line) <= 60 else line[:57] + "..."


def _key(loc: Loc) -> str:
    if not loc:
        return "value"
    last = loc[-1]
    if isinstance(last, int):
        parent = next((p for p in reversed(loc) if isinstance(p, str)), "item")
        return f"{parent}[{last}]"
    return last


@rule("RB601", "warning", "a value still holds a TODO placeholder")
def todo_placeholder(plan: Plan) -> Iterator[tuple[Loc, str]]:
    for loc, text in strings(plan):
        if is_placeholder(text):
            yield (
                loc,
                f"`{_key(loc)}` still holds a TODO placeholder: a plan with a gap in it must "
                "not be approved, and an executor would meet the gap in the middle of the "
                f'release; replace "{_shown(text)}" with the real value, or remove the key '
                "if it does not apply",
            )
