"""Markdown fields in linear time: the worst text the plugin accepts, against ordinary prose.

    python benchmarks/markdown_cost.py

Side by side, for fields of 100,000 characters: loading a plan (which estimates the
conversion's work, ``mdcost``) and converting the field (``md_field``), for ordinary prose
and for the worst shapes just under the limit (unclosed ``[``, ``[a][``, ``![``, tag-like
``<``). Prints each time and its ratio to prose. Before the limit, 20,000 ``[`` took 105 s
in a build; a refused field costs only its estimate.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from mkdocs_runbooks.mdcost import MAX_COST, markdown_cost
from mkdocs_runbooks.render.escape import _md_to_html

SIZE = 100_000


def best(func: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def worst_accepted(opener: str) -> str:
    """The text of ``SIZE`` characters with the most ``opener`` runs still under the limit."""
    best_text = ""
    for count in range(1, 2000):
        text = ((opener + "x" * (SIZE // count)) * count)[:SIZE]
        if markdown_cost(text).too_high:
            break
        best_text = text
    return best_text


def convert(text: str) -> None:
    _md_to_html.cache_clear()
    _md_to_html(text)


def main() -> None:
    chunk = "Some *text* with [a link](https://example.com/x) and `code`, 5 < 6.\n\n- item\n\n"
    prose = (chunk * (SIZE // len(chunk) + 1))[:SIZE]
    base = best(lambda: convert(prose))
    print(f"limit {MAX_COST:,}; fields of {SIZE:,} characters")
    print(f"ordinary prose: convert {1000 * base:.0f} ms")
    for opener in ("[", "[a][", "![", "<a"):
        text = worst_accepted(opener)
        cost = markdown_cost(text).value
        estimate = best(lambda t=text: markdown_cost(t))  # type: ignore[misc]
        took = best(lambda t=text: convert(t), runs=1)  # type: ignore[misc]
        print(
            f"worst accepted {opener!r:7} (estimate {cost:>9,}): estimate {1000 * estimate:.1f} ms,"
            f" convert {1000 * took:.0f} ms, {took / base:.1f}x prose"
        )
    refused = "[" * 20_000
    assert markdown_cost(refused).too_high
    print(f"20,000 '[' refused: estimate {1000 * best(lambda: markdown_cost(refused)):.1f} ms")


if __name__ == "__main__":
    main()
