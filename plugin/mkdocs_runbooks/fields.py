"""Field types of the plan format: text kept as written, enumerations, durations, slugs.

The loader hands every YAML scalar over as the exact string of the file, so these types
only ever *check and read* a string; they never re-type it (``2.10`` stays ``2.10``).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from .hidden import HIDDEN_RE, code_point
from .mdcost import MAX_COST, markdown_cost
from .measure import duration_seconds

__all__ = [
    "WEB_SCHEMES",
    "Date",
    "Duration",
    "Markdown",
    "Shell",
    "Slug",
    "Text",
    "Url",
    "duration_seconds",
    "enum_schema",
    "enum_validator",
    "leaves_site",
    "norm_token",
    "reaches_other_host",
]

# JSON Schema of any scalar YAML may type as a number or bool in an editor: `release: 2.10`
# is a number to a YAML 1.2 language server but a valid string to us.
_SCALAR_SCHEMA: dict[str, Any] = {"type": ["string", "number", "boolean"]}


def norm_token(value: str) -> str:
    """Normalise an enumeration token: case-insensitive, ``_`` and space read as ``-``."""
    return re.sub(r"[\s_]+", "-", value.strip().lower())


def _as_text(value: object) -> object:
    # Data that did not come through our loader (a dict built in Python, say) may hold
    # numbers; numbers become their text. Bools and containers are left for pydantic to
    # reject with its own message.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _scalar(extra: dict[str, Any] | None = None) -> WithJsonSchema:
    schema: dict[str, Any] = dict(_SCALAR_SCHEMA)
    if extra:
        schema.update(extra)
    return WithJsonSchema(schema)


_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _as_date(value: object) -> object:
    # A date is written as a date: 2026-11-20. A number is not one (pydantic would read
    # `0` or `1764547200` as seconds since 1970), nor is a date-time.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATE_RE.fullmatch(value.strip()):
        return value.strip()
    raise PydanticCustomError(
        "date_format",
        "invalid date '{value}': use YYYY-MM-DD, for example 2026-11-20",
        {"value": str(value)},
    )


Date = Annotated[dt.date, BeforeValidator(_as_date)]
"""A calendar date written ``YYYY-MM-DD`` (never a number of seconds)."""

Text = Annotated[str, BeforeValidator(_as_text), _scalar()]
"""Plain text, shown escaped."""


def _check_markdown(value: str) -> str:
    cost = markdown_cost(value)
    if cost.too_high:
        raise PydanticCustomError(
            "markdown_cost",
            "this Markdown text cannot be converted in reasonable time: {brackets} '[' and "
            "{tags} '<' stay open over long stretches of text (work estimate {cost}, at most "
            "{limit}); close them, escape them as \\[ and \\<, or split the text into "
            "shorter paragraphs",
            {
                "brackets": cost.unclosed_brackets,
                "tags": cost.unclosed_tags,
                "cost": cost.value,
                "limit": MAX_COST,
            },
        )
    return value


Markdown = Annotated[
    str,
    BeforeValidator(_as_text),
    AfterValidator(_check_markdown),
    _scalar(extra={"format": "markdown"}),
]
"""Markdown text; raw HTML in it is sanitised before it reaches a page, and text that
Python-Markdown would take quadratic time on is refused (:mod:`mdcost`)."""

Shell = Annotated[str, BeforeValidator(_as_text), _scalar(extra={"format": "shell"})]
"""Shell text: shown and copied byte for byte."""

_SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")


def _check_slug(value: str) -> str:
    if not _SLUG_RE.fullmatch(value):
        raise PydanticCustomError(
            "slug",
            "invalid slug '{value}': use lowercase letters, digits and '-', starting with a "
            "letter or digit (for example 'checkout-api')",
            {"value": value},
        )
    return value


Slug = Annotated[
    str,
    BeforeValidator(_as_text),
    AfterValidator(_check_slug),
    WithJsonSchema({"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}),
]


def _check_duration(value: str) -> str:
    try:
        duration_seconds(value)
    except ValueError:
        raise PydanticCustomError(
            "duration",
            "invalid duration '{value}': use a number with a unit s, m, h or d, largest first "
            "(for example 90s, 45m, 2h30m, 1d)",
            {"value": value},
        ) from None
    return value.strip()


Duration = Annotated[
    str,
    BeforeValidator(_as_text),
    AfterValidator(_check_duration),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(?=\d)(\d+d)?(\d+h)?(\d+m)?(\d+s)?$",
            "examples": ["90s", "45m", "2h30m", "1d"],
        }
    ),
]


_URL_IGNORED = re.compile(r"[\t\n\r]")
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))


def reaches_other_host(url: str) -> bool:
    """Whether a URL without a scheme still leads to another host in a browser.

    Browsers read ``\\`` as ``/``, drop leading spaces and C0 controls and drop tabs and
    newlines anywhere, so ``\\\\host``, ``/\\host``, `` //host`` and ``/\t/host`` all mean
    ``//host``.
    """
    text = _URL_IGNORED.sub("", url).lstrip(_C0_OR_SPACE)
    return text.replace("\\", "/").startswith("//")


WEB_SCHEMES = ("", "http", "https")
"""Link schemes a plan's ``links:`` and dashboards may use ("": a relative address)."""


def leaves_site(value: str, schemes: tuple[str, ...] = WEB_SCHEMES) -> bool:
    """Whether a link leads anywhere but an address of one of ``schemes`` or a page of the
    portal (a scheme-relative ``//host``, however written, leads away)."""
    parts = urlsplit(value.strip())
    scheme = parts.scheme.lower()
    return scheme not in schemes or (
        not scheme and (bool(parts.netloc) or reaches_other_host(value))
    )


def _check_url(value: str) -> str:
    # Links a reader follows from a runbook: web pages or pages of the portal, nothing else
    # (no javascript:, data:, vbscript:, and no scheme-relative //host addresses, however
    # written). Control and invisible characters could hide a scheme from this check, and
    # so could character references, which Markdown decodes in a link target
    # (``javascript&#58;``, ``&#47;&#47;host``): the decoded form is checked too.
    decoded = html.unescape(value)
    hidden = HIDDEN_RE.search(value) or HIDDEN_RE.search(decoded)
    if hidden:
        raise PydanticCustomError(
            "url",
            "invalid link: it holds the invisible character {point} at position {pos}",
            {"point": code_point(hidden.group(0)), "pos": hidden.start() + 1},
        )
    if leaves_site(value) or leaves_site(decoded):
        raise PydanticCustomError(
            "url",
            "invalid link '{value}': use an http(s) address or a relative path",
            {"value": value},
        )
    return value.strip()


Url = Annotated[
    str,
    BeforeValidator(_as_text),
    AfterValidator(_check_url),
    WithJsonSchema({"type": "string", "examples": ["https://grafana.example.com/d/checkout"]}),
]


def _ci_pattern(values: tuple[str, ...]) -> str:
    """A regular expression accepting what :func:`enum_field` accepts, for JSON Schema."""

    def char(c: str) -> str:
        if c.isalpha():
            return f"[{c.lower()}{c.upper()}]"
        if c == "-":
            return "[-_ ]"
        return re.escape(c)

    return "^(" + "|".join("".join(char(c) for c in v) for v in values) + ")$"


def enum_validator(values: tuple[str, ...]) -> BeforeValidator:
    """Match an enumeration case-insensitively with ``_`` and space read as ``-``.

    The canonical value (as listed) is what the model keeps.
    """
    allowed = ", ".join(values)

    def check(value: object) -> object:
        if not isinstance(value, str):
            return value
        token = norm_token(value)
        if token in values:
            return token
        raise PydanticCustomError(
            "enum",
            "invalid value '{value}'; allowed: {allowed}",
            {"value": value, "allowed": allowed},
        )

    return BeforeValidator(check)


def enum_schema(values: tuple[str, ...]) -> WithJsonSchema:
    """JSON Schema of an enumeration: the values (for completion) or any spelling we accept."""
    return WithJsonSchema(
        {"anyOf": [{"enum": list(values)}, {"type": "string", "pattern": _ci_pattern(values)}]}
    )
