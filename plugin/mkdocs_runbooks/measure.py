"""The measurable grammar of the plan format, in one place: durations (``2h30m``),
percentages (``25%``) and thresholds (``> 0.05``, ``above 5%``, ``2% for 5 minutes``).

Used by the field types and the loader (is this a duration, a percentage?), the lint rules
(is this trigger measurable?) and the diff (did this threshold loosen?).
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "Threshold",
    "duration_seconds",
    "is_measurable_text",
    "loosened",
    "percent",
    "seconds",
    "threshold",
    "trigger_measurable",
]

# --- durations -------------------------------------------------------------------------------

_DURATION_RE = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_DURATION_UNITS = (86400, 3600, 60, 1)


def duration_seconds(value: str) -> int:
    """Seconds in a duration such as ``90s``, ``45m``, ``2h30m`` or ``1d``.

    Raises ``ValueError`` for anything else.
    """
    match = _DURATION_RE.fullmatch(value.strip())
    if not value.strip() or match is None:
        raise ValueError(value)
    return sum(int(g) * unit for g, unit in zip(match.groups(), _DURATION_UNITS, strict=True) if g)


def seconds(duration: str | None) -> int | None:
    """Seconds of a duration value, or ``None`` when absent or unreadable."""
    if duration is None:
        return None
    try:
        return duration_seconds(duration)
    except ValueError:
        return None


# --- percentages -----------------------------------------------------------------------------

_PERCENT_RE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*%?\s*")


def percent(value: object) -> float | None:
    """A percentage written as ``25``, ``'25'``, ``'2.5'`` or ``'25%'``; ``None`` otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _PERCENT_RE.fullmatch(str(value))
    return float(match.group(1)) if match else None


# --- thresholds ------------------------------------------------------------------------------

_NUMBER = r"\d+(?:[.,]\d+)*"
_UNIT = (
    r"%|percent(?:age)?(?:\s+points?)?|pp|p\.p\.|x\b|"
    r"(?:ms|msec|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\b|"
    r"(?:rps|qps|rpm|req(?:uest)?s?/(?:s|sec|min))\b"
)
"""Units that make a number a measure on their own (``5%``, ``10 minutes``, ``200 rps``)."""
_UNIT_WORD = r"%|[A-Za-z/]+"
"""What follows a compared number as its unit (``> 5 errors``: ``errors``)."""
_DIRECTED = r">=|<=|=>|=<|≥|≤|>|<"
_COMPARISON = rf"{_DIRECTED}|==?"
_DIRECTION = {">": ">", ">=": ">", "=>": ">", "≥": ">", "<": "<", "<=": "<", "=<": "<", "≤": "<"}
"""``>``: a higher number fires later; ``<``: a lower one does. ``=`` has no direction."""

_WORDS = (
    (re.compile(r"\b(?:above|over|more than|greater than|exceeds?|higher than)\b", re.I), ">"),
    (re.compile(r"\b(?:below|under|less than|lower than|drops? below|fewer than)\b", re.I), "<"),
)
"""Comparisons in words, read as their symbol: ``above 5%`` is ``> 5%``."""

_MEASURABLE_RE = re.compile(
    rf"(?:{_COMPARISON})\s*[-+]?{_NUMBER}|{_NUMBER}\s*(?:{_UNIT})", re.IGNORECASE
)
_DIRECTED_RE = re.compile(rf"({_DIRECTED})\s*([-+]?{_NUMBER})\s*({_UNIT_WORD})?")
_BARE_RE = re.compile(rf"\s*([-+]?{_NUMBER})\s*({_UNIT_WORD})?\s*")
_VALUE_RE = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


def _words_as_symbols(text: str) -> str:
    for regex, symbol in _WORDS:
        text = regex.sub(symbol, text)
    return text


class Threshold(NamedTuple):
    direction: str
    """``>`` when a higher number fires later (looser), ``<`` when a lower one does."""
    number: float
    unit: str


def is_measurable_text(text: str | None) -> bool:
    """A comparison with a number (``> 0.05``, ``>= 2``, ``above 2``) or a number with a
    unit (``5%``, ``10 minutes``, ``200 rps``) somewhere in the text."""
    return bool(text) and _MEASURABLE_RE.search(_words_as_symbols(text or "")) is not None


def _number(text: str) -> float:
    """The value of a number as written: ``,`` is a decimal point (``0,5``); digits after a
    second separator are ignored."""
    match = _VALUE_RE.match(text)
    return float(match.group(0).replace(",", ".")) if match else 0.0


def threshold(text: str | None, hint: str | None = None) -> Threshold | None:
    """The threshold in ``text`` (``> 0.05``, ``above 5%``), or ``None``.

    A bare number (``0.05``) takes its direction from ``hint`` (the trigger's condition).
    """
    if not text:
        return None
    match = _DIRECTED_RE.search(_words_as_symbols(text))
    if match is None:
        bare = _BARE_RE.fullmatch(text)
        hinted = threshold(hint) if hint else None
        if bare is None or hinted is None:
            return None
        return Threshold(hinted.direction, _number(bare.group(1)), (bare.group(2) or "").lower())
    direction = _DIRECTION[match.group(1)]
    return Threshold(direction, _number(match.group(2)), (match.group(3) or "").lower())


def loosened(before: str | None, after: str | None, hint: str | None) -> str:
    """``"higher"`` or ``"lower"`` when threshold ``after`` fires later than ``before``."""
    a, b = threshold(before, hint), threshold(after, hint)
    if a is None or b is None or a.direction != b.direction or a.unit != b.unit:
        return ""
    if a.direction == ">" and b.number > a.number:
        return "higher"
    if a.direction == "<" and b.number < a.number:
        return "lower"
    return ""


def trigger_measurable(condition: str, metric: str | None, threshold: str | None) -> bool:
    """A rollback trigger is measurable: a metric with a threshold, or a measure (see
    :func:`is_measurable_text`) in its condition or threshold."""
    if metric and threshold:
        return True
    return any(is_measurable_text(text) for text in (condition, threshold))
