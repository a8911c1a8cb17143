/* Plan search with Pagefind (mkdocs-runbooks, search: pagefind).
 *
 * Plan pages are indexed by Pagefind after the build (site/pagefind/); the theme's own
 * search keeps the other pages. This script adds plan results, with filters, to
 * Material's search dialog (above its own results) and fills the search box of the plans
 * index ([data-rb-search]). On the plugin's own pages, Pagefind's worker was created by
 * the early start in the page's <head> (search_start.js), and this script talks to it; on
 * other pages Pagefind (its script, WebAssembly and page list) starts loading through
 * pagefind.js as soon as this script runs, at the end of the page's body. Either way a
 * first query, even one made in the instant the page has loaded, waits for less of it; a
 * query then fetches only the index chunks of its words, preloaded while it is typed.
 * A search runs as soon as the query changes; while one runs, only the latest query waits
 * for it.
 *
 * Plan text reaches the page only as text: titles and facts through textContent, filter
 * values through option.text, and Pagefind's excerpts through an inert DOMParser
 * document from which only text and <mark> are kept.
 */
(function () {
  "use strict";
  var WORDS = /*RB_WORDS*/{};
  var OPTIONS = /*RB_OPTIONS*/{};
  var script = document.currentScript;
  if (!script || !script.src) return;
  // This file is <site>/assets/runbooks/search.js: the site's root is two folders up.
  var ROOT = new URL("../../", script.src);
  var BUNDLE = new URL("pagefind/pagefind.js", ROOT);
  var FILTERS = ["service", "status", "outcome", "strategy"];
  // Shorter queries match most of a large portal: slow to rank, useless to read.
  var MIN_QUERY = 2;
  var MIN_PRELOAD = 3;
  var loading = null;

  // Pagefind reads a hyphen-joined query word as one compound and, failing that, by its
  // first part only; a command or file fragment (a word with "-" and one of . / : =, such
  // as api-7.3.1.dump) is searched by its parts, which Pagefind indexes too.
  function terms(query) {
    return query.split(/\s+/).map(function (w) {
      return /-/.test(w) && /[.\/:=]/.test(w) ? w.split(/[-\/:=]+/).join(" ") : w;
    }).join(" ").trim();
  }

  function word(key) {
    return Object.prototype.hasOwnProperty.call(WORDS, key) ? WORDS[key] : key;
  }

  function valueWord(value) {
    var w = WORDS["value:" + value];
    return typeof w === "string" && w ? w : value;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function pagefind() {
    if (loading) return loading;
    var start = window.__rbPagefindStart;
    if (location.protocol === "file:") {
      loading = Promise.reject(new Error("file"));
    } else if (start && start.worker) {
      // If the early start's worker fails, Pagefind's own script takes over.
      loading = fromStart(start).catch(fromModule);
    } else {
      loading = fromModule();
    }
    loading.catch(function () {});
    return loading;
  }

  // Pagefind through its script, which creates its worker when it runs.
  function fromModule() {
    return import(BUNDLE.href).then(function (pf) {
      var options = { baseUrl: ROOT.pathname };
      for (var key in OPTIONS) options[key] = OPTIONS[key];
      return Promise.resolve(pf.options(options))
        .then(function () { return pf.init ? pf.init() : null; })
        .then(function () { return pf; });
    });
  }

  // Pagefind's worker as the early start created it at the top of the page's <head>
  // (search_start.py: the plugin's own pages, with Pagefind versions whose worker speaks
  // the messages used here, those pagefind.js sends it). The same calls as pagefind.js's:
  // search, preload, filters, and each result's data().
  function fromStart(start) {
    var worker = start.worker;
    var waiting = {};
    var next = 0;
    function settle(reply) {
      var wait = reply && waiting[reply.id];
      if (!wait) return;
      delete waiting[reply.id];
      if (reply.error) wait.reject(new Error(String(reply.error)));
      else wait.resolve(reply.result);
    }
    var dead = false;
    // The worker failed (it could not load, or stopped): what waits and what comes later
    // fails at once, rather than waiting for a reply that will not come.
    function fail() {
      dead = true;
      var all = waiting;
      waiting = {};
      for (var id in all) all[id].reject(new Error("worker"));
    }
    function send(method, args) {
      return new Promise(function (resolve, reject) {
        if (dead) return reject(new Error("worker"));
        var id = "rb-" + ++next;
        waiting[id] = { resolve: resolve, reject: reject };
        worker.postMessage({ id: id, instanceId: "rb", method: method, args: args });
      });
    }
    // A result's data stays in the worker until the result is let go of (as pagefind.js
    // does it).
    var kept = typeof FinalizationRegistry === "function" ? new FinalizationRegistry(
      function (id) { send("releaseData", [id]).catch(function () {}); }) : null;
    var api = {
      search: function (term, options) {
        return send("search", [term, options || {}]).then(function (found) {
          (found && found.results || []).forEach(function (result) {
            var id = result.data;
            if (kept) kept.register(result, id);
            result.data = function () { return send("getData", [id]); };
          });
          return found;
        });
      },
      preload: function (term) { return send("preload", [term, {}]); },
      filters: function () { return send("filters", []); },
    };
    // Pagefind answers "init" as soon as its worker script has run; a worker that does not
    // within 5 s (as pagefind.js waits for its own) is given up for pagefind.js.
    var ready = new Promise(function (resolve, reject) {
      waiting["rb-init"] = { resolve: resolve, reject: reject };
      setTimeout(function () {
        if (!waiting["rb-init"]) return;
        fail();
        worker.terminate();
      }, 5000);
    });
    worker.onmessage = function (event) { settle(event.data); };
    // A failure of the worker is handled here (search.js falls back to pagefind.js, or
    // says search failed): not reported to the page as an uncaught error.
    worker.onerror = function (event) {
      event.preventDefault();
      fail();
    };
    start.replies.forEach(settle);
    if (start.failed) fail();
    return ready.then(function () { return api; });
  }

  // Pagefind's excerpt is HTML (text with <mark>); keep only text and marks.
  function appendExcerpt(node, excerpt) {
    var doc = new DOMParser().parseFromString(String(excerpt || ""), "text/html");
    var parts = doc.body ? doc.body.childNodes : [];
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      if (part.nodeType === 1 && part.nodeName === "MARK") {
        node.appendChild(el("mark", "", part.textContent));
      } else {
        node.appendChild(document.createTextNode(part.textContent || ""));
      }
    }
  }

  function sameSite(url) {
    try {
      var u = new URL(url, ROOT);
      return u.origin === ROOT.origin ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function hit(data) {
    var href = sameSite(data.url);
    if (!href) return null;
    var meta = data.meta || {};
    var li = el("li", "md-search-result__item rb-search-hit");
    var a = el("a", "md-search-result__link rb-search-link");
    a.href = href;
    var article = el("article", "md-search-result__article md-typeset rb-search-article");
    article.appendChild(el("h2", "rb-search-title", meta.title || data.url));
    var facts = el("p", "rb-search-facts");
    [
      ["rb-search-service", meta.service],
      ["rb-search-release", meta.release],
      ["rb-search-date", meta.date],
      ["rb-search-status", meta.status ? valueWord(meta.status) : ""],
    ].forEach(function (fact) {
      if (!fact[1]) return;
      if (facts.childNodes.length) facts.appendChild(document.createTextNode(" · "));
      facts.appendChild(el("span", fact[0], fact[1]));
    });
    article.appendChild(facts);
    var excerpt = el("p", "rb-search-excerpt");
    appendExcerpt(excerpt, data.excerpt);
    article.appendChild(excerpt);
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  // One search UI in `box`: an optional input, filters, a status line and results.
  function Ui(box, options) {
    this.box = box;
    this.limit = options.limit;
    this.shown = 0;
    this.seq = 0;
    this.query = "";
    this.results = [];
    box.classList.add("rb-search");
    if (options.input) {
      this.input = el("input", "rb-search-input");
      this.input.type = "search";
      this.input.placeholder = word("placeholder");
      this.input.setAttribute("aria-label", word("label"));
      box.appendChild(this.input);
      var self = this;
      this.input.addEventListener("input", function () {
        preload(self.input.value);
        self.request(self.input.value);
      });
      this.input.addEventListener("focus", function () { preload(""); });
    }
    this.filters = el("div", "rb-search-filters");
    this.filters.hidden = true;
    box.appendChild(this.filters);
    this.status = el("p", "rb-search-count");
    this.status.setAttribute("aria-live", "polite");
    box.appendChild(this.status);
    this.list = el("ol", "md-search-result__list rb-search-results");
    box.appendChild(this.list);
    this.more = el("button", "md-button rb-search-more", word("more"));
    this.more.type = "button";
    this.more.hidden = true;
    box.appendChild(this.more);
    var ui = this;
    this.more.addEventListener("click", function () { ui.show(ui.limit); });
    this.selects = {};
  }

  Ui.prototype.fail = function (error) {
    this.status.textContent = word(error && error.message === "file" ? "file" : "failed");
  };

  Ui.prototype.loadFilters = function (pf) {
    var ui = this;
    if (ui.filtersLoaded) return Promise.resolve();
    ui.filtersLoaded = true;
    return pf.filters().then(function (all) {
      FILTERS.forEach(function (name) {
        var values = Object.keys((all && all[name]) || {}).sort();
        if (!values.length) return;
        var label = el("label", "rb-search-filter");
        label.appendChild(el("span", "rb-search-filter-name", word(name)));
        var select = el("select", "rb-search-select");
        select.name = name;
        select.setAttribute("data-rb-filter", name);
        select.appendChild(new Option(word("any"), ""));
        values.forEach(function (value) {
          var text = name === "service" ? value : valueWord(value);
          select.appendChild(new Option(text + " (" + all[name][value] + ")", value));
        });
        select.addEventListener("change", function () { ui.request(ui.query); });
        label.appendChild(select);
        ui.filters.appendChild(label);
        ui.selects[name] = select;
      });
      ui.filters.hidden = false;
    });
  };

  Ui.prototype.chosen = function () {
    var out = {};
    var any = false;
    for (var name in this.selects) {
      var value = this.selects[name].value;
      if (value) {
        out[name] = value;
        any = true;
      }
    }
    return any ? out : null;
  };

  // Search for `query` now, or, while a search runs, when it ends (only the latest query
  // waits: typing fast runs no search for every key, and no key waits for a timer).
  Ui.prototype.request = function (query) {
    var ui = this;
    if (ui.running) {
      ui.pending = query;
      return;
    }
    ui.running = true;
    ui.search(query).then(function () {
      ui.running = false;
      if (ui.pending === null || ui.pending === undefined) return;
      var next = ui.pending;
      ui.pending = null;
      ui.request(next);
    });
  };

  Ui.prototype.search = function (query) {
    var ui = this;
    var seq = ++ui.seq;
    var loaded = null;
    ui.query = String(query || "").trim();
    return pagefind()
      .then(function (pf) {
        loaded = pf;
        var filters = ui.chosen();
        if (ui.query.length < MIN_QUERY && !filters) return null;
        var query = ui.query.length >= MIN_QUERY ? terms(ui.query) : null;
        return pf.search(query, filters ? { filters: filters } : {});
      })
      .then(function (found) {
        // A newer query waits: it is shown instead (its results' data is not fetched).
        if (seq !== ui.seq || (ui.pending !== null && ui.pending !== undefined)) return;
        ui.list.textContent = "";
        ui.results = found ? found.results : [];
        ui.shown = 0;
        if (!found) {
          ui.status.textContent = "";
          ui.more.hidden = true;
          ui.box.removeAttribute("data-rb-state");
          return;
        }
        var n = ui.results.length;
        ui.status.textContent = n ? word("found").replace("{n}", String(n)) : word("none");
        return ui.show(ui.limit);
      })
      .then(function () {
        // The filters (a few requests) load once the first results are shown, so that
        // they do not hold Pagefind's worker up before them.
        if (loaded) ui.loadFilters(loaded).catch(function () {});
      })
      .catch(function (error) {
        if (seq === ui.seq) ui.fail(error);
      });
  };

  Ui.prototype.show = function (count) {
    var ui = this;
    var seq = ui.seq;
    var next = ui.results.slice(ui.shown, ui.shown + count);
    ui.shown += next.length;
    ui.more.hidden = ui.shown >= ui.results.length;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (datas) {
      if (seq !== ui.seq) return;
      datas.forEach(function (data) {
        var item = hit(data);
        if (item) ui.list.appendChild(item);
      });
      ui.box.setAttribute("data-rb-state", "done");
      ui.box.setAttribute("data-rb-query", ui.query); // what the results shown are for
    });
  };

  // Load Pagefind and the index chunks of what is typed so far, without waiting.
  function preload(query) {
    if (location.protocol === "file:") return;
    pagefind().then(function (pf) {
      var q = String(query || "").trim();
      if (q.length >= MIN_PRELOAD && pf.preload) pf.preload(terms(q));
    }).catch(function () {});
  }

  // Material's search dialog: plan results above Material's own.
  var dialog = null;
  function materialDialog(input) {
    var output = document.querySelector(".md-search-result");
    if (!output) return null;
    if (!dialog || !output.contains(dialog.box)) {
      var box = el("div", "rb-search-dialog");
      box.appendChild(el("p", "md-search-result__meta rb-search-heading", word("heading")));
      output.insertBefore(box, output.firstChild);
      dialog = new Ui(box, { input: false, limit: 5 });
    }
    return dialog;
  }

  function onDialogInput() {
    var input = document.querySelector("input.md-search__input");
    if (!input) return;
    var ui = materialDialog(input);
    if (ui) ui.request(input.value);
  }

  function isDialogInput(target) {
    return target && target.matches && target.matches("input.md-search__input");
  }

  document.addEventListener("input", function (event) {
    if (!isDialogInput(event.target)) return;
    preload(event.target.value);
    onDialogInput();
  }, true);
  // Opening the search box starts loading Pagefind if nothing has yet (instant navigation
  // to a page with a box, from one without).
  document.addEventListener("focusin", function (event) {
    if (isDialogInput(event.target)) preload("");
  }, true);

  // Pagefind starts loading as soon as this script runs (at the end of the page's body,
  // while the page still loads), so that its WebAssembly is compiled and its page list
  // read by the time someone searches, not only once the page has loaded and the browser
  // is idle. Only on a page with a search box it serves (a theme without Material's search
  // has one on the plans index); if none is parsed yet, at DOMContentLoaded.
  function startPagefind() {
    if (document.querySelector("input.md-search__input, [data-rb-search]")) preload("");
  }
  startPagefind();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startPagefind);
  }

  // The plans index's own search box.
  function mountBoxes() {
    var boxes = document.querySelectorAll("[data-rb-search]:not([data-rb-mounted])");
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].setAttribute("data-rb-mounted", "");
      boxes[i].hidden = false;
      var ui = new Ui(boxes[i], { input: true, limit: 20 });
      if (location.protocol === "file:") ui.fail(new Error("file"));
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mountBoxes); // Material's instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountBoxes);
  } else {
    mountBoxes();
  }
})();
