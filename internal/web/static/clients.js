// Live timer of a consultation: counts up from data-started and, for a free
// consultation, reveals #limit-warning once data-limit seconds have passed.
(function () {
  "use strict";
  var timer = document.getElementById("timer");
  if (!timer) { return; }
  var started = Number(timer.getAttribute("data-started"));
  var limit = Number(timer.getAttribute("data-limit"));
  var free = timer.getAttribute("data-free") === "1";
  var running = timer.getAttribute("data-running") === "1";
  var out = document.getElementById("elapsed");
  var warning = document.getElementById("limit-warning");
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function format(sec) {
    var h = Math.floor(sec / 3600), m = Math.floor(sec / 60) % 60, s = sec % 60;
    return h > 0 ? h + ":" + pad(m) + ":" + pad(s) : pad(Math.floor(sec / 60)) + ":" + pad(s);
  }
  function tick() {
    var sec = Math.max(0, Math.floor((Date.now() - started) / 1000));
    out.textContent = format(sec);
    if (free && warning && sec >= limit) {
      warning.hidden = false;
      timer.classList.add("over");
    }
  }
  if (!running) {
    // A finished consultation: only say whether it went over the limit.
    if (free && warning && out.textContent.length > 0 && timer.classList.contains("free")) {
      var parts = out.textContent.split(":").map(Number);
      var total = parts.reduce(function (a, b) { return a * 60 + b; }, 0);
      if (total >= limit) { warning.hidden = false; }
    }
    return;
  }
  tick();
  window.setInterval(tick, 1000);
})();
