"""``mkdocs-runbooks new``: start a plan from a pattern's skeleton or an earlier plan.

A thin adapter over :mod:`mkdocs_runbooks.skeleton`; ``cli.py`` adds it with ``register``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .cli_common import Exit, add_site_options, error_line, site_settings
from .patterns import load_patterns
from .skeleton import (
    DEFAULT_SCHEMA,
    NewPlanError,
    PlanExistsError,
    new_plan,
    parse_date,
    write_draft,
)

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``new`` subcommand to the subparsers action ``sub``."""
    parser = sub.add_parser(
        "new",
        help="start a plan from a pattern's skeleton or an earlier plan",
        description=(
            "Write plans/SERVICE/DATE-RELEASE/deployment-plan.yaml, pre-filled from a pattern's "
            "skeleton (or an earlier plan of the service), with TODO placeholders to replace."
        ),
    )
    parser.add_argument("service", metavar="SERVICE", help="service slug, e.g. checkout-api")
    parser.add_argument("release", metavar="RELEASE", help="release, kept as written (2.10)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--pattern", metavar="ID", help="pattern id, alias or title (canary, blue-green, ...)"
    )
    source.add_argument(
        "--from",
        dest="earlier",
        type=Path,
        metavar="PATH",
        help="start from an earlier plan of the same service (its file or folder)",
    )
    parser.add_argument(
        "--date", default=None, metavar="YYYY-MM-DD", help="planned date (default: today)"
    )
    parser.add_argument(
        "--plans-dir",
        type=Path,
        default=None,
        help="plans folder (default: the site's plans_dir, or ./plans)",
    )
    add_site_options(parser)
    parser.add_argument(
        "--schema",
        type=Path,
        default=DEFAULT_SCHEMA,
        metavar="PATH",
        help=f"JSON Schema the plan's first line points at (default: {DEFAULT_SCHEMA.as_posix()})",
    )
    parser.set_defaults(func=_new)


def _new(args: argparse.Namespace) -> int:
    settings = site_settings(args)
    try:
        date = None if args.date is None else parse_date(args.date)
        draft = new_plan(
            args.service,
            args.release,
            registry=load_patterns(settings.patterns_root),
            pattern=args.pattern,
            earlier=args.earlier,
            date=date,
            plans_dir=args.plans_dir or _relative(settings.plans_root),
            schema=args.schema,
        )
        write_draft(draft)
    except NewPlanError as error:
        print(error_line(error.message), file=sys.stderr)
        # An existing plan is a result (1) like an invalid one; anything else is trouble (2).
        return Exit.PROBLEMS if isinstance(error, PlanExistsError) else Exit.TROUBLE
    for note in draft.notes:
        print(f"note: {note}", file=sys.stderr)
    if not draft.schema.is_file():
        shown = draft.schema.as_posix()
        print(
            f"hint: {shown} does not exist yet; create it with "
            f"`mkdocs-runbooks schema --out {shown}` so editors check the plan as you type",
            file=sys.stderr,
        )
    placeholders = "placeholder" if draft.todos == 1 else "placeholders"
    print(f"wrote {draft.path.as_posix()} ({draft.todos} TODO {placeholders} to replace)")
    folder = draft.path.parent.as_posix()
    print(f"next: replace each TODO, then run mkdocs-runbooks validate --strict {folder}")
    return Exit.OK


def _relative(path: Path) -> Path:
    """``path`` relative to the current folder when it is below it (for messages)."""
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path
