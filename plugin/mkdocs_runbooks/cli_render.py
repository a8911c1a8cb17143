"""``mkdocs-runbooks render`` and ``export``: pages as Markdown files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

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
    render.add_argument("--patterns-dir", type=Path, default=None, help="site pattern pages")
    render.set_defaults(func=_render)

    export = sub.add_parser(
        "export", help="write every page the plugin generates as Markdown files"
    )
    export.add_argument("--config-file", "-f", type=Path, default=Path("mkdocs.yml"))
    export.add_argument("--out", "-o", type=Path, required=True, help="folder to write into")
    export.add_argument(
        "--force", action="store_true", help="write into a folder the export did not create"
    )
    export.set_defaults(func=_export)


def _render(args: argparse.Namespace) -> int:
    from .lint import lint_all
    from .load import load_plan
    from .patterns import load_patterns, site_patterns_dir
    from .portal import Portal
    from .render import Renderer

    patterns_dir = site_patterns_dir(args.patterns_dir)
    registry = load_patterns(patterns_dir)
    loaded = load_plan(args.plan, registry)
    if loaded.plan is None:
        for problem in loaded.problems:
            print(problem.text(), file=sys.stderr)
        return 1
    loaded.folder = args.plan.resolve().parent.name
    lint_all([loaded])
    portal = Portal.build([loaded], registry)
    text = Renderer().gfm_plan(portal.entries[0], portal)
    if args.out == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    if out.is_dir() or args.out.endswith(("/", "\\")):
        out = out / "deployment-plan.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


def _settings(config_file: Path) -> Any:
    from mkdocs.config import load_config

    from .config import RunbooksConfig
    from .site import Settings

    config = load_config(str(config_file))
    base = Path(config.config_file_path or config_file).resolve().parent
    plugin = config.plugins.get("runbooks")
    if plugin is not None:
        options = plugin.config
    else:  # a site built without the plugin (Zensical): the plugin's defaults
        options = RunbooksConfig()
        options.load_dict({})
        options.validate()
    language = str(config.theme.get("language") or "en")
    # HTML links written by the renderer point at the pages' final addresses.
    return Settings.from_options(base, options, language, config.use_directory_urls)


def _export(args: argparse.Namespace) -> int:
    from .export import ASSETS, ExportError, export

    if not args.config_file.is_file():
        print(f"mkdocs-runbooks: error: no such file: {args.config_file}", file=sys.stderr)
        return 2
    settings = _settings(args.config_file)
    try:
        result = export(settings, args.out, force=args.force)
    except ExportError as error:
        print(f"mkdocs-runbooks: error: {error}", file=sys.stderr)
        return 2
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
    return 1 if any(not p.ok for p in result.site.loaded) else 0
