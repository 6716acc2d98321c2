/* What every page shares (docs/accessibility.md):
   - the menu button that collapses the navigation on a phone;
   - tables labelled for their card layout on a phone (each cell gets its column's name);
   - the result of an htmx action announced through a live region, and focus kept where the person was;
   - the error summary and the page's message focused on arrival, so the result is read first. */
(function () {
  "use strict";
  var live = document.getElementById("live-status");

  function announce(text) {
    if (!live || !text) return;
    // Clear first so that the same sentence twice is announced twice.
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }
  window.officeAnnounce = announce;

  function labelTables(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("table").forEach(function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      var columns = [];  // one name per column, a header spanning two columns named twice
      Array.prototype.forEach.call(head.cells, function (th) {
        for (var i = 0; i < (th.colSpan || 1); i++) columns.push(th.textContent.trim());
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var col = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("data-label")) {
              cell.setAttribute("data-label", cell.colSpan >= columns.length ? "" : (columns[col] || ""));
            }
            col += cell.colSpan || 1;
          });
        });
      });
    });
  }

  // A progress bar's width comes from its data-percent: the policy (CSP) allows no style attribute.
  function sizeBars(root) {
    (root.querySelectorAll ? root : document).querySelectorAll(".progress-bar[data-percent]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, parseFloat(bar.dataset.percent) || 0)) + "%";
    });
  }

  // "Back" goes back where there is a page to go back to, else home (its href).
  document.querySelectorAll("a[data-history-back]").forEach(function (a) {
    a.addEventListener("click", function (event) {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    });
  });

  // The navigation collapses behind a button on a narrow screen.
  var toggle = document.querySelector(".nav-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var nav = document.getElementById(toggle.getAttribute("aria-controls")).closest(".office-nav");
      var open = !nav.classList.contains("open");
      nav.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  labelTables(document);
  sizeBars(document);

  // Safety net for a page still titled with <div class="page-title">: expose it as the page's heading
  // (docs/accessibility.md asks for an <h1>; this keeps screen-reader heading navigation working).
  var main = document.getElementById("main");
  if (main && !main.querySelector("h1")) {
    var title = main.querySelector(".page-title");
    if (title) { title.setAttribute("role", "heading"); title.setAttribute("aria-level", "1"); }
  }

  // Long filter forms start closed on a phone, so the list is on the first screen.
  if (window.matchMedia && window.matchMedia("(max-width: 575.98px)").matches) {
    document.querySelectorAll("details[data-phone-closed]").forEach(function (d) { d.open = false; });
  }

  // A long multiple select (units, commissioners) gets a filter box above it: typing hides the options
  // that do not match; chosen options always stay visible. Progressive enhancement: without script the
  // select works as it is.
  function filterable(select) {
    if (select.hasAttribute("data-filter-ready") || select.options.length < 8) return;
    select.setAttribute("data-filter-ready", "");
    var zh = document.documentElement.lang.indexOf("zh") === 0;
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 select-filter";
    box.id = (select.id || "select") + "-filter";
    box.setAttribute("aria-controls", select.id);
    box.setAttribute("data-testid", "select-filter");
    var label = document.createElement("label");
    label.className = "visually-hidden";
    label.htmlFor = box.id;
    var name = select.labels && select.labels[0] ? select.labels[0].textContent.replace(/[*\s]|（必填）/g, "") : "";
    label.textContent = (zh ? "筛选" : "Filter ") + name;
    box.placeholder = zh ? "输入名称筛选…" : "Type to filter…";
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(select.options, function (o) {
        var hit = !q || o.selected || o.text.toLowerCase().indexOf(q) !== -1;
        o.hidden = !hit;
        if (hit) shown += 1;
      });
      announce((zh ? "显示 " : "Showing ") + shown + (zh ? " 项" : ""));
    });
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(box, select);
  }
  document.querySelectorAll("select[multiple]").forEach(filterable);

  // Arrival: an error summary first, else the page's message (the result of what was just done).
  var summary = document.querySelector("[data-error-summary]");
  var message = document.querySelector("[data-page-message]");
  if (summary) { summary.focus(); } else if (message) { message.focus({ preventScroll: false }); }

  if (window.htmx) {
    // A refresh that replaces the part of the page holding the focus (the inbox re-read when the live
    // count changes) gives the focus back to the element of the same id, so the person stays put.
    // (A second refresh may come before the first one settles: the id is kept until it is given back.)
    var keepFocus = null, keptAt = 0;
    function giveFocusBack() {
      if (!keepFocus || Date.now() - keptAt > 5000) { keepFocus = null; return; }
      var again = document.getElementById(keepFocus);
      if (!again) return;
      keepFocus = null;
      if (document.activeElement !== again) again.focus({ preventScroll: true });
    }
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      var active = document.activeElement, target = event.detail.target;
      if (active && active.id && target && target.contains(active)) { keepFocus = active.id; keptAt = Date.now(); }
    });
    document.body.addEventListener("htmx:afterSettle", giveFocusBack);
    document.body.addEventListener("htmx:afterSwap", function (event) {
      var target = event.detail.target;
      giveFocusBack();
      if (!target) return;
      labelTables(target);
      sizeBars(target);
      // A refreshed list says in one sentence what it now shows (an element marked data-announce).
      var summary = target.querySelector && target.querySelector("[data-announce]");
      if (summary) announce(summary.textContent.replace(/\s+/g, " ").trim());
      // The answer of an action: read out unless it already sits in a live region of its own.
      if (target.matches("#action-result, .action-result, [data-result]")) {
        if (!target.closest("[aria-live]")) announce(target.textContent.trim());
        // htmx leaves focus on the button that posted; if the button went away, focus the answer.
        if (document.activeElement === document.body || !document.body.contains(document.activeElement)) {
          target.setAttribute("tabindex", "-1");
          target.focus();
        }
      }
    });
    // A refused or failed request says so in words, where the person is.
    document.body.addEventListener("htmx:responseError", function (event) {
      announce(document.documentElement.lang.indexOf("zh") === 0 ? "操作未完成，请稍后重试。" : "The action did not complete.");
      void event;
    });
  }
})();
