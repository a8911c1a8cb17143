"""Search and build at scale: N generated plans over 200 services, Material + Pagefind.

    python benchmarks/search.py [N ...] [--search pagefind|material] [--nav-services K]
                                [--queries 3] [--serve] [--keep DIR] [--reuse [--as-built]]

For each size N (default 1000) it generates N plans (benchmarks/portal_gen.py: copies of the
contract's complete example over 200 services, 2020-2026, with varied service, release,
title, step titles, commands, owners, status, outcome and strategy), builds the site with
`plugins: [search, runbooks]` and Material in a fresh process, and measures:

- build time per plan, peak RSS of the build (MkDocs) and of Pagefind (its child process, from
  `/usr/bin/time`);
- Material's `search/search_index.json`, the `pagefind/` bundle, the site;
- the HTML of plan pages (median and largest of a sample; shared assets not counted);
- in Chromium, for queries by service, by service and release, by step title and by a
  command fragment (`--queries` of each, on plans spread over the portal), each in a fresh
  browser profile (nothing cached): the bytes transferred (from CDP network events: every
  response of Pagefind, its preload while the page loads included, and every other
  response after the page's network went idle) and the time from the query being complete
  (its last `input` event) until the right plan is among the first 5 plan results of
  Material's search dialog; "load": the whole query at once, in the same instant the box
  gets focus, as soon as the page's `load` event fired; "load-typed": clicked as soon as
  `load` fired, then typed at 60 ms a key; "paste": the whole query at once, once the
  network is idle; "typed": clicked then, and typed at 60 ms a key.

With two sizes it prints the growth of the per-plan build time. `--serve` also measures a
`mkdocs serve --dirty`-style rebuild after editing one plan, and checks with a query that
Pagefind's index has the edit (under serve Pagefind runs in the background after the
build: the rebuild time is when pages are served, the index time when search has it).

Targets (issue 21, at 10,000 plans): first query <= 1 MB and right plan in the top 5
within 300 ms; search_index.json <= 5 MB; build <= 40 ms per plan and <= 1.5 GB peak RSS;
per-plan cost 1,000 -> 10,000 grows <= 1.15x.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # browser.py
from portal_gen import SERVICES, PlanInfo, make_portal, plan_info

from browser import CHROMIUM, CHROMIUM_ARGS, serve_folder
from mkdocs_runbooks import search, search_start
from mkdocs_runbooks.render.words import Words

BUILD = r"""
import json, logging, resource, subprocess, sys, tempfile, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_runbooks import search, search_start
logging.getLogger("mkdocs").setLevel(logging.ERROR)
spent = {"pagefind": 0.0}
index_site = search.index_site
def timed(*args, **kwargs):
    start = time.perf_counter()
    try:
        return index_site(*args, **kwargs)
    finally:
        spent["pagefind"] += time.perf_counter() - start
search.index_site = timed
# Pagefind's peak RSS from /usr/bin/time: getrusage(RUSAGE_CHILDREN) would report the
# build's own RSS (a forked child counts its parent's pages until it runs the binary).
rss_file = Path(tempfile.mkdtemp()) / "pagefind-rss"
class Timed(subprocess.Popen):
    def __init__(self, args, *rest, **kwargs):
        if isinstance(args, list) and "pagefind" in Path(str(args[0])).name:
            args = ["/usr/bin/time", "-f", "%M", "-a", "-o", str(rss_file), *args]
        super().__init__(args, *rest, **kwargs)
subprocess.Popen = Timed
cfg = load_config(sys.argv[1], site_dir=sys.argv[2])
start = time.perf_counter()
build(cfg)
elapsed = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
runs = rss_file.read_text().split() if rss_file.exists() else []
child = max((int(k) for k in runs if k.isdigit()), default=0) / 1024
print(json.dumps({"seconds": elapsed, "rss_mb": rss, "pagefind_rss_mb": child,
                  "pagefind_seconds": spent["pagefind"]}))
"""


def write_site(root: Path, n: int, engine: str, nav_services: int) -> list[PlanInfo]:
    infos = make_portal(root, n)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs/index.md").write_text("# Portal\n\nRunbooks of every service.\n")
    (root / "docs/guide.md").write_text("# Operations guide\n\nThe on-call rota.\n")
    runbooks = {"search": engine, "nav_services": nav_services}
    config = {
        "site_name": "Bench",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"runbooks": runbooks}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return infos


def build(root: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", BUILD, str(root / "mkdocs.yml"), str(root / "site")],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def sizes(site: Path, infos: list[PlanInfo]) -> dict[str, float]:
    step = max(1, len(infos) // 200)
    pages = [(site / i.url / "index.html").stat().st_size for i in infos[::step]]
    index = site / "search/search_index.json"
    return {
        "search_index_mb": index.stat().st_size / 1e6 if index.exists() else 0.0,
        "pagefind_mb": folder_size(site / "pagefind") / 1e6 if (site / "pagefind").exists() else 0,
        "site_mb": folder_size(site) / 1e6,
        "page_kb_median": statistics.median(pages) / 1e3,
        "page_kb_max": max(pages) / 1e3,
    }


def queries(infos: list[PlanInfo], count: int) -> list[tuple[str, str, set[str]]]:
    """(kind, query, urls that count as the right answer) for plans spread over the portal."""
    picks = [infos[(k * 7919 + len(infos) // 3) % len(infos)] for k in range(count)]
    out: list[tuple[str, str, set[str]]] = []
    for info in picks:
        same = {i.url for i in infos if i.service == info.service}
        out.append(("service", info.service, same))
        out.append(("release", f"{info.service} {info.release}", {info.url}))
        step = info.step_title.removeprefix("Rotate the ").removesuffix(" signing key")
        out.append(("step title", f"rotate {step}", {info.url}))
        out.append(("command", info.command_fragment, {info.url}))
    return out


WAIT = """async ([wanted, t0]) => {
  const deadline = t0 + 10000;
  const top = () => [...document.querySelectorAll('.rb-search-dialog .rb-search-hit a')]
      .slice(0, 5).map(a => new URL(a.href).pathname.replace(/^\\//, ''));
  while (performance.now() < deadline) {
    const links = top();
    const state = document.querySelector('.rb-search-dialog')?.getAttribute('data-rb-state');
    if (links.length && state === 'done') {
      const ok = wanted.length === 1 ? links.includes(wanted[0])
        : links.every(l => wanted.includes(l));
      if (ok) return {ms: performance.now() - t0, ok: true, top: links};
    }
    await new Promise(r => requestAnimationFrame(r));
  }
  return {ms: performance.now() - t0, ok: false, top: top()};
}"""

# "load": the whole query at once, focus and value in the same instant, as soon as the page's
# `load` event has fired (the worst case: Pagefind, which search.js starts loading before
# `load`, is still loading its script, WebAssembly and page list).
# "load-typed": a click on the box as soon as `load` has fired, then the query typed at 60 ms
# a key (someone who starts typing the instant the page has loaded). "paste": the query at
# once, when the page is loaded and the network idle. "typed": after that, a click on the
# box, then the query typed at 60 ms a key (as people do).
MODES = ("load", "load-typed", "paste", "typed")
PASTE = """(query) => {
  const input = document.querySelector('input.md-search__input');
  input.focus();
  const t0 = performance.now();
  input.value = query;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
  return t0;
}"""
LAST_INPUT = """() => { window.__rbLast = 0; document.addEventListener('input',
  () => { window.__rbLast = performance.now(); }, true); }"""


def first_query(page: Any, mode: str, query: str, wanted: set[str]) -> dict[str, Any]:
    if mode in ("load", "paste"):
        t0 = page.evaluate(PASTE, query)
    else:
        page.evaluate(LAST_INPUT)
        page.click("input.md-search__input", force=True)
        page.keyboard.type(query, delay=60)
        t0 = page.evaluate("window.__rbLast")
    found: dict[str, Any] = page.evaluate(WAIT, [sorted(wanted), t0])
    return found


def one_query(browser: Any, url: str, mode: str, query: str, wanted: set[str]) -> dict[str, Any]:
    """One first query in a fresh browser profile. Transferred: every response of Pagefind
    (its script, WebAssembly, page list, index chunks, filters and results, the preload
    while the page loads included) and every other response after the page's network went
    idle (headers and body as sent, the page's and Pagefind's web worker's); not the page
    itself nor Material's own search index, which it loads with every page."""
    context = browser.new_context()
    page = context.new_page()
    finished: list[tuple[Any, bool]] = []
    idle = {"done": False}
    context.on("requestfinished", lambda r: finished.append((r, idle["done"])))
    origins: set[str] = set()
    page.on("request", lambda r: origins.add(r.url.split("/")[2]))
    page.goto(url, wait_until="load")
    if not mode.startswith("load"):
        page.wait_for_load_state("networkidle")
        idle["done"] = True
    found = first_query(page, mode, query, wanted)
    page.wait_for_timeout(300)  # responses still in flight are counted
    sent = [r.sizes() for r, after in finished if after or "/pagefind/" in r.url]
    context.close()
    return {
        "mode": mode,
        "query": query,
        "ok": found["ok"],
        "ms": found["ms"],
        "kb": sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sent) / 1e3,
        "requests": len(sent),
        "origins": sorted(origins),
    }


def browse(site: Path, infos: list[PlanInfo], count: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    results = []
    with serve_folder(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for kind, query, wanted in queries(infos, count):
            for mode in MODES:
                found = one_query(browser, base + infos[0].url, mode, query, wanted)
                results.append({"kind": kind, **found})
        browser.close()
    return results


def serve_edit(root: Path, infos: list[PlanInfo]) -> dict[str, Any]:
    """A `mkdocs serve --dirty`-style rebuild (persistent plugin, dirty build) after one edit;
    then the edited plan is searched for by a word only the edit wrote."""
    script = r"""
import json, logging, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.getLogger("mkdocs").setLevel(logging.ERROR)
root, plan = Path(sys.argv[1]), Path(sys.argv[2])
cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "serve-site"))
cfg.plugins.on_startup(command="serve", dirty=True)
plugin = cfg.plugins["runbooks"]
start = time.perf_counter(); build(cfg, dirty=True); full = time.perf_counter() - start
plugin.indexer.wait()
plan.write_text(plan.read_text().replace("signing key", "signing key kumquatzebra"))
cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "serve-site"))
start = time.perf_counter(); build(cfg, dirty=True); again = time.perf_counter() - start
plugin.indexer.wait(); indexed = time.perf_counter() - start
print(json.dumps({"full": full, "rebuild": again, "indexed": indexed}))
"""
    target = infos[len(infos) // 2]
    yaml_path = root / "plans" / target.folder / "deployment-plan.yaml"
    out = subprocess.run(
        [sys.executable, "-c", script, str(root), str(yaml_path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    from playwright.sync_api import sync_playwright

    with serve_folder(root / "serve-site") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "guide/", wait_until="load")
        found = first_query(page, "paste", "kumquatzebra", {target.url})
        browser.close()
    result["edit_found"] = found["ok"]
    return result


def run(n: int, args: argparse.Namespace) -> dict[str, Any]:
    tmp = Path(args.keep) / f"n{n}" if args.keep else Path(tempfile.mkdtemp(prefix="rbsearch"))
    if args.reuse:
        # The portal kept by an earlier --keep run: queries again, with the current script.
        infos = [plan_info(i, n) for i in range(n)]
        if not args.as_built:
            # (the pages' inline early start stays as built)
            words = Words("en")
            (tmp / "site/assets/runbooks/search.js").write_bytes(search.script(words))
            worker = tmp / "site" / search_start.WORKER_URI
            if worker.exists():
                worker.write_bytes(search_start.worker_script())
        figures: dict[str, Any] = {"n": n, "reused": True, "as_built": args.as_built}
        figures.update(sizes(tmp / "site", infos))
        figures["queries"] = browse(tmp / "site", infos, args.queries)
        return figures
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    try:
        infos = write_site(tmp, n, args.search, args.nav_services)
        figures = {"n": n, **build(tmp)}
        figures.update(sizes(tmp / "site", infos))
        if args.search == "pagefind" and args.queries:
            figures["queries"] = browse(tmp / "site", infos, args.queries)
        if args.serve:
            figures["serve"] = serve_edit(tmp, infos)
        return figures
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def report(f: dict[str, Any]) -> None:
    n = f["n"]
    if f.get("reused"):
        script = "its own script" if f.get("as_built") else "the current script"
        print(f"N={n}: the portal built by an earlier --keep run, queried with {script}")
    else:
        print(
            f"N={n} ({len(SERVICES)} services): build {f['seconds']:.1f} s = "
            f"{1000 * f['seconds'] / n:.1f} ms/plan (Pagefind {f['pagefind_seconds']:.1f} s); "
            f"peak RSS {f['rss_mb']:.0f} MB (Pagefind {f['pagefind_rss_mb']:.0f} MB)"
        )
    print(
        f"  search_index.json {f['search_index_mb']:.2f} MB; pagefind/ {f['pagefind_mb']:.1f} MB;"
        f" site {f['site_mb']:.0f} MB; plan page HTML median {f['page_kb_median']:.1f} KB, "
        f"max {f['page_kb_max']:.1f} KB"
    )
    for q in f.get("queries", []):
        print(
            f"  first query [{q['kind']}, {q['mode']}] {q['query']!r}: "
            f"{'right plan in top 5' if q['ok'] else 'NOT FOUND in top 5'} after {q['ms']:.0f} ms, "
            f"{q['kb']:.0f} KB in {q['requests']} responses; hosts {', '.join(q['origins'])}"
        )
    for mode in MODES:
        qs = [q for q in f.get("queries", []) if q["mode"] == mode]
        if not qs:
            continue
        print(
            f"  {mode}: {sum(q['ok'] for q in qs)}/{len(qs)} right in the top 5; time median "
            f"{statistics.median(q['ms'] for q in qs):.0f} ms, max {max(q['ms'] for q in qs):.0f}"
            f" ms; transferred median {statistics.median(q['kb'] for q in qs):.0f} KB, max "
            f"{max(q['kb'] for q in qs):.0f} KB"
        )
    if "serve" in f:
        s = f["serve"]
        print(
            f"  serve --dirty: full build {s['full']:.1f} s, rebuild after one edit "
            f"{s['rebuild']:.1f} s (pages served), Pagefind index updated "
            f"{s['indexed']:.1f} s after the edit; edit found by search: {s['edit_found']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--search", choices=("pagefind", "material"), default="pagefind")
    parser.add_argument("--nav-services", type=int, default=30)
    parser.add_argument("--queries", type=int, default=3)
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--keep", help="keep the generated portals below this folder")
    parser.add_argument(
        "--reuse", action="store_true", help="query the portals kept in --keep again, no build"
    )
    parser.add_argument(
        "--as-built", action="store_true", help="with --reuse: keep the portal's own search.js"
    )
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    results = []
    for n in args.sizes:
        figures = run(n, args)
        report(figures)
        results.append(figures)
    if len(results) >= 2 and not args.reuse:
        small, large = results[0], results[-1]
        per_small = small["seconds"] / small["n"]
        per_large = large["seconds"] / large["n"]
        print(
            f"per-plan cost {small['n']} -> {large['n']}: {1000 * per_small:.1f} -> "
            f"{1000 * per_large:.1f} ms, growth {per_large / per_small:.2f}x (target <= 1.15)"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
