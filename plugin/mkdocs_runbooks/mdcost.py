"""How much work Python-Markdown does on a text, estimated in linear time.

Python-Markdown's inline link and tag patterns scan forward from every ``[`` to its matching
``]`` and from every tag-like ``<`` to the next ``>``; with thousands of openers that never
close, the conversion takes time quadratic in the text (20,000 ``[`` took minutes). The
estimate adds up those scan lengths, block by block, in one pass; a Markdown field whose
estimate is over :data:`MAX_COST` is refused at load time with a message saying why, and is
never handed to Python-Markdown.

Measured (``benchmarks/markdown_cost.py``): a cost of 800,000 converts in under a
second; ordinary prose, tables and hundreds of closed links cost a few thousand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MAX_COST", "Cost", "markdown_cost"]

MAX_COST = 800_000
"""The largest estimate accepted in one Markdown field."""

# A `<` scan is about ten times cheaper per character than a `[` scan (a regular expression
# rather than Python-Markdown's character loop).
_TAG_WEIGHT = 0.1

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_EVENT = re.compile(r"[\[\]>]|<(?=[A-Za-z/!?])")


@dataclass(frozen=True)
class Cost:
    value: int
    unclosed_brackets: int
    unclosed_tags: int

    @property
    def too_high(self) -> bool:
        return self.value > MAX_COST


def markdown_cost(text: str) -> Cost:
    """The estimated scan work of converting ``text``, with the openers that never close."""
    total = 0.0
    brackets = tags = 0
    for block in _BLOCK_SPLIT.split(text):
        end = len(block)
        stack: list[int] = []
        open_tags: list[int] = []
        for match in _EVENT.finditer(block):
            char, pos = match.group(0), match.start()
            if char == "[":
                stack.append(pos)
            elif char == "]":
                if stack:
                    total += pos - stack.pop()
            elif char == "<":
                open_tags.append(pos)
            else:  # ">": closes every tag-like "<" before it
                total += _TAG_WEIGHT * sum(pos - p for p in open_tags)
                open_tags.clear()
        total += sum(end - p for p in stack)
        total += _TAG_WEIGHT * sum(end - p for p in open_tags)
        brackets += len(stack)
        tags += len(open_tags)
    return Cost(int(total), brackets, tags)
