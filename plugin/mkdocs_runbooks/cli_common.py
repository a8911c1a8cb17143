"""What every subcommand of the console script shares: exit codes, the one error line, and the
site's settings read from ``mkdocs.yml``, so the command line checks and renders a plan the way
``mkdocs build`` does."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from enum import IntEnum
from pathlib import Path
from typing import Any

from .problems import log_safe
from .site import Settings

__all__ = ["CliError", "Exit", "add_site_options", "error_line", "site_settings"]

CONFIG_DEFAULT = Path("mkdocs.yml")


class Exit(IntEnum):
    """Exit codes of every command."""

    OK = 0
    """Valid, written, or (``diff``) the same."""
    PROBLEMS = 1
    """Invalid plans (``validate``, ``render``, ``export``), or (``diff``) the plans differ."""
    TROUBLE = 2
    """Usage, configuration or file trouble: the command could not do its job."""


class CliError(Exception):
    """Ends a command with one line on stderr (see :func:`error_line`) and ``Exit.TROUBLE``."""


def error_line(message: object) -> str:
    """The one form of an error on stderr; the message is escaped for a terminal."""
    return f"mkdocs-runbooks: error: {log_safe(message)}"


def add_site_options(parser: argparse.ArgumentParser) -> None:
    """``--config-file`` and ``--patterns-dir``, for every command that reads plans."""
    parser.add_argument(
        "--config-file",
        "-f",
        type=Path,
        default=None,
        metavar="FILE",
        help=(
            "the site's mkdocs.yml: the runbooks plugin's options there (plans_dir, "
            "patterns_dir, disable_rules, max_file_size, language, words, templates_dir) "
            "apply as in the build (default: ./mkdocs.yml when it exists)"
        ),
    )
    parser.add_argument(
        "--patterns-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="the site's own pattern pages (default: the site's patterns_dir, or ./patterns)",
    )


def site_settings(args: argparse.Namespace) -> Settings:
    """The settings a build of the site would use; without ``mkdocs.yml``, the defaults
    relative to the current folder. ``--patterns-dir`` overrides the site's folder."""
    config_file: Path | None = getattr(args, "config_file", None)
    settings = Settings(base=Path.cwd().resolve())
    if config_file is not None:
        settings = _from_config(config_file)
    elif CONFIG_DEFAULT.is_file():
        # The implicit ./mkdocs.yml may name plugins this environment lacks (a pre-commit
        # hook's): say so and go on with the defaults; a named --config-file must load.
        try:
            settings = _from_config(CONFIG_DEFAULT)
        except CliError as error:
            print(
                f"mkdocs-runbooks: note: {log_safe(error)}; the plugin's defaults apply",
                file=sys.stderr,
            )
    given: Path | None = getattr(args, "patterns_dir", None)
    if given is not None:
        if not given.is_dir():
            raise CliError(f"no such folder: {given} (--patterns-dir)")
        settings = dataclasses.replace(settings, patterns_dir=str(given.resolve()))
    return settings


def _from_config(config_file: Path) -> Settings:
    if not config_file.is_file():
        raise CliError(f"no such file: {config_file} (--config-file)")
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .config import RunbooksConfig

    try:
        config = load_config(str(config_file))
    except MkDocsException as error:
        raise CliError(f"{config_file}: {error}") from None
    base = Path(config.config_file_path or config_file).resolve().parent
    plugin = config.plugins.get("runbooks")
    if plugin is not None:
        options: Any = plugin.config
    else:  # a site built without the plugin (Zensical): the plugin's defaults
        options = RunbooksConfig()
        options.load_dict({})
        options.validate()
    language = str(config.theme.get("language") or "en")
    # HTML links written by the renderer point at the pages' final addresses.
    return Settings.from_options(base, options, language, config.use_directory_urls)
