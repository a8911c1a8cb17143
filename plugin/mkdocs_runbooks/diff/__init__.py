"""Compare two versions of a plan by meaning: which step, trigger or migration changed, and
whether the change raises the risk of the release.

Pure data: no MkDocs, no printing, no files, no text formatting. :func:`diff_plans` takes two
loaded plans (``load_plan`` / ``load_text`` give steps their ids) and returns a
:class:`PlanDiff`; :mod:`mkdocs_runbooks.render.diff_text` renders it.

Items are matched by what names them, not by position: steps by step id (a removed and an
added step with the same title and command are one renamed step), migrations by id, roles by
role name, triggers by condition text or metric. Unchanged parts are not listed. How a field
is compared and shown follows from its type in the model (:mod:`.values`); which changes
raise risk is one table (:mod:`.risk`).
"""

from __future__ import annotations

from .changes import GROUPS, Change, Detail, Kind, PlanDiff
from .compare import diff_plans
from .values import line_diff

__all__ = ["GROUPS", "Change", "Detail", "Kind", "PlanDiff", "diff_plans", "line_diff"]
