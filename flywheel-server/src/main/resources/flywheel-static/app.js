// Flywheel dashboard: changes through the API with the bearer token kept in this tab (sessionStorage, never a cookie),
// metric charts (uPlot), and live refresh of pages that ask for it (server events, else polling; <main> is swapped).
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


  // Live traffic of served models: the page reads each server's counters every 2 s and charts the differences
  // (requests and errors per second, latency p50/p99 from the interval's histogram). Readings live here, not in
  // <main>, so a refresh of the page keeps the history.
  var traffic = {};
  var TRAFFIC_POINTS = 90;
  function totals(report) {
    var t = { requests: 0, errors: 0, latency: [] };
    [report.champion, report.challenger].forEach(function (r) {
      if (!r) { return; }
      t.requests += r.requests; t.errors += r.errors;
      r.latency.forEach(function (c, i) { t.latency[i] = (t.latency[i] || 0) + c; });
    });
    return t;
  }
  function quantileMillis(counts, bounds, q) {
    var total = counts.reduce(function (a, b) { return a + b; }, 0);
    if (total === 0) { return null; }
    var rank = Math.ceil(q * total), seen = 0;
    for (var i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) { return bounds[Math.min(i, bounds.length - 2)] / 1e6; }
    }
    return bounds[bounds.length - 2] / 1e6;
  }
  function sampleTraffic() {
    if (document.hidden) { return; }
    document.querySelectorAll("figure.traffic[data-service]").forEach(function (fig) {
      var id = fig.dataset.service;
      fetch("/api/v1/served-models/" + encodeURIComponent(id) + "/traffic").then(function (r) { return r.ok ? r.json() : null; })
        .then(function (reading) {
          if (!reading) { return; }
          var s = traffic[id] || (traffic[id] = { last: null, t: [], rate: [], errors: [], p50: [], p99: [] });
          var at = Date.parse(reading.at) / 1000;
          var now = totals(reading.report);
          var last = s.last;
          s.last = { at: at, totals: now };
          if (!last || at <= last.at || now.requests < last.totals.requests) { return; } // first reading, or the server restarted
          var dt = at - last.at;
          var diff = now.latency.map(function (c, i) { return c - (last.totals.latency[i] || 0); });
          s.t.push(at);
          s.rate.push((now.requests - last.totals.requests) / dt);
          s.errors.push((now.errors - last.totals.errors) / dt);
          s.p50.push(quantileMillis(diff, reading.latencyBoundsNanos, 0.5));
          s.p99.push(quantileMillis(diff, reading.latencyBoundsNanos, 0.99));
          ["t", "rate", "errors", "p50", "p99"].forEach(function (k) { if (s[k].length > TRAFFIC_POINTS) { s[k].shift(); } });
          drawTraffic(document.querySelector('figure.traffic[data-service="' + CSS.escape(id) + '"]'), s);
        }).catch(function () { /* the next reading tries again */ });
    });
  }
  function fmt(v, unit) { return v === null || v === undefined ? "-" : (Math.round(v * 10) / 10) + " " + unit; }
  function drawTraffic(fig, s) {
    if (!fig || !s || s.t.length === 0 || typeof uPlot === "undefined") { return; }
    var n = s.t.length - 1;
    fig.querySelector(".traffic-now").textContent = fmt(s.rate[n], "requests/s") + ", " + fmt(s.errors[n], "errors/s") + ", p50 "
      + fmt(s.p50[n], "ms") + ", p99 " + fmt(s.p99[n], "ms");
    fig.dataset.points = String(s.t.length);
    fig.dataset.rate = String(s.rate[n]);
    [["rate", [{ label: "requests/s", values: s.rate, stroke: "#0a4fb8" }, { label: "errors/s", values: s.errors, stroke: "#a40e26" }]],
     ["latency", [{ label: "p50 ms", values: s.p50, stroke: "#116329" }, { label: "p99 ms", values: s.p99, stroke: "#7d4e00" }]]]
      .forEach(function (plot) {
        var el = fig.querySelector(".plot." + plot[0]);
        el.innerHTML = "";
        new uPlot({
          width: Math.max(200, el.clientWidth || 300), height: 160,
          // The last 3 minutes, whatever the number of readings so far (one reading would otherwise span years).
          scales: { x: { range: function (u, min, max) { return [max - 180, max + 2]; } } },
          series: [{}].concat(plot[1].map(function (p) { return { label: p.label, stroke: p.stroke, width: 2, spanGaps: true }; }))
        }, [s.t].concat(plot[1].map(function (p) { return p.values; })), el);
      });
  }
  function redrawTraffic() {
    document.querySelectorAll("figure.traffic[data-service]").forEach(function (fig) { drawTraffic(fig, traffic[fig.dataset.service]); });
  }
  setInterval(function () { if (document.querySelector("figure.traffic")) { sampleTraffic(); } }, 2000);
  if (document.querySelector("figure.traffic")) { sampleTraffic(); }

  var main = document.getElementById("main");
  function refresh(now) {
    if (!now && (document.hidden || main.contains(document.activeElement) && document.activeElement !== document.body)) { return false; }
    fetch(location.href, { headers: { "Accept": "text/html" } }).then(function (r) { return r.text(); }).then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html").getElementById("main");
      if (next && next.innerHTML !== main.innerHTML) {
        main.innerHTML = next.innerHTML;
        main.dataset.refresh = next.dataset.refresh;
        main.dataset.refreshed = String(Date.now());
        charts();
        redrawTraffic();
      }
    }).catch(function () { /* the next poll or event tries again */ });
    return true;
  }
  // Live refresh: the server's event stream says when what this page shows changed (SSE); where it cannot be had
  // (an old browser, a proxy that buffers), the page polls every data-refresh milliseconds instead.
  var every = parseInt(main.dataset.refresh || "0", 10);
  var topics = main.dataset.topics || "";
  var polling = null;
  function poll() {
    if (polling === null && every > 0) {
      document.body.dataset.live = "poll";
      polling = setInterval(function () { refresh(false); }, every);
    }
  }
  var retry = null;
  function changed() {
    // A refresh skipped while the reader works in the page (or the tab is hidden) is tried again until it happens.
    if (retry === null && !refresh(false)) {
      retry = setTimeout(function () { retry = null; changed(); }, 2000);
    }
  }
  if (topics && typeof EventSource !== "undefined") {
    var source = new EventSource("/api/v1/events?topics=" + encodeURIComponent(topics));
    var ready = false;
    source.addEventListener("ready", function () {
      // What changed between this page's rendering and the stream's start is not an event: look once now.
      if (!ready) { changed(); }
      ready = true;
      document.body.dataset.live = "sse";
    });
    source.addEventListener("change", changed);
    source.addEventListener("error", function () {
      if (source.readyState === EventSource.CLOSED) { poll(); }
    });
    setTimeout(function () { if (!ready) { source.close(); poll(); } }, 5000);
    window.addEventListener("pagehide", function () { source.close(); });
  } else {
    poll();
  }
  charts();
})();
