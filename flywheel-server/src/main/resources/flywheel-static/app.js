// Flywheel dashboard: changes through the API with the bearer token kept in this tab (sessionStorage, never a cookie),
// metric charts (uPlot), and live refresh of pages that ask for it (polling; the page's <main> is swapped).
(function () {
  "use strict";
  var KEY = "flywheel.token";
  var message = document.getElementById("message");

  function say(text, ok) {
    message.textContent = text;
    message.className = "message " + (ok ? "ok" : "bad");
    message.hidden = false;
  }

  var form = document.getElementById("token-form");
  var input = document.getElementById("token");
  if (sessionStorage.getItem(KEY)) { input.placeholder = "token set for this tab"; }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (input.value.trim()) {
      sessionStorage.setItem(KEY, input.value.trim());
      input.value = "";
      input.placeholder = "token set for this tab";
      say("Token set for this tab.", true);
    }
  });

  document.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-path]");
    if (!button) { return; }
    var token = sessionStorage.getItem(KEY);
    if (!token) { say("Changes need an API token: create one with 'flywheel server token create NAME' and enter it above.", false); input.focus(); return; }
    var body = null;
    if (button.dataset.stageFrom) { body = JSON.stringify({ stage: document.getElementById(button.dataset.stageFrom).value }); }
    button.disabled = true;
    fetch(button.dataset.path, {
      method: button.dataset.method, headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" }, body: body
    }).then(function (r) {
      return r.json().then(function (json) { return { ok: r.ok, json: json }; });
    }).then(function (res) {
      button.disabled = false;
      if (res.ok) { say("Done.", true); refresh(true); } else { say(res.json.message || "The change failed.", false); }
    }).catch(function (err) { button.disabled = false; say("The server did not answer: " + err, false); });
  });

  window.flywheelCharts = {};
  function charts() {
    var data = document.getElementById("metric-data");
    if (!data || typeof uPlot === "undefined") { return; }
    var series = JSON.parse(data.textContent);
    series.forEach(function (s) {
      var fig = document.querySelector('figure[data-metric="' + CSS.escape(s.metric) + '"] .plot');
      if (!fig) { return; }
      fig.innerHTML = "";
      var xs = s.points.map(function (p) { return p.version; });
      var ys = s.points.map(function (p) { return p.value; });
      var width = Math.max(200, fig.clientWidth || 300);
      var plot = new uPlot({
        width: width, height: 200,
        scales: { x: { time: false } },
        axes: [{ label: "version", values: function (u, v) { return v.map(function (x) { return Number.isInteger(x) ? x : ""; }); } }, {}],
        series: [{ label: "version" }, { label: s.metric, stroke: "#0a4fb8", width: 2, points: { show: true, size: 8 } }]
      }, [xs, ys], fig);
      fig.dataset.points = String(xs.length);
      window.flywheelCharts[s.metric] = plot;
    });
  }

  var main = document.getElementById("main");
  function refresh(now) {
    if (!now && (document.hidden || main.contains(document.activeElement) && document.activeElement !== document.body)) { return; }
    fetch(location.href, { headers: { "Accept": "text/html" } }).then(function (r) { return r.text(); }).then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html").getElementById("main");
      if (next && next.innerHTML !== main.innerHTML) {
        main.innerHTML = next.innerHTML;
        main.dataset.refresh = next.dataset.refresh;
        main.dataset.refreshed = String(Date.now());
        charts();
      }
    }).catch(function () { /* the next poll tries again */ });
  }
  var every = parseInt(main.dataset.refresh || "0", 10);
  if (every > 0) { setInterval(function () { refresh(false); }, every); }
  charts();
})();
