"""``mkdocs-runbooks diff OLD NEW``: what changed between two versions of a plan, by meaning.

OLD and NEW are plan files (or a plan's folder), or ``REF:path`` to read a plan as it was at
a git ref. Exit codes follow ``diff``: 0 same, 1 different, 2 trouble.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .cli_common import CliError, Exit, add_site_options, error_line, site_settings
from .diff import diff_plans
from .gitref import GitError, list_plan_files, load_plan_at, object_type, split_ref_path
from .lint import check_ignores
from .load import PLAN_NAMES, LoadedPlan, load_plan
from .patterns import PatternRegistry, load_patterns
from .problems import log_safe, render_problems
from .render.diff_text import to_json, to_markdown, to_text

__all__ = ["register", "run"]


_RENDER = {"text": to_text, "markdown": to_markdown, "json": to_json}


def register(sub: Any) -> None:
    """Add the ``diff`` subcommand to the CLI's subparsers."""
    parser = sub.add_parser(
        "diff",
        help="show what changed between two versions of a plan, and what raises risk",
        description=(
            "Compare two versions of a plan by meaning: steps matched by id, migrations by "
            "id, triggers by condition; changes that raise risk are flagged. Exit code 0 "
            "when they are the same, 1 when they differ, 2 on trouble."
        ),
    )
    parser.add_argument(
        "old", metavar="OLD", help="plan file or folder, or REF:path (main:plans/x/...)"
    )
    parser.add_argument(
        "new", metavar="NEW", help="plan file or folder, or REF:path (HEAD:plans/x/...)"
    )
    parser.add_argument(
        "--format", choices=tuple(_RENDER), default="text", help="output form (default: text)"
    )
    add_site_options(parser)
    parser.set_defaults(func=run)


def _plan_in(folder: Path) -> Path:
    for name in PLAN_NAMES:
        if (folder / name).is_file():
            return folder / name
    raise CliError(f"no {PLAN_NAMES[0]} in the folder {folder}")


def _load_git(ref: str, path: str, registry: PatternRegistry, spec: str) -> LoadedPlan:
    kind = object_type(ref, path)
    if kind == "tree":
        folder = path.rstrip("/")
        inside = [p for p in list_plan_files(ref, folder) if p.rsplit("/", 1)[0] == folder]
        if len(inside) != 1:
            raise CliError(f"no {PLAN_NAMES[0]} in the folder '{folder}' at {ref}")
        return load_plan_at(ref, inside[0], registry, display=f"{ref}:{inside[0]}")
    return load_plan_at(ref, path, registry, display=spec)


def _load(spec: str, registry: PatternRegistry) -> LoadedPlan:
    """The plan ``spec`` names: a file, a plan's folder, or ``REF:path``."""
    path = Path(spec)
    if path.exists():
        return load_plan(_plan_in(path) if path.is_dir() else path, registry, display=spec)
    ref_path = split_ref_path(spec)
    if ref_path is None:
        raise CliError(
            f"no such file or folder: {spec} (to read a plan at a git ref, write REF:path, "
            "for example main:plans/checkout-api/2026-11-20-2.10/deployment-plan.yaml)"
        )
    return _load_git(*ref_path, registry, spec)


def run(args: argparse.Namespace) -> int:
    """The ``diff`` handler: print the diff, return 0 (same), 1 (different) or 2 (trouble)."""
    registry = load_patterns(site_settings(args).patterns_root)
    plans: list[LoadedPlan] = []
    for spec in (args.old, args.new):
        try:
            plans.append(_load(spec, registry))
        except GitError as error:
            raise CliError(str(error)) from None
    bad = [p for p in plans if not check_ignores(p) or not p.ok]
    for item in bad:
        errors = [p for p in item.problems if p.severity == "error"] or item.problems
        print(error_line(f"{item.display} is not a valid plan:"), file=sys.stderr)
        print(render_problems(errors, "text"), file=sys.stderr)
    if bad:
        return Exit.TROUBLE
    old, new = plans
    result = diff_plans(old.plan, new.plan, old_label=args.old, new_label=args.new)
    text = _RENDER[args.format](result)
    if args.format == "text":  # for a terminal: each line shows only itself
        text = "\n".join(log_safe(line) for line in text.split("\n"))
    sys.stdout.write(text)
    return Exit.OK if result.same else Exit.PROBLEMS
