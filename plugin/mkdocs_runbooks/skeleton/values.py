"""Walking the strings of plan data: filling ``{release}`` tokens, numbers back to numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["fill", "map_strings", "numbers"]

_TOKEN_RE = re.compile(r"(?<!\$)\{(service|release|date|environment)\}")
_INT_RE = re.compile(r"0|[1-9][0-9]{0,17}")


def map_strings(value: Any, func: Callable[[str], str]) -> Any:
    """``value`` with ``func`` applied to every string in it."""
    if isinstance(value, str):
        return func(value)
    if isinstance(value, dict):
        return {key: map_strings(item, func) for key, item in value.items()}
    if isinstance(value, list):
        return [map_strings(item, func) for item in value]
    return value


def fill(value: Any, tokens: dict[str, str]) -> Any:
    """``{service}``, ``{release}``, ``{date}``, ``{environment}`` filled in (``${release}``
    is shell and left alone)."""
    return map_strings(value, lambda text: _TOKEN_RE.sub(lambda m: tokens[m.group(1)], text))


def numbers(value: Any) -> Any:
    """Whole numbers read as text back to numbers, so ``steps: [5, 25]`` is written unquoted.

    Only for ``strategy.parameters``: the loader reads ``5`` and ``'5'`` as the same text.
    """
    if isinstance(value, str) and _INT_RE.fullmatch(value):
        return int(value)
    if isinstance(value, dict):
        return {key: numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [numbers(item) for item in value]
    return value
