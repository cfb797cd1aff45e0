// Dashboard charts (Chart.js, vendored from npm). The figures come from a JSON script element the
// server writes (json_script: data, not code, so the Content Security Policy allows it). Every bar
// opens the same drill-down list as the number in the table beside it.
(function () {
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var font = { family: '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif' };
  Chart.defaults.font.family = font.family;
  Chart.defaults.animation = false;

  function open(links) {
    return function (event, elements) {
      if (elements.length) window.location.href = links[elements[0].index];
    };
  }

  var trend = document.getElementById("trend-chart");
  if (trend) {
    new Chart(trend, {
      type: "bar",
      data: {
        labels: data.trend.labels,
        datasets: [{ label: data.trend.label, data: data.trend.values, backgroundColor: "#1f4e79" }],
      },
      options: {
        maintainAspectRatio: false,
        onClick: open(data.trend.links),
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  var towns = document.getElementById("town-chart");
  if (towns) {
    new Chart(towns, {
      type: "bar",
      data: {
        labels: data.towns.labels,
        datasets: data.towns.series.map(function (s) {
          return { label: s.label, data: s.values, backgroundColor: s.colour };
        }),
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        onClick: open(data.towns.links),
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }
})();
