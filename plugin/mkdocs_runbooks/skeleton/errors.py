"""Why ``new`` wrote no plan."""

from __future__ import annotations

__all__ = ["NewPlanError", "PlanExistsError"]


class NewPlanError(Exception):
    """Why no plan was written: an argument, a pattern or an earlier plan that cannot serve."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PlanExistsError(NewPlanError):
    """The plan's file is already there; ``new`` never writes over it."""
