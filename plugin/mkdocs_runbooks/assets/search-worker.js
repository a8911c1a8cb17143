/* Pagefind's worker, started at once (mkdocs-runbooks, search: pagefind).
 *
 * Created by the early start in the <head> of the plugin's pages (search_start.js), with
 * Pagefind's options as the worker's name. It runs the worker script of the site's
 * Pagefind bundle, then gives it the "init" message pagefind.js would send, itself: a
 * message from the page would reach the worker only once the page's main thread is free,
 * after the theme's scripts. Pagefind's reply ("rb-init") and every later reply go to the
 * page, whose search.js talks to the worker with the messages pagefind.js sends it.
 */
(function () {
  "use strict";
  var options = JSON.parse(self.name);
  importScripts(options.basePath + "pagefind-worker.js");
  function send(id, method, args) {
    var data = { id: id, instanceId: "rb", method: method, args: args };
    self.dispatchEvent(new MessageEvent("message", { data: data }));
  }
  send("rb-init", "init", [options]);
  // A search for nothing, as soon as Pagefind has loaded: the first search's own set-up
  // (its text segmenter, its code's first runs) is then done while the page loads, not
  // when the first query comes. Its reply ("rb-warm") is for nobody.
  send("rb-warm", "preload", ["", {}]);
})();
