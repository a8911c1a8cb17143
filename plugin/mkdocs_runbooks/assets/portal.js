/* mkdocs-runbooks: filters for the plan index. Without JavaScript the full table stays. */
(function () {
  "use strict";
  var COLUMNS = { service: 1, strategy: 4, status: 6, outcome: 7 };

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function setup() {
    var box = document.querySelector("[data-rb-filter]");
    if (!box || box.getAttribute("data-rb-ready")) return;
    var table = null;
    var node = box.closest("p, div") || box;
    var tables = document.querySelectorAll("article table, .md-content table, table");
    for (var i = 0; i < tables.length; i++) {
      if (node.compareDocumentPosition(tables[i]) & Node.DOCUMENT_POSITION_FOLLOWING) {
        table = tables[i];
        break;
      }
    }
    if (!table || !table.tBodies.length) return;
    box.setAttribute("data-rb-ready", "1");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var controls = {};

    var text = document.createElement("input");
    text.type = "search";
    text.placeholder = "Filter plans";
    text.setAttribute("aria-label", "Filter plans by text");
    text.className = "rb-filter-text";
    box.appendChild(text);

    Object.keys(COLUMNS).forEach(function (name) {
      var values = {};
      rows.forEach(function (row) { values[cellText(row, COLUMNS[name])] = true; });
      var select = document.createElement("select");
      select.setAttribute("aria-label", "Filter by " + name);
      select.setAttribute("data-rb-filter-by", name);
      var any = document.createElement("option");
      any.value = "";
      any.textContent = "any " + name;
      select.appendChild(any);
      Object.keys(values).sort().forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        select.appendChild(option);
      });
      controls[name] = select;
      box.appendChild(select);
    });

    var count = document.createElement("span");
    count.className = "rb-filter-count";
    count.setAttribute("aria-live", "polite");
    box.appendChild(count);

    function apply() {
      var needle = text.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var ok = !needle || row.textContent.toLowerCase().indexOf(needle) !== -1;
        Object.keys(controls).forEach(function (name) {
          var want = controls[name].value;
          if (want && cellText(row, COLUMNS[name]) !== want) ok = false;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " plans";
    }
    box.addEventListener("input", apply);
    box.addEventListener("change", apply);
    box.hidden = false;
    apply();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
