"""The ``mkdocs-runbooks`` console script: a thin adapter over the core, like the plugin."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

from ._version import __version__
from .cli_common import CliError, Exit, add_site_options, error_line, site_settings
from .cli_diff import register as _register_diff
from .cli_new import register as _register_new
from .cli_render import register as _register_render
from .lint import lint_all
from .load import LoadedPlan, load_plan, load_plans
from .patterns import PatternRegistry, load_patterns
from .problems import SEVERITY_ORDER, Problem, log_safe, render_problems
from .safefs import write_text
from .schema import plan_schema
from .yamlnodes import Limits

__all__ = ["main"]

Register = Callable[[Any], None]
"""Adds one subcommand to the subparsers action it is given."""
_COMMANDS: list[Register] = [_register_render, _register_diff, _register_new]


def _parser() -> argparse.ArgumentParser:
    # argparse ends a usage error with exit code 2, which is Exit.TROUBLE.
    parser = argparse.ArgumentParser(
        prog="mkdocs-runbooks",
        description="Validate, inspect and render deployment-plan.yaml files.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check plan files and report every problem")
    validate.add_argument(
        "paths", nargs="*", default=["plans"], help="plan files or folders (default: plans)"
    )
    validate.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="output form"
    )
    validate.add_argument(
        "--strict", action="store_true", help="also fail on best-practice warnings"
    )
    add_site_options(validate)
    validate.set_defaults(func=_validate)

    schema = sub.add_parser("schema", help="print the JSON Schema of deployment-plan.yaml")
    schema.add_argument("--out", type=Path, default=None, help="write to this file instead")
    schema.set_defaults(func=_schema)

    # Further commands live in modules of their own (cli_<name>.py); each adds its parser
    # with `register(sub)`, setting `func` to its handler.
    for register in _COMMANDS:
        register(sub)
    return parser


def _collect(
    paths: Sequence[str], registry: PatternRegistry, limits: Limits
) -> tuple[list[LoadedPlan], list[Problem]]:
    plans: list[LoadedPlan] = []
    extra: list[Problem] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found, ignored = load_plans(path, registry, limits=limits, root_plan_ok=True)
            plans += found
            extra += ignored
        else:
            plans.append(load_plan(path, registry, limits=limits))
    return plans, extra


def _validate(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise CliError("no such file or folder: " + ", ".join(missing))
    settings = site_settings(args)
    registry = load_patterns(settings.patterns_root)
    plans, extra = _collect(args.paths, registry, Limits(max_bytes=settings.max_file_size))
    extra = registry.problems + extra
    lint_all(plans, settings.disable_rules)
    invalid = [p for p in plans if not p.ok]
    errors = [prob for p in plans for prob in p.problems]
    findings = sorted(
        (f for p in plans for f in p.findings),
        key=lambda f: (f.file, SEVERITY_ORDER[f.severity], f.line, f.col),
    )
    shown = errors + extra + findings
    summary = {
        "checked": len(plans),
        "valid": len(plans) - len(invalid),
        "invalid": len(invalid),
        "findings": len(findings),
        "ignored": len(extra),
    }
    if args.format == "json":
        print(json.dumps({"problems": [p.as_dict() for p in shown], "summary": summary}, indent=2))
    else:
        if shown:
            print(render_problems(shown, args.format))
        print(
            f"{_count(summary['checked'], 'plan')} checked: {summary['valid']} valid, "
            f"{summary['invalid']} invalid, {_count(summary['findings'], 'finding')}"
            + (f", {_count(summary['ignored'], 'file')} ignored" if extra else "")
        )
    if invalid:
        return Exit.PROBLEMS
    if args.strict and any(f.severity in ("error", "warning") for f in findings + extra):
        return Exit.PROBLEMS
    return Exit.OK


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _schema(args: argparse.Namespace) -> int:
    text = json.dumps(plan_schema(), indent=2) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_text(args.out, text)
        print(f"wrote {log_safe(args.out)}", file=sys.stderr)
    return Exit.OK


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # pragma: no cover - stdout is not a real file
        pass


def _os_error(error: OSError) -> str:
    why = error.strerror or str(error)
    if error.filename is not None:
        return f"{log_safe(os.fsdecode(error.filename))}: {why}"
    return f"cannot write the output: {why}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. A file that cannot be read or written (a full disk, a folder
    without permission, ``-o /dev/full``, a closed pipe) ends the command with one line on
    stderr and exit code 2, never a traceback."""
    args = _parser().parse_args(argv)
    try:
        result = int(args.func(args))
        sys.stdout.flush()
    except CliError as error:
        print(error_line(error), file=sys.stderr)
        return Exit.TROUBLE
    except BrokenPipeError:  # the reader went away (``| head``): nothing left to say
        _silence_stdout()
        return Exit.TROUBLE
    except OSError as error:
        _silence_stdout()
        with suppress(OSError):  # stderr may be gone too
            print(f"mkdocs-runbooks: error: {_os_error(error)}", file=sys.stderr)
        return Exit.TROUBLE
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
