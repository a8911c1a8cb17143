"""Rendering: (portal, plan, settings) -> Markdown, through Jinja2 templates.

The public entry points are :class:`Renderer` and :func:`apply_fragments`.
"""

from __future__ import annotations

from .engine import RenderedPage, Renderer, apply_fragments, front_matter, inline_fragments

__all__ = [
    "RenderedPage",
    "Renderer",
    "apply_fragments",
    "front_matter",
    "inline_fragments",
]
