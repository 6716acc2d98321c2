// 领导驾驶舱 / 我的工作: countdowns ticking between two polls of the page's one live fragment, and the
// ECharts chart drawn again after each refresh. The server's clock is the reference: each fragment
// carries data-server-now (epoch seconds) and every countdown a data-deadline.
(function () {
  "use strict";
  var offset = 0; // server time minus this browser's time, in seconds
  var known = false;
  // A refresh carries the server's time to the whole second, read before the answer travelled: taking
  // it each time would step every countdown back by up to a second or two (the same figure shown
  // twice in a row). The offset is corrected only when this browser's clock is really off.
  var SKEW_SECONDS = 3;
  var LEFT = "剩", OVER = "超时", DAY = "天";
  var WARN_SECONDS = 30 * 60;

  function readOffset() {
    var live = document.querySelector("[data-server-now]");
    if (!live) return;
    var next = Number(live.getAttribute("data-server-now")) - Date.now() / 1000;
    if (!known || Math.abs(next - offset) > SKEW_SECONDS) offset = next;
    known = true;
  }
  function pad(n) { return String(n).padStart(2, "0"); }
  function fmt(s) {
    s = Math.floor(Math.abs(s));
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60), x = s % 60;
    return (d ? d + DAY + " " : "") + pad(h) + ":" + pad(m) + ":" + pad(x);
  }
  function tick() {
    var now = Date.now() / 1000 + offset;
    document.querySelectorAll(".countdown[data-deadline]").forEach(function (el) {
      var left = Number(el.getAttribute("data-deadline")) - now;
      el.textContent = (left >= 0 ? LEFT + " " : OVER + " ") + fmt(left);
      el.classList.toggle("is-over", left < 0);
      el.classList.toggle("is-warn", left >= 0 && left <= WARN_SECONDS);
    });
  }
  function charts() {
    if (!window.echarts) return;
    document.querySelectorAll(".dash-chart[data-chart]").forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-chart"));
      if (!src) return;
      var rows = JSON.parse(src.textContent);
      var old = window.echarts.getInstanceByDom(el);
      if (old) old.dispose();
      // SVG so that the chart prints sharp; no animation so that a refresh does not flicker.
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        grid: { left: 28, right: 8, top: 24, bottom: 20 },
        legend: { top: 0, textStyle: { fontSize: 11 } },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: rows.map(function (r) { return r.week.slice(5); }), axisLabel: { fontSize: 10 } },
        yAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: 10 } },
        series: [
          { name: el.getAttribute("data-opened"), type: "bar", data: rows.map(function (r) { return r.opened; }), itemStyle: { color: "#0a4fb5" } },
          { name: el.getAttribute("data-closed"), type: "line", data: rows.map(function (r) { return r.closed; }), itemStyle: { color: "#146c43" }, symbol: "rect" }
        ]
      });
    });
  }
  function refresh() { readOffset(); tick(); charts(); }
  document.addEventListener("DOMContentLoaded", refresh);
  document.body.addEventListener("htmx:afterSwap", refresh);
  window.addEventListener("resize", function () {
    document.querySelectorAll(".dash-chart").forEach(function (el) {
      var c = window.echarts && window.echarts.getInstanceByDom(el);
      if (c) c.resize();
    });
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".dash-chart-table").forEach(function (d) { d.open = true; });
  });
  if (document.readyState !== "loading") refresh();
  setInterval(tick, 1000);
})();
