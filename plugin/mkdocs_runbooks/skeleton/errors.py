"""Why ``new`` wrote no plan."""

from __future__ import annotations

__all__ = ["EXIT_INVALID", "EXIT_USAGE", "NewPlanError"]

EXIT_INVALID, EXIT_USAGE = 1, 2


class NewPlanError(Exception):
    """Why no plan was written, with the command's exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
