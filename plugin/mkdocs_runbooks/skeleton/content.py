"""What a new plan holds before its author writes it: data files shipped in this package,
read like plans (every value its text as written).

- ``generic.yaml``: the skeleton every plan starts from (:data:`GENERIC`);
- ``defaults.yaml``: the plan's own starting values and texts (:data:`DEFAULTS`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..yamlnodes import parse_yaml

__all__ = ["DEFAULTS", "GENERIC", "STANDARD_ROLES", "Defaults", "RiskDefaults"]

_HERE = Path(__file__).resolve().parent


def _read(name: str) -> Any:
    parsed = parse_yaml((_HERE / name).read_text(encoding="utf-8"))
    if parsed.problems:  # pragma: no cover - a packaging bug
        raise RuntimeError(f"{name}: {parsed.problems[0].message}")
    return parsed.data


class RiskDefaults(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    level: str
    notes: str


class Defaults(BaseModel):
    """``defaults.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    environment: str
    status: str
    summary: str
    risk: RiskDefaults
    rationale: str
    """With ``{pattern}``: the pattern's title."""
    roles: tuple[str, ...]
    role_name: str
    earlier_risk_notes: str
    """With ``{release}`` and ``{earlier}``: the new and the earlier plan's releases."""
    migration_hint: str
    """Comment lines put among the phases of a plan without a database-migration phase."""


GENERIC: dict[str, Any] = _read("generic.yaml")
"""The skeleton every plan starts from; a pattern's own skeleton is merged into it."""

DEFAULTS = Defaults.model_validate(_read("defaults.yaml"))

STANDARD_ROLES = DEFAULTS.roles
