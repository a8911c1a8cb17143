/* Pagefind's early start (mkdocs-runbooks, search: pagefind), written inline at the top of
 * the <head> of the plugin's own pages by search_start.py, with RB_ROOT (the site's root,
 * relative to the page: "./" or "../" repeated), RB_OPTIONS (Pagefind's options, JSON)
 * and RB_WORKER (the address of search-worker.js in the site).
 *
 * It creates a web worker (RB_WORKER: search-worker.js) while the page is still parsed,
 * before the theme's scripts keep the main thread busy. That worker runs Pagefind's own worker script
 * and starts Pagefind at once with these options, given as the worker's name: a message
 * would wait for the busy main thread to pass it on. search.js then talks to the worker as
 * pagefind.js would; its replies that come before search.js runs are kept for it, and so is
 * its failure (handled there: not reported to the page as an uncaught error). Of the page
 * it reads only the language of <html lang> (no plan text). The bundle's address goes to
 * the worker whole (a path would read as another host from a page at "//plans/..."; the
 * results' base stays a path, which Pagefind joins to result paths). Everything above the
 * first line of code is left out of the pages.
 */
(function () {
  if (location.protocol === "file:" || !window.Worker || window.__rbPagefindStart) return;
  try {
    var root = new URL(RB_ROOT, location.href);
    var options = RB_OPTIONS;
    options.basePath = new URL("pagefind/", root).href;
    options.baseUrl = root.pathname;
    options.primary = true;
    options.language = (document.documentElement.getAttribute("lang") || "unknown").toLowerCase();
    var worker = new Worker(new URL(RB_WORKER, root), {
      name: JSON.stringify(options)
    });
    var start = { worker: worker, replies: [], failed: false };
    worker.onmessage = function (event) { start.replies.push(event.data); };
    worker.onerror = function (e) { start.failed = true; e.preventDefault(); };
    window.__rbPagefindStart = start;
  } catch (error) {}
})();
