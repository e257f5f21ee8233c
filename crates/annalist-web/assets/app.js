// annalist's web page. Every text that comes from the API is put in with textContent
// or DOM calls: nothing here parses data as HTML.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const QUAD_NAMES = ['verbal cooperation', 'material cooperation', 'verbal conflict', 'material conflict'];
const TYPES = ['AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT', 'INVESTIGATE',
  'REQUEST', 'ACCUSE', 'REJECT', 'THREATEN', 'SANCTION', 'PROTEST', 'MOBILIZE', 'COERCE', 'ASSAULT'];
const PAGE = 25;
const state = { offset: 0, total: 0 };

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function showError(msg) {
  $('error').textContent = msg || '';
}

async function api(path, options) {
  const r = await fetch(path, options);
  const body = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function filterQuery() {
  const f = new FormData($('filters'));
  const q = new URLSearchParams();
  for (const [k, v] of f.entries()) if (String(v).trim() !== '') q.set(k, String(v).trim());
  return q;
}

// A text cut into segments ({text, kinds}) as spans; kinds become classes.
function renderSegments(node, segments) {
  clear(node);
  for (const s of segments) {
    if (s.kinds && s.kinds.length) {
      const m = el('mark', { class: s.kinds.join(' '), title: s.kinds.join(', ') }, s.text);
      m.dataset.kinds = s.kinds.join(' ');
      node.append(m);
    } else {
      node.append(document.createTextNode(s.text));
    }
  }
}

// ---- timeline: stacked bars per day, coloured by quad class ----
function drawTimeline(data) {
  const node = $('timeline');
  clear(node);
  $('timeline-count').textContent = `${data.total} events on ${data.days.length} days` +
    (data.undated ? ` (${data.undated} undated)` : '');
  node.dataset.events = String(data.total);
  if (!data.days.length) { node.append(el('p', { class: 'muted' }, 'No dated events.')); return; }
  const first = Date.parse(data.days[0].date), last = Date.parse(data.days[data.days.length - 1].date);
  const span = Math.round((last - first) / 86400000) + 1;
  const W = Math.max(node.clientWidth || 900, 300), H = 180, pad = 28;
  const max = Math.max(...data.days.map((d) => d.events));
  const bw = Math.max(Math.min((W - pad) / span, 48), 1);
  const s = svg('svg', { width: W, height: H + 20, role: 'img', 'aria-label': 'events per day' });
  s.append(svg('line', { x1: pad, y1: H, x2: W, y2: H, class: 'axis' }));
  const label = (x, t) => { const e = svg('text', { x, y: H + 14, class: 'tick' }); e.textContent = t; s.append(e); };
  label(pad, data.days[0].date);
  if (span > 1) label(Math.max(W - 80, pad + 90), data.days[data.days.length - 1].date);
  const ymax = svg('text', { x: 0, y: 10, class: 'tick' }); ymax.textContent = String(max); s.append(ymax);
  for (const d of data.days) {
    const x = pad + Math.round((Date.parse(d.date) - first) / 86400000) * bw;
    let y = H;
    d.quad.forEach((n, i) => {
      if (!n) return;
      const h = Math.max((n / max) * (H - 10), 1);
      y -= h;
      const r = svg('rect', { x, y, width: Math.max(bw - 1, 1), height: h, class: `q${i + 1} bar` });
      r.setAttribute('data-date', d.date);
      r.setAttribute('data-count', n);
      const t = svg('title', {}); t.textContent = `${d.date}: ${n} ${QUAD_NAMES[i]}`; r.append(t);
      r.addEventListener('click', () => {
        $('filters').elements.from.value = d.date; $('filters').elements.to.value = d.date; refresh();
      });
      s.append(r);
    });
  }
  node.append(s);
}

// ---- actor pair: cooperation up, conflict down, Goldstein line ----
async function drawDyad(ev) {
  if (ev) ev.preventDefault();
  const f = $('dyad-form').elements;
  const a = f.a.value.trim(), b = f.b.value.trim();
  const node = $('dyad-chart');
  clear(node);
  if (!a || !b) { $('dyad-summary').textContent = 'Give two actor codes.'; return; }
  let data;
  try {
    data = await api(`/api/dyads?${new URLSearchParams({ pair: `${a},${b}`, by: f.by.value })}`);
  } catch (e) { $('dyad-summary').textContent = e.message; return; }
  const periods = new Map();
  for (const r of data.rows) {
    const p = periods.get(r.period) || { coop: 0, conf: 0, gold: 0 };
    p.coop += r.quad[0] + r.quad[1]; p.conf += r.quad[2] + r.quad[3]; p.gold += r.goldstein;
    periods.set(r.period, p);
  }
  const keys = [...periods.keys()].sort();
  let coop = 0, conf = 0;
  for (const p of periods.values()) { coop += p.coop; conf += p.conf; }
  $('dyad-summary').textContent = `${a.toUpperCase()}–${b.toUpperCase()}: ${coop} cooperative, ${conf} conflictual events in ${keys.length} ${data.by}(s)`;
  node.dataset.periods = String(keys.length);
  if (!keys.length) return;
  const W = Math.max(node.clientWidth || 900, 300), H = 200, mid = H / 2, pad = 28;
  const max = Math.max(1, ...keys.map((k) => Math.max(periods.get(k).coop, periods.get(k).conf)));
  const gmax = Math.max(1, ...keys.map((k) => Math.abs(periods.get(k).gold)));
  const bw = (W - pad) / keys.length;
  const s = svg('svg', { width: W, height: H + 20, role: 'img', 'aria-label': 'actor pair over time' });
  s.append(svg('line', { x1: pad, y1: mid, x2: W, y2: mid, class: 'axis' }));
  let path = '';
  keys.forEach((k, i) => {
    const p = periods.get(k), w = Math.max(Math.min(bw - 2, 48), 1), x = pad + i * bw + (bw - w) / 2;
    const hc = (p.coop / max) * (mid - 8), hf = (p.conf / max) * (mid - 8);
    const rc = svg('rect', { x, y: mid - hc, width: w, height: hc, class: 'coop bar' });
    const tc = svg('title', {}); tc.textContent = `${k}: ${p.coop} cooperative`; rc.append(tc);
    const rf = svg('rect', { x, y: mid, width: w, height: hf, class: 'conf bar' });
    const tf = svg('title', {}); tf.textContent = `${k}: ${p.conf} conflictual, Goldstein ${p.gold.toFixed(1)}`; rf.append(tf);
    s.append(rc, rf);
    const gy = mid - (p.gold / gmax) * (mid - 8);
    path += `${i ? 'L' : 'M'}${x + w / 2},${gy}`;
  });
  s.append(svg('path', { d: path, class: 'gold line' }));
  const l1 = svg('text', { x: pad, y: H + 14, class: 'tick' }); l1.textContent = keys[0]; s.append(l1);
  if (keys.length > 1) { const l2 = svg('text', { x: Math.max(W - 70, pad + 80), y: H + 14, class: 'tick' }); l2.textContent = keys[keys.length - 1]; s.append(l2); }
  node.append(s);
}

// ---- map: one mark per located event on an embedded world outline ----
// The outline (world.json, Natural Earth 1:110m) is drawn once in the Natural Earth I
// projection; zoom and pan move it with a transform, and the marks are placed again in
// screen space at each view so that they keep their size and are clustered where they
// overlap.
const MAP_W = 960;
const map = { world: null, places: [], query: '', k: 1, tx: 0, ty: 0, h: 0, drag: null };

function naturalEarth(lon, lat) {
  const l = lon * Math.PI / 180, p = lat * Math.PI / 180, p2 = p * p, p4 = p2 * p2;
  return [l * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4))),
    p * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))];
}
const NE_X = naturalEarth(180, 0)[0], NE_Y = naturalEarth(0, 90)[1];
// Map units: x 0..MAP_W, y 0..map.h, north up.
function project(lon, lat) {
  const [x, y] = naturalEarth(lon, lat);
  return [(x / NE_X + 1) * MAP_W / 2, (1 - y / NE_Y) * map.h / 2];
}
map.h = Math.round(MAP_W * NE_Y / NE_X);

// A mark's radius in pixels: grows with the mentions of its events.
function markRadius(mentions) { return Math.min(3 + 2 * Math.sqrt(mentions), 16); }

async function loadWorld() {
  if (map.world) return;
  const w = await api('/world.json');
  const g = svg('g', { id: 'map-world' });
  for (const c of w.countries) {
    let d = '';
    for (const ring of c.rings) {
      for (let i = 0; i < ring.length; i += 2) {
        const [x, y] = project(ring[i], ring[i + 1]);
        d += `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
      }
      d += 'Z';
    }
    const path = svg('path', { d, class: 'country' });
    path.dataset.iso3 = c.iso3;
    const t = svg('title', {}); t.textContent = c.name; path.append(t);
    g.append(path);
  }
  map.world = g;
  const s = svg('svg', { viewBox: `0 0 ${MAP_W} ${map.h}`, role: 'img', 'aria-label': 'map of located events' });
  s.append(svg('rect', { x: 0, y: 0, width: MAP_W, height: map.h, class: 'sea' }), g, svg('g', { id: 'map-marks' }));
  $('map').append(s);
  s.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const [mx, my] = mapPoint(ev);
    zoomAt(mx, my, ev.deltaY < 0 ? 1.5 : 1 / 1.5);
  }, { passive: false });
  s.addEventListener('pointerdown', (ev) => {
    if (ev.target.closest('.mark')) return;
    const [x, y] = mapPoint(ev);
    map.drag = { x, y, tx: map.tx, ty: map.ty, moved: false };
    s.setPointerCapture(ev.pointerId);
  });
  s.addEventListener('pointermove', (ev) => {
    if (!map.drag) return;
    const [x, y] = mapPoint(ev);
    map.tx = map.drag.tx + x - map.drag.x; map.ty = map.drag.ty + y - map.drag.y;
    map.drag.moved = true;
    drawMapView();
  });
  s.addEventListener('pointerup', () => { map.drag = null; });
}

// The pointer's position in the SVG's units.
function mapPoint(ev) {
  const s = $('map').querySelector('svg'), r = s.getBoundingClientRect();
  return [(ev.clientX - r.left) * MAP_W / r.width, (ev.clientY - r.top) * map.h / r.height];
}

function zoomAt(x, y, factor) {
  const k = Math.min(Math.max(map.k * factor, 1), 64);
  map.tx = x - (x - map.tx) * k / map.k; map.ty = y - (y - map.ty) * k / map.k; map.k = k;
  drawMapView();
}

async function loadMap(q) {
  const data = await api(`/api/map?${q}`);
  map.places = data.places.map((p) => ({ ...p, at: project(p.lon, p.lat) }));
  map.query = q;
  $('map').dataset.located = String(data.located);
  $('map-count').textContent = `${data.located} located events at ${data.places.length} places`;
  drawMapView();
  return data;
}

// Greedy clustering in screen space: places with most mentions first; a place joins
// the first cluster it overlaps on screen (looked up in a grid of cells as wide as two of
// the largest marks, so that thousands of places cluster quickly). Positions are in the
// SVG's units, radii and distances in CSS pixels (`px` pixels per unit), so that marks
// keep their size and a narrow map clusters more.
function clusters(px) {
  const sorted = [...map.places].sort((a, b) => b.mentions - a.mentions || (a.location < b.location ? -1 : 1));
  const out = [], cell = 48, grid = new Map();
  for (const p of sorted) {
    const x = p.at[0] * map.k + map.tx, y = p.at[1] * map.k + map.ty;
    // A mark holding several events is large enough for its number.
    const r = p.events > 1 ? Math.min(Math.max(markRadius(p.mentions), 8 + 2 * Math.sqrt(p.events)), 22) : markRadius(p.mentions);
    const cx = Math.floor(x * px / cell), cy = Math.floor(y * px / cell);
    let hit = null;
    for (let i = -1; i <= 1 && !hit; i++) {
      for (let j = -1; j <= 1 && !hit; j++) {
        for (const c of grid.get(`${cx + i},${cy + j}`) || []) {
          if (Math.hypot(c.x - x, c.y - y) * px < (c.r + r) * 0.9) { hit = c; break; }
        }
      }
    }
    if (hit) {
      hit.members.push(p);
      hit.events += p.events;
      hit.r = Math.min(Math.max(hit.r, 8 + 2.5 * Math.sqrt(hit.events)), 22);
    } else {
      const c = { x, y, r, members: [p], events: p.events };
      out.push(c);
      const key = `${cx},${cy}`;
      grid.set(key, [...(grid.get(key) || []), c]);
    }
  }
  return out;
}

function drawMapView() {
  if (!map.world) return;
  // Keep some of the world in view.
  map.tx = Math.min(Math.max(map.tx, MAP_W * (1 - map.k) - MAP_W / 4), MAP_W / 4);
  map.ty = Math.min(Math.max(map.ty, map.h * (1 - map.k) - map.h / 4), map.h / 4);
  map.world.setAttribute('transform', `translate(${map.tx.toFixed(2)},${map.ty.toFixed(2)}) scale(${map.k})`);
  const countryLevel = new Set(map.places.filter((p) => p.precision === 'country').map((p) => p.country));
  for (const p of map.world.children) p.classList.toggle('located', countryLevel.has(p.dataset.iso3));
  const g = $('map-marks');
  clear(g);
  const px = ($('map').querySelector('svg').clientWidth || MAP_W) / MAP_W;
  for (const c of clusters(px)) {
    const quads = [0, 0, 0, 0];
    for (const p of c.members) p.quad.forEach((n, i) => { quads[i] += n; });
    const q = quads.indexOf(Math.max(...quads)) + 1;
    const one = c.members.length === 1 ? c.members[0] : null;
    const kind = one ? `place ${one.precision}` : 'cluster';
    const grp = svg('g', { class: `mark ${kind} q${q}` });
    grp.dataset.locations = c.members.map((p) => p.location).join('|');
    grp.dataset.events = String(c.events);
    if (one) { grp.dataset.lat = String(one.lat); grp.dataset.lon = String(one.lon); }
    if (one && one.events === 1) grp.dataset.event = String(one.ids[0]);
    grp.append(svg('circle', { cx: c.x.toFixed(1), cy: c.y.toFixed(1), r: (c.r / px).toFixed(2) }));
    if (c.events > 1) {
      const label = svg('text', { x: c.x.toFixed(1), y: (c.y + 4 / px).toFixed(1), 'font-size': (11 / px).toFixed(1) });
      label.textContent = String(c.events);
      grp.append(label);
    }
    const t = svg('title', {});
    t.textContent = c.members.map((p) => `${p.name}${p.precision === 'country' ? ' (country)' : p.precision === 'admin1' ? ' (region)' : ''}` +
      `: ${p.events} event(s), ${p.mentions} mention(s)`).join('\n');
    grp.append(t);
    grp.addEventListener('click', () => openMark(c));
    g.append(grp);
  }
  $('map').dataset.marks = String(g.children.length);
}

// A mark of one event opens it. A cluster of places spread apart zooms in on them;
// otherwise (one place, or the deepest zoom) the mark lists its events.
async function openMark(c) {
  if (c.members.length === 1 && c.members[0].events === 1) { openEvent(c.members[0].ids[0]); return; }
  const xs = c.members.map((p) => p.at[0]), ys = c.members.map((p) => p.at[1]);
  const spread = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) * map.k;
  // (spread in SVG units: any distance at all means that zooming in parts them)
  if (spread > 0.5 && map.k < 64) { zoomAt(c.x, c.y, 3); return; }
  const list = $('map-list');
  clear(list);
  list.hidden = false;
  for (const p of c.members) {
    const q = new URLSearchParams(map.query);
    q.set('location', p.location); q.set('limit', '50');
    let page;
    try { page = await api(`/api/events?${q}`); } catch (e) { showError(e.message); return; }
    list.append(el('li', { class: 'muted' }, `${p.name}: ${page.total} event(s)` + (page.total > page.events.length ? `, the first ${page.events.length}` : '') + ':'));
    for (const e of page.events) {
      const b = el('button', { type: 'button', class: `q${e.quad_class}` },
        `#${e.event} ${e.date || 'undated'} ${e.source_actor} ${e.event_type} ${e.target_actor || ''}`);
      b.dataset.event = String(e.event);
      b.addEventListener('click', () => openEvent(e.event));
      list.append(el('li', {}, b));
    }
  }
}

// ---- what analysts weigh: attribution, confidence, casualties ----
// "claimed by UKRGOV “Ukrainian officials”", "asserted".
function attributionText(attribution, code, words) {
  if (!attribution || attribution === 'asserted') return 'asserted';
  const who = [code, words ? `“${words}”` : null].filter(Boolean).join(' ');
  return who ? `${attribution} by ${who}` : attribution;
}

// "killed 15 (up to 20), injured 3" from an event's figures.
function casualtyText(e) {
  const out = [];
  for (const k of ['killed', 'injured', 'abducted', 'arrested']) {
    const lo = e[k], hi = e[`${k}_high`];
    if (lo === undefined || lo === null) continue;
    out.push(hi !== undefined && hi !== null && hi > lo ? `${k} ${lo} (up to ${hi})` : `${k} ${lo}`);
  }
  return out.join(', ');
}

// The same from a record's casualty list: "killed 20 (at least 20 people, civilians)".
function recordCasualties(r) {
  return (r.casualties || []).map((c) => `${c.kind} ${c.count}${c.high && c.high > c.count ? `–${c.high}` : ''}` +
    ` (“${c.text}”${c.who ? `, ${c.who}` : ''})`).join(', ');
}

function confidenceText(c) {
  return c === undefined || c === null ? '' : Number(c).toFixed(2);
}

// ---- event table ----
async function loadEvents() {
  const q = filterQuery();
  q.set('limit', PAGE); q.set('offset', state.offset);
  const page = await api(`/api/events?${q}`);
  state.total = page.total;
  $('events-count').textContent = `${page.total} events`;
  $('events').dataset.total = String(page.total);
  const body = $('events').tBodies[0];
  clear(body);
  for (const e of page.events) {
    const tr = el('tr', { class: `q${e.quad_class}`, tabIndex: 0 },
      el('td', {}, e.event), el('td', {}, e.date || 'undated'), el('td', {}, e.source_actor),
      el('td', {}, e.event_type), el('td', {}, e.target_actor || '—'), el('td', {}, e.quad_class),
      el('td', {}, e.goldstein.toFixed(1)), el('td', {}, e.location || ''), el('td', {}, e.mentions),
      el('td', { class: 'confidence' }, confidenceText(e.confidence)),
      el('td', { class: `attribution ${e.attribution}` }, attributionText(e.attribution, e.reported_by_code, e.reported_by_text)),
      el('td', { class: 'casualties' }, casualtyText(e)));
    tr.dataset.event = String(e.event);
    tr.addEventListener('click', () => openEvent(e.event));
    tr.addEventListener('keydown', (k) => { if (k.key === 'Enter') openEvent(e.event); });
    body.append(tr);
  }
  const last = Math.min(state.offset + PAGE, page.total);
  $('page-info').textContent = page.total ? `${state.offset + 1}–${last} of ${page.total}` : 'no events';
  $('prev').disabled = state.offset === 0;
  $('next').disabled = page.next_offset === undefined;
}

async function openEvent(id) {
  let d;
  try { d = await api(`/api/events/${encodeURIComponent(id)}`); } catch (e) { showError(e.message); return; }
  const e = d.event;
  $('event-section').hidden = false;
  $('event-title').textContent = `#${e.event} ${e.source_actor} ${e.event_type} ${e.target_actor || ''} · ${e.date || 'undated'}`;
  const node = $('event-detail');
  clear(node);
  node.append(el('p', { class: 'muted' },
    `CAMEO ${e.cameo} · quad ${e.quad_class} (${QUAD_NAMES[e.quad_class - 1] || ''}) · Goldstein ${e.goldstein} · ` +
    `${e.mentions} mention(s), ${e.articles} article(s), ${e.sources} source(s)` + (e.location ? ` · ${e.location}` : '')));
  const weigh = [
    `attribution: ${attributionText(e.attribution, e.reported_by_code, e.reported_by_text)}`,
    e.confidence !== undefined ? `confidence ${confidenceText(e.confidence)}` : null,
    casualtyText(e) ? `casualties: ${casualtyText(e)}` : null,
    e.mode ? `mode ${e.mode}` : null,
    e.context ? `context ${e.context}` : null,
  ].filter(Boolean).join(' · ');
  node.append(el('p', { class: 'weigh' }, weigh));
  for (const m of d.mentions) {
    const quote = el('blockquote', { class: 'text evidence' });
    renderSegments(quote, m.snippet.segments);
    const link = el('a', { href: '#document', class: 'doc-link' }, m.doc_id);
    link.addEventListener('click', (ev) => { ev.preventDefault(); openDocument(m.doc_id); });
    node.append(el('div', { class: 'mention' },
      el('p', {}, link, ` ${m.title ? '· ' + m.title : ''} ${m.document_date ? '· ' + m.document_date : ''} ${m.source ? '· ' + m.source : ''}`),
      quote,
      el('p', { class: 'muted' }, `trigger “${m.record.evidence.trigger}” [${m.record.evidence.start}..${m.record.evidence.end}] · ${m.record.evidence.rule}`),
      mentionWeigh(m)));
  }
  $('event-section').scrollIntoView({ block: 'nearest' });
}

// A mention's own attribution (with the claimant and the reporting verb), confidence,
// casualty figures, and the records of its document it speaks about or is spoken of by.
function mentionWeigh(m) {
  const r = m.record, rb = r.reported_by;
  const p = el('p', { class: 'weigh mention-weigh' });
  const parts = [
    rb ? `${r.attribution}: ${rb.actor ? rb.actor.cameo_actor + ' ' : ''}“${rb.text}” ${rb.verb}` : r.attribution,
    r.confidence !== undefined ? `confidence ${confidenceText(r.confidence)}` : null,
    recordCasualties(r) || null,
  ].filter(Boolean);
  p.append(parts.join(' · '));
  const link = (label, list) => {
    if (!list || !list.length) return;
    p.append(` · ${label} `);
    list.forEach((l, i) => {
      if (i) p.append(', ');
      const text = `${l.event_type} ${l.source} → ${l.target || '—'} (${l.attribution})`;
      if (l.event) {
        const a = el('a', { href: '#event', class: 'about-link' }, `#${l.event} ${text}`);
        a.addEventListener('click', (ev) => { ev.preventDefault(); openEvent(l.event); });
        p.append(a);
      } else p.append(text);
    });
  };
  link('about', m.about);
  link('mentioned by', m.mentioned_by);
  // Nothing to add to the event's own line for a plain assertion.
  return parts.length === 1 && r.attribution === 'asserted' && !(m.about || []).length && !(m.mentioned_by || []).length ? null : p;
}

async function openDocument(id) {
  let d;
  try { d = await api(`/api/documents/${encodeURIComponent(id)}`); } catch (e) { showError(e.message); return; }
  $('document-section').hidden = false;
  $('document-title').textContent = d.title ? `${d.id} · ${d.title}` : d.id;
  $('document-meta').textContent = [d.date, d.source, d.url, `${d.records.length} record(s)`].filter(Boolean).join(' · ');
  renderSegments($('document-text'), d.segments);
  $('document-section').scrollIntoView({ block: 'nearest' });
}

// ---- live coding ----
async function codeLive(ev) {
  if (ev) ev.preventDefault();
  const text = $('live-text').value;
  const list = $('live-records');
  let d;
  try {
    d = await api('/api/code', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text, date: $('live-date').value || null }) });
  } catch (e) { clear(list); list.append(el('li', { class: 'error' }, e.message)); return; }
  renderSegments($('live-text-view'), d.segments);
  clear(list);
  list.dataset.records = String(d.records.length);
  if (!d.records.length) list.append(el('li', { class: 'muted' }, 'No event coded.'));
  for (const { record: r } of d.records) {
    list.append(el('li', { class: `q${r.quad_class} record` },
      `${r.source.cameo_actor} “${r.source.text}” → ${r.event_type} (CAMEO ${r.cameo}, Goldstein ${r.goldstein}) → ` +
      `${r.target ? r.target.cameo_actor + ' “' + r.target.text + '”' : 'no target'}` +
      ` · ${r.date || 'undated'}` + (r.location ? ` · ${r.location.name}, ${r.location.country}` : '') +
      ` · trigger “${r.evidence.trigger}”` +
      ` · ${attributionText(r.attribution, r.reported_by && r.reported_by.actor ? r.reported_by.actor.cameo_actor : null, r.reported_by ? r.reported_by.text : null)}` +
      (r.confidence !== undefined ? ` · confidence ${confidenceText(r.confidence)}` : '') +
      (recordCasualties(r) ? ` · ${recordCasualties(r)}` : '')));
  }
}

let liveTimer = null;

async function refresh() {
  showError('');
  state.offset = 0;
  try {
    const q = filterQuery();
    $('map-list').hidden = true;
    const [tl] = await Promise.all([api(`/api/timeline?${q}`), loadEvents(), loadWorld().then(() => loadMap(q))]);
    drawTimeline(tl);
  } catch (e) { showError(e.message); }
}

async function init() {
  const sel = $('filters').elements.type;
  for (const t of TYPES) sel.append(el('option', { value: t }, t));
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); refresh(); });
  $('filters').addEventListener('reset', () => setTimeout(refresh, 0));
  $('prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); loadEvents().catch((e) => showError(e.message)); });
  $('next').addEventListener('click', () => { state.offset += PAGE; loadEvents().catch((e) => showError(e.message)); });
  $('dyad-form').addEventListener('submit', drawDyad);
  $('zoom-in').addEventListener('click', () => zoomAt(MAP_W / 2, map.h / 2, 2));
  $('zoom-out').addEventListener('click', () => zoomAt(MAP_W / 2, map.h / 2, 0.5));
  $('zoom-reset').addEventListener('click', () => { map.k = 1; map.tx = 0; map.ty = 0; drawMapView(); });
  let resizeTimer = null;
  window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(drawMapView, 100); });
  $('live-form').addEventListener('submit', codeLive);
  $('live-text').addEventListener('input', () => { clearTimeout(liveTimer); liveTimer = setTimeout(codeLive, 600); });
  try {
    const s = await api('/api/stats');
    $('stats').textContent = `${s.documents} documents · ${s.mentions} mentions · ${s.events} events` +
      (s.first_date ? ` · ${s.first_date} – ${s.last_date}` : '');
    const a = await api('/api/actors');
    const dl = $('actor-list');
    for (const x of a.actors.slice(0, 200)) dl.append(el('option', { value: x.actor }));
    if (!$('dyad-form').elements.a.value) {
      // The busiest pair of two different countries (or organisations) opens the chart.
      const d = await api('/api/dyads?by=month');
      const pairs = new Map();
      for (const r of d.rows) {
        const x = (r.source || '').slice(0, 3), y = (r.target || '').slice(0, 3);
        if (!x || !y || x === y || x === '---' || y === '---') continue;
        const k = [x, y].sort().join(',');
        pairs.set(k, (pairs.get(k) || 0) + r.events);
      }
      const best = [...pairs.entries()].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1))[0];
      if (best) { const [x, y] = best[0].split(','); $('dyad-form').elements.a.value = x; $('dyad-form').elements.b.value = y; }
    }
  } catch (e) { showError(e.message); }
  await refresh();
  drawDyad();
  document.body.dataset.ready = '1';
}

document.addEventListener('DOMContentLoaded', init);
