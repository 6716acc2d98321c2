/* The idle-session warning (office/security): a minute before the server ends an idle session, a
   Chinese warning appears (role="alert"); any click or key press on the page is activity only once the
   page asks the server again, so the warning offers to stay signed in by reloading. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) { return; }
  var idle = parseInt(me.dataset.idle, 10) || 0;
  var warn = parseInt(me.dataset.warn, 10) || 60;
  if (!idle) { return; }
  var shown = null;
  var timers = [];

  function banner(text, action) {
    if (shown) { shown.remove(); }
    var box = document.createElement("div");
    box.className = "alert alert-warning session-warning m-0 rounded-0 text-center";
    box.setAttribute("role", "alert");
    box.setAttribute("data-testid", "session-warning");
    box.textContent = text + " ";
    if (action) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn btn-sm btn-danger ms-2";
      btn.textContent = action.label;
      btn.addEventListener("click", action.run);
      box.appendChild(btn);
    }
    document.body.insertBefore(box, document.body.firstChild);
    shown = box;
  }

  function schedule() {
    timers.forEach(clearTimeout);
    timers = [];
    if (shown) { shown.remove(); shown = null; }
    timers.push(setTimeout(function () {
      banner(me.dataset.message, { label: me.dataset.stay, run: function () { window.location.reload(); } });
    }, Math.max(0, (idle - warn) * 1000)));
    timers.push(setTimeout(function () {
      banner(me.dataset.ended, { label: me.dataset.relogin, run: function () { window.location.href = me.dataset.login; } });
    }, idle * 1000));
  }

  // htmx requests reach the server: they count as activity there, so the clock starts again here
  document.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
