"""Checks of ``new``'s arguments: the service, the release and the date name the folder."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import TypeAdapter, ValidationError

from ..fields import Slug
from .errors import NewPlanError

__all__ = ["DATE_RE", "check_release", "check_service", "parse_date"]

_SLUG = TypeAdapter(Slug)
_RELEASE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_service(service: str) -> None:
    try:
        _SLUG.validate_python(service)
    except ValidationError as error:
        raise NewPlanError(str(error.errors()[0]["msg"])) from None


def check_release(release: str) -> None:
    if not _RELEASE_RE.fullmatch(release) or ".." in release:
        raise NewPlanError(
            f"invalid release '{release}': it names the plan's folder, so use letters, digits, "
            "'.', '_', '+' and '-', starting with a letter or digit (for example 2.10 or 7.4.0)"
        )


def parse_date(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` date, or :class:`NewPlanError` with the loader's kind of message."""
    try:
        if not DATE_RE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise NewPlanError(
            f"invalid date '{text}': use YYYY-MM-DD, for example 2026-11-20"
        ) from None
