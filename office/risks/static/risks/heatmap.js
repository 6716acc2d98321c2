// The risk heat map (posts × levels) drawn with ECharts from the JSON the page carries; the table under
// it holds the same numbers for screen readers, print and browsers without JavaScript.
(function () {
  "use strict";
  var el = document.getElementById("risk-heatmap");
  var src = document.getElementById("risk-heatmap-data");
  if (!el || !src || typeof echarts === "undefined") return;
  var data = JSON.parse(src.textContent);
  if (!data.posts.length) { el.hidden = true; return; }
  el.style.height = el.dataset.height + "px";  // sized by the number of posts (no inline style: CSP)
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { position: "top" },
    grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
    xAxis: { type: "category", data: data.levels, splitArea: { show: true } },
    yAxis: { type: "category", data: data.posts, inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0, max: Math.max(1, data.max), calculable: false, orient: "horizontal", left: "center", bottom: 0,
      inRange: { color: ["#f8f9fa", "#f0ad4e", "#b02a37"] }
    },
    series: [{
      type: "heatmap", data: data.data, label: { show: true },
      emphasis: { itemStyle: { shadowBlur: 6, shadowColor: "rgba(0,0,0,.3)" } }
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
