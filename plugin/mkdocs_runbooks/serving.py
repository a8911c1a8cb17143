"""What keeps `mkdocs serve` rebuilds fast at thousands of plans, beyond the caches of
plans and pages (``site.Cache``, ``load.LoadCache``): the theme's compiled templates kept
between builds, and Python's full garbage collections made between builds rather than in
them. The adapter calls it; it imports no MkDocs."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

import jinja2

__all__ = ["Collector", "TemplateCode"]


_NEVER = 1 << 30
"""A third-generation threshold no count of collections reaches."""


class Collector:
    """Python's full garbage collections, under `mkdocs serve`, made between builds instead
    of during them.

    A full collection walks every live object: with 10,000 plans kept between builds
    (millions of objects) one took 1.3-2.9 s, and Python started one every few rebuilds,
    in the middle of one. After the first build, :meth:`start` stops Python from starting
    full collections itself (the young generations are still collected as usual); after
    each build, :meth:`build_done` makes one a moment later, in a thread, once the
    rebuilt page has been served; a build that starts before it makes it first
    (:meth:`collect_due`), so garbage never outlives two builds. Nothing is frozen or
    left uncollected: what another plugin still holds when a build starts (Material's
    ``blog`` and ``tags`` keep the last build's pages for a while) is freed as soon as
    it lets go. :meth:`stop` puts Python's thresholds back.
    """

    def __init__(self, delay: float = 1.5) -> None:
        self.delay = delay
        self._saved: tuple[int, int, int] | None = None
        self._timer: threading.Timer | None = None
        self._due = False
        self._lock = threading.Lock()

    def start(self) -> None:
        current = gc.get_threshold()
        if current[2] != _NEVER:  # (set back by someone else since: raised again)
            self._saved = current
            gc.set_threshold(current[0], current[1], _NEVER)

    def build_done(self, release: Callable[[], None]) -> None:
        """A full collection in :attr:`delay` seconds; ``release`` first lets go of what the
        caller kept of the build."""
        self._cancel()
        self._due = True
        timer = threading.Timer(self.delay, self._collect, args=(release,))
        timer.daemon = True
        self._timer = timer
        timer.start()

    def collect_due(self, release: Callable[[], None]) -> None:
        """The collection the last build did not get yet, now: when a build starts (so
        that garbage never outlives two builds), and in tests."""
        self._cancel()
        self._collect(release)

    def _collect(self, release: Callable[[], None]) -> None:
        with self._lock:
            if self._due:
                release()
                gc.collect()
                self._due = False

    def _cancel(self) -> None:
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
            if timer.is_alive() and timer is not threading.current_thread():
                timer.join()

    def stop(self) -> None:
        self._cancel()
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None


_ENV_SETTINGS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "autoescape",
    "finalize",
    "is_async",
)


class TemplateCode(jinja2.BytecodeCache):
    """The theme's templates compiled by the builds of one `mkdocs serve`, in memory:
    MkDocs compiles them again for every rebuild (Material's: about a tenth of a second
    of CPU each time, with 10,000 plans a tenth of the rebuild)."""

    def __init__(self) -> None:
        self.code: dict[tuple[str, str], bytes] = {}

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> tuple[str, str]:
        # Jinja checks a template's source, not the environment, which changes the compiled
        # code too: its settings, its extensions, and its filters and tests (which exist,
        # and what each is passed: the context, the environment or the value alone).
        env = bucket.environment
        settings = [repr(getattr(env, name, None)) for name in _ENV_SETTINGS]
        settings += sorted(env.extensions)
        for kind, table in (("filter", env.filters), ("test", env.tests)):
            settings += sorted(
                f"{kind} {name} {getattr(func, 'jinja_pass_arg', None)!r}"
                for name, func in table.items()
            )
        return "\0".join(settings), bucket.key

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get(self._key(bucket))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[self._key(bucket)] = bucket.bytecode_to_string()
