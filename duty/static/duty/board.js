// Counts down every limit between two polls of the fragment; the server's clock is the reference.
// A limit inside its warning lead or past due is an alarm; each alarm (data-key) is announced once,
// when it first appears, not on every refresh or every second.
(function () {
  var T = document.currentScript.dataset;  // the page's words, from the script tag (translated there)
  var OVERDUE = T.overdue, SOON = T.soon, NEW_ALARM = T.newAlarm;
  var announced = {}, paused = false;
  var banner = document.getElementById("duty-alarm"), region = document.getElementById("duty-alarm-announce");
  var pause = document.getElementById("duty-alarm-pause");
  pause.addEventListener("click", function () {
    paused = !paused;
    banner.classList.toggle("blinking", !paused);
    pause.setAttribute("aria-pressed", paused ? "true" : "false");
    pause.textContent = paused ? T.resume : T.stop;
  });
  function pad(n) { return String(n).padStart(2, "0"); }
  function fmt(s) { s = Math.abs(s); var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), x = Math.floor(s % 60);
    return (h ? h + ":" : "") + pad(m) + ":" + pad(x); }
  function tick() {
    var root = document.getElementById("duty-live"); if (!root) return;
    var offset = (parseFloat(root.dataset.serverNow) * 1000) - parseFloat(root.dataset.loadedAt);
    var now = Date.now() + offset, alarm = root.dataset.alarm === "1", fresh = [];
    root.querySelectorAll("[data-due]").forEach(function (el) {
      var left = (parseFloat(el.dataset.due) * 1000 - now) / 1000, lead = parseFloat(el.dataset.lead || "300");
      var row = el.closest("[data-limit]"), state = row && row.querySelector(".limit-state");
      el.textContent = fmt(left);
      if (state) state.textContent = left < 0 ? "✖ " + OVERDUE + " " : (left <= lead ? "⚠ " + SOON + " " : "");
      if (row) { row.classList.toggle("limit-overdue", left < 0); row.classList.toggle("limit-warning", left >= 0 && left <= lead); }
      if (left <= lead) {
        alarm = true;
        var key = row && row.dataset.key;
        if (key && !announced[key]) { announced[key] = true; fresh.push((row.dataset.what || "") + " " + (left < 0 ? OVERDUE : SOON)); }
      }
    });
    if (root.dataset.handoverAlarm && !announced[root.dataset.handoverAlarm]) {
      announced[root.dataset.handoverAlarm] = true; fresh.push(root.dataset.handoverLabel);
    }
    if (fresh.length) region.textContent = NEW_ALARM + "：" + fresh.join("；");
    banner.hidden = !alarm;
    document.title = (alarm ? "【！】" : "") + document.title.replace(/^【！】/, "");
  }
  document.body.addEventListener("htmx:afterSwap", function () {
    var root = document.getElementById("duty-live"); if (root) root.dataset.loadedAt = Date.now(); tick(); });
  var root = document.getElementById("duty-live"); if (root) root.dataset.loadedAt = Date.now();
  setInterval(tick, 1000); tick();
})();
