"""A :class:`~mkdocs_runbooks.diff.PlanDiff` as text: plain text for a terminal, portable
Markdown (``diff --format markdown``), JSON, and the one-line summaries the page's
"Changed since" block shows. Plan text reaches Markdown only through :mod:`.gfm`."""

from __future__ import annotations

import json

from ..diff import Change, PlanDiff
from .gfm import code_span, fence, gfm_line, gfm_text

__all__ = ["blocky", "summary_line", "to_json", "to_markdown", "to_text"]


def _count(diff: PlanDiff) -> str:
    n, r = len(diff.changes), len(diff.risk_flags)
    changes = f"{n} change{'s' if n != 1 else ''}"
    return f"{changes}, {r} raise{'s' if r == 1 else ''} risk"


def summary_line(change: Change, arrow: str = "->") -> str:
    """``old -> new`` (or the one side) as one line, for a change without a block."""
    a, b = change.old, change.new
    if change.kind == "moved":
        return f"from {a} to {b}"
    if change.kind == "renamed":
        return f"id {a} {arrow} {b}"
    if a is not None and b is not None:
        return f"{a} {arrow} {b}"
    return (b if b is not None else a) or ""


def blocky(change: Change) -> bool:
    """Whether the change shows its value(s) as a block rather than on one line."""
    if change.diff:
        return True
    value = change.new if change.new is not None else change.old
    return change.kind in ("added", "removed") and (
        change.code or (value is not None and "\n" in value.rstrip("\n"))
    )


def _text_change(c: Change) -> list[str]:
    head = f"  {c.kind:<8} {c.path or c.label}"
    lines: list[str] = []
    if c.diff:
        lines.append(head)
        lines += [f"             {line}" for line in c.diff]
    elif blocky(c):
        lines.append(head + ":")
        value = (c.new if c.new is not None else c.old) or ""
        lines += [f"             | {line}" for line in value.rstrip("\n").split("\n")]
    else:
        lines.append(f"{head}: {summary_line(c)}")
    for d in c.details:
        first, *rest = d.value.rstrip("\n").split("\n")
        lines.append(f"             {d.name}: {first}")
        lines += [f"             {' ' * len(d.name)}  {line}" for line in rest]
    if c.risk_up:
        lines.append(f"             ! raises risk: {c.reason}")
    return lines


def to_text(diff: PlanDiff) -> str:
    """Plain text for a terminal: a header, the risk flags, then each group's changes."""
    lines = [f"--- {diff.old_label}", f"+++ {diff.new_label}"]
    if diff.same:
        lines.append("no changes")
        return "\n".join(lines) + "\n"
    lines.append(_count(diff))
    if diff.risk_flags:
        lines += ["", "Raises risk:"]
        lines += [f"  ! {c.path or c.label}: {c.reason}" for c in diff.risk_flags]
    for _name, title, changes in diff.groups():
        lines += ["", title]
        for c in changes:
            lines += _text_change(c)
    return "\n".join(lines) + "\n"


def _block(body: str, info: str) -> list[str]:
    """A fenced code block (hidden characters made visible), as lines ending with a blank."""
    text = body[:-1] if body.endswith("\n") else body
    return [*fence(text, info).split("\n"), ""]


def _reason(c: Change) -> str:
    return gfm_text(c.reason.replace(" -> ", " → "))


def _md_header(diff: PlanDiff) -> list[str]:
    sides = f"{code_span(diff.old_label)} → {code_span(diff.new_label)}"
    lines = [f"**{gfm_text(_count(diff))}**: {sides}.", ""]
    if diff.risk_flags:
        lines += ["**Raises risk:**", ""]
        lines += [f"- {code_span(c.path or c.label)}: {_reason(c)}" for c in diff.risk_flags]
        lines.append("")
    return lines


def _md_block_change(c: Change, head: str, risk: str) -> list[str]:
    lines: list[str] = []
    if c.diff:
        lines += [f"{head}{risk}", ""]
        lines += _block("\n".join(c.diff), "diff")
    elif blocky(c):
        lines += [f"{head}{risk}", ""]
        value = (c.new if c.new is not None else c.old) or ""
        lines += _block(value, "sh" if c.code else "text")
    else:
        lines += [f"{head}: {gfm_text(summary_line(c, '→'))}{risk}", ""]
    simple = [d for d in c.details if not d.code and "\n" not in d.value.rstrip("\n")]
    if simple:
        # ``*``, not ``-``: a list of changes that follows (``- **added** ...``) is a list
        # of its own, not more details of this change.
        lines += [f"* {gfm_line(d.name)}: {gfm_text(d.value)}" for d in simple]
        lines.append("")
    for d in c.details:
        if d not in simple:
            lines += [f"{gfm_line(d.name)}:", ""]
            lines += _block(d.value, "sh" if d.code else "text")
    return lines


def _md_group(title: str, changes: list[Change], heading_level: int) -> list[str]:
    if heading_level > 0:
        lines = [f"{'#' * heading_level} {gfm_text(title)}", ""]
    else:
        lines = [f"**{gfm_text(title)}**", ""]
    in_list = False
    for c in changes:
        head = f"**{c.kind}** {code_span(c.path or c.label)}"
        risk = f" — **raises risk:** {_reason(c)}" if c.risk_up else ""
        if not blocky(c) and not c.details:
            lines.append(f"- {head}: {gfm_text(summary_line(c, '→'))}{risk}")
            in_list = True
            continue
        if in_list:
            lines.append("")
            in_list = False
        lines += _md_block_change(c, head, risk)
    if in_list:
        lines.append("")
    return lines


def to_markdown(diff: PlanDiff, *, heading_level: int = 3, header: bool = True) -> str:
    """Markdown to embed in a page: no raw HTML, shell text in fenced code blocks.

    Each group gets a heading of ``heading_level`` (``0``: a bold line instead). With
    ``header``, a first paragraph names both sides and counts the changes, and the risk
    flags follow as a list.
    """
    if diff.same:
        if header:
            sides = f"{code_span(diff.old_label)} → {code_span(diff.new_label)}"
            return f"No changes: {sides}.\n"
        return "No changes.\n"
    lines = _md_header(diff) if header else []
    for _name, title, changes in diff.groups():
        lines += _md_group(title, changes, heading_level)
    return "\n".join(lines).rstrip("\n") + "\n"


def to_json(diff: PlanDiff) -> str:
    """The diff as a JSON document (see :meth:`PlanDiff.as_dict`)."""
    return json.dumps(diff.as_dict(), indent=2, ensure_ascii=False) + "\n"
