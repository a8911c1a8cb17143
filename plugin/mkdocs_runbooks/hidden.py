"""Characters that hide or reorder text: controls, bidi overrides, zero-width characters.

Shared by the renderers (which show them as ``<U+XXXX>``), the Markdown written by ``diff``
and the lint rule that reports them in commands. No dependencies.
"""

from __future__ import annotations

import re

__all__ = ["HIDDEN_RE", "code_point", "hidden_chars", "is_hidden", "visible"]

# Characters that change how text around them is displayed (bidi controls) or do not show
# at all: every Cc (control) and Cf (format) character of Unicode 14 but tab and newline
# (written out as ranges: computing them from ``unicodedata`` takes 0.4 s), and the line
# and paragraph separators U+2028 and U+2029.
_HIDDEN_RANGES = (
    (0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x600, 0x605), (0x61C, 0x61C),
    (0x6DD, 0x6DD), (0x70F, 0x70F), (0x890, 0x891), (0x8E2, 0x8E2), (0x180E, 0x180E),
    (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip
HIDDEN_RE = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _HIDDEN_RANGES) + "]")


def is_hidden(char: str) -> bool:
    """Whether ``char`` is a control, format (bidi, zero-width) or separator character."""
    return HIDDEN_RE.fullmatch(char) is not None


def hidden_chars(text: str) -> list[tuple[int, str]]:
    """``(offset, char)`` of every hidden character in ``text``."""
    return [(m.start(), m.group(0)) for m in HIDDEN_RE.finditer(text)]


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def visible(text: str) -> str:
    """``text`` with every hidden character written as ``<U+XXXX>``: it shows, and it can
    no longer reorder, hide or break what surrounds it."""
    return HIDDEN_RE.sub(lambda m: f"<{code_point(m.group(0))}>", text)
