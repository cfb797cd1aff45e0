// A job's page: draw the progress bar and poll the job's status until it has finished, then reload
// to show the outcome. Loaded as a file: the Content Security Policy forbids inline scripts and
// inline styles, so widths are set here through the DOM.
(function () {
  var box = document.getElementById("job-progress");
  if (!box) {
    return;
  }
  var bar = box.querySelector(".progress-bar");
  var meter = box.querySelector(".progress");
  function draw(percent) {
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    meter.setAttribute("aria-valuenow", String(percent));
  }
  draw(parseInt(bar.getAttribute("data-percent") || "0", 10));
  if (box.getAttribute("data-finished") === "1") {
    return;
  }
  var url = box.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (job) {
        draw(job.percent);
        box.querySelector("[data-job-status]").textContent = job.status_label;
        box.querySelector("[data-job-count]").textContent = job.total ? job.done + " / " + job.total : "";
        if (job.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
