"""``mkdocs-runbooks render`` and ``export``: pages as Markdown files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .cli_common import CliError, Exit, add_site_options, site_settings
from .problems import log_safe

__all__ = ["register"]


def register(sub: Any) -> None:
    render = sub.add_parser("render", help="write one plan as standalone GitHub-flavoured Markdown")
    render.add_argument("plan", type=Path, help="a deployment-plan.yaml file")
    render.add_argument(
        "-o",
        "--out",
        default="-",
        help="output file, or a folder for <folder>/deployment-plan.md (default: stdout)",
    )
    add_site_options(render)
    render.set_defaults(func=_render)

    export = sub.add_parser(
        "export", help="write every page the plugin generates as Markdown files"
    )
    export.add_argument(
        "--config-file",
        "-f",
        type=Path,
        default=Path("mkdocs.yml"),
        metavar="FILE",
        help="the site's mkdocs.yml (default: ./mkdocs.yml)",
    )
    export.add_argument("--out", "-o", type=Path, required=True, help="folder to write into")
    export.add_argument(
        "--force", action="store_true", help="write into a folder the export did not create"
    )
    export.set_defaults(func=_export)


def _render(args: argparse.Namespace) -> int:
    from .lint import lint_all
    from .load import load_plan
    from .patterns import load_patterns
    from .portal import Portal
    from .safefs import write_text
    from .yamlnodes import Limits

    settings = site_settings(args)
    registry = load_patterns(settings.patterns_root)
    loaded = load_plan(args.plan, registry, limits=Limits(max_bytes=settings.max_file_size))
    lint_all([loaded], settings.disable_rules)  # first: an unknown lint.ignore id is an error
    if loaded.plan is None:
        for problem in loaded.problems:
            print(problem.text(), file=sys.stderr)
        return Exit.PROBLEMS
    loaded.folder = args.plan.resolve().parent.name
    portal = Portal.build([loaded], registry)
    text = settings.renderer().gfm_plan(portal.entries[0], portal)
    if args.out == "-":
        sys.stdout.write(text)
        return Exit.OK
    out = Path(args.out)
    if out.is_dir() or args.out.endswith(("/", "\\")):
        out = out / "deployment-plan.md"
    write_text(out, text)
    print(f"wrote {log_safe(out)}", file=sys.stderr)
    return Exit.OK


def _export(args: argparse.Namespace) -> int:
    from .export import ASSETS, ExportError, export

    settings = site_settings(args)
    try:
        result = export(settings, args.out, force=args.force)
    except ExportError as error:
        raise CliError(str(error)) from None
    for problem in result.site.problems():
        print(problem.text(), file=sys.stderr)
    pages = len(result.written) - len(ASSETS)
    print(f"exported {pages} pages and {len(ASSETS)} assets to {args.out}")
    print(
        "add to mkdocs.yml (paths relative to docs_dir):\n"
        "  markdown_extensions: [attr_list, md_in_html, tables, toc]\n"
        "  extra_css: [<out>/assets/runbooks/runbooks.css, <out>/assets/runbooks/print.css]\n"
        "  extra_javascript: [<out>/assets/runbooks/runbooks.js, <out>/assets/runbooks/portal.js]"
    )
    return Exit.PROBLEMS if any(not p.ok for p in result.site.loaded) else Exit.OK
