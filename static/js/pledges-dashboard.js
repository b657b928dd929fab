// Draws the pledge dashboard charts from the JSON the page embeds; redraws after htmx swaps the panels.
(function () {
  "use strict";
  const charts = [];
  const palette = ["#0b5394", "#e69138", "#6aa84f", "#cc0000", "#674ea7", "#45818e", "#bf9000", "#a64d79", "#3d85c6", "#999999"];

  function draw() {
    const source = document.getElementById("pledge-chart-data");
    if (!source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    while (charts.length) charts.pop().destroy();
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      const key = canvas.dataset.chart;
      const series = data[key];
      if (!series) return;
      const horizontal = key === "objective";
      const pie = key === "status";
      charts.push(new Chart(canvas, {
        type: pie ? "doughnut" : "bar",
        data: {
          labels: series.labels,
          datasets: [{
            label: series.title,
            data: series.counts,
            backgroundColor: pie ? palette : palette[0],
          }],
        },
        options: {
          indexAxis: horizontal ? "y" : "x",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: pie, position: "right" } },
          scales: pie ? {} : { [horizontal ? "x" : "y"]: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      }));
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  // Printed pages show the tables, not the charts.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.pledge-chart-table").forEach(function (details) { details.open = true; });
  });
  document.body.addEventListener("htmx:afterSettle", draw);
})();
