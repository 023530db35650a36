// The page over sway serve's JSON API: linked views of one store. Every view reads
// the shared filter state; a click on a mark narrows the state (and the other views)
// or opens the sentence behind the mark. Text from the store is only ever set as
// textContent, never parsed as HTML.

import { forceSimulation, forceLink, forceManyBody, forceCenter, forceCollide, forceX, forceY } from "d3-force";
import { geoEqualEarth, geoPath } from "d3-geo";
import { feature } from "topojson-client";

const SVG = "http://www.w3.org/2000/svg";
const QUAD = [
  ["verbal cooperation", "#9bd3a3"],
  ["material cooperation", "#2f9e44"],
  ["verbal conflict", "#f4a259"],
  ["material conflict", "#d9480f"],
  ["no QuadClass", "#adb5bd"],
];
const FILTERS = ["since", "until", "actor", "country"];

const state = { since: "", until: "", actor: "", country: "", arena: "IRQ", powers: "USA,IRN" };
let eventsOffset = 0;

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, text) {
  const svgTags = ["svg", "g", "rect", "circle", "line", "path", "text", "title", "polyline"];
  const e = svgTags.includes(tag) ? document.createElementNS(SVG, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  if (text !== undefined) e.textContent = text;
  return e;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

async function api(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== "" && v !== undefined && v !== null) q.set(k, v);
  }
  const url = q.toString() ? `${path}?${q}` : path;
  const res = await fetch(url);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || `${res.status} ${url}`);
  return body;
}

function showError(node, err) {
  clear(node);
  node.appendChild(el("p", { class: "error" }, String(err.message || err)));
}

/// The shared filters as query parameters.
function filters(...names) {
  const out = {};
  for (const n of names) if (state[n]) out[n] = state[n];
  return out;
}

function size(svg) {
  const r = svg.getBoundingClientRect();
  return [Math.max(r.width, 300), Math.max(r.height, 120)];
}

// ---- state, controls and the URL --------------------------------------------

function readHash() {
  const q = new URLSearchParams(location.hash.slice(1));
  for (const k of Object.keys(state)) if (q.has(k)) state[k] = q.get(k);
}

function writeHash() {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v) q.set(k, v);
  history.replaceState(null, "", `#${q}`);
}

function syncForm() {
  const form = $("#controls");
  for (const k of Object.keys(state)) form.elements[k].value = state[k];
  const chips = $("#filters");
  clear(chips);
  for (const k of FILTERS) if (state[k]) chips.appendChild(el("span", { class: "chip", "data-filter": k }, `${k}: ${state[k]}`));
}

function setFilters(changes) {
  Object.assign(state, changes);
  refresh();
}

function monthRange(period) {
  // "2020-03" → first and last day of the month.
  const [y, m] = period.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { since: `${period}-01`, until: `${period}-${String(last).padStart(2, "0")}` };
}

// ---- timeline -----------------------------------------------------------------

/// Every month from the first row's to the last's, empty months as zeros, so the
/// bars stand on a time axis.
function fillMonths(rows) {
  if (!rows.length) return rows;
  const by = new Map(rows.map((r) => [r.period, r]));
  const out = [];
  let [y, m] = rows[0].period.split("-").map(Number);
  const last = rows[rows.length - 1].period;
  for (let guard = 0; guard < 2400; guard++) {
    const period = `${y}-${String(m).padStart(2, "0")}`;
    out.push(by.get(period) || { period, events: 0, reports: 0, quad: [0, 0, 0, 0, 0] });
    if (period >= last) break;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

async function drawTimeline() {
  const svg = $("#timeline");
  let data;
  try {
    data = await api("/api/timeline", { by: "month", ...filters("actor", "country") });
  } catch (e) {
    return showError(svg.parentNode.querySelector(".legend"), e);
  }
  clear(svg);
  const rows = fillMonths(data.rows);
  const [w, h] = size(svg);
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  if (!rows.length) {
    svg.appendChild(el("text", { x: 10, y: 20, class: "muted" }, "No dated events."));
    return;
  }
  const pad = { l: 34, r: 8, t: 8, b: 22 };
  const max = Math.max(...rows.map((r) => r.events), 1);
  const bw = (w - pad.l - pad.r) / rows.length;
  const y = (v) => pad.t + (h - pad.t - pad.b) * (1 - v / max);
  const axis = el("g", { class: "axis" });
  for (const t of [0, Math.ceil(max / 2), max]) {
    axis.appendChild(el("line", { x1: pad.l, x2: w - pad.r, y1: y(t), y2: y(t) }));
    axis.appendChild(el("text", { x: pad.l - 4, y: y(t) + 4, "text-anchor": "end" }, String(t)));
  }
  svg.appendChild(axis);
  const step = Math.ceil(rows.length / Math.max(1, Math.floor((w - pad.l) / 60)));
  rows.forEach((r, i) => {
    const x = pad.l + i * bw;
    const g = el("g", { class: "bar", "data-period": r.period, "data-events": r.events });
    let acc = 0;
    r.quad.forEach((n, q) => {
      if (!n) return;
      g.appendChild(el("rect", { x: x + 1, width: Math.max(bw - 2, 1), y: y(acc + n), height: y(acc) - y(acc + n), fill: QUAD[q][1] }));
      acc += n;
    });
    // A transparent full-height target, so short bars are easy to click.
    g.appendChild(el("rect", { x, width: bw, y: pad.t, height: h - pad.t - pad.b, fill: "transparent" }));
    g.appendChild(el("title", {}, `${r.period}: ${r.events} events (${r.reports} reports)`));
    if (state.since && state.until && monthRange(r.period).since === state.since && monthRange(r.period).until === state.until) {
      g.classList.add("selected");
    }
    g.addEventListener("click", () => {
      const range = monthRange(r.period);
      const same = state.since === range.since && state.until === range.until;
      setFilters(same ? { since: "", until: "" } : range);
    });
    svg.appendChild(g);
    if (i % step === 0) {
      svg.appendChild(el("text", { x: x + bw / 2, y: h - 6, "text-anchor": "middle", class: "axis", fill: "#67717d", "font-size": 11 }, r.period));
    }
  });
  const legend = $("#timeline-legend");
  clear(legend);
  QUAD.forEach(([name, color]) => {
    const s = el("span");
    s.appendChild(el("span", { class: "swatch", "data-color": name }));
    s.lastChild.style.background = color;
    s.appendChild(document.createTextNode(name));
    legend.appendChild(s);
  });
}

// ---- events and evidence -----------------------------------------------------------

function side(p) {
  if (!p) return "—";
  return p.code || p.text;
}

function eventItem(e) {
  const li = el("li", { "data-event": e.id });
  li.appendChild(el("span", { class: "muted" }, `${e.date ? e.date.start : "undated"}  `));
  li.appendChild(el("span", { class: "code" }, `${side(e.source)} → ${e.cameo}${e.plover ? " " + e.plover : ""} → ${side(e.target)}`));
  li.appendChild(document.createTextNode(" "));
  li.appendChild(el("span", { class: `modality ${e.modality}` }, e.modality));
  li.appendChild(el("div", {}, e.evidence.text.replace(/\s+/g, " ")));
  li.addEventListener("click", () => {
    document.querySelectorAll("li.selected").forEach((n) => n.classList.remove("selected"));
    li.classList.add("selected");
    openEvidence(e.doc_id, e.evidence, e.trigger, `${side(e.source)} → ${e.cameo} → ${side(e.target)} (${e.modality})`);
  });
  return li;
}

async function drawEvents(append = false) {
  const list = $("#events");
  if (!append) {
    eventsOffset = 0;
    clear(list);
  }
  let page;
  try {
    page = await api("/api/events", { ...filters(...FILTERS), limit: 50, offset: eventsOffset });
  } catch (e) {
    return showError(list, e);
  }
  for (const e of page.events) list.appendChild(eventItem(e));
  eventsOffset = page.next_offset || 0;
  $("#more").hidden = !page.next_offset;
  $("#events-caption").textContent = list.children.length ? `${list.children.length}${page.next_offset ? "+" : ""} shown` : "none match";
}

/// Events by id (a figure's events), listed in the events panel; the first is opened.
async function listEvents(ids, caption, total = ids.length) {
  const list = $("#events");
  clear(list);
  $("#more").hidden = true;
  const shown = ids.slice(0, 50);
  const found = await Promise.all(shown.map((id) => api(`/api/events/${encodeURIComponent(id)}`).catch(() => null)));
  for (const f of found) if (f) list.appendChild(eventItem({ ...f.event, doc_id: f.doc_id }));
  const more = total > shown.length ? ` (first ${shown.length} listed)` : "";
  $("#events-caption").textContent = `${caption}: ${total} event${total === 1 ? "" : "s"}${more}`;
  if (list.firstChild) list.firstChild.click();
}

/// Byte offsets into UTF-8 text, as every sway record gives them.
function byteSlicer(text) {
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder();
  return (a, b) => dec.decode(bytes.subarray(a, b));
}

async function openEvidence(docId, evidence, trigger, caption) {
  const box = $("#evidence");
  clear(box);
  let doc;
  try {
    doc = await api(`/api/documents/${encodeURIComponent(docId)}`);
  } catch (e) {
    return showError(box, e);
  }
  const head = el("p");
  head.appendChild(el("strong", {}, doc.title || doc.source));
  head.appendChild(el("span", { class: "muted" }, `  ${doc.published || ""}  ${doc.site_name || ""}`));
  if (doc.url && /^https?:\/\//.test(doc.url)) {
    head.appendChild(document.createTextNode("  "));
    head.appendChild(el("a", { href: doc.url, rel: "noreferrer noopener", target: "_blank" }, "source"));
  }
  box.appendChild(head);
  if (caption) box.appendChild(el("p", { class: "code" }, caption));
  const slice = byteSlicer(doc.text);
  const end = new TextEncoder().encode(doc.text).length;
  const body = el("div", { id: "doc-text" });
  body.appendChild(document.createTextNode(slice(0, evidence.start)));
  const mark = el("mark", { id: "hl", "data-start": evidence.start, "data-end": evidence.end });
  if (trigger && trigger.start >= evidence.start && trigger.end <= evidence.end) {
    mark.appendChild(document.createTextNode(slice(evidence.start, trigger.start)));
    mark.appendChild(el("strong", {}, slice(trigger.start, trigger.end)));
    mark.appendChild(document.createTextNode(slice(trigger.end, evidence.end)));
  } else {
    mark.textContent = slice(evidence.start, evidence.end);
  }
  body.appendChild(mark);
  body.appendChild(document.createTextNode(slice(evidence.end, end)));
  box.appendChild(body);
  mark.scrollIntoView({ block: "nearest" });
}

// ---- network ---------------------------------------------------------------------

const palette = ["#1c7ed6", "#e8590c", "#2b8a3e", "#ae3ec9", "#c92a2a", "#0c8599", "#5f3dc4", "#a61e4d", "#5c940d", "#d9480f"];
function colorOf(key) {
  let h = 0;
  for (const c of key || "?") h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return palette[h % palette.length];
}

async function drawNetwork() {
  const svg = $("#network");
  let net;
  try {
    net = await api("/api/network", { ...filters("since", "until"), limit: 150 });
  } catch (e) {
    clear(svg);
    return svg.appendChild(el("text", { x: 10, y: 20, class: "error" }, e.message));
  }
  clear(svg);
  let edges = net.edges;
  if (state.country) {
    const c = state.country;
    const inCountry = new Set(net.nodes.filter((n) => n.country === c || n.id.startsWith(c)).map((n) => n.id));
    edges = edges.filter((e) => inCountry.has(e.source) || inCountry.has(e.target));
  }
  const used = new Set(edges.flatMap((e) => [e.source, e.target]));
  const nodes = net.nodes.filter((n) => used.has(n.id)).map((n) => ({ ...n }));
  const links = edges.map((e) => ({ ...e }));
  const [w, h] = size(svg);
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  if (!nodes.length) {
    svg.appendChild(el("text", { x: 10, y: 20, class: "muted" }, "No interactions in range."));
    return;
  }
  const sim = forceSimulation(nodes)
    .force("link", forceLink(links).id((d) => d.id).distance(70))
    .force("charge", forceManyBody().strength(-160))
    .force("center", forceCenter(w / 2, h / 2))
    .force("collide", forceCollide(18))
    // Weak gravity keeps components that share no edge on the canvas.
    .force("x", forceX(w / 2).strength(0.06))
    .force("y", forceY(h / 2).strength(0.1))
    .stop();
  for (let i = 0; i < 300; i++) sim.tick();
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  for (const n of nodes) {
    // Room for the label to the right.
    n.x = clamp(n.x, 14, w - 70);
    n.y = clamp(n.y, 14, h - 14);
  }
  const edgeLayer = el("g");
  for (const l of links) {
    const patron = l.kind === "patron";
    const color = patron ? null : l.conflict > l.cooperation ? "#d9480f" : "#2f9e44";
    const line = el("line", {
      class: patron ? "edge patron" : "edge",
      x1: l.source.x, y1: l.source.y, x2: l.target.x, y2: l.target.y,
      stroke: color, "stroke-width": patron ? 1.5 : Math.min(1 + Math.log2(1 + l.events), 6),
      "data-source": l.source.id, "data-target": l.target.id,
    });
    line.appendChild(el("title", {}, patron ? `${l.source.id} is backed by ${l.target.id}` : `${l.source.id} → ${l.target.id}: ${l.events} events (${l.cooperation} cooperative, ${l.conflict} hostile)`));
    if (!patron && l.event_ids.length) {
      line.style.cursor = "pointer";
      line.addEventListener("click", () => listEvents(l.event_ids, `${l.source.id} → ${l.target.id}`, l.events));
    }
    edgeLayer.appendChild(line);
  }
  svg.appendChild(edgeLayer);
  const maxEvents = Math.max(...nodes.map((n) => n.events), 1);
  for (const n of nodes) {
    const g = el("g", { class: "node", "data-id": n.id, transform: `translate(${n.x},${n.y})` });
    if (state.actor && n.id === state.actor.toUpperCase()) g.classList.add("selected");
    g.appendChild(el("circle", { r: 5 + 9 * Math.sqrt(n.events / maxEvents), fill: colorOf(n.country || n.id.slice(0, 3)) }));
    g.appendChild(el("text", { x: 9, y: 3 }, n.id));
    g.appendChild(el("title", {}, `${n.label} (${n.id}): ${n.events} events`));
    g.addEventListener("click", () => setFilters({ actor: state.actor === n.id ? "" : n.id }));
    svg.appendChild(g);
  }
}

// ---- map ------------------------------------------------------------------------------

let world;
async function drawMap() {
  const svg = $("#map");
  let counts;
  try {
    world = world || (await (await fetch("world.json")).json());
    counts = await api("/api/map", filters("since", "until"));
  } catch (e) {
    clear(svg);
    return svg.appendChild(el("text", { x: 10, y: 20, class: "error" }, e.message));
  }
  clear(svg);
  const [w, h] = size(svg);
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  const countries = feature(world, world.objects.countries);
  const projection = geoEqualEarth().fitSize([w, h], countries);
  const path = geoPath(projection);
  const by = new Map(counts.countries.map((c) => [c.country, c]));
  const max = Math.max(...counts.countries.map((c) => c.events), 1);
  const g = el("g");
  for (const f of countries.features) {
    const c = by.get(f.id);
    const share = c ? Math.log1p(c.events) / Math.log1p(max) : 0;
    // Light grey for none, then from pale to deep blue by events (log scale).
    const fill = c ? `hsl(210, 70%, ${88 - 50 * share}%)` : "#e9ecef";
    const p = el("path", { class: "country", d: path(f), fill, "data-iso": f.id, "data-events": c ? c.events : 0 });
    if (state.country === f.id) p.classList.add("selected");
    p.appendChild(el("title", {}, `${f.properties.name} (${f.id}): ${c ? c.events : 0} events`));
    p.addEventListener("click", () => setFilters({ country: state.country === f.id ? "" : f.id }));
    g.appendChild(p);
  }
  svg.appendChild(g);
  const maxPlace = Math.max(...counts.places.map((p) => p.events), 1);
  for (const p of counts.places) {
    if (p.lat == null || p.lon == null) continue;
    const [x, y] = projection([p.lon, p.lat]);
    const dot = el("circle", { class: "place", cx: x, cy: y, r: 2 + 5 * Math.sqrt(p.events / maxPlace), "data-place": p.name });
    dot.appendChild(el("title", {}, `${p.name}: ${p.events} events`));
    svg.appendChild(dot);
  }
}

// ---- balance ------------------------------------------------------------------------

async function drawBalance() {
  const svg = $("#balance");
  const table = $("#balance-table");
  const summary = $("#balance-summary");
  clear(svg);
  clear(table.tHead);
  clear(table.tBodies[0]);
  summary.textContent = "";
  if (!state.arena || !state.powers) return;
  let data;
  try {
    data = await api("/api/balance", { arena: state.arena, powers: state.powers, ...filters("since", "until") });
  } catch (e) {
    return showError(summary, e);
  }
  const powers = data.camps.map((c) => c.power);
  $("#balance-caption").textContent = `${data.arena}: ${powers.join(" vs ")}; index per power, balance = ${powers[0]} − ${powers[1] || ""}`;
  const rows = data.rows;
  const [w, h] = size(svg);
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  if (!rows.length) {
    svg.appendChild(el("text", { x: 10, y: 20, class: "muted" }, "No events between the arena and the powers."));
    return;
  }
  const pad = { l: 34, r: 10, t: 10, b: 22 };
  const x = (i) => pad.l + (rows.length === 1 ? 0.5 : i / (rows.length - 1)) * (w - pad.l - pad.r);
  const y = (v) => pad.t + ((1 - v) / 2) * (h - pad.t - pad.b);
  const axis = el("g", { class: "axis" });
  for (const t of [-1, 0, 1]) {
    axis.appendChild(el("line", { x1: pad.l, x2: w - pad.r, y1: y(t), y2: y(t) }));
    axis.appendChild(el("text", { x: pad.l - 4, y: y(t) + 4, "text-anchor": "end" }, t > 0 ? `+${t}` : String(t)));
  }
  svg.appendChild(axis);
  const colors = ["#1c7ed6", "#d9480f", "#2b8a3e", "#ae3ec9"];
  powers.forEach((p, k) => {
    const pts = rows.map((r, i) => `${x(i)},${y(r.standings[k].index)}`).join(" ");
    svg.appendChild(el("polyline", { class: "line", points: pts, stroke: colors[k % colors.length], "stroke-dasharray": "3 3", "data-power": p }));
  });
  const pts = rows.filter((r) => r.balance != null);
  svg.appendChild(el("polyline", { class: "line", "data-series": "balance", stroke: "#1d232a", points: rows.map((r, i) => (r.balance == null ? null : `${x(i)},${y(Math.max(-1, Math.min(1, r.balance)))}`)).filter(Boolean).join(" ") }));
  rows.forEach((r, i) => {
    if (r.balance == null) return;
    const c = el("circle", { class: "point", cx: x(i), cy: y(Math.max(-1, Math.min(1, r.balance))), r: 4, fill: "#1d232a", "data-period": r.period, "data-balance": r.balance.toFixed(3) });
    c.appendChild(el("title", {}, `${r.period}: balance ${r.balance >= 0 ? "+" : ""}${r.balance.toFixed(3)} (one event moves it at most ${r.max_single_event.toFixed(3)})`));
    c.addEventListener("click", () => {
      document.querySelectorAll(".point.selected").forEach((n) => n.classList.remove("selected"));
      c.classList.add("selected");
      const ids = [...new Set(r.standings.flatMap((s) => s.event_ids))];
      listEvents(ids, `balance ${r.period}`, r.standings.reduce((n, s) => n + s.events, 0));
    });
    svg.appendChild(c);
  });
  const step = Math.ceil(rows.length / Math.max(1, Math.floor((w - pad.l) / 60)));
  rows.forEach((r, i) => {
    if (i % step === 0) svg.appendChild(el("text", { x: x(i), y: h - 6, "text-anchor": "middle", fill: "#67717d", "font-size": 11 }, r.period));
  });
  // The figures themselves, so a reader can check the chart.
  const head = el("tr");
  for (const t of ["period", ...powers.map((p) => `${p} index`), "balance", "events"]) head.appendChild(el("th", {}, t));
  table.tHead.appendChild(head);
  for (const r of rows) {
    const tr = el("tr", { "data-period": r.period });
    tr.appendChild(el("td", {}, r.period));
    for (const s of r.standings) tr.appendChild(el("td", {}, (s.index >= 0 ? "+" : "") + s.index.toFixed(3)));
    tr.appendChild(el("td", { class: "balance" }, r.balance == null ? "" : (r.balance >= 0 ? "+" : "") + r.balance.toFixed(3)));
    tr.appendChild(el("td", {}, String(r.standings.reduce((n, s) => n + s.events, 0))));
    table.tBodies[0].appendChild(tr);
  }
  if (pts.length && powers.length >= 2) {
    const mean = pts.reduce((s, r) => s + r.balance, 0) / pts.length;
    const lead = mean > 0 ? powers[0] : mean < 0 ? powers[1] : "neither";
    summary.textContent = `Mean balance over ${pts.length} periods: ${mean >= 0 ? "+" : ""}${mean.toFixed(3)}, tilting toward ${lead}. Click a point for its events.`;
    summary.setAttribute("data-mean", mean.toFixed(3));
  }
}

// ---- judgments ------------------------------------------------------------------------------

async function drawJudgments() {
  const list = $("#judgments");
  clear(list);
  let rows;
  try {
    rows = await api("/api/judgments", { limit: 100 });
  } catch (e) {
    return showError(list, e);
  }
  if (!rows.length) list.appendChild(el("li", { class: "muted" }, "No judgments stored."));
  for (const r of rows) {
    const j = r.judgment;
    const li = el("li", { "data-judgment": j.id });
    const p = j.p_low != null ? `${Math.round(j.p_low * 100)}–${Math.round(j.p_high * 100)}%` : "no probability";
    li.appendChild(el("span", { class: "code" }, `${j.term || j.kind}  ${p}`));
    if (r.outcome) li.appendChild(el("span", { class: "modality" }, ` outcome: ${r.outcome.outcome}`));
    li.appendChild(el("div", {}, j.text.replace(/\s+/g, " ")));
    li.appendChild(el("div", { class: "muted" }, `${r.source}${r.published ? ", " + r.published : ""}`));
    li.addEventListener("click", () => {
      document.querySelectorAll("li.selected").forEach((n) => n.classList.remove("selected"));
      li.classList.add("selected");
      openEvidence(r.doc_id, j.evidence, null, `${j.term || j.kind}: ${p}`);
    });
    list.appendChild(li);
  }
}

// ---- wiring -----------------------------------------------------------------------------

// Without filters, the views ask exactly what sway-serve's PAGE_DEFAULTS warms at
// start (keep the two in step).
async function refresh() {
  writeHash();
  syncForm();
  await Promise.all([drawTimeline(), drawEvents(), drawNetwork(), drawMap(), drawBalance()]);
  document.body.setAttribute("data-ready", String(Date.now()));
}

async function start() {
  readHash();
  $("#controls").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    const changes = {};
    for (const k of Object.keys(state)) changes[k] = f[k].value.trim();
    changes.country = changes.country.toUpperCase();
    changes.arena = changes.arena.toUpperCase();
    changes.powers = changes.powers.toUpperCase().replace(/\s+/g, "");
    setFilters(changes);
  });
  $("#clear").addEventListener("click", () => setFilters({ since: "", until: "", actor: "", country: "" }));
  $("#more").addEventListener("click", () => drawEvents(true));
  try {
    const h = await api("/api/health");
    $("#store").textContent = `${h.documents} documents, ${h.events} events (sway ${h.sway_version})`;
  } catch (e) {
    $("#store").textContent = `store unavailable: ${e.message}`;
  }
  await Promise.all([refresh(), drawJudgments()]);
}

start();
