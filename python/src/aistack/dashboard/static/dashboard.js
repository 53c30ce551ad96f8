// The command center page: polls the dashboard's JSON API and draws inline SVG.
// No framework, no build step, nothing fetched from outside this service.
"use strict";

const NO_DATA = "no data";
const SVG = "http://www.w3.org/2000/svg";
const COLORS = { local: "#0969da", remote: "#8250df", budget: "#c62828", rate: "#1a7f37" };
const POLL_MS = 2000;

function $(id) { return document.getElementById(id); }

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function setText(id, value) {
  const node = $(id);
  const missing = value === null || value === undefined || value === "";
  node.textContent = missing ? NO_DATA : String(value);
  node.classList.toggle("nodata", missing);
}

function fmtNum(x, digits) {
  if (x === null || x === undefined) return null;
  return Number(x).toLocaleString("en", { maximumFractionDigits: digits === undefined ? 1 : digits });
}

function fmtWindow(s) {
  if (s < 120) return "last " + Math.round(s) + " s";
  return s < 7200 ? "last " + Math.round(s / 60) + " min" : "last " + Math.round(s / 3600) + " h";
}
function fmtPct(x) { return x === null || x === undefined ? null : (100 * x).toFixed(1) + " %"; }
function fmtMs(s) { return s === null || s === undefined ? null : (1000 * s).toFixed(0) + " ms"; }
function fmtBytes(b) {
  if (b === null || b === undefined) return "∞";
  const units = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) { b /= 1024; i++; }
  return b.toFixed(i ? 1 : 0) + " " + units[i];
}

async function getJson(url, options) {
  const response = await fetch(url, Object.assign({ cache: "no-store" }, options || {}));
  if (!response.ok) throw new Error(url + ": HTTP " + response.status);
  return response.json();
}

// --- Health --------------------------------------------------------------

function renderHealth(report) {
  const overall = $("overall");
  overall.dataset.status = report.overall_status;
  overall.textContent = report.overall_status;
  $("checked").textContent = "checked " + new Date(report.checked_at * 1000).toLocaleTimeString() +
    " in " + report.duration_ms + " ms (cycle " + report.probe_interval_s + " s)";
  $("systemd").textContent = "systemd: " + report.systemd;
  const body = $("health").tBodies[0];
  body.replaceChildren();
  for (const e of report.entries) {
    const row = el("tr", { "data-entry": e.name, "data-entry-status": e.status });
    const name = el("td");
    name.append(el("strong", {}, e.name), el("br"), el("code", {}, e.unit));
    const status = el("td");
    status.append(el("span", { class: "status", "data-status": e.status }, e.status));
    const latency = e.probe && e.probe.latency_ms !== null ? e.probe.latency_ms.toFixed(1) + " ms" : "—";
    const logs = el("td");
    if (e.status === "down" || e.status === "degraded") logs.append(el("code", {}, e.journal));
    row.append(name, status, el("td", {}, e.check_mode), el("td", {}, latency), el("td", {}, e.reason), logs);
    body.append(row);
  }
}

// --- Charts --------------------------------------------------------------

function axes(svg, yMax, yLabel) {
  svg.replaceChildren();
  svg.append(svgEl("line", { x1: 30, y1: 10, x2: 30, y2: 120, stroke: "#d1d9e0" }));
  svg.append(svgEl("line", { x1: 30, y1: 120, x2: 315, y2: 120, stroke: "#d1d9e0" }));
  svg.append(svgEl("text", { x: 2, y: 14 }, yLabel(yMax)));
  svg.append(svgEl("text", { x: 2, y: 122 }, yLabel(0)));
}

function noData(svg) {
  svg.replaceChildren(svgEl("text", { x: 120, y: 72 }, NO_DATA));
}

function xOf(i, n) { return 30 + (n <= 1 ? 0 : (285 * i) / (n - 1)); }
function yOf(v, max) { return 120 - (110 * v) / (max || 1); }

function polyline(svg, points, color, dashed) {
  const attrs = { points: points.map((p) => p.join(",")).join(" "), fill: "none", stroke: color, "stroke-width": 1.8 };
  if (dashed) attrs["stroke-dasharray"] = "4 3";
  svg.append(svgEl("polyline", attrs));
}

// Decisions per cycle (differences of the cumulative counts), stacked by backend.
function drawRouting(series) {
  const svg = $("chart-routing");
  const pts = series.filter((p) => p.routing);
  if (pts.length < 2) { noData(svg); return; }
  const backends = [...new Set(pts.flatMap((p) => Object.keys(p.routing)))].sort();
  const steps = [];
  for (let i = 1; i < pts.length; i++) {
    const step = {};
    for (const b of backends) step[b] = Math.max(0, (pts[i].routing[b] || 0) - (pts[i - 1].routing[b] || 0));
    steps.push(step);
  }
  const max = Math.max(1, ...steps.map((s) => backends.reduce((a, b) => a + s[b], 0)));
  axes(svg, max, (v) => String(v));
  const width = 285 / steps.length;
  steps.forEach((s, i) => {
    let base = 0;
    for (const b of backends) {
      const h = (110 * s[b]) / max;
      if (h > 0) svg.append(svgEl("rect", { x: 30 + i * width, y: 120 - base - h, width: Math.max(1, width - 1), height: h, fill: COLORS[b] || "#57606a" }));
      base += h;
    }
  });
}

function drawLatency(series) {
  const svg = $("chart-latency");
  const pts = series.filter((p) => p.latency && Object.keys(p.latency).length);
  if (!pts.length) { noData(svg); return; }
  const backends = [...new Set(pts.flatMap((p) => Object.keys(p.latency)))].sort();
  const values = pts.flatMap((p) => Object.values(p.latency).flatMap((v) => [v.p95_s, v.budget_s])).filter((v) => v !== null);
  if (!values.length) { noData(svg); return; }
  const max = Math.max(...values) * 1.1;
  axes(svg, max, (v) => fmtMs(v));
  for (const b of backends) {
    const p95 = [], budget = [];
    pts.forEach((p, i) => {
      const v = p.latency[b];
      if (v && v.p95_s !== null) p95.push([xOf(i, pts.length), yOf(v.p95_s, max)]);
      if (v && v.budget_s !== null) budget.push([xOf(i, pts.length), yOf(v.budget_s, max)]);
    });
    if (p95.length) polyline(svg, p95, COLORS[b] || "#57606a", false);
    if (budget.length) polyline(svg, budget, COLORS.budget, true);
  }
}

function drawCache(series) {
  const svg = $("chart-cache");
  const pts = series.map((p, i) => [i, p.cache_hit_rate]).filter((p) => p[1] !== null && p[1] !== undefined);
  if (!pts.length) { noData(svg); return; }
  axes(svg, 1, (v) => (100 * v).toFixed(0) + "%");
  polyline(svg, pts.map(([i, v]) => [xOf(i, series.length), yOf(v, 1)]), COLORS.rate, false);
}

// --- Internals -----------------------------------------------------------

function renderInternals(data) {
  const routing = data.routing;
  const reasons = $("routing-reasons").tBodies[0];
  reasons.replaceChildren();
  if (routing) {
    const parts = Object.entries(routing.per_backend).map(([b, n]) => b + " " + fmtNum(n, 0));
    setText("routing-summary", parts.join(" · "));
    for (const r of routing.reasons) {
      const row = el("tr");
      row.append(el("td", {}, r.backend), el("td", {}, r.reason), el("td", {}, fmtNum(r.count, 0)));
      reasons.append(row);
    }
    setText("fallbacks", fmtNum(routing.fallbacks, 0));
  } else {
    setText("routing-summary", null);
    setText("fallbacks", null);
  }

  const latency = data.latency;
  setText("latency-summary", latency ? Object.entries(latency).map(([b, v]) =>
    b + ": p95 " + (fmtMs(v.p95_s) || NO_DATA) + " / budget " + (fmtMs(v.budget_s) || NO_DATA)).join(" · ") : null);

  const cache = data.cache_hit_rate;
  setText("cache-summary", cache ? (fmtPct(cache.rate) || NO_DATA) + " (" + fmtNum(cache.hits, 0) + " hits, " +
    fmtNum(cache.misses, 0) + " misses" + (cache.window_s ? ", " + fmtWindow(cache.window_s) : ", since start") + ")" : null);

  const comp = data.compression;
  setText("compression", comp ? fmtNum(comp.tokens_removed, 0) + " of " + fmtNum(comp.tokens_before, 0) +
    (comp.window_s ? " (" + fmtWindow(comp.window_s) + ")" : " (since start)") : null);
  setText("refusals", data.rate_limit_refusals ? Object.entries(data.rate_limit_refusals).map(([s, n]) => s + " " + fmtNum(n, 0)).join(" · ") : null);
  const q = data.queues;
  setText("queues", q ? [
    ...Object.entries(q.depths || {}).map(([k, v]) => k + " " + fmtNum(v, 0)),
    ...("loading" in q ? ["loading " + q.loading + (q.load_progress_pct !== undefined ? " (" + q.load_progress_pct + " %)" : "")] : []),
    ...("queue_depth" in q ? ["coordinator queue " + q.queue_depth] : []),
  ].join(" · ") : null);
  setText("backends", data.backends ? Object.entries(data.backends).map(([b, v]) =>
    b + " " + (v.healthy ? "healthy" : "unhealthy") + (v.circuit ? ", circuit " + v.circuit : "") +
    (v.last_error ? " (" + v.last_error + ")" : "")).join(" · ") : null);
  const t = data.threshold;
  setText("threshold", t ? fmtNum(t.value, 3) : null);
  setText("proposals", t && t.proposals ? t.proposals.map((p) => JSON.stringify(p)).join("; ") : null);

  const memory = $("memory");
  memory.replaceChildren();
  if (data.unit_memory) {
    for (const [unit, v] of Object.entries(data.unit_memory)) {
      memory.append(el("div", { class: "legend" }, unit + ": " + fmtBytes(v.current_bytes) + " of " + fmtBytes(v.max_bytes)));
      const bar = el("div", { class: "bar" + (v.share !== null && v.share > 0.9 ? " over" : "") });
      bar.append(el("span", { style: "width:" + Math.min(100, 100 * (v.share || 0)).toFixed(1) + "%" }));
      memory.append(bar);
    }
  } else {
    memory.append(el("span", { class: "nodata" }, NO_DATA));
  }

  const k = data.knowledge;
  setText("quarantined", k ? k.quarantined : null);
  setText("gap-searches", k ? fmtNum(k.gap_searches, 0) : null);
  const gaps = $("gaps");
  gaps.replaceChildren();
  if (k && k.gaps && k.gaps.length) {
    for (const g of k.gaps) gaps.append(el("li", {}, g.query_text + " — asked " + g.count + "×, best score " + fmtNum(g.best_score, 2)));
  } else {
    gaps.append(el("li", { class: "nodata" }, k && k.gaps ? "none" : NO_DATA));
  }

  renderTasks(data.tasks);

  const evalBox = $("eval");
  evalBox.replaceChildren();
  if (data.eval && data.eval.length) {
    for (const run of data.eval) {
      evalBox.append(el("div", { class: "legend" }, new Date(run.started_at * 1000).toLocaleString() + " · " +
        run.model_id + " · " + run.passed + "/" + run.total + " (" + run.score_pct.toFixed(1) + " %)"));
    }
  } else {
    evalBox.append(el("span", { class: "nodata" }, NO_DATA));
  }

  drawRouting(data.series || []);
  drawLatency(data.series || []);
  drawCache(data.series || []);
  $("sources").textContent = "sources: " + Object.entries(data.sources || {}).map(([k, v]) => k + " " + v).join(" · ");
}

// The task runner's summary; null where the plan runs no task runner.
function renderTasks(t) {
  setText("tasks-queued", t ? fmtNum(t.queued, 0) : null);
  setText("tasks-running", t ? fmtNum(t.running, 0) : null);
  const recent = t && t.recent ? Object.entries(t.recent) : null;
  setText("tasks-recent", recent ? (recent.length ? recent.map(([s, n]) => s + " " + fmtNum(n, 0)).join(" · ") : "none") +
    (t.window_s ? " (" + fmtWindow(t.window_s) + ")" : "") : null);
  const list = $("tasks-failures");
  list.replaceChildren();
  if (t && t.last_failures && t.last_failures.length) {
    for (const f of t.last_failures) {
      const when = f.finished_at ? new Date(f.finished_at * 1000).toLocaleTimeString() : "";
      list.append(el("li", { "data-task": f.task_id }, when + " · " + f.tool + " · " + f.status +
        (f.reason ? ": " + f.reason : "") + " · " + f.task_id));
    }
  } else {
    list.append(el("li", { class: "nodata" }, t && t.last_failures ? "none" : NO_DATA));
  }
}

async function refresh() {
  try { renderHealth(await getJson("/api/health")); } catch (err) { $("overall").textContent = "unreachable"; }
  try { renderInternals(await getJson("/api/internals")); } catch (err) { $("sources").textContent = String(err); }
}

$("probe-now").addEventListener("click", async () => {
  renderHealth(await getJson("/api/health/probe", { method: "POST" }));
});

refresh();
setInterval(refresh, POLL_MS);
