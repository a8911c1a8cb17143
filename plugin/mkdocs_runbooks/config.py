"""The plugin's options. Each option has a default that works for a plain site."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

__all__ = ["RunbooksConfig"]


class _Prefix(c.Type):  # type: ignore[type-arg]
    """An address prefix inside the site (``plans``, ``ops/runbooks``; ``""``: the site's
    root): the generated pages are written below it, so one that is absolute or climbs out
    (``/plans/``, ``../x``) would write them outside the site folder."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        prefix = str(super().run_validation(value))
        parts = prefix.replace("\\", "/").split("/")
        if prefix.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts:
            raise ValidationError(
                f"{prefix!r} is not an address inside the site: write it relative to the "
                "site's root, without a leading '/' or any '..' (for example 'runbooks')"
            )
        return prefix


class RunbooksConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options of the ``runbooks`` plugin in ``mkdocs.yml``."""

    enabled = c.Type(bool, default=True)
    """Turn the plugin off (for example `enabled: !ENV [RUNBOOKS, true]`)."""

    plans_dir = c.Type(str, default="plans")
    """Folder holding the plans, relative to `mkdocs.yml`. One `deployment-plan.yaml`
    (or `.yml`) per sub-folder; the sub-folder becomes the page address."""

    patterns_dir = c.Type(str, default="patterns")
    """Folder with the site's own pattern pages, relative to `mkdocs.yml`. A page with the
    id of a built-in pattern replaces it; other pages add patterns. Optional."""

    plans_url = _Prefix(default="plans")
    """Address prefix of the plan pages: a plan in `plans/a/b/` is at `<plans_url>/a/b/`."""

    patterns_url = _Prefix(default="patterns")
    """Address prefix of the pattern pages: `<patterns_url>/<id>/`."""

    templates_dir = c.Optional(c.Type(str))
    """Folder, relative to `mkdocs.yml`, whose templates replace the built-in ones by name
    (for example `plan.md.j2`)."""

    nav = c.Choice(("auto", "off"), default="auto")
    """The plugin's own nav sections. `auto`: on a site without `nav:` in `mkdocs.yml`
    (and whose nav, as MkDocs or a nav plugin built it, lists no runbook page), a *Plans*
    and a *Patterns* section are appended after the site's own entries. `off`: nothing is
    added; the pages are reachable where the site's nav or its pages link to them.
    Either way the site's own entries, titles and order are never changed, and a
    `Plans: plans/` entry of an explicit `nav:` is filled in."""

    nav_title = c.Type(str, default="Plans")
    """Title of the nav section that lists the plans."""

    nav_plans = c.Type(bool, default=False)
    """List every plan in the nav under its service. Off by default: a portal with thousands
    of plans keeps a short nav (the index and one page per service) and a fast build."""

    patterns_nav_title = c.Type(str, default="Patterns")
    """Title of the nav section that lists the pattern pages."""

    quality_url = _Prefix(default="quality")
    """Address prefix of the generated "Plan quality" page (`<quality_url>/`) and the
    rules reference (`<quality_url>/rules/`) that findings link to."""

    findings_as_warnings = c.Choice(("none", "error", "warning", "info"), default="none")
    """Which best-practice findings the build logs as MkDocs warnings (so `--strict` fails on
    them): `none` (default), or findings of this severity and worse. Others are logged at
    debug level; all of them are shown on the plan pages."""

    disable_rules = c.ListOfItems(c.Type(str), default=[])
    """Rule ids switched off for the whole site, for example `[RB304]`. A plan can silence a
    rule for itself with `lint: {ignore: {RB304: reason}}`."""

    diff_base = c.Optional(c.Type(str))
    """A git ref (`origin/main`) to compare every plan with: a changed plan's page starts
    with a "Changed since <ref>" block (the semantic diff), new plans are marked, and the
    index lists plans removed since. Unset: the environment variable `RUNBOOKS_DIFF_BASE`
    is used when set (handy in CI). Outside a git checkout, or when the ref is missing, the
    build says so once (info) and goes on without comparing."""

    max_file_size = c.Type(int, default=1024 * 1024)
    """Largest plan file read, in bytes; a larger file is reported, not built."""

    language = c.Optional(c.Type(str))
    """Language of the plugin's own words (`en`, `fr`); default: the theme's language."""

    words = c.Type(dict, default={})
    """Overrides of the plugin's own words, for example `{Rollback: Roll back}`."""

    insights = c.Type(bool, default=True)
    """Delivery figures and charts from the plans: the Insights page (`<insights_url>/`), a
    section on each service and pattern page, and the upcoming deployments on the index.
    Charts are static SVG made at build time. `false` leaves all of them out."""

    insights_url = _Prefix(default="insights")
    """Address prefix of the Insights page and of the charts' `.svg` files."""

    feeds = c.Type(bool, default=True)
    """Write `<plans_url>/plans.json` (every plan as data, with `plans.schema.json`) and
    `<plans_url>/deployments.ics` (an iCalendar feed of every plan's window)."""

    search = c.Choice(("auto", "material", "pagefind"), default="auto")
    """Search engine of the plan pages. `material`: the theme's search plugin indexes them
    like any page. `pagefind`: plan pages leave the theme's index and Pagefind indexes them
    after the build (needs `pip install 'mkdocs-runbooks[pagefind]'`); the site's search box
    and the plans index find them, with filters. `auto` (default): Pagefind when it is
    installed, the portal has more than `search_threshold` plans and Material's `offline`
    plugin is off; otherwise `material`."""

    search_threshold = c.Type(int, default=200)
    """Number of plans above which `search: auto` uses Pagefind."""

    nav_services = c.Type(int, default=30)
    """List each service in the nav when the portal has at most this many services (and
    always with `nav_plans`). Above it the nav holds the plans index and the quality page,
    and the index lists the services: every page carries the nav, so 200 services in it
    would double the weight of each page."""
