"""mkdocs-runbooks: deployment plans written as YAML, rendered as a runbook portal."""

from __future__ import annotations

__version__ = "0.1.0"
