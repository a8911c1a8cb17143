/* mkdocs-runbooks: tick boxes kept in the browser.
 *
 * The page is complete without this script: the tick boxes are plain checkboxes in the
 * HTML. The script keeps their state in localStorage (this browser only), keyed by the
 * page's full URL path (the same portal under /pr-123/ and /prod/ on one origin keeps two
 * sets of ticks) and by each item's stable id (data-rb-item) with its content hash
 * (data-rb-hash). When storage is blocked, or a write fails (storage full), ticks last for
 * this visit and the page says so. A tick whose item changed since it was ticked is dropped
 * and listed in a notice. The script also fills the progress elements, adds the "Copy run
 * record" and "Reset" controls, and the print-only parts (sign-off boxes, rollback owner
 * and triggers on the first page), and a copy button on each command block that copies
 * the command exactly (data-rb-copy when the page shows hidden characters as <U+XXXX>,
 * else the text shown, trailing spaces included).
 *
 * Plain JavaScript, no dependencies. Works with Material's instant navigation: it
 * subscribes to document$ when that exists and sets up each new page once; the document
 * level listeners are added once per window. Plan text is only ever set with textContent.
 */
(function () {
  'use strict';

  if (window.__mkdocsRunbooks) {
    return; // loaded twice (e.g. listed twice in extra_javascript): the first copy works
  }
  window.__mkdocsRunbooks = { version: 1 };

  var KEY_PREFIX = 'mkdocs-runbooks/v1/';
  var STYLE_ID = 'rb-runbooks-js-style';

  var TEXT = {
    steps: function (done, total) { return done + ' of ' + total + ' steps'; },
    checks: function (done, total) { return done + ' of ' + total + ' checklist items'; },
    copy: 'Copy run record',
    reset: 'Reset ticks',
    resetConfirm: 'Clear all ticks of this plan in this browser? This cannot be undone.',
    resetDone: 'Ticks of this plan cleared.',
    copied: 'Run record copied to the clipboard. It is also shown below.',
    notCopied: 'Could not copy to the clipboard: select the run record below and copy it.',
    recordLabel: 'Run record (Markdown)',
    noStorage: 'Ticks are not saved: this browser does not allow local storage.',
    changedTitle: 'Changed since ticked.',
    changedText: 'These items changed in the plan after they were ticked in this browser, ' +
      'so their ticks were removed. Check them again:',
    changedFlag: 'changed since it was ticked',
    removed: 'no longer in the plan',
    tickedAt: 'ticked',
    dismiss: 'Dismiss',
    initials: 'Initials',
    time: 'Time',
    rollback: 'Rollback',
    triggers: 'Triggers',
    tickedTitle: 'Ticked at ',
    copyCode: 'Copy',
    codeCopied: 'Copied',
    codeNotCopied: 'Not copied',
    kept: 'Ticks are kept in this browser only; use \u201cCopy run record\u201d to share them.'
  };

  // The page's own words (the plugin's translation table, `words` option), as JSON in
  // data-rb-words; "{done}" and "{total}" stand for the numbers in the progress texts.
  function useWords(json) {
    var words;
    try {
      words = JSON.parse(json || '{}');
    } catch (e) {
      return;
    }
    Object.keys(words).forEach(function (key) {
      var text = String(words[key]);
      if (key === 'steps' || key === 'checks') {
        TEXT[key] = function (done, total) {
          return text.replace('{done}', done).replace('{total}', total);
        };
      } else if (Object.prototype.hasOwnProperty.call(TEXT, key)) {
        TEXT[key] = text;
      }
    });
  }

  var CSS = [
    '@media screen {',
    '.rb-progress-all { margin: 0.8em 0 0.8em; padding: 0.5em 0.9em; border: 1px solid var(--rb-border, #d0d7de); border-radius: 0.3em; }',
    '.rb-progress-line { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4em 1em; margin: 0; }',
    '.rb-progress-all progress { flex: 1 1 8em; max-width: 18em; height: 0.7em; accent-color: var(--rb-ok, #2e7d32); }',
    '.rb-progress-checks { color: var(--rb-muted, #59636e); font-size: 0.9em; }',
    '.rb-progress.rb-complete, .rb-progress-all.rb-complete .rb-progress-text { color: var(--rb-ok, #2e7d32); }',
    '.rb-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em 0.8em; margin-top: 0.6em; }',
    '.rb-button { font: inherit; font-size: 0.8em; font-weight: 600; padding: 0.3em 0.9em; cursor: pointer; color: inherit;',
    '  background: transparent; border: 1px solid var(--rb-border, #d0d7de); border-radius: 0.2em; }',
    '.rb-button:hover, .rb-button:focus-visible { border-color: var(--md-accent-fg-color, currentColor); color: var(--md-accent-fg-color, inherit); }',
    '.rb-progress-all:not([hidden]) { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4em 1.2em; }',
    '.rb-progress-all > .rb-progress-line { flex: 1 1 22em; }',
    '.rb-progress-all > .rb-controls { margin-top: 0; }',
    '.rb-progress-all > .rb-kept, .rb-progress-all > .rb-record { flex: 1 1 100%; }',
    '.rb-kept { margin: 0; font-size: 0.8em; color: var(--rb-muted, #59636e); }',
    '.rb-status-msg { font-size: 0.8em; color: var(--rb-muted, #59636e); }',
    '.rb-record { display: block; box-sizing: border-box; width: 100%; min-height: 14em; margin-top: 0.6em; padding: 0.5em;',
    '  font-family: var(--md-code-font-family, monospace); font-size: 0.75em; color: var(--rb-code-fg, inherit);',
    '  background: var(--rb-code-bg, transparent); border: 1px solid var(--rb-border, #d0d7de); border-radius: 0.2em; }',
    '.rb-record[hidden] { display: none; }',
    '.rb-notice { margin: 1em 0; padding: 0.5em 0.9em; border: 1px solid var(--rb-warn, #b26a00);',
    '  border-left-width: 0.3rem; border-radius: 0.2em; }',
    '.rb-notice p { margin: 0.3em 0; }',
    '.rb-notice ul { margin: 0.3em 0 0.5em; }',
    '.rb-changed-flag { margin-left: 0.6em; font-size: 0.8em; font-weight: 600; color: var(--rb-warn, #b26a00); }',
    '.rb-tick input:focus-visible { outline: 2px solid var(--md-accent-fg-color, #1565c0); outline-offset: 2px; }',
    '}'
  ].join('\n');

  // --- storage -------------------------------------------------------------------------

  var memory = {}; // used when localStorage cannot be used: ticks last for this visit only
  var storageOK = (function () {
    try {
      var probe = KEY_PREFIX + 'probe';
      window.localStorage.setItem(probe, '1');
      window.localStorage.removeItem(probe);
      return true;
    } catch (e) {
      return false;
    }
  })();

  function emptyState() {
    return { v: 1, items: {}, changed: [] };
  }

  /** The storage key of the plan shown at the current address (full path, no index.html). */
  function storageKey() {
    return KEY_PREFIX + window.location.pathname.replace(/index\.html$/, '');
  }

  function load(plan) {
    var raw = null;
    if (storageOK) {
      try {
        raw = window.localStorage.getItem(plan);
      } catch (e) {
        raw = null;
      }
    } else if (Object.prototype.hasOwnProperty.call(memory, plan)) {
      raw = memory[plan];
    }
    if (!raw) {
      return emptyState();
    }
    try {
      var data = JSON.parse(raw);
      if (!data || typeof data !== 'object' || data.v !== 1) {
        return emptyState();
      }
      if (!data.items || typeof data.items !== 'object') data.items = {};
      if (!Array.isArray(data.changed)) data.changed = [];
      return data;
    } catch (e) {
      return emptyState();
    }
  }

  /** Store a plan's state; false when it could only be kept for this visit. */
  function save(plan, state) {
    var empty = Object.keys(state.items).length === 0 && state.changed.length === 0;
    var raw = JSON.stringify(state);
    if (storageOK) {
      try {
        if (empty) {
          window.localStorage.removeItem(plan);
        } else {
          window.localStorage.setItem(plan, raw);
        }
        return true;
      } catch (e) {
        // quota or a storage blocked since the page loaded: keep the ticks for this visit,
        // from memory from now on, and say so
        storageOK = false;
      }
    }
    if (empty) {
      delete memory[plan];
    } else {
      memory[plan] = raw;
    }
    if (current && current.status) current.status.textContent = TEXT.noStorage;
    return false;
  }

  function clear(plan) {
    delete memory[plan];
    if (storageOK) {
      try {
        window.localStorage.removeItem(plan);
      } catch (e) {
        // nothing to clear
      }
    }
  }

  // --- DOM helpers ---------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function toArray(list) {
    return Array.prototype.slice.call(list);
  }

  function headingText(h) {
    if (!h) return '';
    var copy = h.cloneNode(true);
    toArray(copy.querySelectorAll('.headerlink')).forEach(function (a) {
      a.parentNode.removeChild(a);
    });
    return copy.textContent.replace(/\s+/g, ' ').trim();
  }

  function itemId(box) {
    return box.getAttribute('data-rb-item');
  }

  function itemHash(box) {
    return box.getAttribute('data-rb-hash') || '';
  }

  function itemLabel(box) {
    var label = box.closest('label');
    var sr = label && label.querySelector('.rb-sr');
    var text = sr ? sr.textContent : '';
    if (!text) {
      var li = box.closest('li');
      var own = li && li.querySelector('.rb-check-text');
      text = own ? own.textContent : itemId(box);
    }
    return text.replace(/\s+/g, ' ').trim();
  }

  function itemKind(box) {
    var id = itemId(box) || '';
    if (id.indexOf('migration:') === 0) return 'migration';
    if (id.indexOf('check:') === 0) return 'check';
    if (box.closest('.rb-rollback')) return 'rollback';
    return 'step';
  }

  /** The element whose id an item's link points at: its heading (step) or checklist title. */
  function anchorOf(box) {
    var holder = box.closest('.rb-step') || box.closest('ul.rb-checklist');
    var prev = holder && holder.previousElementSibling;
    while (prev && !/^H[1-6]$/.test(prev.tagName)) {
      prev = prev.previousElementSibling;
    }
    return prev && prev.id ? prev.id : '';
  }

  function stripIds(node) {
    if (node.removeAttribute) node.removeAttribute('id');
    toArray(node.querySelectorAll('[id]')).forEach(function (n) {
      n.removeAttribute('id');
    });
    return node;
  }

  function insertAfter(node, ref) {
    ref.parentNode.insertBefore(node, ref.nextSibling);
  }

  function ensureStyle() {
    // Material's instant navigation drops head elements the next page does not have, so
    // the style element is checked on every page.
    if (document.getElementById(STYLE_ID)) return;
    var style = el('style');
    style.id = STYLE_ID;
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  function localTime(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso || '') : d.toLocaleString();
  }

  // --- the current page ----------------------------------------------------------------

  var current = null; // {plan, release, root, header, boxes, phases, all, ...}

  function collectPhases(root) {
    var phases = [];
    toArray(root.querySelectorAll('[data-rb-progress^="phase-"]')).forEach(function (out) {
      var meta = out.closest('.rb-phase-meta') || out.parentNode;
      var boxes = [];
      var node = meta.nextElementSibling;
      while (node && node.tagName !== 'H2' && node.tagName !== 'SECTION' &&
             !(node.matches && node.matches('[data-rb-progress="all"]'))) {
        if (node.matches('input[data-rb-item]')) {
          boxes.push(node);
        }
        toArray(node.querySelectorAll('input[data-rb-item]')).forEach(function (b) {
          boxes.push(b);
        });
        node = node.nextElementSibling;
      }
      phases.push({ out: out, boxes: boxes });
    });
    return phases;
  }

  function addSignoffs(root) {
    toArray(root.querySelectorAll('.rb-step')).forEach(function (step) {
      if (step.querySelector(':scope > .rb-signoff')) return;
      var box = el('div', 'rb-signoff');
      box.hidden = true; // shown by print.css only
      box.setAttribute('aria-hidden', 'true');
      [TEXT.initials, TEXT.time].forEach(function (word) {
        var line = el('span', 'rb-signoff-field');
        line.appendChild(el('span', 'rb-signoff-label', word));
        line.appendChild(el('span', 'rb-signoff-blank'));
        box.appendChild(line);
      });
      step.insertBefore(box, step.firstChild);
    });
  }

  function addPrintFirst(ctx) {
    var section = ctx.root.querySelector('.rb-rollback');
    if (!section || ctx.root.querySelector('.rb-print-first')) return;
    var block = el('div', 'rb-print-first');
    block.hidden = true; // shown by print.css only
    block.setAttribute('aria-hidden', 'true');
    block.appendChild(el('p', 'rb-print-title', headingText(section.querySelector('h2')) || TEXT.rollback));
    var facts = section.querySelector('dl.rb-facts');
    if (facts) block.appendChild(stripIds(facts.cloneNode(true)));
    var triggers = section.querySelector('table.rb-triggers');
    if (triggers) {
      var caption = triggers.previousElementSibling;
      var title = caption && /^H[1-6]$/.test(caption.tagName) ? headingText(caption) : TEXT.triggers;
      block.appendChild(el('p', 'rb-print-subtitle', title));
      block.appendChild(stripIds(triggers.cloneNode(true)));
    }
    insertAfter(block, ctx.header);
  }

  function addControls(ctx) {
    var all = ctx.root.querySelector('[data-rb-progress="all"]');
    if (!all) {
      all = el('div', 'rb-progress-all');
      all.setAttribute('data-rb-progress', 'all');
      var firstPhase = ctx.root.querySelector('.rb-phase-title');
      if (firstPhase) {
        firstPhase.parentNode.insertBefore(all, firstPhase);
      } else {
        insertAfter(all, ctx.header);
      }
    }
    while (all.firstChild) all.removeChild(all.firstChild);
    all.hidden = false;

    var line = el('p', 'rb-progress-line');
    var text = el('strong', 'rb-progress-text');
    var bar = el('progress');
    bar.setAttribute('aria-hidden', 'true');
    var checks = el('span', 'rb-progress-checks');
    line.appendChild(text);
    line.appendChild(bar);
    line.appendChild(checks);
    all.appendChild(line);

    var controls = el('div', 'rb-controls');
    var copy = el('button', 'rb-button', TEXT.copy);
    copy.type = 'button';
    copy.setAttribute('data-rb-action', 'record');
    var reset = el('button', 'rb-button', TEXT.reset);
    reset.type = 'button';
    reset.setAttribute('data-rb-action', 'reset');
    var status = el('span', 'rb-status-msg');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    if (!storageOK) status.textContent = TEXT.noStorage;
    controls.appendChild(copy);
    addOutcomeControls(controls);
    controls.appendChild(reset);
    controls.appendChild(status);
    all.appendChild(controls);
    all.appendChild(el('p', 'rb-kept', TEXT.kept));

    var record = el('textarea', 'rb-record');
    record.readOnly = true;
    record.hidden = true;
    record.setAttribute('aria-label', TEXT.recordLabel);
    record.setAttribute('spellcheck', 'false');
    all.appendChild(record);

    ctx.all = all;
    ctx.progressText = text;
    ctx.progressBar = bar;
    ctx.progressChecks = checks;
    ctx.status = status;
    ctx.record = record;
  }

  function setup(doc) {
    var header = (doc || document).querySelector('.rb-header[data-rb-plan]');
    if (!header) {
      current = null;
      return;
    }
    if (current && current.header === header) return; // this page is set up already
    useWords(header.getAttribute('data-rb-words'));
    ensureStyle();
    var root = header.closest('article') || header.parentNode;
    var ctx = {
      plan: storageKey(),
      source: header.getAttribute('data-rb-plan'),
      release: header.getAttribute('data-rb-release') || '',
      header: header,
      root: root,
      boxes: toArray(root.querySelectorAll('input[type="checkbox"][data-rb-item]')),
      phases: collectPhases(root)
    };
    addSignoffs(root);
    addCopyButtons(root);
    addPrintFirst(ctx);
    addControls(ctx);
    current = ctx;
    apply(ctx);
  }

  // --- state -> page -------------------------------------------------------------------

  /** Set the boxes from storage; drop ticks of items that changed or went away. */
  function apply(ctx) {
    var state = load(ctx.plan);
    var byId = {};
    ctx.boxes.forEach(function (box) {
      byId[itemId(box)] = box;
    });
    var dirty = false;
    Object.keys(state.items).forEach(function (id) {
      var tick = state.items[id] || {};
      var box = byId[id];
      if (!box || tick.h !== itemHash(box)) {
        state.changed = state.changed.filter(function (c) { return c.id !== id; });
        state.changed.push({ id: id, l: tick.l || id, t: tick.t || '', gone: !box });
        delete state.items[id];
        dirty = true;
      }
    });
    if (dirty) save(ctx.plan, state);

    var changedIds = {};
    state.changed.forEach(function (c) {
      changedIds[c.id] = true;
    });
    ctx.boxes.forEach(function (box) {
      var tick = state.items[itemId(box)];
      box.checked = !!tick;
      var label = box.closest('label');
      if (label) {
        if (tick && tick.t) {
          label.title = TEXT.tickedTitle + localTime(tick.t);
        } else {
          label.removeAttribute('title');
        }
      }
      setFlag(box, !tick && !!changedIds[itemId(box)]);
    });
    renderNotice(ctx, state.changed);
    updateProgress(ctx);
  }

  function setFlag(box, on) {
    var label = box.closest('label') || box;
    var holder = label.parentNode;
    var flag = holder.querySelector(':scope > .rb-changed-flag');
    var item = box.closest('.rb-step') || box.closest('li');
    if (on && !flag) {
      flag = el('span', 'rb-changed-flag', TEXT.changedFlag);
      if (holder.tagName === 'LI') {
        holder.appendChild(flag);
      } else {
        insertAfter(flag, label);
      }
    } else if (!on && flag) {
      holder.removeChild(flag);
    }
    if (item) item.classList.toggle('rb-item-changed', on);
  }

  function renderNotice(ctx, changed) {
    var old = ctx.root.querySelector('.rb-changed-notice');
    if (old) old.parentNode.removeChild(old);
    if (!changed.length) return;
    var byId = {};
    ctx.boxes.forEach(function (box) {
      byId[itemId(box)] = box;
    });
    var notice = el('div', 'rb-notice rb-changed-notice');
    notice.setAttribute('role', 'status');
    var p = el('p');
    p.appendChild(el('strong', null, TEXT.changedTitle));
    p.appendChild(document.createTextNode(' ' + TEXT.changedText));
    notice.appendChild(p);
    var list = el('ul', 'rb-changed-list');
    changed.forEach(function (c) {
      var li = el('li');
      li.setAttribute('data-rb-changed', c.id);
      var box = byId[c.id];
      var anchor = box ? anchorOf(box) : '';
      var name = box ? itemLabel(box) : c.l;
      if (anchor) {
        var a = el('a', null, name);
        a.href = '#' + anchor;
        li.appendChild(a);
      } else {
        li.appendChild(document.createTextNode(name));
      }
      var extra = [];
      if (c.t) extra.push(TEXT.tickedAt + ' ' + localTime(c.t));
      if (c.gone || !box) extra.push(TEXT.removed);
      if (extra.length) li.appendChild(document.createTextNode(' (' + extra.join('; ') + ')'));
      list.appendChild(li);
    });
    notice.appendChild(list);
    var dismiss = el('button', 'rb-button', TEXT.dismiss);
    dismiss.type = 'button';
    dismiss.setAttribute('data-rb-action', 'dismiss');
    notice.appendChild(dismiss);
    insertAfter(notice, ctx.header);
  }

  function counts(boxes) {
    var done = 0;
    boxes.forEach(function (b) {
      if (b.checked) done += 1;
    });
    return { done: done, total: boxes.length };
  }

  function updateProgress(ctx) {
    ctx.phases.forEach(function (phase) {
      var c = counts(phase.boxes);
      phase.out.textContent = TEXT.steps(c.done, c.total);
      phase.out.classList.toggle('rb-complete', c.total > 0 && c.done === c.total);
    });
    var steps = counts(ctx.boxes.filter(function (b) {
      var kind = itemKind(b);
      return kind === 'step' || kind === 'migration';
    }));
    var checks = counts(ctx.boxes.filter(function (b) { return itemKind(b) === 'check'; }));
    ctx.progressText.textContent = TEXT.steps(steps.done, steps.total);
    ctx.progressBar.max = Math.max(steps.total, 1);
    ctx.progressBar.value = steps.done;
    ctx.progressChecks.textContent = checks.total ? TEXT.checks(checks.done, checks.total) : '';
    ctx.all.classList.toggle('rb-complete', steps.total > 0 && steps.done === steps.total);
  }

  // --- run record ----------------------------------------------------------------------

  function md(text) {
    return String(text).replace(/([\\`*_[\]<>])/g, '\\$1');
  }

  function runRecord(ctx) {
    var state = load(ctx.plan);
    var title = headingText(ctx.root.querySelector('h1'));
    var steps = counts(ctx.boxes.filter(function (b) {
      var kind = itemKind(b);
      return kind === 'step' || kind === 'migration';
    }));
    var lines = [
      '# Run record: ' + md(title || ctx.source),
      '',
      '- Plan: ' + md(ctx.source),
      '- Release: ' + md(ctx.release),
      '- Page: ' + location.href.split('#')[0],
      '- Recorded at: ' + new Date().toISOString(),
      '- Progress: ' + TEXT.steps(steps.done, steps.total)
    ];
    var group = null;
    var h2 = '';
    toArray(ctx.root.querySelectorAll('h2, input[type="checkbox"][data-rb-item]')).forEach(function (node) {
      if (node.tagName === 'H2') {
        h2 = headingText(node);
        return;
      }
      var name = h2;
      if (itemKind(node) === 'check') {
        var list = node.closest('ul.rb-checklist');
        var sub = list && list.previousElementSibling;
        if (sub && /^H[1-6]$/.test(sub.tagName)) name = h2 + ': ' + headingText(sub);
      }
      if (name !== group) {
        group = name;
        lines.push('', '## ' + md(name || ctx.source), '');
      }
      var tick = state.items[itemId(node)];
      var on = node.checked && tick;
      lines.push('- [' + (on ? 'x' : ' ') + '] ' + md(itemLabel(node)) +
        (on && tick.t ? ' (' + TEXT.tickedAt + ' ' + tick.t + ')' : ''));
    });
    if (state.changed.length) {
      lines.push('', '## ' + md(TEXT.changedTitle.replace(/\.$/, '')), '');
      state.changed.forEach(function (c) {
        lines.push('- ' + md(c.l) + (c.t ? ' (' + TEXT.tickedAt + ' ' + c.t + ')' : '') +
          (c.gone ? ' (' + TEXT.removed + ')' : ''));
      });
    }
    return lines.join('\n') + '\n';
  }

  // --- run record as an outcome: block (closing the loop) --------------------------------
  // The run as the plan's `outcome:` key, ready to paste into deployment-plan.yaml:
  // started at the first tick, finished at the last, the tick times of every item in
  // `notes`, and the result chosen next to the button. Strings are JSON (a YAML subset).

  var OUTCOME_RESULTS = ['success', 'success-with-issues', 'rolled-back', 'aborted'];

  function outcomeWord(key, fallback) {
    return typeof TEXT[key] === 'string' ? TEXT[key] : fallback;
  }

  function addOutcomeControls(controls) {
    var select = el('select', 'rb-outcome-result');
    select.setAttribute('aria-label', outcomeWord('outcomeResult', 'Result of the run'));
    OUTCOME_RESULTS.forEach(function (value) {
      var option = el('option', null, value);
      option.value = value;
      select.appendChild(option);
    });
    var button = el('button', 'rb-button', outcomeWord('outcomeCopy', 'Copy as outcome: YAML'));
    button.type = 'button';
    button.setAttribute('data-rb-action', 'outcome');
    controls.appendChild(select);
    controls.appendChild(button);
  }

  function yamlString(text) {
    // JSON string escapes are YAML's; also escape what YAML reads as breaks or refuses.
    return JSON.stringify(String(text)).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, function (c) {
      return '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  function outcomeRecord(ctx) {
    var state = load(ctx.plan);
    var select = ctx.root.querySelector('select.rb-outcome-result');
    var result = select && OUTCOME_RESULTS.indexOf(select.value) >= 0 ? select.value : 'success';
    var ticks = [];
    ctx.boxes.forEach(function (box) {
      var tick = state.items[itemId(box)];
      if (box.checked && tick && tick.t) {
        ticks.push({ t: String(tick.t).replace(/\.\d+Z$/, 'Z'), l: itemLabel(box) });
      }
    });
    ticks.sort(function (a, b) { return a.t < b.t ? -1 : a.t > b.t ? 1 : 0; });
    var lines = ['outcome:', '  result: ' + result];
    if (ticks.length) {
      lines.push('  started: ' + yamlString(ticks[0].t));
      lines.push('  finished: ' + yamlString(ticks[ticks.length - 1].t));
    }
    var notes = [outcomeWord('outcomeNotes', 'Run record from the runbook page') + ' (' +
      ticks.length + ' / ' + ctx.boxes.length + ').'];
    if (ticks.length) {
      notes.push('');
      ticks.forEach(function (tick) {
        notes.push('- ' + tick.t + ' ' + md(tick.l));
      });
    }
    lines.push('  notes: ' + yamlString(notes.join('\n')));
    return lines.join('\n') + '\n';
  }

  function showRecord(ctx, text) {
    ctx.record.value = text;
    ctx.record.hidden = false;
    ctx.record.rows = Math.min(Math.max(text.split('\n').length, 8), 30);
    copyText(text, ctx.record, function (ok) {
      if (current !== ctx) return;
      ctx.status.textContent = ok ? TEXT.copied : TEXT.notCopied;
      if (!ok) {
        ctx.record.focus();
        ctx.record.select();
      }
    });
  }

  function copyText(text, area, done) {
    function fallback() {
      var ok = false;
      try {
        area.focus();
        area.select();
        ok = !!(document.execCommand && document.execCommand('copy'));
      } catch (e) {
        ok = false;
      }
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  // --- command blocks: a copy button that copies the exact bytes --------------------------

  function addCopyButtons(root) {
    toArray(root.querySelectorAll('.rb-code')).forEach(function (block) {
      if (block.querySelector(':scope > .rb-copy')) return;
      var button = el('button', 'rb-copy', TEXT.copyCode);
      button.type = 'button';
      button.setAttribute('data-rb-action', 'copy-code');
      block.insertBefore(button, block.firstChild);
    });
  }

  /** What a command block copies: the exact command, never trimmed. */
  function codeText(block) {
    var exact = block.getAttribute('data-rb-copy');
    if (exact !== null) return exact;
    var code = block.querySelector('pre code') || block.querySelector('pre');
    return code ? code.textContent : '';
  }

  function copyCode(button) {
    var block = button.closest('.rb-code');
    if (!block) return;
    var text = codeText(block);
    function show(ok) {
      button.textContent = ok ? TEXT.codeCopied : TEXT.codeNotCopied;
      window.setTimeout(function () { button.textContent = TEXT.copyCode; }, 1500);
    }
    var area = el('textarea', 'rb-sr');
    area.value = text;
    area.setAttribute('aria-hidden', 'true');
    block.appendChild(area);
    copyText(text, area, function (ok) {
      if (area.parentNode) area.parentNode.removeChild(area);
      show(ok);
    });
  }

  // --- events (added once per window) --------------------------------------------------

  function onChange(event) {
    var box = event.target;
    if (!current || !box.matches || !box.matches('input[type="checkbox"][data-rb-item]')) return;
    if (!current.root.contains(box)) return;
    var ctx = current;
    var id = itemId(box);
    var state = load(ctx.plan);
    var label = box.closest('label');
    if (box.checked) {
      var now = new Date().toISOString();
      state.items[id] = { h: itemHash(box), t: now, l: itemLabel(box) };
      if (label) label.title = TEXT.tickedTitle + localTime(now);
    } else {
      delete state.items[id];
      if (label) label.removeAttribute('title');
    }
    var before = state.changed.length;
    state.changed = state.changed.filter(function (c) { return c.id !== id; });
    save(ctx.plan, state);
    setFlag(box, false);
    if (state.changed.length !== before) renderNotice(ctx, state.changed);
    updateProgress(ctx);
  }

  function onClick(event) {
    var target = event.target;
    var button = target && target.closest ? target.closest('[data-rb-action]') : null;
    if (button && button.getAttribute('data-rb-action') === 'copy-code') {
      copyCode(button);
      return;
    }
    if (!current || !button || !current.root.contains(button)) return;
    var ctx = current;
    var action = button.getAttribute('data-rb-action');
    if (action === 'reset') {
      if (!window.confirm(TEXT.resetConfirm)) return;
      clear(ctx.plan);
      ctx.record.hidden = true;
      ctx.record.value = '';
      apply(ctx);
      ctx.status.textContent = TEXT.resetDone;
    } else if (action === 'dismiss') {
      var state = load(ctx.plan);
      state.changed = [];
      save(ctx.plan, state);
      apply(ctx);
    } else if (action === 'outcome') {
      showRecord(ctx, outcomeRecord(ctx));
    } else if (action === 'record') {
      showRecord(ctx, runRecord(ctx));
    }
  }

  function onStorage(event) {
    // Another tab of this site ticked something: show the same state here.
    if (current && (event.key === null || event.key === current.plan)) {
      apply(current);
    }
  }

  document.addEventListener('change', onChange);
  document.addEventListener('click', onClick);
  window.addEventListener('storage', onStorage);

  if (window.document$ && typeof window.document$.subscribe === 'function') {
    window.document$.subscribe(function () {
      setup(document);
    });
  } else if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () {
      setup(document);
    });
  } else {
    setup(document);
  }
})();
