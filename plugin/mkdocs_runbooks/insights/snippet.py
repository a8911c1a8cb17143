"""The upcoming deployments as an HTML list for a site's own page (its home page).

A site opts in by writing the marker ``<!-- runbooks:upcoming -->`` in one of its pages; the
plugin puts the list in its place (an HTML comment: without the plugin it shows nothing).
"""

from __future__ import annotations

from collections.abc import Callable

from .charts import TEMPLATES
from .collect import PortalInsights
from .upcoming import verdict_of

__all__ = ["SNIPPET_MARK", "upcoming_html"]

SNIPPET_MARK = "<!-- runbooks:upcoming -->"


def upcoming_html(insights: PortalInsights, href: Callable[[str], str], limit: int = 10) -> str:
    """The next ``limit`` upcoming plans as an HTML table; ``href`` maps a page's source
    path to a link from the page showing the list."""
    template = TEMPLATES.get_template("upcoming.html.j2")
    return template.render(
        entries=insights.upcoming[:limit],
        more=max(len(insights.upcoming) - limit, 0),
        href=href,
        t=insights.words,
        verdict_of=verdict_of,
        index_src=insights.index_src,
        service_src=lambda name: insights.service_srcs.get(name, insights.index_src),
    )
