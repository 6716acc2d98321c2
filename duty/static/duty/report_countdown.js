// The time left to each unreported limit, in words and a sign as well as colour (role=timer: not read
// out every second). The server's clock is the reference.
(function () {
  var T = document.currentScript.dataset;  // the server's time and the page's words, from the script tag
  var offset = parseFloat(T.serverNow) * 1000 - Date.now();
  var LEFT = T.left, OVER = T.over;
  function pad(n) { return String(n).padStart(2, "0"); }
  function fmt(s) { s = Math.abs(s); var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), x = Math.floor(s % 60);
    return (h ? h + ":" : "") + pad(m) + ":" + pad(x); }
  function tick() {
    document.querySelectorAll(".report-countdown").forEach(function (el) {
      var left = parseFloat(el.dataset.due) - (Date.now() + offset) / 1000;
      el.textContent = left >= 0 ? LEFT + " " + fmt(left) : "✖ " + OVER + " " + fmt(left);
      el.className = "report-countdown fw-bold " + (left >= 0 ? (left <= 300 ? "text-warning" : "text-success") : "text-danger");
    });
  }
  tick(); setInterval(tick, 1000);
})();
